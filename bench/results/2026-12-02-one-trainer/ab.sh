#!/usr/bin/env bash
# JMH A/B of the optimizer step: before = 7e5f2ff (worktree /tmp/base), after = this tree; alternated, two rounds.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
THIRD=$(cat /tmp/third-cp.txt)
OUT=/work/main/bench/results/2026-12-02-one-trainer/jmh
cp_of() { local t=$1; echo "$t/kernels/target/classes:$t/core/target/classes:$t/gpu/target/classes:$t/optim/target/classes:$t/bench/target/classes:$THIRD"; }
run() { # side tree round
  local side=$1 tree=$2 r=$3
  (cd $tree && $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$(cp_of $tree)" org.openjdk.jmh.Main \
     'OptimizerBench.fusedStep$' -p algorithm=sgd,adam,lamb -f 1 -wi 3 -w 2 -i 5 -r 2 -jvmArgsAppend "-Xmx8g" \
     -rf json -rff $OUT/cpu-$side-$r.json > $OUT/cpu-$side-$r.log 2>&1)
  (cd $tree && $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$(cp_of $tree)" org.openjdk.jmh.Main \
     'DeviceStepBench.step$' -p algorithm=sgd,adam,lamb -p tensors=1,16 -f 1 -wi 3 -w 2 -i 5 -r 2 \
     -rf json -rff $OUT/device-$side-$r.json > $OUT/device-$side-$r.log 2>&1)
}
run before /tmp/base 1
run after /work/main 1
run after /work/main 2
run before /tmp/base 2
echo ab-done

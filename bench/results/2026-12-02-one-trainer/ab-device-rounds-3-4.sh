#!/usr/bin/env bash
# Rounds 3 and 4 of the device step only (pocl's spread was wide in rounds 1 and 2).
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
THIRD=$(cat /tmp/third-cp.txt)
OUT=/work/main/bench/results/2026-12-02-one-trainer/jmh
cp_of() { local t=$1; echo "$t/kernels/target/classes:$t/core/target/classes:$t/gpu/target/classes:$t/optim/target/classes:$t/bench/target/classes:$THIRD"; }
run() {
  local side=$1 tree=$2 r=$3
  (cd $tree && $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$(cp_of $tree)" org.openjdk.jmh.Main \
     'DeviceStepBench.step$' -p algorithm=sgd,adam,lamb -p tensors=1,16 -f 1 -wi 3 -w 2 -i 5 -r 2 \
     -rf json -rff $OUT/device-$side-$r.json > $OUT/device-$side-$r.log 2>&1)
}
run after /work/main 3
run before /tmp/base 3
run before /tmp/base 4
run after /work/main 4
echo ab2-done

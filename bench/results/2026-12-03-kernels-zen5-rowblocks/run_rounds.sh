#!/bin/bash
# Issue 25 on the Zen 5 guest (AMD EPYC family 26, AVX-512 on full-width units, no sysfs caches),
# five alternating rounds after the change to BlockedSgemm's team split (members claim row blocks
# from a shared count, guided sizes, instead of a fixed share of each pass). As
# ../2026-12-03-kernels-zen5-packing/run_rounds.sh: given BEFORE_CP, each round runs GemmBench (both
# widths) and LeNetBench (both widths) on the previous commit's code too; the streaming benchmarks
# run on the current code only (the change does not touch them).
#   SGEMM    GemmBench.gradus (n = 1024, 2048; 1 and 2 threads) natively and under -XX:UseAVX=2,
#            against OpenBLAS at every core type this CPU runs (bench/peers/openblas_sgemm.py).
#   Streams  OptimizerBench.fusedStep (sgd, momentum, nesterov, adam) and streamTriad, 16M floats on
#            2 threads, against bench/peers/torch_optim.py (PyTorch 1.13, 2 threads; since 2026-12-05 it
#            times each step over 10 s as JMH does, the sets before timed 20 steps).
#   LeNet    LeNetBench.forwardBackward (batch 256, 2 threads) natively and under -XX:UseAVX=2,
#            against bench/peers/lenet_torch.py 2.
# A second set (FIRST_ROUND=6 SGEMM_ONLY=1 BEFORE_FIRST=1) numbers its rounds from 6, runs only the
# SGEMM benchmarks, and runs the previous commit's SGEMM before the current code's in each round, so
# that the place in the round does not favour either code.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   [BEFORE_CP=CLASSPATH_OF_THE_OLD_CODE] \
#   bash bench/results/2026-12-03-kernels-zen5-rowblocks/run_rounds.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
# OUT_DIR writes the JSON and logs into another folder (a later set of rounds with the same protocol);
# the JSON is gzipped at the end.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/../../peers"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-5}
BEFORE_CP=${BEFORE_CP:-}
FIRST_ROUND=${FIRST_ROUND:-1}
SGEMM_ONLY=${SGEMM_ONLY:-}
BEFORE_FIRST=${BEFORE_FIRST:-}
jmh() { "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"; }
jmh_before() { "$J" --add-modules jdk.incubator.vector -cp "$BEFORE_CP" org.openjdk.jmh.Main "$@"; }
gemm_args=('GemmBench.gradus$' -p n=1024,2048 -p threads=1,2 -bm sample)
lenet_args=(LeNetBench -f 1 -wi 5 -i 5 -w 2 -r 2 -bm sample)
cd "${OUT_DIR:-$here}"
gemm_before() {
  if [ -n "$BEFORE_CP" ]; then
    jmh_before "${gemm_args[@]}" -rf json -rff gemm-before-native-$r.json > gemm-before-native-$r.log 2>&1
    jmh_before "${gemm_args[@]}" -jvmArgsAppend -XX:UseAVX=2 -rf json -rff gemm-before-avx2-$r.json > gemm-before-avx2-$r.log 2>&1
  fi
}
for r in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
  echo "round $r $(date -u +%H:%M:%S)"
  [ -n "$BEFORE_FIRST" ] && gemm_before
  jmh "${gemm_args[@]}" -rf json -rff gemm-native-$r.json > gemm-native-$r.log 2>&1
  /usr/bin/python3 "$peers/openblas_sgemm.py" --sizes 1024 2048 --threads 1 2 --json openblas-$r.json > openblas-$r.log 2>&1
  jmh "${gemm_args[@]}" -jvmArgsAppend -XX:UseAVX=2 -rf json -rff gemm-avx2-$r.json > gemm-avx2-$r.log 2>&1
  [ -z "$BEFORE_FIRST" ] && gemm_before
  [ -n "$SGEMM_ONLY" ] && continue
  jmh 'OptimizerBench.fusedStep$' -p algorithm=sgd,momentum,nesterov,adam -bm sample -rf json -rff optim-$r.json > optim-$r.log 2>&1
  jmh 'OptimizerBench.streamTriad$' -p algorithm=sgd -bm sample -rf json -rff triad-$r.json > triad-$r.log 2>&1
  /usr/bin/python3 "$peers/torch_optim.py" sgd momentum nesterov adam triad > torch-optim-$r.log 2>&1
  jmh "${lenet_args[@]}" -rf json -rff lenet-native-$r.json > lenet-native-$r.log 2>&1
  jmh "${lenet_args[@]}" -jvmArgsAppend -XX:UseAVX=2 -rf json -rff lenet-avx2-$r.json > lenet-avx2-$r.log 2>&1
  if [ -n "$BEFORE_CP" ]; then
    jmh_before "${lenet_args[@]}" -rf json -rff lenet-before-native-$r.json > lenet-before-native-$r.log 2>&1
    jmh_before "${lenet_args[@]}" -jvmArgsAppend -XX:UseAVX=2 -rf json -rff lenet-before-avx2-$r.json > lenet-before-avx2-$r.log 2>&1
  fi
  /usr/bin/python3 "$peers/lenet_torch.py" 2 > torch-lenet-$r.log 2>&1
done
# JSON under bench/results is kept gzipped (README, "Benchmarks"); rounds_table.py reads either form.
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

#!/bin/bash
# Issue 9 after the fenced 6x2v tile and the team's row split: five alternating rounds of Gradus
# (JMH GemmBench.gradus in SampleTime mode, so that a median per product can be set beside
# OpenBLAS's; n = 1024, 2048; 1 and 2 threads) and OpenBLAS through NumPy, for the machine as it is
# (native, against OPENBLAS_CORETYPE=Zen) and for its AVX2 path (-XX:UseAVX=2, against Haswell).
# Usage: bash run_rounds.sh ABSOLUTE_BENCH_CLASSPATH
set -u
cd "$(dirname "$0")"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
PEER=../../peers/openblas_sgemm.py
for r in 1 2 3 4 5; do
  for mode in native avx2; do
    flags=""; core="Zen"
    if [ $mode = avx2 ]; then flags="-jvmArgsAppend -XX:UseAVX=2"; core="Haswell"; fi
    $J --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=1024,2048 -p threads=1,2 \
       -bm sample -tu ms $flags -rf json -rff gemm-$mode-$r.json > gemm-$mode-$r.log 2>&1
    for t in 1 2; do
      OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$t /usr/bin/python3 $PEER 1024 2048 > openblas-$core-t$t-$r.log 2>&1
    done
  done
done

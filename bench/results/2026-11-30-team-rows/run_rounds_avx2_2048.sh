#!/bin/bash
# A second, later set of rounds for the one point run_rounds.sh left below target: the AVX2 path at
# n = 2048 (1 and 2 threads) against OpenBLAS Haswell; same protocol, files gemm-avx2SET-* and
# openblas-HaswellSET-* (SET = b, c, ...: one set per invocation, run at different times).
# Usage: bash run_rounds_avx2_2048.sh ABSOLUTE_BENCH_CLASSPATH [SET, default b]
set -u
cd "$(dirname "$0")"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
SET=${2:-b}
PEER=../../peers/openblas_sgemm.py
for r in 1 2 3 4 5 6 7; do
  $J --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=2048 -p threads=1,2 \
     -bm sample -tu ms -jvmArgsAppend -XX:UseAVX=2 -rf json -rff gemm-avx2$SET-$r.json > gemm-avx2$SET-$r.log 2>&1
  for t in 1 2; do
    OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=$t /usr/bin/python3 $PEER 2048 > openblas-Haswell$SET-t$t-$r.log 2>&1
  done
done

#!/bin/bash
# Issue 9, AVX2 path: five alternating rounds of Gradus under -XX:UseAVX=2 (JMH GemmBench.gradus,
# n = 1024, 2048, 1 and 2 threads; the default kernel, fenced 6x2v, and the former default 4x2v
# forced with -Dgradus.gemm.kernel) and OpenBLAS through NumPy with OPENBLAS_CORETYPE=Haswell.
# Usage: bash run_rounds.sh BENCH_CLASSPATH   (the peer script is ../../peers/openblas_sgemm.py)
set -u
cd "$(dirname "$0")"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1   # absolute paths: the script runs from its own folder
PEER=../../peers/openblas_sgemm.py
for r in 1 2 3 4 5; do
  for kernel in default 4x2v; do
    extra=""; [ $kernel = 4x2v ] && extra=" -Dgradus.gemm.kernel=4x2v"
    $J --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=1024,2048 -p threads=1,2 \
       -jvmArgsAppend "-XX:UseAVX=2$extra" -rf json -rff gemm-$kernel-$r.json > gemm-$kernel-$r.log 2>&1
  done
  for t in 1 2; do
    OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=$t /usr/bin/python3 $PEER 1024 2048 > openblas-Haswell-t$t-$r.log 2>&1
  done
done

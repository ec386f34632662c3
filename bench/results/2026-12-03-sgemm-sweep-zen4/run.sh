#!/bin/bash
# SGEMM against n on one machine, for the report's "SGEMM against n" figure: GemmBench (Gradus, EJML,
# ojAlgo, a naive loop; n = 128..2048; 1 and 2 threads), Gradus again under -XX:UseAVX=2, and OpenBLAS
# at every core type this CPU runs (bench/peers/openblas_sgemm.py), back to back, one round.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-03-sgemm-sweep-zen4/run.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)"
set -u
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
cd "$here"
jmh() { "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"; }
echo "start $(date -u +%H:%M:%S)"
jmh 'GemmBench.(gradus|ejml|ojalgo|naiveIkj)$' -rf json -rff gemm-sweep.json > gemm-sweep.log 2>&1
jmh 'GemmBench.gradus$' -jvmArgsAppend -XX:UseAVX=2 -rf json -rff gemm-sweep-avx2.json > gemm-sweep-avx2.log 2>&1
/usr/bin/python3 "$here/../../peers/openblas_sgemm.py" --sizes 128 256 512 1024 2048 --threads 1 2 --json openblas-sweep.json > openblas-sweep.log 2>&1
echo "done $(date -u +%H:%M:%S)"

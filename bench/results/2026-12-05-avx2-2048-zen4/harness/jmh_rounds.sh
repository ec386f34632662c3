#!/usr/bin/env bash
# JMH rounds of the product variants at (2048, 1) under -XX:UseAVX=2, OpenBLAS at its 256-bit core
# types in every round: the head (gemm-avx2-R.json), no C traffic (gemm-variant-avx2-noC-R.json,
# wrong results: an upper bound), C's lines loaded at each tile's start (...-touch1-R.json) and C read
# back from L3 (...-kinside-R.json). Tabled by bench/peers/rounds_table.py.
# Run from the repository root after harness/run.sh (it uses the JARs run.sh built in $WORK/product).
# Usage: bash bench/results/2026-12-05-avx2-2048-zen4/harness/jmh_rounds.sh [ROUNDS]
set -euo pipefail
here=$PWD/bench/results/2026-12-05-avx2-2048-zen4
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
WORK=${WORK:-/tmp/avx2-2048-zen4}
rounds=${1:-5}
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile="$WORK/bench.cp" > /dev/null
bench_cp="$PWD/bench/target/gradus-bench-0.1.0-SNAPSHOT.jar:$(cat "$WORK/bench.cp")"
gemm() { # label jar [jvm flags...]: the variant's kernels JAR first on the class path shadows the head's
  local label=$1 jar=$2; shift 2
  "$J/java" --add-modules jdk.incubator.vector -cp "$WORK/product/$jar.jar:$bench_cp" org.openjdk.jmh.Main \
    'GemmBench.gradus$' -p n=2048 -p threads=1 -bm sample -jvmArgsAppend "-XX:UseAVX=2 $*" \
    -rf json -rff "$here/gemm-$label-$r.json" > "$here/gemm-$label-$r.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
  gemm avx2 head
  gemm variant-avx2-noC no-c-traffic
  gemm variant-avx2-touch1 touch-c-lines -Dgradus.touch=1
  gemm variant-avx2-kinside kc-blocks-inside -Dgradus.kinside=true
  (cd "$here" && /usr/bin/python3 "$OLDPWD/bench/peers/openblas_sgemm.py" --sizes 2048 --threads 1 --isa avx2 \
    --json "openblas-$r.json" > "openblas-$r.log" 2>&1)
done
gzip -n -9 -f "$here"/gemm-*.json "$here"/openblas-*.json

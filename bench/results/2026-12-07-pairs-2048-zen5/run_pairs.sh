#!/bin/bash
# Issue 25's SGEMM points (n = 2048, or SIZES) with Gradus and OpenBLAS measured a minute apart:
# each round runs JMH GemmBench.gradus (1 and 2 threads, natively and under -XX:UseAVX=2) and
# bench/peers/openblas_sgemm.py (1 and 2 threads, every core type of both widths), the two
# alternating which goes first. The full rounds of the earlier folders run n = 1024 too and the
# streaming and LeNet benchmarks, so a Gradus figure and its peer lie minutes apart there; here
# about a minute. Same file names as those rounds, so rounds_table.py and pooled_sgemm.py read it.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-07-pairs-2048-zen5/run_pairs.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
# SIZES="1024" runs other sizes (JMH's -p n= and the script's --sizes); OUT_DIR writes into another
# folder (../2026-12-07-pairs-1024-zen5 ran SIZES=1024 OUT_DIR=that folder).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/../../peers"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-12}
FIRST_ROUND=${FIRST_ROUND:-1}
SIZES=${SIZES:-2048}
gemm_args=('GemmBench.gradus$' -p "n=${SIZES// /,}" -p threads=1,2 -bm sample)
jmh() { "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"; }
gradus() {
  jmh "${gemm_args[@]}" -rf json -rff gemm-native-$r.json > gemm-native-$r.log 2>&1
  jmh "${gemm_args[@]}" -jvmArgsAppend -XX:UseAVX=2 -rf json -rff gemm-avx2-$r.json > gemm-avx2-$r.log 2>&1
}
openblas() {
  /usr/bin/python3 "$peers/openblas_sgemm.py" --sizes $SIZES --threads 1 2 --json openblas-$r.json > openblas-$r.log 2>&1
}
cd "${OUT_DIR:-$here}"
for r in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
  echo "round $r $(date -u +%H:%M:%S)"
  if [ $((r % 2)) = 1 ]; then gradus; openblas; else openblas; gradus; fi
done
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

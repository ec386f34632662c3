#!/bin/bash
# Does a member re-read the packed B block per claim when its share of rows is below mc (the
# 16-core case of KERNELS.md, "Threads")? A 2-core proxy: GemmShapeBench (120 x 512 x 2048, 1 and
# 2 threads) at the table's blocking and at smaller kc, alternating in each round; 1 thread (one
# claim per block) is the control. JSON gzipped at the end.
# Usage (repository root, after mvn -B -DskipTests install and the bench classpath in /tmp/bench.cp):
#   bash bench/results/2026-12-04-b-reread-zen4/run.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-5}
VARIANTS=${VARIANTS:-"table 12x2v:120,384,4096 12x2v:120,256,4096"}
cd "${OUT_DIR:-$here}"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  list=$VARIANTS
  [ $((r % 2)) = 0 ] && list=$(echo $VARIANTS | tr ' ' '\n' | tac | tr '\n' ' ')   # reversed order in even rounds
  for v in $list; do
    label=${v//[:,]/-}
    extra=(); [ "$v" != table ] && extra=(-jvmArgsAppend "-Dgradus.gemm.kernel=$v")
    "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmShapeBench.gradus$' "${extra[@]}" \
      -rf json -rff "shape-$label-$r.json" > "shape-$label-$r.log" 2>&1
    grep -h -E '^GemmShapeBench.gradus ' "shape-$label-$r.log" | sed "s|^|$label |"
  done
done
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

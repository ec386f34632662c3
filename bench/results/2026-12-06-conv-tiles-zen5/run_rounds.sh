#!/bin/bash
# Issue 25 on the Zen 5 guest: the correlation's narrower tiles for blocks with fewer channels present
# (6 x 2 vectors with 32 registers, 2 x 4 vectors for the second pass with 16; LeNet's first layer
# has 6 output channels) against the code before them (9e6d6a5's kernels jar; core is unchanged), in
# alternating rounds, each side natively and under -XX:UseAVX=2 (the protocol of
# ../2026-12-06-conv-zen5-9404a7e without the PyTorch peer: this set compares Gradus with itself).
# Each round runs both versions, the older first in odd rounds and this one first in even ones:
#   ConvLayerBench (LeNet's two fused conv + ReLU + pool layers, forward + backward, batch 256, 2 thr)
#   LeNetBench.forwardBackward (-f 1, 5 x 2 s warm-up, 5 x 2 s measured)
# every figure a JMH SampleTime median.
# Usage (repository root, after mvn -B -DskipTests install with this change, the earlier kernels jar
# copied to /tmp/kernels-9e6d6a5.jar before the install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   rest=$(tr ':' '\n' < /tmp/bench.cp | grep -v 'gradus-kernels' | paste -sd:)
#   BEFORE_CP="$PWD/bench/target/classes:/tmp/kernels-9e6d6a5.jar:$rest" \
#   [FIRST=n] bash bench/results/2026-12-06-conv-tiles-zen5/run_rounds.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
# then /usr/bin/python3 bench/peers/rounds_table.py bench/results/2026-12-06-conv-tiles-zen5.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-3}
BEFORE_CP=${BEFORE_CP:?set BEFORE_CP to the class path of the code before}
cd "$here"
run_version() {
  local prefix=$1 r=$2 cp=$CP
  [ -n "$prefix" ] && cp=$BEFORE_CP
  for path in native avx2; do
    extra=(); [ "$path" = avx2 ] && extra=(-jvmArgsAppend -XX:UseAVX=2)
    "$J" --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main ConvLayerBench -bm sample "${extra[@]}" \
      -rf json -rff conv-$prefix$path-$r.json > conv-$prefix$path-$r.log 2>&1
    "$J" --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main LeNetBench -f 1 -wi 5 -i 5 -w 2 -r 2 -bm sample "${extra[@]}" \
      -rf json -rff lenet-$prefix$path-$r.json > lenet-$prefix$path-$r.log 2>&1
  done
}
FIRST=${FIRST:-1}   # the first round's number (to add rounds to a set)
for r in $(seq "$FIRST" "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  if [ $((r % 2)) = 1 ]; then run_version before- "$r"; run_version "" "$r"
  else run_version "" "$r"; run_version before- "$r"; fi
done
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

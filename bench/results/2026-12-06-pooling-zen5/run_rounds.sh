#!/bin/bash
# Issue 25 on the Zen 5 guest: the 2x2 pooling kernel (PoolingBench, one image of LeNet's two layers)
# before and after commit 1fd5e58, in alternating JMH runs: the kernels jar of 9e3bac5 ("base") and of
# the head ("head"), each natively and under -XX:UseAVX=2. No peer: an A/B of one kernel.
# Usage (repository root, after mvn -B -DskipTests install; BASE_JAR and HEAD_JAR are the two
# gradus-kernels jars, built with mvn -pl kernels package at each commit):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-06-pooling-zen5/run_rounds.sh BASE_JAR HEAD_JAR [ROUNDS]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BASE_JAR=$1
HEAD_JAR=$2
ROUNDS=${3:-3}
# The bench classes and every dependency but the kernels jar, which each run puts first.
rest="$root/bench/target/classes:$(tr ':' '\n' < /tmp/bench.cp | grep -v gradus-kernels | paste -sd:)"
cd "$here"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  for version in base head; do
    jar=$BASE_JAR; [ "$version" = head ] && jar=$HEAD_JAR
    for path in native avx2; do
      extra=(); [ "$path" = avx2 ] && extra=(-jvmArgsAppend -XX:UseAVX=2)
      "$J" --add-modules jdk.incubator.vector -cp "$jar:$rest" org.openjdk.jmh.Main PoolingBench "${extra[@]}" \
        -rf json -rff pool-$version-$path-$r.json > pool-$version-$path-$r.log 2>&1
    done
  done
done
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

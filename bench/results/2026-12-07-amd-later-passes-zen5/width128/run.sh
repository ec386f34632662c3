#!/bin/bash
# The 128-bit path (-XX:MaxVectorSize=16: 12x2v on 4-float vectors, 32 registers) at n = 2048,
# 1 and 2 threads, in the two tile orders through -Dgradus.gemm.kernel, alternating which runs
# first; JMH GemmBench.gradus. Output here.
# Usage: [FIRST_ROUND=N] bash run.sh CLASSPATH [ROUNDS]
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}; CP=$1; ROUNDS=${2:-3}; FIRST_ROUND=${FIRST_ROUND:-1}
cd "$here"
for r in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
  orders="b-major a-major-later-passes"; [ $((r % 2)) = 0 ] && orders="a-major-later-passes b-major"
  for o in $orders; do
    "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=2048 -p threads=1,2 -bm sample \
      -jvmArgsAppend "-XX:MaxVectorSize=16 -Dgradus.gemm.kernel=12x2v:120,1024,4096,$o" -rf json -rff w128-$o-$r.json > w128-$o-$r.log 2>&1
  done
done
for f in w128-*.json; do gzip -n -9 -f "$f"; done

#!/bin/bash
# One JVM build, the SGEMM's two tile orders through -Dgradus.gemm.kernel=SHAPE:mc,kc,nc,ORDER,
# alternating which runs first in each pair: JMH GemmBench.gradus at n = 2048 on 1 and 2 threads,
# into orders/LABEL-ORDER-R.json(.gz) and .log. The pairs differ only in the order, so they measure
# it without the jar-to-jar spread of the rounds against the previous commit's jar.
# Usage: [FIRST_ROUND=N] bash run_orders.sh LABEL "JVM OPTIONS" SHAPE:mc,kc,nc CLASSPATH [ROUNDS]
#   width128: bash run_orders.sh width128 -XX:MaxVectorSize=16 12x2v:120,1024,4096 "$CP" 3
#   avx2:     bash run_orders.sh avx2 -XX:UseAVX=2 6x2v:126,1024,4096 "$CP" 5
set -u
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
LABEL=$1; JVM_OPTIONS=$2; BLOCKING=$3; CP=$4; ROUNDS=${5:-3}; FIRST_ROUND=${FIRST_ROUND:-1}
mkdir -p "$here/orders" && cd "$here/orders"
for r in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
  orders="b-major a-major-later-passes"; [ $((r % 2)) = 0 ] && orders="a-major-later-passes b-major"
  for o in $orders; do
    "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=2048 -p threads=1,2 -bm sample \
      -jvmArgsAppend "$JVM_OPTIONS -Dgradus.gemm.kernel=$BLOCKING,$o" -rf json -rff "$LABEL-$o-$r.json" > "$LABEL-$o-$r.log" 2>&1
  done
done
for f in "$LABEL"-*.json; do gzip -n -9 -f "$f"; done

#!/bin/bash
# GemmBench.gradus at (1024, 2) and (2048, 2), native: working-tree kernels (new) against 9f2a0d5's (before), alternating order.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CUR="/work/main/bench/target/classes:$(cat /tmp/bench.cp)"
BEF="/work/main/bench/target/classes:$(cat /tmp/before.cp)"
cd /tmp/gemmab
args=('GemmBench.gradus$' -p n=1024 -p threads=2 -bm sample)
for r in ${ROUNDS:-5 6 7 8}; do
  order="before new"; [ $((r % 2)) = 0 ] && order="new before"
  for who in $order; do
    cp=$CUR; [ $who = before ] && cp=$BEF
    $J --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main "${args[@]}" -rf json -rff gemm-$who-$r.json > gemm-$who-$r.log 2>&1
  done
  echo "round $r $(date -u +%T)"
done

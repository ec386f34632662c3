#!/bin/bash
# LeNet forward+backward, 2 threads, new (working tree kernels) vs before (9f2a0d5 kernels), alternating.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CUR="/work/main/bench/target/classes:$(cat /tmp/bench.cp)"
BEF="/work/main/bench/target/classes:$(cat /tmp/before.cp)"
cd /tmp/lenetab
args=(LeNetBench -f 1 -wi 5 -i 5 -w 2 -r 2 -bm sample)
for r in 1 2 3 4; do
  for who in before new; do
    cp=$CUR; [ $who = before ] && cp=$BEF
    if [ $((r % 2)) = 0 ]; then :; fi
    $J --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main "${args[@]}" -rf json -rff lenet-$who-native-$r.json > lenet-$who-native-$r.log 2>&1
    $J --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main "${args[@]}" -jvmArgsAppend -XX:UseAVX=2 -rf json -rff lenet-$who-avx2-$r.json > lenet-$who-avx2-$r.log 2>&1
  done
  echo "round $r $(date -u +%T)"
done

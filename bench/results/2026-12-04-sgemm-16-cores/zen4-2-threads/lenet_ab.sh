#!/bin/bash
# LeNet forward+backward, batch 256, 2 threads: the committed kernels (new) against 9f2a0d5's (before),
# natively and under -XX:UseAVX=2, order alternating by round, then PyTorch 1.13's step (bench/peers/lenet_torch.py 2).
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CUR="/work/main/bench/target/classes:$(cat /tmp/bench.cp)"
BEF="/work/main/bench/target/classes:$(cat /tmp/before.cp)"
cd "$(dirname "$0")"
args=(LeNetBench -f 1 -wi 5 -i 5 -w 2 -r 2 -bm sample)
for r in ${ROUNDS:-1 2 3}; do
  order="before new"; [ $((r % 2)) = 0 ] && order="new before"
  for path in ${PATHS:-native avx2}; do
    vm=(); [ $path = avx2 ] && vm=(-jvmArgsAppend -XX:UseAVX=2)
    for who in $order; do
      cp=$CUR; [ $who = before ] && cp=$BEF
      $J --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main "${args[@]}" "${vm[@]}" -rf json -rff lenet-$who-$path-$r.json > lenet-$who-$path-$r.log 2>&1
    done
  done
  [ -z "${NO_TORCH:-}" ] && /usr/bin/python3 /work/main/bench/peers/lenet_torch.py 2 > torch-lenet-$r.log 2>&1
  echo "round $r $(date -u +%T)"
done

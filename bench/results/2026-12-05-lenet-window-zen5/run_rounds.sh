#!/bin/bash
# Issue 25 on the Zen 5 guest: LeNet forward + backward (batch 256, 2 threads) against PyTorch with
# both sides timed over 10 s. Until this set the peer, bench/peers/lenet_torch.py, timed 100 steps
# (about 1.5 s) against JMH's 10 s; ../2026-12-05-streaming-window-zen5 found that a short peer window
# misstates the ratio on this host. Each round runs, in this order:
#   LeNetBench.forwardBackward natively, then under -XX:UseAVX=2 (-f 1, 5 x 2 s warm-up, 5 x 2 s measured)
#   lenet_torch.py 2               (--seconds 10: 2 s untimed, then every step of 10 s timed)
#   lenet_torch.py --steps 100 2   (the protocol of the sets before: 20 untimed, 100 timed)
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-05-lenet-window-zen5/run_rounds.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
# then /usr/bin/python3 bench/peers/rounds_table.py bench/results/2026-12-05-lenet-window-zen5.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/../../peers"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-5}
lenet_args=(LeNetBench -f 1 -wi 5 -i 5 -w 2 -r 2 -bm sample)
cd "$here"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "${lenet_args[@]}" \
    -rf json -rff lenet-native-$r.json > lenet-native-$r.log 2>&1
  "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "${lenet_args[@]}" -jvmArgsAppend -XX:UseAVX=2 \
    -rf json -rff lenet-avx2-$r.json > lenet-avx2-$r.log 2>&1
  /usr/bin/python3 "$peers/lenet_torch.py" 2 > torch-lenet-$r.log 2>&1
  /usr/bin/python3 "$peers/lenet_torch.py" --steps 100 2 > torch-lenet100-$r.log 2>&1
done
# JSON under bench/results is kept gzipped (README, "Benchmarks"); rounds_table.py reads either form.
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

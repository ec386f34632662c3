#!/bin/bash
# Issue 25 on the Zen 5 guest: the streaming benchmarks against PyTorch with the same timing window.
# OptimizerBench measures each step for 10 s (5 iterations of 2 s, after 3 of warm-up); the
# PyTorch peer, as the earlier rounds ran it, times 20 steps (about 40 ms for SGD). On a host whose
# bandwidth changes for seconds at a time the two then sample different stretches. Each round runs:
#   OptimizerBench.fusedStep (sgd, momentum, nesterov, adam) and streamTriad, 16M floats, 2 threads;
#   bench/peers/torch_optim.py --seconds 10 (2 s of warm-up steps, then every step of 10 s timed);
#   bench/peers/torch_optim.py --steps 20 (3 untimed steps, 20 timed, as the peer ran before): torch-optim20-R.log.
# torch-optim-R.log holds the 10 s window, so bench/peers/rounds_table.py tables it against JMH.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-05-streaming-window-zen5/run_rounds.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/../../peers"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-5}
jmh() { "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"; }
cd "$here"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  jmh 'OptimizerBench.fusedStep$' -p algorithm=sgd,momentum,nesterov,adam -bm sample -rf json -rff optim-$r.json > optim-$r.log 2>&1
  jmh 'OptimizerBench.streamTriad$' -p algorithm=sgd -bm sample -rf json -rff triad-$r.json > triad-$r.log 2>&1
  /usr/bin/python3 "$peers/torch_optim.py" --seconds 10 sgd momentum nesterov adam triad > torch-optim-$r.log 2>&1
  /usr/bin/python3 "$peers/torch_optim.py" --steps 20 sgd momentum nesterov adam triad > torch-optim20-$r.log 2>&1
done
# JSON under bench/results is kept gzipped (README, "Benchmarks"); rounds_table.py reads either form.
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

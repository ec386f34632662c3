#!/bin/bash
# Issue 25's streaming target for SGD (Gradus's fused step no slower than PyTorch's) and the triad
# (within 10% of PyTorch's), with the two about half a minute apart: each round runs JMH
# OptimizerBench.fusedStep (sgd) and streamTriad, 16M floats on 2 threads, and
# bench/peers/torch_optim.py sgd triad (PyTorch 1.13, 2 threads, each timed over 10 s as JMH
# measures), the two alternating which goes first. The full rounds of the earlier folders run them
# between the SGEMM and LeNet benchmarks, minutes from each other's peers. Same file names as those
# rounds, so rounds_table.py reads this folder.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-07-streaming-pairs-zen5/run_pairs.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/../../peers"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-14}
FIRST_ROUND=${FIRST_ROUND:-1}
jmh() { "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"; }
gradus() {
  jmh 'OptimizerBench.fusedStep$' -p algorithm=sgd -bm sample -rf json -rff optim-$r.json > optim-$r.log 2>&1
  jmh 'OptimizerBench.streamTriad$' -p algorithm=sgd -bm sample -rf json -rff triad-$r.json > triad-$r.log 2>&1
}
torch() {
  /usr/bin/python3 "$peers/torch_optim.py" sgd triad > torch-optim-$r.log 2>&1
}
cd "$here"
for r in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
  echo "round $r $(date -u +%H:%M:%S)"
  if [ $((r % 2)) = 1 ]; then gradus; torch; else torch; gradus; fi
done
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

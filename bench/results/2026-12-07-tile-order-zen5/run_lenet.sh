#!/bin/bash
# LeNet's step (JMH LeNetBench, batch 256, 2 threads; its GEMMs go through BlockedSgemm) on this
# code and on the previous kernels jar, natively and under -XX:UseAVX=2, alternating which runs
# first, then PyTorch's step (../../peers/lenet_torch.py 2) in the same round.
# Usage: [FIRST_ROUND=N] bash run_lenet.sh CLASSPATH BEFORE_CLASSPATH [ROUNDS]; output here.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1; BEFORE_CP=$2; ROUNDS=${3:-3}; FIRST_ROUND=${FIRST_ROUND:-1}
args=(LeNetBench -f 1 -wi 5 -i 5 -w 2 -r 2 -bm sample)
run() {  # run LABEL CLASSPATH ROUND [JVM OPTION]
  "$J" --add-modules jdk.incubator.vector -cp "$2" org.openjdk.jmh.Main "${args[@]}" ${4:+-jvmArgsAppend "$4"} \
    -rf json -rff "$here/$1-$3.json" > "$here/$1-$3.log" 2>&1
}
for r in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
  echo "lenet round $r $(date -u +%H:%M:%S)"
  if [ $((r % 2)) = 1 ]; then
    run lenet-native "$CP" $r; run lenet-before-native "$BEFORE_CP" $r
    run lenet-avx2 "$CP" $r -XX:UseAVX=2; run lenet-before-avx2 "$BEFORE_CP" $r -XX:UseAVX=2
  else
    run lenet-before-native "$BEFORE_CP" $r; run lenet-native "$CP" $r
    run lenet-before-avx2 "$BEFORE_CP" $r -XX:UseAVX=2; run lenet-avx2 "$CP" $r -XX:UseAVX=2
  fi
  /usr/bin/python3 "$here/../../peers/lenet_torch.py" 2 > "$here/torch-lenet-$r.log" 2>&1
done
for f in "$here"/lenet-*.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

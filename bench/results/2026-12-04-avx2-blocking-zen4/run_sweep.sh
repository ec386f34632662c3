#!/bin/bash
# Issue 25 on the Zen 4 guest: the fenced 6x2v (the 16-register path, -XX:UseAVX=2) at several
# blockings, each forced with -Dgradus.gemm.kernel=6x2v:mc,kc,nc, in alternating rounds, with
# OpenBLAS at every core type in each round (bench/peers/openblas_sgemm.py).
#   GemmBench.gradus, n = 1024, 2048, 1 and 2 threads, SampleTime.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-04-avx2-blocking-zen4/run_sweep.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/../../peers"
CP="$1"
ROUNDS="${2:-3}"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# mc,kc,nc: the table's choice on this guest (126,1024,4096) first, then shallower kc, where the
# kc x 16 B micro-panel (kc = 256: 16 KiB, 320: 20 KiB) stays in the 32 KiB L1d (BLIS's Haswell
# blocking is kc = 256), and kc = 512 between.
BLOCKINGS=(126,1024,4096 168,256,4096 336,256,4096 240,320,4096 126,512,4096)
cd "$here"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  for b in "${BLOCKINGS[@]}"; do
    tag="${b//,/-}"
    "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' \
      -p n=1024,2048 -p threads=1,2 -bm sample \
      -jvmArgsAppend "-XX:UseAVX=2 -Dgradus.gemm.kernel=6x2v:$b" \
      -rf json -rff "gemm-avx2-$tag-$r.json" > "gemm-avx2-$tag-$r.log" 2>&1
  done
  /usr/bin/python3 "$peers/openblas_sgemm.py" --sizes 1024 2048 --threads 1 2 --json "openblas-$r.json" > "openblas-$r.log" 2>&1
done
echo "done $(date -u +%H:%M:%S)"

#!/bin/bash
# Issue 25 on the Zen 5 guest: does the heap on 2 MiB pages change SGEMM? A 4 KiB page lands
# anywhere in physical memory, so the packed A block (mc x kc floats, 504 KiB at 126 x 1024) covers
# the physically indexed 1 MiB L2's sets unevenly, differently in each JVM; on 2 MiB pages it is
# contiguous. This guest gives no transparent huge pages (AnonHugePages stays 0 with
# -XX:+UseTransparentHugePages), so the pages come from hugetlbfs: as root,
#   echo 1400 > /proc/sys/vm/nr_hugepages     (2.8 GB: the 2 GiB heap and the code cache; back to 0 afterwards)
# and the JVM maps its heap there with -XX:+UseLargePages. Both arms run with the same fixed heap.
# Each round: GemmBench.gradus (n = 1024, 2048; 1 and 2 threads) under -XX:UseAVX=2 and natively,
# each with 4 KiB pages and with 2 MiB pages, the order of the two arms swapped every other round.
# Usage (repository root, after mvn -B -DskipTests install):
#   mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
#   bash bench/results/2026-12-05-large-pages-zen5/run_rounds.sh "$PWD/bench/target/classes:$(cat /tmp/bench.cp)" [ROUNDS]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
J=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$1
ROUNDS=${2:-4}
heap="-Xms2g -Xmx2g"
gemm_args=('GemmBench.gradus$' -p n=1024,2048 -p threads=1,2 -bm sample)
jmh() { "$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"; }
run() { # run WIDTH PAGES ROUND
  local width=$1 pages=$2 r=$3 flags="$heap"
  [ "$width" = avx2 ] && flags="$flags -XX:UseAVX=2"
  [ "$pages" = 2m ] && flags="$flags -XX:+UseLargePages -Xlog:pagesize"
  jmh "${gemm_args[@]}" -jvmArgsAppend "$flags" -rf json -rff gemm-$width-$pages-$r.json > gemm-$width-$pages-$r.log 2>&1
}
cd "$here"
grep -E "HugePages_(Total|Free)" /proc/meminfo
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r $(date -u +%H:%M:%S)"
  if [ $((r % 2)) = 1 ]; then order="4k 2m"; else order="2m 4k"; fi
  for width in avx2 native; do
    for pages in $order; do run $width $pages $r; done
  done
done
for f in *.json; do [ -s "$f" ] && gzip -n -9 -f "$f"; done
echo "done $(date -u +%H:%M:%S)"

#!/bin/bash
# The exploratory checks of this folder (README, "Where the time goes"): BlockedSgemm with
# phase-timers.patch under Phases.java, and TileEnv.java. Needs the kernels jar installed
# (mvn -B -DskipTests install). Writes phases-HHMM.log and tile-env-HHMM.log here (UTC start times).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../../.."
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
K=$(ls ~/.m2/repository/io/gradus/gradus-kernels/0.1.0-SNAPSHOT/gradus-kernels-0.1.0-SNAPSHOT.jar)
W=$(mktemp -d)
cp "$root/kernels/src/main/java/io/gradus/kernels/gemm/BlockedSgemm.java" "$W/"
(cd "$W" && patch -s -p9 < "$here/phase-timers.patch")
mkdir -p "$W/cls"
"$J/javac" --add-modules jdk.incubator.vector -cp "$K" -d "$W/cls" "$W/BlockedSgemm.java" "$here/Phases.java" "$here/TileEnv.java" 2>&1 | grep -v -i warning || true
java=("$J/java" --add-modules jdk.incubator.vector -cp "$W/cls:$K")
ROUNDS=${ROUNDS:-3}
stamp=$(date -u +%H%M)
{
  for r in $(seq 1 "$ROUNDS"); do
    for t in 1 2; do
      echo "== round $r, -XX:UseAVX=2, n = 2048, $t thread(s), $(date -u +%H:%M:%S)"; "${java[@]}" -XX:UseAVX=2 Phases 2048 $t 4 2>&1 | grep GFLOPS
      echo "== round $r, native, n = 2048, $t thread(s), $(date -u +%H:%M:%S)"; "${java[@]}" Phases 2048 $t 4 2>&1 | grep GFLOPS
    done
  done
} > "$here/phases-$stamp.log"
stamp=$(date -u +%H%M)
{
  for r in $(seq 1 "$ROUNDS"); do
    echo "== JVM $r, -XX:UseAVX=2, $(date -u +%H:%M:%S)"; "${java[@]}" -XX:UseAVX=2 TileEnv 7 2>&1 | grep -v -e WARNING -e INFO -e '^[A-Z][a-z][a-z] [0-9]'
  done
} > "$here/tile-env-$stamp.log"
rm -rf "$W"

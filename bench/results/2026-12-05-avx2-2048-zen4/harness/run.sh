#!/usr/bin/env bash
# The exploratory checks of this folder, in the order README.md gives them; logs into this folder.
# Run from the repository root after `mvn -B -q -o install -DskipTests`, on a machine with nothing else
# running. Builds the kernels JAR of each patch in harness/ into $WORK (restores the tree after).
set -euo pipefail
here=bench/results/2026-12-05-avx2-2048-zen4
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
WORK=${WORK:-/tmp/avx2-2048-zen4}
mkdir -p "$WORK/tile" "$WORK/product"
java=("$J/java" --add-modules jdk.incubator.vector)

# 1. The tile alone: the shipped fenced 6x2v against two loops unrolled by two; then B's alignment.
python3 $here/harness/gen_tile_variants.py > "$WORK/tile/TileVariants.java"
"$J/javac" --add-modules jdk.incubator.vector -d "$WORK/tile" "$WORK/tile/TileVariants.java" 2>/dev/null
"${java[@]}" -XX:UseAVX=2 -cp "$WORK/tile" TileVariants shipped,unroll2,unroll2fenced 1024 5 0 2>&1 | grep GFLOPS > $here/tile-variants.log
for round in 1 2; do
  for off in 0 2 4 6 8 10 12 14; do
    "${java[@]}" -XX:UseAVX=2 -cp "$WORK/tile" TileVariants shipped 1024 3 $off 2>&1 | grep GFLOPS | tail -1
  done
done > $here/b-offset.log

# 2. The product at (2048, 1) under -XX:UseAVX=2: the head, no C traffic at all (an upper bound,
#    wrong results), and C's lines loaded at the start of each tile (-Dgradus.touch=1) or of each
#    pair of tiles (=2); then nc.
cp kernels/target/gradus-kernels-0.1.0-SNAPSHOT.jar "$WORK/product/head.jar"
for patch in no-c-traffic touch-c-lines kc-blocks-inside; do
  git apply $here/harness/$patch.patch
  mvn -B -q -o -pl kernels package -DskipTests
  cp kernels/target/gradus-kernels-0.1.0-SNAPSHOT.jar "$WORK/product/$patch.jar"
  git checkout -- kernels
done
mvn -B -q -o -pl kernels package -DskipTests
"$J/javac" -cp "$WORK/product/head.jar" -d "$WORK/product" $here/harness/ProductWindows.java
product() { # variant jar n threads [jvm flags...]
  local variant=$1 jar=$2 n=$3 threads=$4; shift 4
  "${java[@]}" "$@" -Dvariant="$variant" -cp "$WORK/product/$jar.jar:$WORK/product" ProductWindows "$n" "$threads" 6 2>&1 | grep GFLOPS
}
for round in 1 2 3 4 5 6 7 8; do
  product head head 2048 1 -XX:UseAVX=2
  product no-c-traffic no-c-traffic 2048 1 -XX:UseAVX=2
  product touch1 touch-c-lines 2048 1 -XX:UseAVX=2 -Dgradus.touch=1
  product touch2 touch-c-lines 2048 1 -XX:UseAVX=2 -Dgradus.touch=2
done > $here/c-traffic.log
for round in 1 2 3 4; do
  for nc in 4096 1024 512; do
    product nc$nc head 2048 1 -XX:UseAVX=2 -Dgradus.gemm.kernel=6x2v:126,1024,$nc
  done
done > $here/nc.log
# 2b. One thread, every kc block of B packed first and each row block of A run through all of them
#     (-Dgradus.kinside=true), so that C's rows are read back from L3 rather than memory; both widths.
for round in 1 2 3 4 5 6 7 8; do
  for width in 2 3; do
    product "head-XX:UseAVX=$width" kc-blocks-inside 2048 1 -XX:UseAVX=$width
    product "kinside-XX:UseAVX=$width" kc-blocks-inside 2048 1 -XX:UseAVX=$width -Dgradus.kinside=true
  done
done > $here/kc-blocks-inside.log
# 2c. C's rows padded by 16 floats (ldc = n + 16), so that a column of tiles does not fall into a few L2 sets.
for round in 1 2 3 4 5 6 7 8; do
  for pad in 0 16; do
    "${java[@]}" -XX:UseAVX=2 -Dvariant=pad$pad -cp "$WORK/product/head.jar:$WORK/product" ProductWindows 2048 1 6 $pad 2>&1 | grep GFLOPS
  done
done > $here/c-row-padding.log

# 3. C2's code for the shipped tile under -XX:UseAVX=2 (MicroKernelBench, kc = 1024), through
#    tools/hsdis: the whole compiled method (the last, non-OSR compilation), gzipped.
bash tools/hsdis/build
mvn -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile="$WORK/bench.cp" > /dev/null
LD_LIBRARY_PATH=$PWD/target/hsdis "${java[@]}" -cp "bench/target/gradus-bench-0.1.0-SNAPSHOT.jar:$(cat "$WORK/bench.cp")" \
  org.openjdk.jmh.Main MicroKernelBench -p shape=6x2v -p kc=1024 -wi 3 -i 3 -f 1 \
  -jvmArgsAppend "-XX:UseAVX=2 -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=quiet -XX:CompileCommand=print,*Sgemm6x2v.compute" \
  > "$WORK/microkernel-asm.log" 2>&1
awk '/^Compiled method \(c2\).*Sgemm6x2v::compute \(/ {keep = 1; text = ""} keep {text = text $0 "\n"} /^\[\/Disassembly\]/ && keep {last = text; keep = 0} END {printf "%s", last}' \
  "$WORK/microkernel-asm.log" | gzip -n -9 > $here/asm-sgemm6x2v-compute-c2.txt.gz
grep -E 'MicroKernelBench.tile ' "$WORK/microkernel-asm.log" > $here/microkernel-asm-run.log

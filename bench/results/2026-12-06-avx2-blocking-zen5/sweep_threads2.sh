#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP="/work/main/bench/target/classes:$(cat /tmp/bench.cp)"
ROUNDS=${ROUNDS:-4}
N=${N:-2048}; T=${T:-2}
for r in $(seq 1 $ROUNDS); do
  for b in $BLOCKINGS; do
    $J --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=$N -p threads=$T -bm sample \
      -jvmArgsAppend "$EXTRA -Dgradus.gemm.kernel=$b" -rf json -rff "r$r-$b.json" > "r$r-$b.log" 2>&1
    med=$(grep "gradus:p0.50" "r$r-$b.log" | awk "{print \$(NF-1)}")
    echo "r$r $b median_ms=$med gflops=$(python3 -c "print(round(2*$N**3/($med*1e-3)/1e9,1))")"
  done
done

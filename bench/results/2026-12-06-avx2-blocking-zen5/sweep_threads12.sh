#!/bin/bash
# alternating JMH runs of GemmBench.gradus at n=N, threads 1 and 2, one per blocking per round
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP="/work/main/bench/target/classes:$(cat /tmp/bench.cp)"
for r in $(seq 1 $ROUNDS); do
  for b in $BLOCKINGS; do
    $J --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmBench.gradus$' -p n=$N -p threads=1,2 -bm sample \
      -jvmArgsAppend "$EXTRA -Dgradus.gemm.kernel=$b" -rf json -rff "r$r-$b.json" > "r$r-$b.log" 2>&1
    echo "r$r $b $(grep 'gradus:p0.50' r$r-$b.log | awk -v n=$N '{printf "t%s %.1f  ", $3, 2*n^3/($(NF-1)*1e-3)/1e9}')"
  done
done

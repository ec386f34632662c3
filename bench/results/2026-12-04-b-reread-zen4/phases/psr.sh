#!/bin/bash
# Exploratory (not a JMH protocol of record): one JMH fork of GemmShapeBench (120 x 512 x 2048) for
# 2 + 10 iterations of 1 s, AverageTime, printing the busy threads (ps) while it runs; the log holds
# the per-iteration times. Usage, in this folder: bash psr.sh CLASSPATH LABEL THREADS (1 or 2)
CP=$1; label=$2; threads=${3:-2}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
"$J" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'GemmShapeBench.gradus$' -p threads=$threads -wi 2 -i 10 -r 1 -bm avgt -tu ms > $label.log 2>&1 &
sleep 5
for s in $(seq 1 16); do
  pid=$(pgrep -f 'ForkedMain' | head -1)
  [ -n "$pid" ] && ps -L -o tid=,psr=,pcpu=,comm= -p $pid | awk '$3 > 5 {printf "%s:%s:%s ", $4, $2, $3}'
  echo
  sleep 0.7
done
wait
grep -E '^GemmShapeBench' $label.log

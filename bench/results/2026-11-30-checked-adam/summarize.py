#!/usr/bin/python3
"""Checked against unchecked Adam step (OptimizerBench, 16M parameters, 2 threads) per run and pooled.

    /usr/bin/python3 summarize.py checked-adam-*.json.gz ab-A-*.json.gz
"""
import os
import statistics
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json  # JSON here is committed gzipped (bench/peers/results_io.py)

runs = []
pooled = {"fusedStep": [], "fusedStepChecked": []}
for f in sys.argv[1:]:
    score = {}
    for r in load_json(f):
        name = r["benchmark"].split(".")[-1]
        score[name] = r["primaryMetric"]["score"]
        pooled[name].extend(x for fork in r["primaryMetric"]["rawData"] for x in fork)
    runs.append((f, score["fusedStep"], score["fusedStepChecked"], score["fusedStepChecked"] / score["fusedStep"]))
print("| run | unchecked, ms | checked, ms | ratio |")
print("|---|---|---|---|")
for f, u, c, q in runs:
    print(f"| {f} | {u:.2f} | {c:.2f} | {q:.2f} |")
u, c = statistics.median(pooled["fusedStep"]), statistics.median(pooled["fusedStepChecked"])
print(f"\nPooled iterations: unchecked median {u:.2f} ms ({len(pooled['fusedStep'])} iterations, "
      f"{min(pooled['fusedStep']):.2f}-{max(pooled['fusedStep']):.2f}), checked median {c:.2f} ms "
      f"({min(pooled['fusedStepChecked']):.2f}-{max(pooled['fusedStepChecked']):.2f}): ratio {c / u:.2f}; "
      f"median of the per-run ratios {statistics.median(q for *_, q in runs):.2f}")

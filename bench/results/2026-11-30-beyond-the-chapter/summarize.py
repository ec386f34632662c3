#!/usr/bin/python3
"""Table of OptimizerBench rounds: fused step per algorithm against STREAM's triad in the same fork.

    /usr/bin/python3 summarize.py optimizer-round-*.json.gz
"""
import os
import statistics
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json  # JSON here is committed gzipped (bench/peers/results_io.py)

# OptimizerCatalog.bytesPerParameter: reads and writes per parameter, 4 bytes each
BYTES = {"adam": 28, "adamax": 28, "nadam": 28, "radam": 28, "lion": 20, "lamb": 40}
N = 16 << 20


def main(files):
    rows = {}
    for f in files:
        for r in load_json(f):
            name = r["benchmark"].split(".")[-1]
            algo = r["params"]["algorithm"]
            rows.setdefault(algo, {}).setdefault(name, []).append(r["primaryMetric"]["score"])
            rows[algo].setdefault(name + "-raw", []).extend(x for it in r["primaryMetric"]["rawData"] for x in it)
    print("| algorithm | bytes/param | fused step, ms: median of rounds (all iterations' range) | GB/s | triad, ms (same forks) | triad GB/s | % of triad |")
    print("|---|---|---|---|---|---|---|")
    for algo in BYTES:
        if algo not in rows:
            continue
        fused = statistics.median(rows[algo]["fusedStep"])
        triad = statistics.median(rows[algo]["streamTriad"])
        fr, tr = rows[algo]["fusedStep-raw"], rows[algo]["streamTriad-raw"]
        gbs = BYTES[algo] * N / fused / 1e6
        tgbs = 12 * N / triad / 1e6
        print(f"| {algo} | {BYTES[algo]} | {fused:.2f} ({min(fr):.2f}-{max(fr):.2f}) | {gbs:.1f} | {triad:.2f} ({min(tr):.2f}-{max(tr):.2f}) | {tgbs:.1f} | {100 * gbs / tgbs:.0f}% |")


if __name__ == "__main__":
    main(sys.argv[1:])

"""The SGEMM's two tile orders in one JVM build, pair by pair (run_orders.sh's files in orders/):
per-pair speed ratio (b-major's median product time over a-major-later-passes's), and each
order's GFLOPS per pair.

Usage: /usr/bin/python3 orders_table.py LABEL   (LABEL as given to run_orders.sh; prints Markdown)
"""
import glob
import gzip
import json
import os
import re
import statistics
import sys

ORDERS = ("b-major", "a-major-later-passes")
N = 2048


def medians(path):
    """{threads: median ms per product} of one JMH GemmBench file."""
    with gzip.open(path) as f:
        return {int(r["params"]["threads"]): r["primaryMetric"]["scorePercentiles"]["50.0"] for r in json.load(f)}


label = sys.argv[1]
folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "orders")
runs = {o: {int(re.search(r"-(\d+)\.json\.gz$", p).group(1)): medians(p)
            for p in glob.glob(os.path.join(folder, "%s-%s-*.json.gz" % (label, o)))} for o in ORDERS}
pairs = sorted(set(runs[ORDERS[0]]) & set(runs[ORDERS[1]]))
print("| threads | b-major GFLOPS per pair | a-major-later-passes GFLOPS per pair | medians | speed ratio per pair | median | a-major faster |")
print("|---|---|---|---|---|---|---|")
for t in (1, 2):
    g = {o: [2 * N ** 3 / (runs[o][r][t] * 1e6) for r in pairs] for o in ORDERS}
    ratios = [runs["b-major"][r][t] / runs["a-major-later-passes"][r][t] for r in pairs]
    print("| %d | %s | %s | %.1f / %.1f | %s | **%.3f** | %d of %d |" % (
        t, " ".join("%.1f" % v for v in g["b-major"]), " ".join("%.1f" % v for v in g["a-major-later-passes"]),
        statistics.median(g["b-major"]), statistics.median(g["a-major-later-passes"]),
        " ".join("%.2f" % v for v in ratios), statistics.median(ratios), sum(v > 1 for v in ratios), len(ratios)))

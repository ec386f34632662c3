"""The table of this folder's README: GemmBench.gradus with the heap on 4 KiB pages against 2 MiB
pages (hugetlbfs, -XX:+UseLargePages), per width, n and threads. GFLOPS = 2 n^3 / JMH's SampleTime
median of the round; per-round ratio = 2 MiB / 4 KiB of the same round.

Usage: /usr/bin/python3 bench/results/2026-12-05-large-pages-zen5/pages_table.py
"""
import os
import statistics
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "peers"))
from results_io import load_json, json_files  # noqa: E402


def gflops(path):
    """{(n, threads): GFLOPS} of one GemmBench file."""
    out = {}
    for b in load_json(path):
        n, threads = int(b["params"]["n"]), int(b["params"]["threads"])
        ms = b["primaryMetric"]["scorePercentiles"]["50.0"]
        assert b["primaryMetric"]["scoreUnit"] == "ms/op", b["primaryMetric"]["scoreUnit"]
        out[(n, threads)] = 2.0 * n ** 3 / (ms * 1e-3) / 1e9
    return out


print("| path, n, threads | 4 KiB pages per round | median | 2 MiB pages per round | median | 2 MiB / 4 KiB per round | median |")
print("|---|---|---|---|---|---|---|")
for width in ("native", "avx2"):
    rounds = sorted(int(p.split("-")[-1].split(".")[0]) for p in json_files(os.path.join(here, "gemm-%s-4k-*.json" % width)))
    small = [gflops(os.path.join(here, "gemm-%s-4k-%d.json" % (width, r))) for r in rounds]
    large = [gflops(os.path.join(here, "gemm-%s-2m-%d.json" % (width, r))) for r in rounds]
    for key in sorted(small[0]):
        s = [x[key] for x in small]
        l = [x[key] for x in large]
        ratio = [b / a for a, b in zip(s, l)]
        print("| %s, %d, %d | %s | %.1f | %s | %.1f | %s | **%.3f** |" % (
            width, key[0], key[1], " ".join("%.1f" % v for v in s), statistics.median(s),
            " ".join("%.1f" % v for v in l), statistics.median(l),
            " ".join("%.3f" % v for v in ratio), statistics.median(ratio)))

"""Table of run_sweep.sh's rounds: GFLOPS per blocking and round, medians, ratio to OpenBLAS's faster
256-bit kernel (Haswell or Zen) in the same rounds. Usage: /usr/bin/python3 sweep_table.py [FOLDER]"""
import os, re, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json, json_files  # JSON here is committed gzipped (bench/peers/results_io.py)

folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
points = [(1024, 1), (1024, 2), (2048, 1), (2048, 2)]
ours = {}  # blocking -> point -> [GFLOPS per round]
for path in json_files(os.path.join(folder, "gemm-avx2-*-*.json")):
    m = re.search(r"gemm-avx2-(\d+-\d+-\d+)-(\d+)\.json(\.gz)?$", path)
    if not m or os.path.getsize(path) == 0:
        continue
    for e in load_json(path):
        n, t = int(e["params"]["n"]), int(e["params"]["threads"])
        ms = e["primaryMetric"]["scorePercentiles"]["50.0"]
        ours.setdefault(m.group(1), {}).setdefault((n, t), []).append(2.0 * n ** 3 / (ms * 1e6))
peer = {}  # point -> [best of Haswell/Zen per round]
for path in json_files(os.path.join(folder, "openblas-*.json")):
    if not re.search(r"openblas-\d+\.json(\.gz)?$", path):
        continue  # openblas-3-overlapped.json: another benchmark ran beside it (README)
    runs = load_json(path)["runs"]
    for p in points:
        best = max(res["median"] for run in runs if run["loaded"] in ("Haswell", "Zen") and run["threads"] == p[1]
                   for res in run["results"] if res["n"] == p[0])
        peer.setdefault(p, []).append(best)
print("| mc,kc,nc | " + " | ".join("n=%d, %d thr" % p for p in points) + " |")
print("|---|" + "---|" * len(points))
print("| OpenBLAS (faster of Haswell, Zen) | " + " | ".join(
    "%.1f (%s)" % (statistics.median(peer[p]), " ".join("%.1f" % v for v in peer[p])) for p in points) + " |")
for b, per in ours.items():
    cells = []
    for p in points:
        v = per.get(p, [])
        med = statistics.median(v)
        cells.append("%.1f (%s) **%.2f**" % (med, " ".join("%.1f" % x for x in v), med / statistics.median(peer[p])))
    print("| %s | %s |" % (b.replace("-", ","), " | ".join(cells)))

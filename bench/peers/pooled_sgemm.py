"""Issue 25's SGEMM points pooled over several alternating-rounds folders of the same machine kind.

One folder's ratio of medians (rounds_table.py) moves by several per cent from one set to the next
on a shared guest, so a point near the 0.95 target lands on either side of it by the set. Here
every round of every folder given counts once: its ratio is Gradus's GFLOPS over the same round's
OpenBLAS GFLOPS, OpenBLAS at the core type that folder's rounds found fastest for that width, as
rounds_table.py picks it. Per point it prints each folder's ratio of medians, then the pooled
per-round ratios' median, quartiles and range, and how many rounds reached 0.95.

Reads the files rounds_table.py reads (gemm-{native,avx2}-R.json, openblas-R.json; gzipped or not).

Usage: /usr/bin/python3 bench/peers/pooled_sgemm.py FOLDER [FOLDER ...]   (prints Markdown)
"""
import os
import statistics
import sys

from results_io import load_json as load
from rounds_table import gflops, jmh, rounds

TARGET = 0.95


def best_type(blas, n, threads, types):
    """The core type whose median over the folder's rounds is highest at (n, threads), with its
    per-round GFLOPS {round: value}."""
    per_type = {}
    for r, doc in blas.items():
        for run in doc["runs"]:
            if "refused" in run or (types and run["core_type"] not in types) or run["threads_asked"] != threads:
                continue
            for res in run["results"]:
                if res["n"] == n:
                    per_type.setdefault(run["core_type"], {})[r] = res["median"]
    if not per_type:
        return None, {}
    best = max(per_type, key=lambda c: statistics.median(per_type[c].values()))
    return best, per_type[best]


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def main(folders):
    print("### SGEMM pooled over %d sets: per-round ratio = Gradus / the same round's OpenBLAS "
          "(its fastest type of the same width in that set; target >= %.2f)\n" % (len(folders), TARGET))
    print("| path, n, threads | per set (ratio of medians) | rounds | pooled median | quartiles | range | rounds >= %.2f |" % TARGET)
    print("|---|---|---|---|---|---|---|")
    data = []
    for folder in folders:
        blas = {r: load(p) for r, p in rounds(folder, "openblas-R.json").items()}
        runs = {path: {r: jmh(p) for r, p in rounds(folder, "gemm-%s-R.json" % path).items()}
                for path in ("native", "avx2")}
        data.append((folder, blas, runs))
    for path in ("native", "avx2"):
        types = ("Zen", "Haswell") if path == "avx2" else None  # the 256-bit path against 256-bit kernels
        for n in (1024, 2048):
            for t in (1, 2):
                key = ("gradus", (("n", str(n)), ("threads", str(t))))
                pooled, per_set = [], []
                for folder, blas, runs in data:
                    _, peer = best_type(blas, n, t, types)
                    ours = {r: gflops(n, v[key]) for r, v in runs[path].items() if key in v}
                    common = sorted(set(ours) & set(peer))
                    if not common:
                        continue
                    pooled += [ours[r] / peer[r] for r in common]
                    per_set.append(statistics.median(ours[r] for r in common)
                                   / statistics.median(peer[r] for r in common))
                if not pooled:
                    continue
                lo, hi = quartiles(pooled)
                print("| %s, %d, %d | %s | %d | **%.3f** | %.3f-%.3f | %.2f-%.2f | %d of %d |" % (
                    path, n, t, " ".join("%.2f" % v for v in per_set), len(pooled), statistics.median(pooled),
                    lo, hi, min(pooled), max(pooled), sum(v >= TARGET for v in pooled), len(pooled)))
    print()
    print("Sets: " + ", ".join("`%s`" % os.path.basename(os.path.normpath(f)) for f in folders))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

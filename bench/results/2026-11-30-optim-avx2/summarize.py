"""OptimizerBench.fusedStep at 256 bits (-XX:UseAVX=2) and as the machine is (512 bits), with the
bandwidth each step moves against streamTriad's (median over its 16 forks of each JVM mode).
Bytes per parameter are OptimizerBench.bytesPerParameter's (reads + writes, gradient included)."""
import os, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json  # JSON here is committed gzipped (bench/peers/results_io.py)

N = 16 << 20
BYTES = {"sgd": 12, "momentum": 20, "nesterov": 20, "adagrad": 20, "rmsprop": 20, "rmsprop-centered": 28,
         "adadelta": 28, "adam": 28, "amsgrad": 36, "adamw": 28, "yogi": 28, "adamax": 28, "nadam": 28,
         "radam": 28, "lion": 20, "lamb": 40}

def load(mode):
    fused, triad = {}, []
    for r in load_json(f"optim-{mode}.json"):
        alg, ms = r["params"]["algorithm"], r["primaryMetric"]["score"]
        if r["benchmark"].endswith("fusedStep"):
            fused[alg] = ms
        else:
            triad.append(12 * N / (ms * 1e6))
    return fused, statistics.median(triad), (min(triad), max(triad))

f2, t2, s2 = load("avx2")
f5, t5, s5 = load("native")
print("streamTriad GB/s, median (range) over 16 forks: -XX:UseAVX=2 %.1f (%.1f-%.1f), native %.1f (%.1f-%.1f)" % (t2, *s2, t5, *s5))
print()
print("| algorithm | bytes/param | 256-bit ms | GB/s | % of triad | 512-bit ms | GB/s | % of triad | 256 / 512 time |")
print("|---|---|---|---|---|---|---|---|---|")
for alg, b in BYTES.items():
    g2, g5 = b * N / (f2[alg] * 1e6), b * N / (f5[alg] * 1e6)
    print("| %s | %d | %.2f | %.1f | %.0f%% | %.2f | %.1f | %.0f%% | %.2f |" % (alg, b, f2[alg], g2, 100 * g2 / t2, f5[alg], g5, 100 * g5 / t5, f2[alg] / f5[alg]))

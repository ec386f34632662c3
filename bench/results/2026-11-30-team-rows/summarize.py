"""Medians over the rounds of run_rounds.sh. Gradus: the median product time of each JMH run
(SampleTime, p50), then the median over rounds; its mean (JMH's score) beside it. OpenBLAS: the
median over rounds of openblas_sgemm.py's per-run medians."""
import glob, os, re, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json, json_files  # JSON here is committed gzipped (bench/peers/results_io.py)

def gradus(mode):
    med, mean = {}, {}
    for f in json_files(f"gemm-{mode}-*.json"):
        for r in load_json(f):
            n, t = int(r["params"]["n"]), int(r["params"]["threads"])
            pm = r["primaryMetric"]
            med.setdefault((n, t), []).append(2 * n ** 3 / (pm["scorePercentiles"]["50.0"] * 1e6))
            mean.setdefault((n, t), []).append(2 * n ** 3 / (pm["score"] * 1e6))
    return med, mean

def openblas(core):
    out = {}
    for f in sorted(glob.glob(f"openblas-{core}-*.log")):
        t = int(re.search(r"-t(\d)-", f).group(1))
        for line in open(f):
            m = re.match(r"openblas n=(\d+) median ([\d.]+)", line)
            if m:
                out.setdefault((int(m.group(1)), t), []).append(float(m.group(2)))
    return out

fmt = lambda xs: " ".join("%.1f" % x for x in xs)
print("| Gradus path | OpenBLAS | n, threads | Gradus median product, per round | median | (JMH mean) | OpenBLAS, per round | median | ratio of medians |")
print("|---|---|---|---|---|---|---|---|---|")
for mode, core, name in (("native", "Zen", "native (512-bit, 12x2v)"), ("avx2", "Haswell", "-XX:UseAVX=2 (256-bit, fenced 6x2v)")):
    med, mean = gradus(mode)
    peer = openblas(core)
    for key in sorted(med):
        gm, om = statistics.median(med[key]), statistics.median(peer[key])
        print("| %s | OPENBLAS_CORETYPE=%s | %d, %d | %s | %.1f | %.1f | %s | %.1f | **%.2f** |" % (name, core, key[0], key[1],
              fmt(med[key]), gm, statistics.median(mean[key]), fmt(peer[key]), om, gm / om))

# The later sets of run_rounds_avx2_2048.sh (files gemm-avx2SET-*, openblas-HaswellSET-*), each set
# on its own and all rounds at n = 2048 pooled with the first set's.
sets = sorted({re.match(r"gemm-avx2(\w)-", f).group(1) for f in json_files("gemm-avx2?-*.json")})
pooled_g, pooled_o = gradus("avx2")[0], openblas("Haswell")
pooled_g = {k: list(v) for k, v in pooled_g.items() if k[0] == 2048}
pooled_o = {k: list(v) for k, v in pooled_o.items() if k[0] == 2048}
if sets:
    print()
    print("| AVX2 path, n = 2048: set | threads | Gradus median product, per round | median | (JMH mean) | OpenBLAS Haswell, per round | median | ratio of medians |")
    print("|---|---|---|---|---|---|---|---|")
    for st in sets:
        med, mean = gradus("avx2" + st)
        peer = openblas("Haswell" + st)
        for key in sorted(med):
            gm, om = statistics.median(med[key]), statistics.median(peer[key])
            pooled_g[key] += med[key]
            pooled_o[key] += peer[key]
            print("| %s (run_rounds_avx2_2048.sh) | %d | %s | %.1f | %.1f | %s | %.1f | **%.2f** |" % (
                  st, key[1], fmt(med[key]), gm, statistics.median(mean[key]), fmt(peer[key]), om, gm / om))
    for key in sorted(pooled_g):
        gm, om = statistics.median(pooled_g[key]), statistics.median(pooled_o[key])
        print("| all %d rounds pooled | %d | | %.1f | | | %.1f | **%.2f** |" % (len(pooled_g[key]), key[1], gm, om, gm / om))

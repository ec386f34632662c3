"""Medians over the rounds of run_gemm_rounds.sh: Gradus (JMH GemmBench.gradus) against OpenBLAS (NumPy)."""
import glob, os, re, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json, json_files  # JSON here is committed gzipped (bench/peers/results_io.py)

def gradus(mode):
    out = {}
    for f in json_files(f"gemm-{mode}-*.json"):
        for r in load_json(f):
            n, t = int(r["params"]["n"]), int(r["params"]["threads"])
            out.setdefault((n, t), []).append(2 * n ** 3 / (r["primaryMetric"]["score"] * 1e6))
    return out

def openblas(pattern):
    out = {}
    for f in sorted(glob.glob(pattern)):
        t = int(re.search(r"-t(\d)-", f).group(1))
        for line in open(f):
            m = re.match(r"openblas n=(\d+) median ([\d.]+)", line)
            if m:
                out.setdefault((int(m.group(1)), t), []).append(float(m.group(2)))
    return out

rows = [("native (512-bit, 12x2v)", gradus("native"), openblas("openblas-native-Zen-*"), "OPENBLAS_CORETYPE=Zen"),
        ("native (512-bit, 12x2v)", gradus("native"), openblas("openblas-native-auto-*"), "auto (Cooperlake)"),
        ("-XX:UseAVX=2 (256-bit, 4x2v)", gradus("avx2"), openblas("openblas-avx2-Haswell-*"), "OPENBLAS_CORETYPE=Haswell")]
print("| Gradus path | OpenBLAS | n, threads | Gradus GFLOPS per round | median | OpenBLAS per round | median | ratio of medians |")
print("|---|---|---|---|---|---|---|---|")
for name, g, o, peer in rows:
    for key in sorted(g):
        gm, om = statistics.median(g[key]), statistics.median(o[key])
        print("| %s | %s | %d, %d | %s | %.1f | %s | %.1f | **%.2f** |" % (name, peer, key[0], key[1],
              " ".join("%.1f" % x for x in g[key]), gm, " ".join("%.1f" % x for x in o[key]), om, gm / om))

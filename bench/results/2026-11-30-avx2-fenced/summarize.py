"""Medians over the rounds of run_rounds.sh: Gradus's AVX2 path (JMH GemmBench.gradus, -XX:UseAVX=2) against
OpenBLAS's Haswell kernel (NumPy), and the fenced 6x2v default against the former 4x2v."""
import glob, os, re, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json, json_files  # JSON here is committed gzipped (bench/peers/results_io.py)

def gradus(kernel):
    out = {}
    for f in json_files(f"gemm-{kernel}-*.json"):
        for r in load_json(f):
            n, t = int(r["params"]["n"]), int(r["params"]["threads"])
            out.setdefault((n, t), []).append(2 * n ** 3 / (r["primaryMetric"]["score"] * 1e6))
    return out

def openblas():
    out = {}
    for f in sorted(glob.glob("openblas-Haswell-*.log")):
        t = int(re.search(r"-t(\d)-", f).group(1))
        for line in open(f):
            m = re.match(r"openblas n=(\d+) median ([\d.]+)", line)
            if m:
                out.setdefault((int(m.group(1)), t), []).append(float(m.group(2)))
    return out

new, old, peer = gradus("default"), gradus("4x2v"), openblas()
print("| n, threads | 6x2v fenced, per round | median | 4x2v, per round | median | OpenBLAS Haswell, per round | median | 6x2v / OpenBLAS | 4x2v / OpenBLAS | 6x2v / 4x2v |")
print("|---|---|---|---|---|---|---|---|---|---|")
for key in sorted(new):
    gn, go, gp = (statistics.median(d[key]) for d in (new, old, peer))
    fmt = lambda xs: " ".join("%.1f" % x for x in xs)
    print("| %d, %d | %s | %.1f | %s | %.1f | %s | %.1f | **%.2f** | %.2f | %.2f |" % (key[0], key[1], fmt(new[key]), gn,
          fmt(old[key]), go, fmt(peer[key]), gp, gn / gp, go / gp, gn / go))

# MicroKernelBench: one kernel over 32 hot A panels of kc steps; GFLOPS = 2 mr nr kc 32 / time.
TILE = {"12x2v": (12, 2), "6x2v": (6, 2), "4x2v": (4, 2), "3x3v": (3, 3)}
print()
print("| MicroKernelBench (kc = 512, panels hot) | JVM | GFLOPS per run |")
print("|---|---|---|")
for mode, lanes in (("avx2", 8), ("native", 16)):
    per = {}
    for f in json_files(f"microkernel-{mode}-*.json"):
        for r in load_json(f):
            shape, kc = r["params"]["shape"], int(r["params"]["kc"])
            mr, nv = TILE[shape]
            per.setdefault(shape, []).append(2 * mr * nv * lanes * kc * 32 / (r["primaryMetric"]["score"] * 1e3))
    for shape in TILE:
        if shape in per:
            print("| %s | %s | %s |" % (shape, "-XX:UseAVX=2 (256-bit, 16 registers)" if mode == "avx2" else "native (512-bit, 32 registers)",
                                        " ".join("%.1f" % x for x in per[shape])))

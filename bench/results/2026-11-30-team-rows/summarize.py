"""Medians over the rounds of run_rounds.sh. Gradus: the median product time of each JMH run
(SampleTime, p50), then the median over rounds; its mean (JMH's score) beside it. OpenBLAS: the
median over rounds of openblas_sgemm.py's per-run medians."""
import glob, json, re, statistics

def gradus(mode):
    med, mean = {}, {}
    for f in sorted(glob.glob(f"gemm-{mode}-*.json")):
        for r in json.load(open(f)):
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

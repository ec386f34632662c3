"""Pooled same-round ratios of the exploratory A/B runs in this folder: a-major (g1000) and the other
variants against b-major (g0), per width, n and threads. Files: setS/WIDTH-gVARIANT-ROUND.json.gz
(JMH GemmBench.gradus, SampleTime; the median product time). Usage: /usr/bin/python3 table.py"""
import collections, glob, gzip, json, os, re, statistics

here = os.path.dirname(os.path.abspath(__file__))
gflops = collections.defaultdict(dict)  # (width, n, threads, variant) -> {(set, round): GFLOPS}
for path in glob.glob(os.path.join(here, "set*", "*.json.gz")):
    s = os.path.basename(os.path.dirname(path))
    width, variant, rnd = re.match(r"(\w+)-g(\d+)-(\d+)\.json\.gz", os.path.basename(path)).groups()
    for e in json.load(gzip.open(path)):
        n, t = int(e["params"]["n"]), int(e["params"]["threads"])
        ms = e["primaryMetric"]["scorePercentiles"]["50.0"]
        gflops[(width, n, t, variant)][(s, int(rnd))] = 2.0 * n ** 3 / (ms * 1e6)
names = {"1000": "a-major", "4": "a-major in groups of 4 B micro-panels", "8": "a-major in groups of 8",
         "9": "a-major on passes that read C (beta != 0) only"}
print("| width, n, threads | variant | pairs | b-major median GFLOPS | variant median GFLOPS | same-round ratio: median (range) | variant faster |")
print("|---|---|---|---|---|---|---|")
for (width, n, t, variant) in sorted(gflops, key=lambda k: (k[0] != "native", k[1], k[2], k[3] != "1000", k[3])):
    if variant == "0":
        continue
    base, other = gflops[(width, n, t, "0")], gflops[(width, n, t, variant)]
    pairs = sorted(set(base) & set(other))
    ratios = [other[p] / base[p] for p in pairs]
    print("| %s, %d, %d | %s | %d | %.1f | %.1f | **%.3f** (%.2f-%.2f) | %d of %d |" % (
        width, n, t, names[variant], len(pairs), statistics.median(base[p] for p in pairs),
        statistics.median(other[p] for p in pairs), statistics.median(ratios), min(ratios), max(ratios),
        sum(r > 1 for r in ratios), len(ratios)))

"""Tables of an alternating-rounds folder: each Gradus figure beside its outside peer, per round,
with medians, ranges and the ratio of medians. Reads only the raw files the rounds wrote:

  gemm-{native,avx2,fallback}-R.json   JMH GemmBench.gradus in SampleTime mode (the median product)
  gemm-before-{native,avx2}-R.json     the same on the previous commit's code, where the rounds ran it
  gemm-variant-[avx2-]SPEC-R.json      the same at another blocking (tools/many-core-sgemm's ROUND_VARIANTS)
  openblas-R.json                      bench/peers/openblas_sgemm.py --json (every core type)
  optim-R.json, triad-R.json           JMH OptimizerBench.fusedStep / streamTriad (mean ms; median in SampleTime)
  optim-before-R.json, triad-before-R.json  the same on the previous commit's code, where the rounds ran it
  torch-optim-R.log                    bench/peers/torch_optim.py (median ms per step)
  torch-optim20-R.log                  the same timing 20 steps, where the rounds also ran --seconds
  lenet-{native,avx2}-R.json           JMH LeNetBench.forwardBackward (mean ms; median in SampleTime)
  lenet-before-{native,avx2}-R.json    the same on the previous commit's code, where the rounds ran it
  torch-lenet-R.log                    bench/peers/lenet_torch.py (median ms)
  torch-lenet100-R.log                 the same timing 100 steps, where the rounds also ran --seconds
  conv-[before-]{native,avx2}-R.json   JMH ConvLayerBench.forwardBackward per layer (mean ms; no peer)

Each streaming table is followed by the same rounds as per-round ratios (PyTorch's time over
Gradus's in each round that ran both). Where the before-* files are there, a last table pairs each
round's figure with the previous code's of the same round. A section whose files the folder does not hold is left out.

Usage: /usr/bin/python3 bench/peers/rounds_table.py FOLDER   (prints Markdown; writes nothing)
"""
import glob
import os
import re
import statistics
import sys

from results_io import load_json as load  # JSON gzipped (as committed) or not


def rounds(folder, pattern):
    """{round: path} for files named like pattern with R in place of the round number (or pattern.gz)."""
    found = {}
    regex = re.compile(re.escape(pattern).replace("R", r"(\d+)") + r"(\.gz)?$")
    for path in glob.glob(os.path.join(folder, pattern.replace("R", "*") + "*")):
        m = regex.search(os.path.basename(path))
        if m and os.path.getsize(path) > 0:  # a run still in progress has an empty file
            found[int(m.group(1))] = path
    return dict(sorted(found.items()))


def jmh(path):
    """{(benchmark short name, params tuple): (median-or-mean ms, mode)} from a JMH JSON file."""
    out = {}
    for e in load(path):
        name = e["benchmark"].rsplit(".", 1)[-1]
        params = tuple(sorted((e.get("params") or {}).items()))
        metric = e["primaryMetric"]
        value = metric["scorePercentiles"]["50.0"] if e["mode"] == "sample" else metric["score"]
        assert metric["scoreUnit"] == "ms/op", path + ": unit " + metric["scoreUnit"]
        out[(name, params)] = value
    return out


def gflops(n, ms):
    return 2.0 * n ** 3 / (ms * 1e6)


def summary(values):
    return statistics.median(values), min(values), max(values)


def fmt(values, digits=1):
    return " ".join("%.*f" % (digits, v) for v in values)


def row(label, ours, peer, peer_label, higher_is_better, digits=1):
    if not ours or not peer:
        return "| %s | %s | (missing) | | | | |" % (label, peer_label)
    om, olo, ohi = summary(ours)
    pm, plo, phi = summary(peer)
    ratio = om / pm if higher_is_better else pm / om
    return "| %s | %s | %s | %.*f (%.*f-%.*f) | %s | %.*f (%.*f-%.*f) | **%.2f** |" % (
        label, peer_label, fmt(ours, digits), digits, om, digits, olo, digits, ohi, fmt(peer, digits),
        digits, pm, digits, plo, digits, phi, ratio)


def gemm_labels(folder):
    """The LABELs of the folder's gemm-LABEL-R.json files: native, avx2, fallback, before-native,
    before-avx2 in that order, then tools/many-core-sgemm's variant-[avx2-]SPEC ones. (Older
    folders name other gemm-* files their own way; their READMEs table those.)"""
    known = ["native", "avx2", "fallback", "before-native", "before-avx2"]
    found = set()
    for path in glob.glob(os.path.join(folder, "gemm-*")):
        m = re.match(r"gemm-(.+)-\d+\.json(\.gz)?$", os.path.basename(path))
        if m and (m.group(1) in known or m.group(1).startswith("variant-")):
            found.add(m.group(1))
    return [k for k in known if k in found] + sorted(found - set(known))


def sgemm(folder):
    blas = {r: load(p) for r, p in rounds(folder, "openblas-R.json").items()}
    if not blas:
        return
    print("### SGEMM, GFLOPS (2 n^3 / median product time); ratio = Gradus / OpenBLAS (target >= 0.95)\n")
    print("| Gradus path, n, threads | OpenBLAS | Gradus per round | median (range) | OpenBLAS per round | median (range) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for path in gemm_labels(folder):
        types = ("Zen", "Haswell") if "avx2" in path else None  # the 256-bit path against 256-bit kernels
        runs = {r: jmh(p) for r, p in rounds(folder, "gemm-%s-R.json" % path).items()}
        if not runs:
            continue
        # The sizes and thread counts the rounds ran (1024 and 2048 on 1 and 2 threads on the guests;
        # 8 and 16 threads too on the GPU machine's cores, tools/many-core-sgemm).
        points = sorted({(int(dict(p)["n"]), int(dict(p)["threads"]))
                         for v in runs.values() for (name, p) in v if name == "gradus"})
        for n, t in points:
            key = ("gradus", (("n", str(n)), ("threads", str(t))))
            ours = [gflops(n, v[key]) for v in runs.values() if key in v]
            # The peer: per core type, its per-round medians; the fastest type by median over rounds.
            per_type = {}
            for doc in blas.values():
                for run in doc["runs"]:
                    if "refused" in run or (types and run["core_type"] not in types):
                        continue
                    if run["threads_asked"] != t:
                        continue
                    for res in run["results"]:
                        if res["n"] == n:
                            per_type.setdefault(run["core_type"], []).append(res["median"])
            if not per_type:
                print(row("%s, %d, %d" % (path, n, t), ours, [], "none", True))
                continue
            best = max(per_type, key=lambda c: statistics.median(per_type[c]))
            others = ", ".join("%s %.1f" % (c, statistics.median(v)) for c, v in sorted(per_type.items()) if c != best)
            print(row("%s, %d, %d" % (path, n, t), ours, per_type[best], best + " (others: " + others + ")", True))
    print()


def torch_lines(path):
    out = {}
    for line in open(path):
        m = re.match(r"torch (\S+)\s+median ([\d.]+) ms", line)
        if m:
            out[m.group(1)] = float(m.group(2))
        m = re.match(r"torch forward\+backward threads=\d+: median ([\d.]+) ms", line)
        if m:
            out["lenet"] = float(m.group(1))
    return out


def streams(folder):
    # torch-optim-R.log: the peer as the rounds ran it; torch-optim20-R.log: the same peer timing only
    # 20 steps, where the rounds ran it beside a --seconds window (2026-12-05-streaming-window-zen5).
    for peer_pattern, peer_title in (("torch-optim-R.log", ""), ("torch-optim20-R.log", ", PyTorch timing 20 steps")):
        torch = {r: torch_lines(p) for r, p in rounds(folder, peer_pattern).items()}
        if torch:
            streams_against(folder, torch, peer_title)


def streams_against(folder, torch, peer_title):
    # before: the previous commit's code in the same rounds, where run_rounds.sh was given BEFORE_CP.
    for suffix, title in (("", ""), ("-before", ", the previous commit's code")):
        optim = {r: jmh(p) for r, p in rounds(folder, "optim%s-R.json" % suffix).items()}
        triad = {r: jmh(p) for r, p in rounds(folder, "triad%s-R.json" % suffix).items()}
        if not optim:
            continue
        print("### Streaming over 16M floats, 2 threads, ms per step%s%s; ratio = PyTorch / Gradus time (>= 1: Gradus no slower)\n"
              % (title, peer_title))
        print("| step | peer | Gradus per round | median (range) | PyTorch per round | median (range) | ratio |")
        print("|---|---|---|---|---|---|---|")
        paired = []  # (step, [PyTorch / Gradus time of each round that ran both])
        for algorithm in ("sgd", "momentum", "nesterov", "adam"):
            key = ("fusedStep", (("algorithm", algorithm),))
            ours = [v[key] for v in optim.values() if key in v]
            peer = [v[algorithm] for v in torch.values() if algorithm in v]
            if not ours and not peer:
                continue  # a set that ran some of the steps only (2026-12-07-streaming-pairs-zen5: sgd)
            print(row(algorithm + " fused step", ours, peer, "torch.optim", False, 2))
            paired.append((algorithm + " fused step", [torch[r][algorithm] / optim[r][key] for r in sorted(set(optim) & set(torch))
                                                       if key in optim[r] and algorithm in torch[r]]))
        key = ("streamTriad", (("algorithm", "sgd"),))
        ours = [v[key] for v in triad.values() if key in v]
        peer = [v["triad"] for v in torch.values() if "triad" in v]
        print(row("STREAM triad a = b + s c", ours, peer, "torch.add(out=)", False, 2))
        paired.append(("STREAM triad", [torch[r]["triad"] / triad[r][key] for r in sorted(set(triad) & set(torch))
                                         if key in triad[r] and "triad" in torch[r]]))
        print()
        # The same rounds as per-round ratios: each round's PyTorch time over its Gradus time.
        print("| step | per-round ratio (PyTorch / Gradus time) | median | Gradus no slower |")
        print("|---|---|---|---|")
        for step, ratios in paired:
            if ratios:
                print("| %s | %s | **%.2f** | %d of %d |" % (step, " ".join("%.2f" % v for v in ratios), statistics.median(ratios),
                                                         sum(v >= 1 for v in ratios), len(ratios)))
        print()


def lenet(folder):
    # torch-lenet-R.log: the peer as the rounds ran it; torch-lenet100-R.log: the same peer timing only
    # 100 steps, where the rounds ran it beside a --seconds window (2026-12-05-lenet-window-zen5).
    for peer_pattern, peer_title in (("torch-lenet-R.log", ""), ("torch-lenet100-R.log", ", PyTorch timing 100 steps")):
        torch = [torch_lines(p).get("lenet") for p in rounds(folder, peer_pattern).values()]
        torch = [v for v in torch if v is not None]
        if torch:
            lenet_against(folder, torch, peer_title)


def lenet_against(folder, torch, peer_title):
    print("### LeNet forward + backward, batch 256, 2 threads, ms%s; ratio = Gradus / PyTorch time (target <= 0.6)\n"
          % peer_title)
    print("| Gradus path | peer | Gradus per round | median (range) | PyTorch per round | median (range) | ratio |")
    print("|---|---|---|---|---|---|---|")
    # before-*: the previous commit's code in the same rounds, where run_rounds.sh was given BEFORE_CP.
    for path in ("native", "avx2", "before-native", "before-avx2"):
        runs = [jmh(p) for p in rounds(folder, "lenet-%s-R.json" % path).values()]
        ours = [v[("forwardBackward", ())] for v in runs]
        if ours:
            # row() gives ours/peer for higher_is_better: for times that is Gradus / PyTorch, as wanted here.
            print(row(path, ours, torch, "PyTorch 1.13", True, 2))
    print()


def conv(folder):
    # An A/B of one layer, no outside peer: the head's code against the previous commit's (before-*).
    found = False
    for path in ("native", "avx2"):
        head = [jmh(p) for p in rounds(folder, "conv-%s-R.json" % path).values()]
        before = [jmh(p) for p in rounds(folder, "conv-before-%s-R.json" % path).values()]
        if not head:
            continue
        if not found:
            print("### One LeNet layer (ConvLayerBench), forward + backward, batch 256, 2 threads, ms; "
                  "ratio = this code / the previous commit's\n")
            print("| path, layer | against | this code per round | median (range) | before per round | median (range) | ratio |")
            print("|---|---|---|---|---|---|---|")
            found = True
        for key in sorted(head[0]):
            label = "%s, %s" % (path, ", ".join(v for _, v in key[1]))
            print(row(label, [r[key] for r in head if key in r], [r[key] for r in before if key in r],
                      "previous commit", True, 3))
    if found:
        print()


def same_round(folder):
    """This code against the previous commit's, round by round, where the rounds ran both (before-*
    files): each round's speed ratio (the previous code's median time over this code's), the median
    of those ratios, and in how many rounds this code was faster. Pairs within a round share the
    host's minute, which the medians over rounds of each side do not."""
    rows = []
    for bench, key_of in (("gemm", lambda v: sorted(k for k in v if k[0] == "gradus")),
                          ("lenet", lambda v: [("forwardBackward", ())])):
        for path in ("native", "avx2"):
            head = {r: jmh(p) for r, p in rounds(folder, "%s-%s-R.json" % (bench, path)).items()}
            before = {r: jmh(p) for r, p in rounds(folder, "%s-before-%s-R.json" % (bench, path)).items()}
            paired = [r for r in head if r in before]
            if not paired:
                continue
            for key in key_of(head[paired[0]]):
                ratios = [before[r][key] / head[r][key] for r in paired if key in head[r] and key in before[r]]
                label = "SGEMM %s, %s, %s" % (path, dict(key[1])["n"], dict(key[1])["threads"]) if bench == "gemm" \
                    else "LeNet %s" % path
                rows.append("| %s | %s | **%.3f** | %d of %d |" % (
                    label, fmt(ratios, 2), statistics.median(ratios), sum(x > 1 for x in ratios), len(ratios)))
    if rows:
        print("### This code against the previous commit's in the same round: speed ratio (before time / this time)\n")
        print("| benchmark, path | per round | median | this code faster |")
        print("|---|---|---|---|")
        print("\n".join(rows))
        print()


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "."
    sgemm(folder)
    streams(folder)
    lenet(folder)
    conv(folder)
    same_round(folder)


if __name__ == "__main__":
    main()

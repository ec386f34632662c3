"""OpenBLAS SGEMM through NumPy at every core type this CPU runs: the outside peer of GemmBench.

OpenBLAS built with DYNAMIC_ARCH (Debian's is) picks a kernel set at load time, and its choice is not
always the fastest: on a Zen 4 guest it picks Cooperlake where Zen is faster, on a Zen 5 guest the
512-bit kernels are 1.7x the Zen one. So the peer of a Gradus figure is the fastest core type, named.
This script is the one helper the results folders share (run it, do not copy it).

Usage:
  /usr/bin/python3 bench/peers/openblas_sgemm.py [--sizes 1024 2048] [--threads 1 2]
      [--isa native|avx2] [--core-types Zen,Haswell] [--json FILE]
  [OPENBLAS_CORETYPE=T] OPENBLAS_NUM_THREADS=T /usr/bin/python3 bench/peers/openblas_sgemm.py N [N ...]
      (the form the results folders of 2026-11-29/30 used: one core type, the one in the environment;
      prints "openblas n=N median ... GFLOPS over R" per N)

--isa avx2 keeps the core types without AVX-512 (the peer of Gradus under -XX:UseAVX=2).
Each (core type, threads) runs in a child process, because OPENBLAS_CORETYPE and
OPENBLAS_NUM_THREADS are read when the library loads. A child checks with threadpoolctl that OpenBLAS
really loaded the requested kernel and refuses the figure otherwise. Per n: the median and range of
GFLOPS (2 n^3 flops) over at least 5 timed products after 3 untimed ones, float32 as in GemmBench.
The last lines name the fastest core type per (n, threads).
"""
import argparse
import json
import os
import subprocess
import sys
import time

# OpenBLAS's x86-64 core types, each with the CPU flags (as /proc/cpuinfo spells them) it needs.
# SapphireRapids is known to newer OpenBLAS builds (NumPy 2.x wheels bundle one); a build that does
# not know a type loads another, which the child sees and refuses, so listing it costs nothing.
CORE_TYPES = [
    ("SapphireRapids", {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_bf16",
                        "avx512_fp16", "amx_bf16"}, 512),
    ("Cooperlake", {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_bf16"}, 512),
    ("SkylakeX", {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"}, 512),
    ("Zen", {"avx2", "fma"}, 256),
    ("Haswell", {"avx2", "fma"}, 256),
    ("Sandybridge", {"avx"}, 256),
]


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags") or line.startswith("Features"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def runnable_core_types(isa, flags):
    """The core types this CPU can run, in CORE_TYPES' order; avx2 drops the 512-bit ones."""
    return [name for name, need, bits in CORE_TYPES
            if need <= flags and (isa == "native" or bits <= 256) and name != "Sandybridge"]


def single(sizes):
    """The earlier per-folder script's output: the kernel OpenBLAS loaded, then one line per n."""
    import numpy  # noqa: F401 -- loads OpenBLAS, so that threadpoolctl sees it
    from threadpoolctl import threadpool_info
    info = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
    print("openblas", [i.get("version") for i in info], "kernel", [i.get("architecture") for i in info],
          "threads", [i.get("num_threads") for i in threadpool_info()], flush=True)
    for r in measure(sizes):
        print("openblas n=%d median %.1f min %.1f max %.1f GFLOPS over %d"
              % (r["n"], r["median"], r["min"], r["max"], r["reps"]), flush=True)


def measure(sizes):
    """Median and range of GFLOPS per n: 3 untimed products, then at least 5 timed ones."""
    import numpy as np
    results = []
    for n in sizes:
        rng = np.random.default_rng(1)
        a = rng.random((n, n), dtype=np.float32) - 0.5
        b = rng.random((n, n), dtype=np.float32) - 0.5
        c = np.empty((n, n), dtype=np.float32)
        for _ in range(3):
            np.matmul(a, b, out=c)
        reps = max(5, int(1.5e10 / (2 * n ** 3)))
        g = []
        for _ in range(reps):
            t = time.perf_counter()
            np.matmul(a, b, out=c)
            g.append(2 * n ** 3 / (time.perf_counter() - t) / 1e9)
        g.sort()
        results.append({"n": n, "median": g[len(g) // 2], "min": g[0], "max": g[-1], "reps": reps})
    return results


def child(sizes):
    import numpy  # noqa: F401 -- loads OpenBLAS, so that threadpoolctl sees it
    from threadpoolctl import threadpool_info
    info = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
    arch = info[0].get("architecture") if info else None
    wanted = os.environ.get("OPENBLAS_CORETYPE")
    out = {"core_type": wanted, "loaded": arch, "version": info[0].get("version") if info else None,
           "threads": info[0].get("num_threads") if info else None, "results": []}
    if wanted and (arch or "").lower() != wanted.lower():
        out["refused"] = "asked for %s, OpenBLAS loaded %s" % (wanted, arch)
        print(json.dumps(out))
        return
    out["results"] = measure(sizes)
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048])
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--isa", choices=["native", "avx2"], default="native")
    p.add_argument("--core-types", help="comma-separated, instead of every one this CPU runs")
    p.add_argument("--json", help="also write every figure to this file")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("n", type=int, nargs="*", help="the earlier single-core-type form (see the usage)")
    args = p.parse_args()
    if args.n:
        single(args.n)
        return
    if args.child:
        child(args.sizes)
        return
    types = args.core_types.split(",") if args.core_types else runnable_core_types(args.isa, cpu_flags())
    if not types:
        sys.exit("no OpenBLAS core type for --isa %s on this CPU (flags from /proc/cpuinfo)" % args.isa)
    runs = []
    for core_type in types:
        for threads in args.threads:
            env = dict(os.environ, OPENBLAS_CORETYPE=core_type, OPENBLAS_NUM_THREADS=str(threads))
            proc = subprocess.run([sys.executable, __file__, "--child", "--sizes", *map(str, args.sizes)],
                                  env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit("OpenBLAS child for %s, %d threads failed:\n%s" % (core_type, threads, proc.stderr))
            run = json.loads(proc.stdout.strip().splitlines()[-1])
            run["threads_asked"] = threads
            runs.append(run)
            if "refused" in run:
                print("openblas %s threads=%d: %s" % (core_type, threads, run["refused"]), flush=True)
                continue
            for r in run["results"]:
                print("openblas %s %s threads=%d n=%d median %.1f min %.1f max %.1f GFLOPS over %d"
                      % (run["version"], core_type, threads, r["n"], r["median"], r["min"], r["max"], r["reps"]),
                      flush=True)
    fastest = {}
    for run in runs:
        for r in run.get("results", []):
            key = (r["n"], run["threads_asked"])
            if key not in fastest or r["median"] > fastest[key][1]:
                fastest[key] = (run["core_type"], r["median"])
    for (n, threads), (core_type, gflops) in sorted(fastest.items()):
        print("fastest n=%d threads=%d: %s %.1f GFLOPS" % (n, threads, core_type, gflops))
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"isa": args.isa, "runs": runs,
                       "fastest": [{"n": n, "threads": t, "core_type": c, "median": g}
                                   for (n, t), (c, g) in sorted(fastest.items())]}, f, indent=1)
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()

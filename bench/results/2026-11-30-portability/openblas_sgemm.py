"""OpenBLAS SGEMM through NumPy, the outside peer of GemmBench (run back to back with it).

Usage: [OPENBLAS_CORETYPE=Zen|Haswell|SkylakeX] OPENBLAS_NUM_THREADS=T /usr/bin/python3 openblas_sgemm.py N [N ...]
Prints the kernel OpenBLAS picked (threadpoolctl's "architecture") and, per N, the median and range
of GFLOPS (2 N^3 flops) over at least 5 timed products after 3 untimed ones, float32 as in GemmBench.
"""
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info

arch = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
print("openblas", [i.get("version") for i in threadpool_info() if i.get("internal_api") == "openblas"], "kernel", arch,
      "threads", [i.get("num_threads") for i in threadpool_info()])
for n in map(int, sys.argv[1:]):
    rng = np.random.default_rng(1)
    a = (rng.random((n, n), dtype=np.float32) - 0.5)
    b = (rng.random((n, n), dtype=np.float32) - 0.5)
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
    print("openblas n=%d median %.1f min %.1f max %.1f GFLOPS over %d" % (n, g[len(g) // 2], g[0], g[-1], reps), flush=True)

"""PyTorch 1.13's optimizer step over 16M float32 parameters on 2 threads: the peer of
OptimizerBench.fusedStep, for every algorithm of Gradus's catalog that PyTorch has (no Yogi), and
STREAM's triad a = b + s c over three such arrays (torch.add(b, c, alpha=s, out=a)), the peer of
OptimizerBench.streamTriad.
Usage: /usr/bin/python3 bench/peers/torch_optim.py [NAME ...]   (default: every algorithm, then triad)
Prints the median and range over 20 steps (after 3 warm-up steps) for each; the hyperparameters are
the catalog's defaults (lr 1e-3 as in OptimizerBench).
"""
import sys
import time

import torch

torch.set_num_threads(2)
torch.manual_seed(1)
N = 16 << 20
ALGORITHMS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=1e-3),
    "momentum": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9),
    "nesterov": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=1e-3, eps=1e-6),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-6),
    "rmsprop-centered": lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-6, centered=True),
    "adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-5),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-3, eps=1e-6),
    "amsgrad": lambda p: torch.optim.Adam(p, lr=1e-3, eps=1e-6, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-3, eps=1e-6, weight_decay=0.05),
}
wanted = sys.argv[1:] or list(ALGORITHMS) + ["triad"]
unknown = [n for n in wanted if n not in ALGORITHMS and n != "triad"]
if unknown:
    sys.exit("unknown name(s) %s: expected some of %s or triad" % (unknown, list(ALGORITHMS)))


def timed(name, step, reps=20):
    for _ in range(3):
        step()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print("torch %-17s median %.2f ms, range %.2f-%.2f ms over %d" % (name, times[reps // 2], times[0], times[-1], reps),
          flush=True)


for name in wanted:
    if name == "triad":
        a, b, c = torch.empty(N), torch.rand(N), torch.rand(N)
        timed("triad", lambda: torch.add(b, c, alpha=3.0, out=a))
        continue
    make = ALGORITHMS[name]
    w = torch.nn.Parameter(torch.randn(N))
    w.grad = 1e-3 * torch.randn(N)
    opt = make([w])
    timed(name, opt.step)

"""PyTorch 1.13's optimizer step over 16M float32 parameters on 2 threads, the peer of
OptimizerBench (run back to back with it). Usage: /usr/bin/python3 torch_optim.py
Prints the median and range over 20 steps (after 3 warm-up steps) for each algorithm.
"""
import time

import torch

torch.set_num_threads(2)
torch.manual_seed(1)
N = 16 << 20
ALGORITHMS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=1e-3),
    "momentum": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=1e-3, eps=1e-6),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-6),
    "adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-5),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-3, eps=1e-6),
    "amsgrad": lambda p: torch.optim.Adam(p, lr=1e-3, amsgrad=True),
}
for name, make in ALGORITHMS.items():
    w = torch.nn.Parameter(torch.randn(N))
    w.grad = 1e-3 * torch.randn(N)
    opt = make([w])
    for _ in range(3):
        opt.step()
    times = []
    for _ in range(20):
        t = time.perf_counter()
        opt.step()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print("torch %-9s median %.2f ms, range %.2f-%.2f ms over 20" % (name, times[10], times[0], times[-1]))

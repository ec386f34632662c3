"""PyTorch 1.13's optimizer step over 16M float32 parameters on 2 threads: the peer of
OptimizerBench.fusedStep, for every algorithm of Gradus's catalog that PyTorch has (no Yogi), and
STREAM's triad a = b + s c over three such arrays (torch.add(b, c, alpha=s, out=a)), the peer of
OptimizerBench.streamTriad.
Usage: /usr/bin/python3 bench/peers/torch_optim.py [--seconds S | --steps N] [NAME ...]
       (default: every algorithm, then triad; --seconds 10)
Prints the median and range of the step times of each; the hyperparameters are the catalog's
defaults (lr 1e-3 as in OptimizerBench). By default it runs steps untimed for S/5 s and then times
every step of S = 10 s (at least 20 steps): OptimizerBench measures for 10 s (5 iterations of 2 s),
and on a shared host whose bandwidth changes for seconds at a time a short run samples one moment
where JMH samples ten seconds (bench/results/2026-12-05-streaming-window-zen5: timing 20 steps put
PyTorch's SGD step 16% slower than timing 10 s in the same rounds). --steps N times N steps after 3
untimed ones, as every set of rounds before 2026-12-05 did with N = 20.
"""
import argparse
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
parser = argparse.ArgumentParser(description="PyTorch's optimizer steps and STREAM triad over 16M floats, 2 threads")
window = parser.add_mutually_exclusive_group()
window.add_argument("--seconds", type=float, default=10.0,
                    help="time every step for this many seconds, after a fifth of that untimed (default 10)")
window.add_argument("--steps", type=int, default=None,
                    help="time this many steps, after 3 untimed, instead of a window of seconds")
parser.add_argument("names", nargs="*", metavar="NAME", help="algorithms of the catalog, or triad")
args = parser.parse_args()
if args.steps is not None and args.steps < 1:
    parser.error("--steps %d: expected at least 1 step" % args.steps)
if args.steps is None and not args.seconds > 0:
    parser.error("--seconds %s: expected a positive number of seconds" % args.seconds)
wanted = args.names or list(ALGORITHMS) + ["triad"]
unknown = [n for n in wanted if n not in ALGORITHMS and n != "triad"]
if unknown:
    parser.error("unknown name(s) %s: expected some of %s or triad" % (unknown, list(ALGORITHMS)))


def timed(name, step, min_reps=20):
    """Times step() over the window the arguments chose and prints the median and range in ms."""
    if args.steps is not None:
        for _ in range(3):
            step()
        reps, end = args.steps, None
    else:
        warm_until = time.perf_counter() + args.seconds / 5
        while time.perf_counter() < warm_until:
            step()
        reps, end = min_reps, time.perf_counter() + args.seconds
    times = []
    while len(times) < reps or (end is not None and time.perf_counter() < end):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print("torch %-17s median %.2f ms, range %.2f-%.2f ms over %d" % (
        name, times[len(times) // 2], times[0], times[-1], len(times)), flush=True)


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

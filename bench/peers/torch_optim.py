"""PyTorch 1.13's optimizer step over 16M float32 parameters on 2 threads: the peer of
OptimizerBench.fusedStep, for every algorithm of Gradus's catalog that PyTorch has (no Yogi), and
STREAM's triad a = b + s c over three such arrays (torch.add(b, c, alpha=s, out=a)), the peer of
OptimizerBench.streamTriad.
Usage: /usr/bin/python3 bench/peers/torch_optim.py [--seconds S | --steps N] [NAME ...]
       (default: every algorithm, then triad; --seconds 10)
Prints the median and range of the step times of each; the hyperparameters are the catalog's
defaults (lr 1e-3 as in OptimizerBench). By default it runs steps untimed for S/5 s and then times
every step of S = 10 s (at least 20 steps), as OptimizerBench measures for 10 s (step_window.py says
why); --steps N times N steps after 3 untimed ones, as every set of rounds before 2026-12-05 did
with N = 20.
"""
import argparse

import torch

from step_window import add_window_arguments, check_window_arguments, time_steps

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
add_window_arguments(parser)
parser.add_argument("names", nargs="*", metavar="NAME", help="algorithms of the catalog, or triad")
args = parser.parse_args()
check_window_arguments(parser, args)
wanted = args.names or list(ALGORITHMS) + ["triad"]
unknown = [n for n in wanted if n not in ALGORITHMS and n != "triad"]
if unknown:
    parser.error("unknown name(s) %s: expected some of %s or triad" % (unknown, list(ALGORITHMS)))


def timed(name, step):
    """Times step() over the window the arguments chose and prints the median and range in ms."""
    times = time_steps(step, args, untimed_steps=3)
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

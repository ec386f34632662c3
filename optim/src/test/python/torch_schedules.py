#!/usr/bin/python3
"""Learning rates of PyTorch 1.13's OneCycleLR and CyclicLR, and of Optax's exponential_decay,
for optim's SchedulesTest (the issue "optim beyond the chapter").

    /usr/bin/python3 optim/src/test/python/torch_schedules.py > optim/src/test/resources/io/gradus/optim/schedule/torch-schedules.tsv

One line per case: its name, then the rate of each update in order (PyTorch: read from the
optimizer before each step, then scheduler.step()). Optax is not in Debian: its
exponential_decay is transcribed from optax/_src/schedule.py (0.1.x) below.
"""
import math
import sys

import torch


def torch_rates(make_scheduler, steps, lr=0.1):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_scheduler(opt)
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return rates


def optax_exponential_decay(init_value, transition_steps, decay_rate, transition_begin=0, staircase=False,
                            end_value=None):
    def schedule(count):
        count = max(count - transition_begin, 0)
        p = count / transition_steps
        if staircase:
            p = math.floor(p)
        v = init_value * decay_rate ** p
        if end_value is not None:
            v = max(v, end_value) if decay_rate < 1 else min(v, end_value)
        return v
    return schedule


CASES = {
    "one-cycle-cos": lambda: torch_rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=40), 40),
    "one-cycle-linear": lambda: torch_rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.2, total_steps=33, pct_start=0.25, anneal_strategy="linear", div_factor=10, final_div_factor=100), 33),
    "one-cycle-three-phase": lambda: torch_rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(
        o, max_lr=1.0, total_steps=50, three_phase=True), 50),
    "cyclic-triangular": lambda: torch_rates(lambda o: torch.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=6, cycle_momentum=False), 35),
    "exponential-decay": lambda: [optax_exponential_decay(0.1, 5, 0.5)(c) for c in range(30)],
    "exponential-decay-staircase": lambda: [optax_exponential_decay(0.1, 4, 0.5, transition_begin=3, staircase=True,
                                                                    end_value=0.01)(c) for c in range(30)],
}

if __name__ == "__main__":
    sys.stdout.write("# PyTorch %s; written by optim/src/test/python/torch_schedules.py\n" % torch.__version__)
    for name, run in CASES.items():
        sys.stdout.write("\t".join([name] + [repr(float(r)) for r in run()]) + "\n")

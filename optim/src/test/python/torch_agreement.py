#!/usr/bin/python3
"""Trajectories of PyTorch 1.13's optimizers in float64, for optim's TorchAgreementTest.

Run with Debian's interpreter (python3-torch 1.13):
    /usr/bin/python3 optim/src/test/python/torch_agreement.py optim/src/test/resources/io/gradus/optim

Each case runs 10 steps on 8 coordinates from fixed starting values with fixed gradients that
include a zero, a tiny value (1e-20) and a large one (1e4). Every algorithm runs at its second-moment
decay (beta2, RMSProp's alpha, Adadelta's rho) 0.999 and 0.9999, where rounding 1 - beta badly shows.
Two files are written (each to a temporary name, then renamed):

* torch-agreement.tsv: one line per case and step, tab-separated: case, step, the 8 gradients of that
  step, the 8 parameters after it (step 0: the start, no gradients); float64.
* torch-agreement-float32.tsv: per case, PyTorch's own float32 error on the same case: the same
  optimizer on float32 parameters and the float64 gradients rounded to float32, its worst
  |x32 - x64| / max(1e-3, |x64|) over all steps and coordinates. The Java test allows Gradus's float32
  kernels max(2x that, 1e-6).

Algorithms PyTorch 1.13 lacks (Lion, Yogi, LAMB) and NAdam with the paper's momentum product (1.13
counts mu_t twice; fixed in 2.0) are written here in torch operations.
"""
import math
import os
import sys

import torch

N, STEPS = 8, 10
START = [0.5, -1.25, 2.0, 0.0, -0.3, 1e-3, 3.0, -2.5]


def gradient(step):
    """Step t's gradients: coordinate 0 is always 0, 1 always 1e-20, 2 always 1e4; the rest vary."""
    g = [0.0, 1e-20, 1e4]
    for i in range(3, N):
        g.append(math.sin(1.7 * step + 0.9 * i) * (10.0 ** ((i % 3) - 1)))
    return g


def lion_step(p, state, g, lr, beta1, beta2, wd):
    m = state.setdefault("m", torch.zeros_like(p))
    c = beta1 * m + (1 - beta1) * g
    p.mul_(1 - lr * wd).add_(torch.sign(c), alpha=-lr)
    m.mul_(beta2).add_(g, alpha=1 - beta2)


def nadam_paper_step(p, state, g, lr, beta1, beta2, eps, wd, psi):
    """torch.optim.NAdam 1.13 with mu_product_next = mu_product * mu_next (the paper, PyTorch >= 2.0)."""
    t = state["t"] = state.get("t", 0) + 1
    m = state.setdefault("m", torch.zeros_like(p))
    v = state.setdefault("v", torch.zeros_like(p))
    if wd != 0:
        g = g.add(p, alpha=wd)
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
    state["prod"] = state.get("prod", 1.0) * mu
    prod_next = state["prod"] * mu_next
    m.mul_(beta1).add_(g, alpha=1 - beta1)
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    denom = v.div(1 - beta2 ** t).sqrt().add_(eps)
    p.addcdiv_(g, denom, value=-lr * (1.0 - mu) / (1.0 - state["prod"]))
    p.addcdiv_(m, denom, value=-lr * mu_next / (1.0 - prod_next))


def yogi_step(p, state, g, lr, beta1, beta2, eps):
    """Yogi (Zaheer et al. 2018) as the book's section 11.10.3: v <- v + (1 - beta2) sign(g^2 - v) g^2."""
    t = state["t"] = state.get("t", 0) + 1
    m = state.setdefault("m", torch.zeros_like(p))
    v = state.setdefault("v", torch.zeros_like(p))
    g2 = g * g
    m.mul_(beta1).add_(g, alpha=1 - beta1)
    v.add_(torch.sign(g2 - v) * g2, alpha=1 - beta2)
    denom = (v / (1 - beta2 ** t)).sqrt().add_(eps)
    p.addcdiv_(m, denom, value=-lr / (1 - beta1 ** t))


def lamb_step(p, state, g, lr, beta1, beta2, eps, wd, bias_correction):
    """LAMB (You et al. 2020, Algorithm 2), the whole vector as one tensor; trust ratio 1 where a norm is 0."""
    t = state["t"] = state.get("t", 0) + 1
    m = state.setdefault("m", torch.zeros_like(p))
    v = state.setdefault("v", torch.zeros_like(p))
    m.mul_(beta1).add_(g, alpha=1 - beta1)
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    c1, c2 = (1 - beta1 ** t, 1 - beta2 ** t) if bias_correction else (1.0, 1.0)
    r = (m / c1) / ((v / c2).sqrt() + eps) + wd * p
    x_norm, r_norm = p.norm().item(), r.norm().item()
    ratio = x_norm / r_norm if x_norm > 0 and r_norm > 0 else 1.0
    p.add_(r, alpha=-lr * ratio)


CASES = {
    # name: (learning rate, factory of a torch optimizer, or a function stepping by hand)
    "adamax": (0.002, lambda ps: torch.optim.Adamax(ps, lr=0.002)),
    "adamax-wd": (0.002, lambda ps: torch.optim.Adamax(ps, lr=0.002, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01)),
    "nadam-torch113": (0.002, lambda ps: torch.optim.NAdam(ps, lr=0.002)),
    "nadam-torch113-wd": (0.002, lambda ps: torch.optim.NAdam(ps, lr=0.002, betas=(0.9, 0.99), weight_decay=0.01,
                                                             momentum_decay=0.01)),
    "radam": (0.001, lambda ps: torch.optim.RAdam(ps, lr=0.001)),
    # beta2 = 0.9: rho_t passes 5 at step 6, so both branches run within the 10 steps
    "radam-b2": (0.001, lambda ps: torch.optim.RAdam(ps, lr=0.001, betas=(0.9, 0.9), weight_decay=0.01)),
    # PyTorch's options on the chapter's algorithms
    "sgd-dampening": (0.01, lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, dampening=0.5, weight_decay=0.01)),
    "rmsprop-momentum": (0.01, lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-8, momentum=0.9)),
    "rmsprop-centered-momentum": (0.01, lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-8, momentum=0.5,
                                                                       centered=True, weight_decay=0.01)),
    "adagrad-lr-decay": (0.1, lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.05, initial_accumulator_value=0.1)),
    "nadam": (0.002, lambda p, s, g: nadam_paper_step(p, s, g, 0.002, 0.9, 0.999, 1e-8, 0.0, 0.004)),
    "lion": (1e-4, lambda p, s, g: lion_step(p, s, g, 1e-4, 0.9, 0.99, 0.0)),
    "lion-wd": (3e-4, lambda p, s, g: lion_step(p, s, g, 3e-4, 0.95, 0.98, 0.1)),
    "lamb": (0.01, lambda p, s, g: lamb_step(p, s, g, 0.01, 0.9, 0.999, 1e-6, 0.01, True)),
    "lamb-no-bias-correction": (0.005, lambda p, s, g: lamb_step(p, s, g, 0.005, 0.9, 0.99, 1e-6, 0.1, False)),
    # every algorithm at a second-moment decay of 0.999 and 0.9999 (some of the above are the 0.999 case)
    "sgd": (0.01, lambda ps: torch.optim.SGD(ps, lr=0.01, weight_decay=0.01)),
    "momentum": (0.01, lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9)),
    "nesterov": (0.01, lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.01)),
    "adagrad": (0.1, lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-10)),
    "rmsprop-0.999": (0.01, lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.999, eps=1e-8)),
    "rmsprop-0.9999": (0.01, lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9999, eps=1e-8, centered=True)),
    "adadelta-0.999": (1.0, lambda ps: torch.optim.Adadelta(ps, lr=1.0, rho=0.999, eps=1e-6)),
    "adadelta-0.9999": (1.0, lambda ps: torch.optim.Adadelta(ps, lr=1.0, rho=0.9999, eps=1e-6, weight_decay=0.01)),
    "adam-0.999": (0.01, lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    "adam-0.9999": (0.01, lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.9999), eps=1e-8, weight_decay=0.01)),
    "adamw-0.999": (0.01, lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    "adamw-0.9999": (0.01, lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.9, 0.9999), eps=1e-8, weight_decay=0.1)),
    "amsgrad-0.999": (0.01, lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8, amsgrad=True)),
    "amsgrad-0.9999": (0.01, lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.9999), eps=1e-8, amsgrad=True)),
    "yogi-0.999": (0.01, lambda p, s, g: yogi_step(p, s, g, 0.01, 0.9, 0.999, 1e-3)),
    "yogi-0.9999": (0.01, lambda p, s, g: yogi_step(p, s, g, 0.01, 0.9, 0.9999, 1e-3)),
    "adamax-0.9999": (0.002, lambda ps: torch.optim.Adamax(ps, lr=0.002, betas=(0.9, 0.9999))),
    "nadam-0.9999": (0.002, lambda p, s, g: nadam_paper_step(p, s, g, 0.002, 0.9, 0.9999, 1e-8, 0.0, 0.004)),
    "nadam-torch113-0.9999": (0.002, lambda ps: torch.optim.NAdam(ps, lr=0.002, betas=(0.9, 0.9999))),
    "radam-0.9999": (0.001, lambda ps: torch.optim.RAdam(ps, lr=0.001, betas=(0.9, 0.9999))),
    "lion-0.999": (1e-4, lambda p, s, g: lion_step(p, s, g, 1e-4, 0.9, 0.999, 0.0)),
    "lion-0.9999": (1e-4, lambda p, s, g: lion_step(p, s, g, 1e-4, 0.9, 0.9999, 0.01)),
    "lamb-0.9999": (0.01, lambda p, s, g: lamb_step(p, s, g, 0.01, 0.9, 0.9999, 1e-6, 0.01, True)),
}


def trajectory(make, dtype):
    """The parameters at steps 0..STEPS of one case, in dtype, and the float64 gradients of each step."""
    torch.set_default_dtype(dtype)
    p = torch.tensor(START, dtype=dtype)
    rows = [([], p.tolist())]
    by_hand = make.__code__.co_argcount == 3
    if by_hand:
        state = {}
    else:
        p = torch.nn.Parameter(p)
        opt = make([p])
    for t in range(1, STEPS + 1):
        g64 = gradient(t)
        g = torch.tensor(g64, dtype=dtype)
        if by_hand:
            with torch.no_grad():
                make(p, state, g)
        else:
            p.grad = g.clone()
            opt.step()
        rows.append((g.tolist() if dtype == torch.float64 else g64, p.detach().tolist()))
    return rows


def worst_error(approx, exact):
    """max over steps and coordinates of |x - ref| / max(1e-3, |ref|)."""
    return max(abs(a - e) / max(1e-3, abs(e)) for (_, xa), (_, xe) in zip(approx, exact) for a, e in zip(xa, xe))


def write(path, text):
    """Writes text to path through a temporary name, so a reader never sees half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(directory):
    lines = ["# PyTorch %s, float64; written by optim/src/test/python/torch_agreement.py" % torch.__version__]
    errors = ["# PyTorch %s: each case's float32 error, max over steps and coordinates of |x32 - x64| / max(1e-3, |x64|);"
              " written by optim/src/test/python/torch_agreement.py" % torch.__version__]
    for name, (lr, make) in CASES.items():
        exact = trajectory(make, torch.float64)
        for t, (g, x) in enumerate(exact):
            cells = ["" for _ in range(N)] if t == 0 else [repr(v) for v in g]
            lines.append("\t".join([name, str(t)] + cells + [repr(v) for v in x]))
        errors.append("%s\t%r" % (name, worst_error(trajectory(make, torch.float32), exact)))
    write(os.path.join(directory, "torch-agreement.tsv"), "\n".join(lines) + "\n")
    write(os.path.join(directory, "torch-agreement-float32.tsv"), "\n".join(errors) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")

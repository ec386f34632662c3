#!/usr/bin/python3
"""Trajectories of PyTorch 1.13's optimizers in float64, for optim's TorchAgreementTest.

Run with Debian's interpreter (python3-torch 1.13):
    /usr/bin/python3 optim/src/test/python/torch_agreement.py > optim/src/test/resources/io/gradus/optim/torch-agreement.tsv

Each case runs 10 steps on 8 coordinates from fixed starting values with fixed gradients that
include a zero, a tiny value (1e-20) and a large one (1e4). Output: one line per case and step,
tab-separated: case, step, the 8 gradients of that step, the 8 parameters after it (step 0: the
start, no gradients). Algorithms PyTorch 1.13 lacks (Lion) and NAdam with the paper's momentum
product (1.13 counts mu_t twice; fixed in 2.0) are written here in torch operations, in float64.
"""
import math
import sys

import torch

torch.set_default_dtype(torch.float64)
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
}


def main(out):
    out.write("# PyTorch %s, float64; written by optim/src/test/python/torch_agreement.py\n" % torch.__version__)
    for name, (lr, make) in CASES.items():
        p = torch.tensor(START)
        out.write("\t".join([name, "0"] + ["" for _ in range(N)] + [repr(x) for x in p.tolist()]) + "\n")
        by_hand = make.__code__.co_argcount == 3
        if by_hand:
            state = {}
        else:
            p = torch.nn.Parameter(p)
            opt = make([p])
        for t in range(1, STEPS + 1):
            g = torch.tensor(gradient(t))
            if by_hand:
                with torch.no_grad():
                    make(p, state, g)
            else:
                p.grad = g.clone()
                opt.step()
            out.write("\t".join([name, str(t)] + [repr(x) for x in g.tolist()] + [repr(x) for x in p.detach().tolist()]) + "\n")


if __name__ == "__main__":
    main(sys.stdout)

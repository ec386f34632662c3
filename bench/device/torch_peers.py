"""PyTorch peers of the device check, on the same GPU in the same run (tools/device-check).

Usage: python3 torch_peers.py OUT_DIR [--quick]
Writes torch.json: the LeNet training step of section 11.11 (and its ratio to DeviceCheck's, from results.json),
the MLP epoch, for each optimizer at 64M parameters (16M with --quick) the median ms over 10
steps after warm-up of its fastest implementation (fused=True where PyTorch has it, else
foreach=True), a device-to-device copy's bandwidth, and FP32 SGEMM TFLOPS with TF32 off for
n = 512 .. 8192. Prints one line each.
"""
import json
import sys
import time

import torch

out = sys.argv[1]
quick = "--quick" in sys.argv
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
N = (16 << 20) if quick else (64 << 20)
res = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "parameters": N, "optimizers": {}, "sgemm": {}}


def median_ms(fn, reps=10):
    # warm-up by time (at least 200 ms and 3 calls), as DeviceCheck warms up its side
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < 0.2:
        fn()
        torch.cuda.synchronize()
        calls += 1
    ts = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        fn()
        e.record()
        torch.cuda.synchronize()
        ts.append(s.elapsed_time(e))
    ts.sort()
    return ts[len(ts) // 2]


a = torch.empty(N, device=dev)
b = torch.empty(N, device=dev)
ms = median_ms(lambda: b.copy_(a))
res["copyGBs"] = 8.0 * N / (ms * 1e6)
print("torch copy %.1f GB/s" % res["copyGBs"], flush=True)
del a, b

ALGS = {
    "sgd": (torch.optim.SGD, dict(lr=1e-3)),
    "momentum": (torch.optim.SGD, dict(lr=1e-3, momentum=0.9)),
    "nesterov": (torch.optim.SGD, dict(lr=1e-3, momentum=0.9, nesterov=True)),
    "adagrad": (torch.optim.Adagrad, dict(lr=1e-3, eps=1e-6)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=1e-3, alpha=0.9, eps=1e-6)),
    "rmsprop-centered": (torch.optim.RMSprop, dict(lr=1e-3, alpha=0.9, eps=1e-6, centered=True)),
    "adadelta": (torch.optim.Adadelta, dict(lr=1.0, rho=0.9, eps=1e-5)),
    "adam": (torch.optim.Adam, dict(lr=1e-3, eps=1e-6)),
    "amsgrad": (torch.optim.Adam, dict(lr=1e-3, eps=1e-6, amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict(lr=1e-3, eps=1e-6, weight_decay=0.05)),
    # beyond the chapter (PyTorch has no Lion or LAMB: no peer for those)
    "adamax": (torch.optim.Adamax, dict(lr=2e-3)),
    "nadam": (torch.optim.NAdam, dict(lr=2e-3)),
    "radam": (torch.optim.RAdam, dict(lr=1e-3)),
}
for name, (cls, kw) in ALGS.items():
    best = None
    for impl in ("fused", "foreach"):
        try:
            w = torch.nn.Parameter(torch.randn(N, device=dev))
            w.grad = 1e-3 * torch.randn(N, device=dev)
            opt = cls([w], **kw, **{impl: True})
            ms = median_ms(opt.step)
            if best is None or ms < best[1]:
                best = (impl, ms)
            del opt, w
        except (TypeError, RuntimeError, ValueError):
            continue
        finally:
            torch.cuda.empty_cache()
    if best:
        res["optimizers"][name] = {"impl": best[0], "ms": best[1]}
        print("torch %-17s %-7s %.3f ms" % (name, best[0], best[1]), flush=True)

for n in ([512, 1024] if quick else [512, 1024, 2048, 4096, 8192]):
    x = torch.randn(n, n, device=dev)
    y = torch.randn(n, n, device=dev)
    ms = median_ms(lambda: torch.mm(x, y))
    res["sgemm"][n] = 2.0 * n ** 3 / (ms * 1e9)
    print("torch sgemm n=%d %.2f TFLOPS (TF32 off)" % (n, res["sgemm"][n]), flush=True)

with open(out + "/torch.json", "w") as f:
    json.dump(res, f, indent=1)

# The MLP 784-256-256-10 (ReLU), SGD lr 0.1, batch 256, synthetic data resident on the GPU: one epoch's
# seconds (the second of two), the peer of DeviceCheck's mlpEpoch.
examples = 4096 if quick else 60000
x = torch.rand(examples, 784, device=dev)
y = torch.randint(0, 10, (examples,), device=dev)
net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, 10)).to(dev)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
seconds = 0.0
for epoch in range(2):
    torch.cuda.synchronize()
    t = time.perf_counter()
    perm = torch.randperm(examples, device=dev)
    for first in range(0, examples, 256):
        idx = perm[first:first + 256]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx]) / len(idx)
        loss.backward()
        opt.step()
    torch.cuda.synchronize()
    seconds = time.perf_counter() - t
res["mlpEpochSeconds"] = seconds
print("torch mlp epoch (%d examples) %.3f s" % (examples, seconds), flush=True)
with open(out + "/torch.json", "w") as f:
    json.dump(res, f, indent=1)

# Section 11.11's LeNet (ReLU, max pooling), SGD lr 0.1, batch 256 of synthetic 28 x 28 images resident on the GPU:
# zero_grad, forward, summed cross-entropy, backward, step, and the loss read back (loss.item(), as the book's loop
# reads its loss every batch, and as DeviceCheck's lenetStep downloads the batch's losses): median ms per step.
torch.backends.cudnn.benchmark = False  # what a user gets by default
lenet = torch.nn.Sequential(
    torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2),
    torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2), torch.nn.Flatten(),
    torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10)).to(dev)
opt = torch.optim.SGD(lenet.parameters(), lr=0.1)
xb = torch.rand(256, 1, 28, 28, device=dev)
yb = torch.randint(0, 10, (256,), device=dev)


def lenet_step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(lenet(xb), yb)
    (loss / 256).backward()
    opt.step()
    return loss.item()


steps = 20 if quick else 50
for _ in range(steps):
    lenet_step()
times = []
for _ in range(steps):
    t = time.perf_counter()
    lenet_step()
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
res["lenetStepMs"] = times[len(times) // 2]
print("torch lenet step (batch 256) %.3f ms" % res["lenetStepMs"], flush=True)
try:
    with open(out + "/results.json") as f:
        gradus = json.load(f)["lenetStep"]["deviceMs"]
    res["lenetStepRatio"] = gradus / res["lenetStepMs"]
    print("Gradus / PyTorch, LeNet step on this GPU: %.3f ms / %.3f ms = %.2f" % (gradus, res["lenetStepMs"], res["lenetStepRatio"]),
          flush=True)
except (OSError, KeyError, ValueError) as e:
    print("no Gradus LeNet step in results.json to compare with: %s" % e, flush=True)
with open(out + "/torch.json", "w") as f:
    json.dump(res, f, indent=1)

"""PyTorch's peer of Gradus's section 11.11 run: LeNet on Fashion-MNIST, SquareRootScheduler(lr=1.0)
fed the update count (lr = (n + 1)^-0.5 for update n = 1, 2, ...), batch 256, a fresh permutation
each epoch, Xavier-uniform weights (MXNet's Xavier: uniform, average fan, magnitude 3) and zero
biases, mean softmax cross-entropy (the same gradient as Gluon's summed loss with trainer.step(256)).

Usage: /usr/bin/python3 lenet_torch_epochs.py [epochs] [threads] [seed]
Prints one line per epoch: train loss / train acc (running means over the epoch), test acc after it,
and the epoch's wall seconds (training plus the test pass), as Gradus's `schedules` prints them.
"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
torch.set_num_threads(threads)
torch.manual_seed(seed)
D = "/usr/share/datasets/fashion-mnist/"


def idx(name, offset):
    with gzip.open(D + name) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


xtr = torch.tensor(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz", 8), dtype=torch.int64)
xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz", 8), dtype=torch.int64)
net = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
for m in net:
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)
opt = torch.optim.SGD(net.parameters(), lr=1.0)
# LambdaLR multiplies the base lr (1.0) by f(k), k = number of scheduler steps taken so far (0 first):
# update n = k + 1 gets (n + 1)^-0.5 = (k + 2)^-0.5.
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: (k + 2.0) ** -0.5)
loss_fn = nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(seed)
for epoch in range(1, epochs + 1):
    t = time.perf_counter()
    perm = torch.randperm(len(xtr), generator=g)
    loss_sum, correct, seen = 0.0, 0, 0
    for s in range(0, len(xtr), 256):
        b = perm[s:s + 256]
        x, y = xtr[b], ytr[b]
        opt.zero_grad()
        out = net(x)
        loss = loss_fn(out, y)
        loss.backward()
        opt.step()
        sched.step()
        loss_sum += loss.item() * len(b)
        correct += (out.argmax(1) == y).sum().item()
        seen += len(b)
    with torch.no_grad():
        test_acc = sum((net(xte[s:s + 256]).argmax(1) == yte[s:s + 256]).sum().item()
                       for s in range(0, len(xte), 256)) / len(xte)
    print("torch epoch %d: train loss %.3f, train acc %.3f, test acc %.3f (%.1f s)"
          % (epoch, loss_sum / seen, correct / seen, test_acc, time.perf_counter() - t), flush=True)

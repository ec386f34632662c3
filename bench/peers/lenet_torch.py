"""PyTorch's LeNet step (section 11.11), the peer of LeNetBench, measured back to back with it.

Usage: /usr/bin/python3 lenet_torch.py [threads]
Times forward + backward of mean softmax cross-entropy on a batch of 256 Fashion-MNIST images
(the first 256 of Debian's training file), and the same plus an SGD step; 20 warm-up steps,
then the median and range over 100.
"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)
with gzip.open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[: 256 * 784].reshape(256, 1, 28, 28)
with gzip.open("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz") as f:
    labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:256]
x = torch.tensor(images, dtype=torch.float32) / 255
y = torch.tensor(labels, dtype=torch.int64)
net = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(net.parameters(), lr=0.1)


def step(with_update):
    opt.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    if with_update:
        opt.step()


for with_update in (False, True):
    for _ in range(20):
        step(with_update)
    times = []
    for _ in range(100):
        t = time.perf_counter()
        step(with_update)
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print("torch %s threads=%d: median %.2f ms, range %.2f-%.2f ms over 100" % (
        "forward+backward+SGD" if with_update else "forward+backward", threads, times[50], times[0], times[-1]))

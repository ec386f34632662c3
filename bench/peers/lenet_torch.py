"""PyTorch's LeNet step (section 11.11), the peer of LeNetBench, measured back to back with it.

Usage: /usr/bin/python3 bench/peers/lenet_torch.py [--seconds S | --steps N] [THREADS]
       (default: 2 threads, --seconds 10)
Times forward + backward of mean softmax cross-entropy on a batch of 256 Fashion-MNIST images
(the first 256 of Debian's training file), then the same plus an SGD step, and prints the median
and range of each. By default each is run untimed for S/5 s and then every step of S = 10 s is
timed, as LeNetBench measures for 10 s (5 iterations of 2 s; step_window.py says why a window);
--steps N times N steps after 20 untimed ones, as every set of rounds before 2026-12-05 did with
N = 100 (about 1.5 s).
"""
import argparse
import gzip

import numpy as np
import torch
from torch import nn

from step_window import add_window_arguments, check_window_arguments, time_steps

parser = argparse.ArgumentParser(description="PyTorch's LeNet forward + backward, batch 256")
add_window_arguments(parser)
parser.add_argument("threads", nargs="?", type=int, default=2, help="PyTorch's intra-op threads (default 2)")
args = parser.parse_args()
check_window_arguments(parser, args)
if args.threads < 1:
    parser.error("THREADS %d: expected at least 1 thread" % args.threads)

torch.set_num_threads(args.threads)
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
    times = time_steps(lambda: step(with_update), args, untimed_steps=20)
    print("torch %s threads=%d: median %.2f ms, range %.2f-%.2f ms over %d" % (
        "forward+backward+SGD" if with_update else "forward+backward", args.threads,
        times[len(times) // 2], times[0], times[-1], len(times)), flush=True)

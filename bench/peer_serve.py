#!/usr/bin/python3
"""Serving benchmark, PyTorch peer side (run with Debian's /usr/bin/python3: python3-torch, torchvision, PIL).

    /usr/bin/python3 bench/peer_serve.py --model resnet20|cnn IMGDIR [--threads 2] [--n 500] [--seconds 8]

What a Python service would do per request, without the HTTP part: eval mode, torch.no_grad(), the same
architecture as tuneup's bundle (random weights; they do not change the speed), on the same CIFAR-10 test JPEGs
(the first 256 *.jpg under IMGDIR, sorted, as bench/ServeBench.java reads them):

  b1            one image per forward pass: p50/p99 over --n passes, tensor already prepared
  b1 + decode   the same with PIL decode + resize to 32x32 (a no-op for CIFAR) + ToTensor + Normalize per image
  b32           batch-32 throughput (images/s) for --seconds, tensors prepared
  b32 + decode  the same, decoding the 32 JPEGs of each batch first (single-threaded, as a request handler would)

Models: resnet20 from bench/peer_train.py (tuneup's ResNet-20 layout); cnn is tuneup's quickstart CNN on 3x32x32:
per width in 32/64/128 conv3x3 (same padding, no bias) - BatchNorm - ReLU - maxpool 2; flatten, linear 128 - ReLU -
Dropout(0.2) (inactive in eval), linear 10. One JSON object per line on stdout.
"""
import argparse
import glob
import io
import json
import os
import sys
import time

import torch
import torch.nn as nn
from PIL import Image
import torchvision.transforms as T

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_train import resnet  # noqa: E402

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)


def cnn(widths=(32, 64, 128), dense=128, classes=10, size=32):
    layers, c = [], 3
    for w in widths:
        layers += [nn.Conv2d(c, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(), nn.MaxPool2d(2)]
        c, size = w, size // 2
    layers += [nn.Flatten(), nn.Linear(c * size * size, dense), nn.ReLU(), nn.Dropout(0.2), nn.Linear(dense, classes)]
    return nn.Sequential(*layers)


MODELS = {"resnet20": lambda: resnet([16, 32, 64], 3), "cnn": cnn}


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def emit(**kv):
    print(json.dumps({"impl": "torch", **kv}), flush=True)


def pct(xs, q):
    xs = sorted(xs)
    i = max(0, min(len(xs) - 1, int(-(-q * len(xs) // 1)) - 1))
    return xs[i]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("imgdir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(1)
    files = sorted(glob.glob(os.path.join(args.imgdir, "**", "*.jpg"), recursive=True))[:256]
    enc = [open(f, "rb").read() for f in files]
    tf = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize(MEAN, STD)])

    def decode(b):
        return tf(Image.open(io.BytesIO(b)).convert("RGB"))

    x = torch.stack([decode(b) for b in enc])
    model = MODELS[args.model]().eval()
    emit(phase="setup", model=args.model, torch=torch.__version__, threads=torch.get_num_threads(), images=len(enc),
         params=sum(p.numel() for p in model.parameters()))
    bs = args.batch
    nb = len(enc) // bs
    with torch.no_grad():
        t_end = time.perf_counter() + 2  # warm-up
        k = 0
        while time.perf_counter() < t_end:
            model(x[(k % nb) * bs:(k % nb + 1) * bs]).softmax(1)
            k += 1
        for k in range(100):
            model(x[k:k + 1]).softmax(1)
        for with_decode in (False, True):
            lat = []
            cap = time.perf_counter() + args.seconds  # at most --n passes or --seconds (a loaded machine)
            for k in range(args.n):
                if time.perf_counter() > cap:
                    break
                t0 = time.perf_counter()
                xi = decode(enc[k % len(enc)]).unsqueeze(0) if with_decode else x[k % len(enc)].unsqueeze(0)
                model(xi).softmax(1).numpy()
                lat.append((time.perf_counter() - t0) * 1000)
            emit(phase="b1", what="decode+predict" if with_decode else "predict", n=len(lat), p50_ms=pct(lat, 0.5),
                 p99_ms=pct(lat, 0.99), loadavg=loadavg())
        for with_decode in (False, True):
            t0 = time.perf_counter()
            c0 = sum(os.times()[:2])
            images, k = 0, 0
            while time.perf_counter() - t0 < args.seconds:
                if with_decode:
                    xb = torch.stack([decode(enc[(k * bs + i) % len(enc)]) for i in range(bs)])
                else:
                    xb = x[(k % nb) * bs:(k % nb + 1) * bs]
                images += model(xb).softmax(1).numpy().shape[0]
                k += 1
            s = time.perf_counter() - t0
            emit(phase="batch", what="decode+predict" if with_decode else "predict", batch=bs, images=images, seconds=s,
                 images_per_s=images / s, cpu_s=sum(os.times()[:2]) - c0, loadavg=loadavg())


if __name__ == "__main__":
    main()

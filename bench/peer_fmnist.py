#!/usr/bin/python3
"""Time to accuracy on Fashion-MNIST, PyTorch peer side (Debian's python3-torch):

    /usr/bin/python3 bench/peer_fmnist.py --data DIR [--target 0.91] [--max-epochs 40] [--threads 2] [--bf16]

The classic recipe a PyTorch user writes first: the Keras MNIST CNN (conv3x3 32 - ReLU - maxpool 2 -
conv3x3 64 - ReLU - maxpool 2 - flatten - dropout 0.5 - linear 10), Adam at 1e-3, batch 128, inputs
scaled to [0, 1], the 60k training images, no augmentation. After every epoch it measures test accuracy
and stops at the first epoch that reaches --target. The clock starts when the script starts, so
`import torch`, reading the gzipped IDX files and every test pass are included, as a user waits for them.
One JSON object per line on stdout.
"""
import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def emit(**kv):
    print(json.dumps({"impl": "torch", **kv}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="folder with the four Fashion-MNIST .gz IDX files")
    ap.add_argument("--target", type=float, default=0.91)
    ap.add_argument("--max-epochs", type=int, default=40)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bf16", action="store_true", help="torch.autocast('cpu', torch.bfloat16) around the forward")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    def load(images, labels):
        x = torch.from_numpy(idx(os.path.join(args.data, images)).copy()).float().div_(255).unsqueeze(1)
        y = torch.from_numpy(idx(os.path.join(args.data, labels)).astype(np.int64))
        return x, y

    xtr, ytr = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    xte, yte = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    emit(phase="setup", torch=torch.__version__, threads=torch.get_num_threads(), bf16=args.bf16,
         train=len(ytr), test=len(yte), load_s=time.perf_counter() - T0)
    g = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.max_epochs + 1):
        model.train()
        order = torch.randperm(len(ytr), generator=g)
        for i in range(0, len(ytr), 128):
            idx_b = order[i:i + 128]
            opt.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                out = model(xtr[idx_b])
            F.cross_entropy(out.float(), ytr[idx_b]).backward()
            opt.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(yte), 1000):
                correct += int((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum())
        acc = correct / len(yte)
        emit(phase="epoch", epoch=epoch, test_acc=acc, elapsed_s=time.perf_counter() - T0)
        if acc >= args.target:
            emit(phase="summary", reached=True, epochs=epoch, test_acc=acc, seconds=time.perf_counter() - T0)
            return
    emit(phase="summary", reached=False, epochs=args.max_epochs, test_acc=acc, seconds=time.perf_counter() - T0)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Augmentation throughput per core, PyTorch side (torchvision transforms on PIL images, one process, one thread).

  /usr/bin/python3 bench/peer_augment.py <cifar10-jpg.tar.gz> [--images N] [--repeats R]

Timed: N CIFAR-10 train images, decoded to PIL beforehand, through the torchvision equivalent of each case
(RandomCrop(32, padding=4), RandomHorizontalFlip, [ColorJitter(0.2, 0.2, 0.2) | RandAugment(2, 9)],
ToTensor, Normalize) and stacked into batches of 128 (what a DataLoader's collate does). JSON lines on stdout.
"""
import io
import json
import sys
import tarfile
import time

import torch
import torchvision
import torchvision.transforms as T
from PIL import Image

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.247, 0.243, 0.261)
CASES = [
    ("crop+flip+jitter", [T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ColorJitter(0.2, 0.2, 0.2)]),
    ("crop+flip", [T.RandomCrop(32, padding=4), T.RandomHorizontalFlip()]),
    ("randaugment", [T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.RandAugment(2, 9)]),
]


def main():
    archive = sys.argv[1]
    images = 20000
    repeats = 3
    args = sys.argv[2:]
    for i in range(0, len(args), 2):
        if args[i] == "--images":
            images = int(args[i + 1])
        elif args[i] == "--repeats":
            repeats = int(args[i + 1])
    torch.set_num_threads(1)
    pics = []
    with tarfile.open(archive) as tar:
        for m in tar:
            if m.isfile() and "/train/" in m.name and m.name.endswith(".jpg"):
                pics.append(Image.open(io.BytesIO(tar.extractfile(m).read())).convert("RGB"))
                if len(pics) >= images:
                    break
    for name, ops in CASES:
        tf = T.Compose(ops + [T.ToTensor(), T.Normalize(MEAN, STD)])
        for r in range(repeats + 1):
            torch.manual_seed(r)
            t0 = time.perf_counter()
            for b in range(0, len(pics), 128):
                torch.stack([tf(p) for p in pics[b:b + 128]])
            secs = time.perf_counter() - t0
            if r > 0:
                print(json.dumps({"side": "torchvision", "case": name, "images": len(pics), "seconds": round(secs, 3),
                                  "images_per_s": round(len(pics) / secs, 1),
                                  "torchvision": torchvision.__version__}), flush=True)


if __name__ == "__main__":
    main()

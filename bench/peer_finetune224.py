#!/usr/bin/python3
"""Fine-tuning at 224 px, PyTorch peer side (Debian's /usr/bin/python3: python3-torch, python3-torchvision).

    /usr/bin/python3 bench/peer_finetune224.py --base r18.pt --images 320 --batch 32 --threads 2 --epochs 2

The same work tuneup's `finetune` step does on CIFAR-10 at data.size 224: a headless TorchScript
ResNet-18 (bench/finetune224.sh exports it) with a new linear head for 10 classes; per batch the 32x32
uint8 images are brought to 224 the way the bundle says (antialiased bilinear resize of the shorter
side to 256, centre crop 224, torchvision's eval transform; tuneup's training adds a horizontal flip),
normalised, then one SGD step (momentum 0.9, lr 0.01, weight decay 5e-4) with cross-entropy, reading
the loss and counting correct answers on the host as FitLoop does. Images are random uint8 32x32
(content does not change the cost). One JSON line per epoch on stdout; images/s after the first epoch.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torchvision.transforms.functional as TF


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--images", type=int, default=320)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    backbone = torch.jit.load(a.base)
    backbone.train()
    with torch.no_grad():
        features = backbone(torch.zeros(1, 3, 224, 224)).shape[1]
    head = nn.Linear(features, 10)
    params = list(backbone.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=5e-4)
    images = torch.randint(0, 256, (a.images, 3, 32, 32), dtype=torch.uint8)
    labels = torch.randint(0, 10, (a.images,))
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    for epoch in range(a.epochs):
        order = torch.randperm(a.images)
        t0 = time.perf_counter()
        seen = correct = 0
        for s in range(0, a.images - a.batch + 1, a.batch):
            idx = order[s:s + a.batch]
            x = TF.center_crop(TF.resize(images[idx], 256, antialias=True), 224)
            x = torch.where(torch.rand(len(idx), 1, 1, 1) < 0.5, x.flip(3), x)
            x = (x.float() / 255 - mean) / std
            y = labels[idx]
            opt.zero_grad(set_to_none=True)
            out = head(backbone(x))
            loss = nn.functional.cross_entropy(out, y)
            loss.item()
            loss.backward()
            opt.step()
            correct += int((out.argmax(1) == y).sum())
            seen += len(idx)
        dt = time.perf_counter() - t0
        print(json.dumps({"side": "pytorch", "epoch": epoch + 1, "images": seen, "seconds": dt,
                          "images_per_s": seen / dt, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()

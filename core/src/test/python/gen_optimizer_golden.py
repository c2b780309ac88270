#!/usr/bin/python3
"""Golden weights for dev.tuneup.train optimisers: torch.optim on a tiny linear model, 3 steps each.

Run with Debian's python3 (python3-torch): /usr/bin/python3 core/src/test/python/gen_optimizer_golden.py
Writes core/src/test/resources/golden/optimizers_torch.json. Lion (not in torch 1.13) is computed by hand
from its paper's update rule (Chen et al., 2023, Algorithm 2).
"""
import json
import os

import torch

X = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-1.0, 0.75, 0.3], [0.2, 0.1, -0.4]], dtype=torch.float64)
Y = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5], [0.3, 0.2]], dtype=torch.float64)
W0 = [[0.1, -0.2, 0.3], [0.4, 0.05, -0.1]]
B0 = [0.01, -0.02]
LR = 0.05

CASES = [
    ("sgd", {}, lambda p: torch.optim.SGD(p, lr=LR)),
    ("sgd", {"momentum": 0.9, "weight_decay": 0.01}, lambda p: torch.optim.SGD(p, lr=LR, momentum=0.9, weight_decay=0.01)),
    ("sgd", {"momentum": 0.9, "nesterov": True}, lambda p: torch.optim.SGD(p, lr=LR, momentum=0.9, nesterov=True)),
    ("adam", {"weight_decay": 0.01}, lambda p: torch.optim.Adam(p, lr=LR, weight_decay=0.01)),
    ("adamw", {"weight_decay": 0.1}, lambda p: torch.optim.AdamW(p, lr=LR, weight_decay=0.1)),
    ("rmsprop", {}, lambda p: torch.optim.RMSprop(p, lr=LR)),
    ("rmsprop", {"momentum": 0.9, "weight_decay": 0.01}, lambda p: torch.optim.RMSprop(p, lr=LR, momentum=0.9, weight_decay=0.01)),
]


def loss_of(w, b):
    return ((X @ w.T + b - Y) ** 2).mean()


def run(make):
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    opt = make([w, b])
    steps = []
    for _ in range(3):
        opt.zero_grad()
        loss_of(w, b).backward()
        opt.step()
        steps.append({"w": w.detach().flatten().tolist(), "b": b.detach().tolist()})
    return steps


def lion(beta1=0.9, beta2=0.99, wd=0.1, lr=LR):
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    m = [torch.zeros_like(w), torch.zeros_like(b)]
    steps = []
    for _ in range(3):
        for p in (w, b):
            p.grad = None
        loss_of(w, b).backward()
        with torch.no_grad():
            for i, p in enumerate((w, b)):
                c = beta1 * m[i] + (1 - beta1) * p.grad
                p.mul_(1 - lr * wd)
                p.add_(torch.sign(c), alpha=-lr)
                m[i] = beta2 * m[i] + (1 - beta2) * p.grad
        steps.append({"w": w.detach().flatten().tolist(), "b": b.detach().tolist()})
    return steps


out = {"x": X.flatten().tolist(), "y": Y.flatten().tolist(), "w0": sum(W0, []), "b0": B0, "lr": LR, "cases": []}
for name, args, make in CASES:
    out["cases"].append({"optimizer": name, "args": args, "steps": run(make)})
out["cases"].append({"optimizer": "lion", "args": {"weight_decay": 0.1}, "steps": lion()})
path = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "optimizers_torch.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))

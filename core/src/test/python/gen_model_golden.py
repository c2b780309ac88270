#!/usr/bin/python3
"""Parameter counts and FLOPs of tuneup's architectures, built independently in PyTorch.

Run with Debian's python3 (python3-torch): /usr/bin/python3 core/src/test/python/gen_model_golden.py
Prints a JSON object that ModelsTest's expected values were copied from. Same layouts as
dev.tuneup.model: basic blocks, 1x1-conv + norm projection shortcuts, BatchNorm, bias only without norm.
"""
import json

import torch
import torch.nn as nn


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))
                      if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        return torch.relu(self.main(x) + self.short(x))


def resnet(widths, blocks, classes=10, cin=3):
    layers = [nn.Conv2d(cin, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU()]
    c = widths[0]
    for stage, w in enumerate(widths):
        for b in range(blocks):
            layers.append(Basic(c, w, 2 if stage > 0 and b == 0 else 1))
            c = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


def cnn():
    # conv32-bn-relu-pool, conv64-bn-relu-pool, dense 128, classifier; 1x28x28
    return nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def flops(model, shape):
    total = 0

    def hook(m, inp, out):
        nonlocal total
        if isinstance(m, nn.Conv2d):
            total += 2 * out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups
        elif isinstance(m, nn.Linear):
            total += 2 * m.in_features * m.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules()]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    for h in hs:
        h.remove()
    return total


def params(model):
    return sum(p.numel() for p in model.parameters())


out = {}
for name, model, shape in [("resnet20", resnet([16, 32, 64], 3), (3, 32, 32)),
                           ("resnet18", resnet([64, 128, 256, 512], 2), (3, 32, 32)),
                           ("cnn", cnn(), (1, 28, 28))]:
    out[name] = {"params": params(model), "flops": flops(model, shape)}
print(json.dumps(out))

#!/usr/bin/python3
"""Golden values for dev.tuneup.data.Fit: torchvision's eval transform on PIL images.

centre crop: T.Resize(int(size / crop_pct)) + T.CenterCrop(size) (timm's and torchvision's ImageNet eval);
stretch: T.Resize((h, w)). Run with Debian's python3 (python3-torchvision):
/usr/bin/python3 core/src/test/python/gen_fit_golden.py
Writes core/src/test/resources/golden/fit_torchvision.json. Inputs are a formula, so nothing random.
"""
import json
import math
import os

import torchvision
from PIL import Image
from torchvision import transforms as T

CASES = [  # (h, w, channels, size, crop fraction; 0 = stretch)
    (40, 60, 3, 32, 0.875),   # landscape, shrink: shorter side 36, centre 32x32
    (61, 40, 3, 32, 0.875),   # portrait, odd margins
    (16, 16, 3, 28, 0.875),   # CIFAR-style upscale: 16 -> 32, centre 28
    (28, 28, 1, 32, 1.0),     # gray, crop fraction 1: resize only
    (30, 45, 3, 24, 0.75),
    (30, 45, 3, 24, 0.0),     # stretch: both sides, aspect not kept
]


def pixels(h, w, c):
    return [(37 * y + 91 * x + 53 * k + (x * y) % 17) % 256 for y in range(h) for x in range(w) for k in range(c)]


def main():
    out = []
    for h, w, c, size, crop in CASES:
        data = pixels(h, w, c)
        img = Image.frombytes("RGB" if c == 3 else "L", (w, h), bytes(data))
        if crop == 0:
            t = T.Resize((size, size), interpolation=T.InterpolationMode.BILINEAR)
        else:
            t = T.Compose([T.Resize(int(math.floor(size / crop)), interpolation=T.InterpolationMode.BILINEAR),
                           T.CenterCrop(size)])
        res = t(img)
        out.append({"h": h, "w": w, "c": c, "size": size, "crop": crop, "input": data,
                    "output": list(res.tobytes())})
    path = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "fit_torchvision.json")
    with open(path, "w") as f:
        json.dump({"generator": "torchvision " + torchvision.__version__ + " Resize(int(size/crop)) + CenterCrop(size)"
                   " on PIL images", "cases": out}, f)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()

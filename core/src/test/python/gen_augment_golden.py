#!/usr/bin/python3
"""Golden values for dev.tuneup.augment: torchvision's functional ops on uint8 tensors with fixed parameters.

Run with Debian's python3 (python3-torchvision):  /usr/bin/python3 core/src/test/python/gen_augment_golden.py
Writes core/src/test/resources/golden/augment_torchvision.json. The inputs are a formula, so nothing random.
"""
import json
import math
import os

import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode

NEAREST = InterpolationMode.NEAREST
BILINEAR = InterpolationMode.BILINEAR


def image(h, w, c, salt):
    vals = [(41 * y + 23 * x + 71 * k + salt * (x * y + 5) + (x * x * 3 + y) % 13) % 256
            for y in range(h) for x in range(w) for k in range(c)]
    return torch.tensor(vals, dtype=torch.uint8).reshape(h, w, c).permute(2, 0, 1).contiguous()


def low_contrast(h, w, c):
    img = image(h, w, c, 3)
    return (img // 4 + 60).to(torch.uint8)


CASES = [
    ("hflip", {}, lambda im: F.hflip(im)),
    ("vflip", {}, lambda im: F.vflip(im)),
    ("pad_crop", {"pad": 2, "mode": "zero", "top": 1, "left": 3, "h": 6, "w": 8},
     lambda im: F.crop(F.pad(im, 2, padding_mode="constant"), 1, 3, 6, 8)),
    ("pad_crop", {"pad": 3, "mode": "reflect", "top": 0, "left": 5, "h": 6, "w": 8},
     lambda im: F.crop(F.pad(im, 3, padding_mode="reflect"), 0, 5, 6, 8)),
    ("pad_crop", {"pad": 2, "mode": "edge", "top": 4, "left": 0, "h": 6, "w": 8},
     lambda im: F.crop(F.pad(im, 2, padding_mode="edge"), 4, 0, 6, 8)),
    ("rotate", {"angle": 90}, lambda im: F.rotate(im, 90.0, interpolation=NEAREST)),
    ("rotate", {"angle": 180}, lambda im: F.rotate(im, 180.0, interpolation=NEAREST)),
    ("rotate", {"angle": 33}, lambda im: F.rotate(im, 33.0, interpolation=NEAREST)),
    ("affine", {"angle": 30, "tx": 1, "ty": -2, "scale": 1.1, "shx": 10, "shy": 0, "interp": "nearest"},
     lambda im: F.affine(im, 30.0, [1, -2], 1.1, [10.0, 0.0], interpolation=NEAREST)),
    ("affine", {"angle": -15, "tx": 0, "ty": 1, "scale": 0.9, "shx": -5, "shy": 8, "interp": "bilinear"},
     lambda im: F.affine(im, -15.0, [0, 1], 0.9, [-5.0, 8.0], interpolation=BILINEAR)),
    ("shear_x_corner", {"m": 0.3},
     lambda im: F.affine(im, 0.0, [0, 0], 1.0, [math.degrees(math.atan(0.3)), 0.0], interpolation=NEAREST, center=[0, 0])),
    ("perspective", {"start": [[0, 0], [7, 0], [7, 5], [0, 5]], "end": [[1, 0], [6, 1], [7, 4], [0, 5]]},
     lambda im: F.perspective(im, [[0, 0], [7, 0], [7, 5], [0, 5]], [[1, 0], [6, 1], [7, 4], [0, 5]],
                              interpolation=BILINEAR)),
    ("invert", {}, lambda im: F.invert(im)),
    ("posterize", {"bits": 3}, lambda im: F.posterize(im, 3)),
    ("solarize", {"threshold": 128}, lambda im: F.solarize(im, 128)),
    ("grayscale", {}, lambda im: F.rgb_to_grayscale(im, num_output_channels=3)),
    ("equalize", {}, lambda im: F.equalize(im)),
    ("autocontrast", {}, lambda im: F.autocontrast(low_contrast(6, 8, 3))),
    ("brightness", {"factor": 1.3}, lambda im: F.adjust_brightness(im, 1.3)),
    ("contrast", {"factor": 0.7}, lambda im: F.adjust_contrast(im, 0.7)),
    ("saturation", {"factor": 1.5}, lambda im: F.adjust_saturation(im, 1.5)),
    ("hue", {"factor": 0.1}, lambda im: F.adjust_hue(im, 0.1)),
    ("sharpness", {"factor": 2.0}, lambda im: F.adjust_sharpness(im, 2.0)),
    ("blur", {"kernel": 3, "sigma": 1.0}, lambda im: F.gaussian_blur(im, [3, 3], [1.0, 1.0])),
]


def main():
    out = []
    for name, params, fn in CASES:
        src = low_contrast(6, 8, 3) if name == "autocontrast" else image(6, 8, 3, 7)
        res = fn(src)
        out.append({
            "op": name, "params": params,
            "h": int(src.shape[1]), "w": int(src.shape[2]), "c": int(src.shape[0]),
            "input": src.permute(1, 2, 0).reshape(-1).tolist(),
            "oh": int(res.shape[1]), "ow": int(res.shape[2]),
            "output": res.permute(1, 2, 0).reshape(-1).tolist(),
        })
    path = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "augment_torchvision.json")
    with open(path, "w") as f:
        json.dump({"generator": "torchvision " + torchvision.__version__ + " functional ops on uint8 tensors",
                   "cases": out}, f)
    print("wrote", os.path.normpath(path), len(out), "cases")


if __name__ == "__main__":
    main()

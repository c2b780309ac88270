#!/usr/bin/python3
"""Golden values for dev.tuneup.data.Resize: PIL's BILINEAR resize (antialiased triangle filter).

Run with Debian's python3 (python3-pil):  /usr/bin/python3 core/src/test/python/gen_resize_golden.py
Writes core/src/test/resources/golden/resize_pil.json. Inputs are a formula, so nothing random.
"""
import json
import os

from PIL import Image

CASES = [  # (h, w, channels, new_h, new_w)
    (5, 7, 3, 3, 4),      # shrink, non-integer factors
    (8, 8, 3, 4, 4),      # shrink by 2
    (5, 7, 3, 11, 9),     # enlarge
    (6, 6, 1, 17, 5),     # gray, enlarge one axis, shrink the other
    (40, 30, 3, 7, 9),    # strong shrink: the filter support widens
]


def pixels(h, w, c):
    return [(37 * y + 91 * x + 53 * k + (x * y) % 17) % 256 for y in range(h) for x in range(w) for k in range(c)]


def main():
    out = []
    for h, w, c, nh, nw in CASES:
        data = pixels(h, w, c)
        mode = "RGB" if c == 3 else "L"
        img = Image.frombytes(mode, (w, h), bytes(data))
        res = img.resize((nw, nh), Image.BILINEAR)
        out.append({"h": h, "w": w, "c": c, "nh": nh, "nw": nw, "input": data, "output": list(res.tobytes())})
    path = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "resize_pil.json")
    with open(path, "w") as f:
        json.dump({"generator": "PIL " + Image.__version__ + " Image.resize(BILINEAR)", "cases": out}, f)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()

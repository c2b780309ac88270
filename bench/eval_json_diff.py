#!/usr/bin/env python3
"""Compare eval.json files: every number within 1e-9 of the first file's (speeds aside), every string equal.

usage: eval_json_diff.py REFERENCE.json OTHER.json [OTHER.json ...]   exit 1 if any differs
"""
import json
import sys

SKIP = ("plain_images_per_second", "corrupted_images_per_second")


def diff(a, b, path=""):
    bad, n = [], 0
    if isinstance(a, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"], 0
        for k in a:
            if k not in SKIP:
                d, m = diff(a[k], b[k], f"{path}.{k}")
                bad += d
                n += m
    elif isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: lengths {len(a)} {len(b)}"], 0
        for i, (x, y) in enumerate(zip(a, b)):
            d, m = diff(x, y, f"{path}[{i}]")
            bad += d
            n += m
    elif isinstance(a, float) or isinstance(b, float):
        n += 1
        if abs(a - b) > 1e-9:
            bad.append(f"{path}: {a} != {b}")
    elif a != b:
        bad.append(f"{path}: {a!r} != {b!r}")
    return bad, n


def main():
    ref = json.load(open(sys.argv[1]))
    failed = False
    for other in sys.argv[2:]:
        bad, n = diff(ref, json.load(open(other)))
        print(f"{other}: {n} numbers compared with {sys.argv[1]}, {len(bad)} differ by more than 1e-9"
              + "".join("\n  " + b for b in bad[:10]))
        failed |= bool(bad)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

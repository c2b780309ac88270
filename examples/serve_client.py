#!/usr/bin/env python3
"""A tiny client for the serving example (standard library only): posts every image of an
ImageFolder split to a running `tuneup serve` and, with --feedback, sends each image's true label
back the way a labelling workflow would: a correction when the answer was wrong, a confirmation
when it was right (confirmations keep the repair's held-out measure unbiased).

usage: serve_client.py URL FOLDER [--limit N] [--feedback]
"""
import json
import os
import random
import sys
import urllib.error
import urllib.request


def post(url, body, content_type):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def main():
    url, folder = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 10**9
    feedback = "--feedback" in sys.argv
    classes = [c for c in sorted(os.listdir(folder)) if os.path.isdir(os.path.join(folder, c))]
    files = [(c, os.path.join(folder, c, f)) for c in classes for f in sorted(os.listdir(os.path.join(folder, c)))]
    random.Random(0).shuffle(files)
    files = files[:limit]
    right = corrected = confirmed = 0
    for label, path in files:
        with open(path, "rb") as f:
            kind = "image/png" if path.endswith(".png") else "image/jpeg"
            status, body = post(url + "/v1/predict", f.read(), kind)
        if status != 200:
            sys.exit(f"{path}: {status} {body}")
        answer = body["predictions"][0]
        ok = answer["top"][0]["class"] == label
        right += ok
        if feedback:
            status, _ = post(url + "/v1/feedback", json.dumps(
                {"prediction_id": answer["id"], "correct_label": label}).encode(), "application/json")
            if status != 201:
                sys.exit(f"{path}: feedback {status}")
            confirmed += ok
            corrected += not ok
    print(f"{len(files)} images from {folder}: {right} answered right ({right / len(files):.1%});"
          f" feedback: {corrected} corrections, {confirmed} confirmations")


if __name__ == "__main__":
    main()

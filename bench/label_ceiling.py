"""How well can label errors be detected at all? A ceiling for `tuneup label-issues` on Fashion-MNIST.

Reads the out-of-sample.csv of a `tuneup label-issues --inject-noise ...` run (index, source, given and
true label, tuneup's cross-fitted probabilities), then trains the same kind of CNN (two conv stages of
32 and 64 channels, a dense layer of 128; SGD with one-cycle to 0.05, 4 epochs, 4 folds) with PyTorch
twice: on the given (noisy) labels, as tuneup does, and on the TRUE labels, which no real run has. For
each set of out-of-sample probabilities it prints the detection quality of the simplest rule (flag an
image whose most probable class is not its given label) against the known wrong labels. The
true-label folds show what any detector built on a model of this size can reach for that noise.

    /usr/bin/python3 bench/label_ceiling.py RUN/out-of-sample.csv [--data ../shared/data/fashion-mnist]
"""
import argparse, csv, gzip, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("csv")
ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "fashion-mnist"))
ap.add_argument("--epochs", type=int, default=4)
a = ap.parse_args()
torch.set_num_threads(2)
torch.manual_seed(0)
rows = list(csv.reader(open(a.csv)))
if rows[0][:4] != ["index", "source", "given", "true"]:
    raise SystemExit(a.csv + ": needs the true labels (a run with --inject-noise)")
rows = rows[1:]
record = np.array([int(r[1].split("#")[1]) for r in rows])
given = np.array([int(r[2]) for r in rows])
true = np.array([int(r[3]) for r in rows])
ours = np.array([[float(x) for x in r[4:]] for r in rows])
raw = gzip.open(os.path.join(a.data, "train-images-idx3-ubyte.gz")).read()
x = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 1, 28, 28)[record].astype(np.float32) / 255.0
x = torch.tensor((x - 0.286) / 0.353)
n = len(rows)
wrong = given != true


def net():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 49, 128), nn.ReLU(), nn.Linear(128, 10))


def out_of_sample(labels):
    p = np.zeros((n, 10), np.float32)
    fold = np.random.RandomState(0).permutation(n) % 4
    y = torch.tensor(labels)
    for f in range(4):
        train, held = np.where(fold != f)[0], np.where(fold == f)[0]
        m = net()
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4, nesterov=True)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, 0.05, total_steps=a.epochs * ((len(train) + 127) // 128))
        for _ in range(a.epochs):
            m.train()
            order = np.random.permutation(train)
            for b in range(0, len(order), 128):
                i = order[b:b + 128]
                loss = F.cross_entropy(m(x[i]), y[i])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
        m.eval()
        with torch.no_grad():
            p[held] = F.softmax(m(x[held]), 1).numpy()
    return p


def report(name, p):
    flag = p.argmax(1) != given
    caught = (flag & wrong).sum()
    prec, rec = caught / max(flag.sum(), 1), caught / wrong.sum()
    print("%-34s accuracy vs true labels %.4f; flagged %5d, precision %.3f, recall %.3f, F1 %.3f"
          % (name, (p.argmax(1) == true).mean(), flag.sum(), prec, rec, 2 * prec * rec / max(prec + rec, 1e-9)))


print("%d images, %d labels wrong (%.1f%%)" % (n, wrong.sum(), 100 * wrong.mean()))
report("tuneup's folds (given labels)", ours)
report("PyTorch folds, given labels", out_of_sample(given))
report("PyTorch folds, TRUE labels", out_of_sample(true))

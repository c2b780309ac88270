"""How well can label errors be detected at all? A ceiling for `tuneup label-issues` on Fashion-MNIST.

Reads the out-of-sample.csv of a `tuneup label-issues --inject-noise ...` run (index, source, given and
true label, tuneup's cross-fitted probabilities), then trains the same kind of CNN (two conv stages of
32 and 64 channels, a dense layer of 128; SGD with one-cycle to 0.05, 4 epochs, 4 folds) with PyTorch
twice: on the given (noisy) labels, as tuneup does, and on the TRUE labels, which no real run has. For
each set of out-of-sample probabilities it prints the detection quality of two rules against the known
wrong labels: the simplest (flag an image whose most probable class is not its given label) and
confident learning's prune_by_noise_rate (per-class thresholds, calibrated confident joint, the images
with the largest margin in each off-diagonal cell), as `tuneup label-issues` ranks by default. The
true-label folds show what any detector built on a model of this size can reach for that noise.

Options change how the PyTorch folds train, to try fold recipes before building them in: more epochs,
crop(28,pad=2) + hflip, mixup, label smoothing, and small-loss selection (co-teaching's trick: each
batch drops its highest-loss share, ramped up over the first epoch).

    /usr/bin/python3 bench/label_ceiling.py RUN/out-of-sample.csv [--data ../shared/data/fashion-mnist]
        [--epochs 4] [--augment] [--mixup ALPHA] [--smoothing E] [--drop SHARE] [--given-only]
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
ap.add_argument("--augment", action="store_true", help="crop(28,pad=2) | hflip on every training image")
ap.add_argument("--mixup", type=float, default=0.0, help="mixup alpha, one lam per batch (0 = off)")
ap.add_argument("--smoothing", type=float, default=0.0, help="label smoothing")
ap.add_argument("--drop", type=float, default=0.0, help="share of each batch's highest losses left out")
ap.add_argument("--given-only", action="store_true", help="skip the true-label folds")
a = ap.parse_args()
torch.set_num_threads(2)
torch.manual_seed(0)
np.random.seed(0)
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
black = (0 - 0.286) / 0.353
x = torch.tensor((x - 0.286) / 0.353)
n, k = len(rows), ours.shape[1]
wrong = given != true


def net():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 49, 128), nn.ReLU(), nn.Linear(128, 10))


def augment(xb):
    padded = F.pad(xb, (2, 2, 2, 2), value=black)
    out = torch.empty_like(xb)
    for j in range(xb.shape[0]):
        dy, dx = np.random.randint(0, 5, 2)
        t = padded[j, :, dy:dy + 28, dx:dx + 28]
        out[j] = t.flip(2) if np.random.rand() < 0.5 else t
    return out


def out_of_sample(labels):
    p = np.zeros((n, k), np.float32)
    fold = np.random.RandomState(0).permutation(n) % 4
    y = torch.tensor(labels)
    for f in range(4):
        train, held = np.where(fold != f)[0], np.where(fold == f)[0]
        m = net()
        steps_per_epoch = (len(train) + 127) // 128
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4, nesterov=True)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, 0.05, total_steps=a.epochs * steps_per_epoch)
        step = 0
        for _ in range(a.epochs):
            m.train()
            order = np.random.permutation(train)
            for b in range(0, len(order), 128):
                i = order[b:b + 128]
                xb = augment(x[i]) if a.augment else x[i]
                target = F.one_hot(y[i], k).float()
                if a.mixup > 0:
                    lam = float(np.random.beta(a.mixup, a.mixup))
                    perm = torch.randperm(len(i))
                    xb, target = lam * xb + (1 - lam) * xb[perm], lam * target + (1 - lam) * target[perm]
                target = target * (1 - a.smoothing) + a.smoothing / k
                loss = -(F.log_softmax(m(xb), 1) * target).sum(1)
                keep = len(i) - int(round(a.drop * min(1.0, step / steps_per_epoch) * len(i)))
                loss = torch.topk(loss, keep, largest=False).values.mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
        m.eval()
        with torch.no_grad():
            p[held] = F.softmax(m(x[held]), 1).numpy()
    return p


def prune_by_noise_rate(p):
    """Confident learning's default filter (Northcutt et al. 2021), as tuneup's ConfidentLearning applies it."""
    thresholds = np.array([p[given == j, j].mean() for j in range(k)])
    above = p >= thresholds
    confident = np.where(above, p, -1).argmax(1)
    joint = np.zeros((k, k))
    for i in np.where(above.any(1))[0]:
        joint[given[i], confident[i]] += 1
    joint = joint / np.maximum(joint.sum(1, keepdims=True), 1) * np.bincount(given, minlength=k)[:, None]
    flag = np.zeros(n, bool)
    for i in range(k):
        rows_i = np.where(given == i)[0]
        for j in range(k):
            count = int(round(joint[i, j]))
            if i != j and count > 0:
                margin = p[rows_i, j] - p[rows_i, i]
                flag[rows_i[np.argsort(-margin)[:count]]] = True
    return flag


def report(name, p):
    for rule, flag in (("argmax", p.argmax(1) != given), ("prune_by_noise_rate", prune_by_noise_rate(p))):
        caught = (flag & wrong).sum()
        prec, rec = caught / max(flag.sum(), 1), caught / wrong.sum()
        print("%-34s %-19s accuracy vs true labels %.4f; flagged %5d, precision %.3f, recall %.3f, F1 %.3f"
              % (name, rule, (p.argmax(1) == true).mean(), flag.sum(), prec, rec, 2 * prec * rec / max(prec + rec, 1e-9)))


print("%d images, %d labels wrong (%.1f%%); PyTorch folds: %d epochs%s%s%s%s" % (
    n, wrong.sum(), 100 * wrong.mean(), a.epochs, ", crop+flip" if a.augment else "",
    ", mixup %g" % a.mixup if a.mixup else "", ", smoothing %g" % a.smoothing if a.smoothing else "",
    ", small-loss drop %g" % a.drop if a.drop else ""))
report("tuneup's folds (given labels)", ours)
report("PyTorch folds, given labels", out_of_sample(given))
if not a.given_only:
    report("PyTorch folds, TRUE labels", out_of_sample(true))

#!/usr/bin/python3
"""Golden values for dev.tuneup.evaluate.Evaluation: scikit-learn 1.2 metrics on seeded random predictions.

Run with Debian's python3 (numpy + scikit-learn):  /usr/bin/python3 core/src/test/python/make_eval_golden.py
Writes core/src/test/resources/golden/eval_sklearn.json: the inputs (probabilities as float32 values,
written so that Java's Float.parseFloat reads back the same float, and labels) and the oracle outputs.

The probabilities are softmax rows generated in float64, rounded to float32 and NOT renormalised; the
oracle sees those float32 values cast to float64, exactly what Evaluation computes from (it works in
double). Oracles:
  accuracy_score, top_k_accuracy_score (k = 2 and 3), precision_recall_fscore_support (per class,
  macro, weighted; labels = all classes, zero_division = 0), confusion_matrix, log_loss (sklearn 1.2:
  eps = "auto" = float64 machine epsilon, clip to [eps, 1 - eps], renormalise rows, mean -ln p_true).
  ECE / MCE (15 equal-width bins over the max probability, a bin holding (lo, hi]) and the multiclass
  Brier score (mean over examples of sum over classes (p - onehot)^2) straight from their definitions.
The Java test allows 1e-9.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, confusion_matrix, log_loss, precision_recall_fscore_support,
                             top_k_accuracy_score)

N, C, BINS, SEED = 200, 4, 15, 20240611
CLASSES = ["cat", "dog", "bird", "airplane"]

rng = np.random.default_rng(SEED)
labels = rng.integers(0, C, size=N)
# Logits that favour the true class most of the time, with a few confident mistakes and near-ties.
logits = rng.normal(0.0, 1.5, size=(N, C))
logits[np.arange(N), labels] += rng.uniform(0.0, 3.0, size=N)
logits[:5] *= 12.0  # a few very confident rows
# Two confident mistakes whose true-class probability lies below log_loss's eps (2.2e-16) once in
# float32: ~1e-26, and 0 (float32 underflow). They pin the clipping rule.
logits[5, labels[5]] -= 60.0
logits[6, labels[6]] -= 120.0
p64 = np.exp(logits - logits.max(axis=1, keepdims=True))
p64 /= p64.sum(axis=1, keepdims=True)
p32 = p64.astype(np.float32)
p = p32.astype(np.float64)  # what Java sees: the float values, widened

# Exact ties would make argmax/top-k tie rules matter; this data has none (Java breaks ties to the lower index).
assert all(len(set(row)) == C for row in p32.tolist()), "tie in a row"

for row in p32:
    for v in row:
        assert np.float32(float(str(v))) == v and repr(float(str(v))) == str(v), v

pred = p.argmax(axis=1)
labs = list(range(C))
prec, rec, f1, sup = precision_recall_fscore_support(labels, pred, labels=labs, zero_division=0)
macro = precision_recall_fscore_support(labels, pred, labels=labs, average="macro", zero_division=0)
weighted = precision_recall_fscore_support(labels, pred, labels=labs, average="weighted", zero_division=0)

conf = p.max(axis=1)
correct = (pred == labels).astype(np.float64)
bin_of = np.clip(np.ceil(conf * BINS).astype(int) - 1, 0, BINS - 1)
bins, ece, mce = [], 0.0, 0.0
for b in range(BINS):
    m = bin_of == b
    cnt = int(m.sum())
    if cnt == 0:
        bins.append({"count": 0, "confidence": None, "accuracy": None})
        continue
    c, a = conf[m].mean(), correct[m].mean()
    ece += abs(a - c) * cnt / N
    mce = max(mce, abs(a - c))
    bins.append({"count": cnt, "confidence": c, "accuracy": a})

onehot = np.eye(C)[labels]
brier = float(((p - onehot) ** 2).sum(axis=1).mean())
assert np.finfo(np.float64).eps == 2.0 ** -52
p_true = p[np.arange(N), labels]
assert p_true[5] < 2.0 ** -52 and p_true[6] == 0.0, p_true[5:7]

golden = {
    "generator": "core/src/test/python/make_eval_golden.py",
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "classes": CLASSES,
    "bins": BINS,
    "labels": labels.tolist(),
    # str of a float32 is its shortest round-trip decimal: Float.parseFloat of that text is the same float.
    "probabilities": [[float(str(v)) for v in row] for row in p32],
    "expected": {
        "n": N,
        "accuracy": accuracy_score(labels, pred),
        "top_k": {str(k): top_k_accuracy_score(labels, p, k=k, labels=labs) for k in (1, 2, 3)},
        "precision": prec.tolist(),
        "recall": rec.tolist(),
        "f1": f1.tolist(),
        "support": sup.tolist(),
        "macro": list(macro[:3]),
        "weighted": list(weighted[:3]),
        "confusion": confusion_matrix(labels, pred, labels=labs).tolist(),
        "log_loss": log_loss(labels, p, labels=labs),
        "brier": brier,
        "ece": ece,
        "mce": mce,
        "reliability": bins,
    },
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden", "eval_sklearn.json")
with open(os.path.normpath(out), "w") as f:
    json.dump(golden, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(out), "accuracy", golden["expected"]["accuracy"], "log_loss",
      golden["expected"]["log_loss"], "ece", ece)

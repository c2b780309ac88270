"""Golden values for ClassDropsTest, computed independently of the Java code (numpy + scipy).

Per class: one-sided paired-proportions Wald test of H0 drop <= margin, then Holm's step-down
correction (written out here; statsmodels' multipletests(method="holm") gives the same).
Run: python3 core/src/test/python/class_drops_golden.py
"""
import numpy as np
from scipy.stats import norm

MARGIN, ALPHA, POWER = 0.02, 0.05, 0.8
# per class: n, broken, fixed
CASES = [(250, 30, 8), (250, 12, 10), (250, 5, 9), (200, 20, 5), (250, 0, 0)]


def p_value(n, b, f, m):
    d = (b - f) / n
    var = ((b + f) - (b - f) ** 2 / n) / n ** 2
    if var <= 0:
        return 0.0 if d > m else 1.0
    return float(norm.sf((d - m) / np.sqrt(var)))


def holm(p):
    p = np.asarray(p)
    order = np.argsort(p, kind="stable")
    out = np.empty_like(p)
    running = 0.0
    for r, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - r) * p[i]))
        out[i] = running
    return out


p = [p_value(n, b, f, MARGIN) for n, b, f in CASES]
adj = holm(p)
total = sum(n for n, _, _ in CASES)
rate = sum(b + f for _, b, f in CASES) / total
z = norm.isf(ALPHA / len(CASES)) + norm.isf(1 - POWER)
for (n, b, f), pv, a in zip(CASES, p, adj):
    print(f"n={n} b={b} f={f} p={pv:.12g} holm={a:.12g} detectable={MARGIN + z * np.sqrt(rate / n):.12g}")

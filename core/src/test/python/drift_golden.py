"""Golden values for DriftTest, computed independently of the Java code (numpy + scipy).

Run: python3 core/src/test/python/drift_golden.py
"""
import numpy as np
from scipy.stats import chi2, kstwobign

EPS = 1e-4
REF_N = 1000
REF_CLASS = np.array([0.5, 0.3, 0.2])
REF_BINS = np.array([0, 0, 0, 0.02, 0.03, 0.05, 0.05, 0.05, 0.1, 0.2, 0.2, 0.3])

CASES = {
    "identical": ([100, 60, 40], [0, 0, 0, 4, 6, 10, 10, 10, 20, 40, 40, 60]),
    "moderate": ([150, 110, 140], [0, 0, 0, 12, 16, 24, 24, 24, 44, 80, 80, 96]),
    "shift": ([100, 60, 240], [8, 12, 40, 40, 40, 40, 40, 40, 40, 40, 40, 20]),
}


def psi(a, e):
    a = np.maximum(a, EPS)
    e = np.maximum(e, EPS)
    return float(np.sum((a - e) * np.log(a / e)))


for name, (classes, bins) in CASES.items():
    classes, bins = np.array(classes, float), np.array(bins, float)
    n = classes.sum()
    assert n == bins.sum()
    d = float(np.max(np.abs(np.cumsum(bins / n) - np.cumsum(REF_BINS))))
    m = REF_N * n / (REF_N + n)
    p = float(kstwobign.sf(np.sqrt(m) * d))
    scale = 1 / n + 1 / REF_N
    cp = psi(classes / n, REF_CLASS)
    bp = psi(bins / n, REF_BINS)
    print(f"{name}: n={n:.0f} classPsi={cp!r} confidencePsi={bp!r} ks={d!r} p={p!r}"
          f" classPsiP={float(chi2.sf(cp / scale, np.count_nonzero(REF_CLASS) - 1))!r}"
          f" confidencePsiP={float(chi2.sf(bp / scale, np.count_nonzero(REF_BINS) - 1))!r}")

# Ten even classes, 154 predictions drawn from them: a PSI above 0.1 that chance alone explains.
TEN = np.full(10, 0.1)
small = np.array([24, 9, 19, 11, 20, 9, 17, 12, 22, 11], float)
sp = psi(small / small.sum(), TEN)
print(f"small: classPsi={sp!r} p={float(chi2.sf(sp / (1 / small.sum() + 1 / REF_N), 9))!r}")

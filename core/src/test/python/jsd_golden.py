"""Golden values for Losses.jsd (AugMix's Jensen-Shannon consistency term), computed with scipy.

JSD(p_1..p_V) = (1/V) * sum_v KL(p_v || M), M = mean_v p_v clamped to [1e-7, 1], each KL summed over
classes (scipy.stats.entropy) and averaged over the images, times the weight. Run:
    python3 core/src/test/python/jsd_golden.py
and paste the printed values into LossesTest.jsdMatchesScipy.
"""
import numpy as np
from scipy.special import softmax
from scipy.stats import entropy

# 3 views x 2 images x 4 classes, stacked view after view as the loader emits them
logits = np.array([
    [2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 0.3, 0.4],      # clean
    [1.5, -0.5, 0.0, 0.3], [2.0, -2.0, 0.0, 1.0],     # view 1
    [-1.0, 0.0, 3.0, 0.2], [0.0, 0.0, 0.0, 0.0],      # view 2
], dtype=np.float64)
views, n, k = 3, 2, 4
p = softmax(logits, axis=1).reshape(views, n, k)
m = np.clip(p.mean(axis=0), 1e-7, 1.0)
kl = [entropy(p[v, i], m[i]) for v in range(views) for i in range(n)]  # entropy(p, q) = KL(p || q)
jsd = sum(kl) / (n * views)
print("weight 1:  %.10f" % jsd)
print("weight 12: %.10f" % (12 * jsd))

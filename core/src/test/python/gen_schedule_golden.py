#!/usr/bin/python3
"""Golden values for dev.tuneup.train schedules: torch.optim.lr_scheduler on small step counts.

Run with Debian's python3 (python3-torch):  /usr/bin/python3 core/src/test/python/gen_schedule_golden.py
Writes core/src/test/resources/golden/schedules_torch.json: for each case our spec string, the total
number of steps, the torch scheduler that is the oracle, and the LR at steps 0..total-1.

StepLR, MultiStepLR, ExponentialLR, PolynomialLR and CosineAnnealingLR update the LR recursively
(lr_t = lr_{t-1} * ratio); we record their closed forms (what torch computes when stepped with an
explicit epoch), and check here that the recursive values differ from them by rounding only.
Values are written to 12 significant digits to keep the file small (the Java test allows 1e-9).
"""
import json
import math
import os
import warnings

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

warnings.filterwarnings("ignore")


def opt(lr):
    return SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=0.9)


def run(make, lr, total, closed_form):
    """The LR at steps 0..total-1; the closed form where torch has one, else the stepped values."""
    sched = make(opt(lr))
    stepped, closed = [], []
    for t in range(total):
        stepped.append(sched.get_last_lr()[0])
        if closed_form:
            closed.append(sched._get_closed_form_lr()[0])
        sched.step()
    if not closed_form:
        return stepped
    dev = max(abs(a - b) for a, b in zip(stepped, closed)) / lr
    assert dev < 1e-12, "recursive and closed form differ by %g" % dev
    return closed


def warmup(start, steps, inner):
    def make(o):
        return S.SequentialLR(o, [S.LinearLR(o, start_factor=start, total_iters=steps), inner(o)], milestones=[steps])
    return make


CASES = [
    ("constant(lr=0.1)", 10, "LambdaLR(lambda t: 1)", lambda o: S.LambdaLR(o, lambda t: 1.0), 0.1, False),
    ("step(lr=0.1,every=7,gamma=0.5)", 40, "StepLR(step_size=7, gamma=0.5)",
     lambda o: S.StepLR(o, 7, 0.5), 0.1, True),
    ("multistep(lr=0.1,at=(10,25,35),gamma=0.3)", 40, "MultiStepLR(milestones=[10,25,35], gamma=0.3)",
     lambda o: S.MultiStepLR(o, [10, 25, 35], 0.3), 0.1, True),
    ("exponential(lr=0.1,gamma=0.93)", 40, "ExponentialLR(gamma=0.93)", lambda o: S.ExponentialLR(o, 0.93), 0.1, True),
    ("poly(lr=0.1,power=2,min=0)", 40, "PolynomialLR(total_iters=40, power=2)",
     lambda o: S.PolynomialLR(o, total_iters=40, power=2.0), 0.1, True),
    ("poly(lr=0.05,power=0.5,min=0)", 40, "PolynomialLR(total_iters=40, power=0.5)",
     lambda o: S.PolynomialLR(o, total_iters=40, power=0.5), 0.05, True),
    ("cosine(lr=0.1,min=0)", 40, "CosineAnnealingLR(T_max=40)", lambda o: S.CosineAnnealingLR(o, 40), 0.1, True),
    ("cosine(lr=0.1,min=0.001)", 40, "CosineAnnealingLR(T_max=40, eta_min=0.001)",
     lambda o: S.CosineAnnealingLR(o, 40, eta_min=0.001), 0.1, True),
    ("cosine(lr=0.1,min=0.001,restarts=2,mult=2)", 42, "CosineAnnealingWarmRestarts(T_0=6, T_mult=2, eta_min=0.001)",
     lambda o: S.CosineAnnealingWarmRestarts(o, T_0=6, T_mult=2, eta_min=0.001), 0.1, False),
    ("cosine(lr=0.05,min=0,restarts=3,mult=1)", 48, "CosineAnnealingWarmRestarts(T_0=12)",
     lambda o: S.CosineAnnealingWarmRestarts(o, T_0=12), 0.05, False),
    ("onecycle(max=0.1,pct=0.3,div=25,final=10000)", 40,
     "OneCycleLR(max_lr=0.1, total_steps=40, pct_start=0.3, anneal_strategy='cos', div_factor=25, final_div_factor=1e4)",
     lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=40, pct_start=0.3, anneal_strategy="cos", div_factor=25.0,
                            final_div_factor=1e4, cycle_momentum=False), 0.1, False),
    ("onecycle(max=0.2,pct=0.25,div=10,final=100)", 45,
     "OneCycleLR(max_lr=0.2, total_steps=45, pct_start=0.25, anneal_strategy='cos', div_factor=10, final_div_factor=100)",
     lambda o: S.OneCycleLR(o, max_lr=0.2, total_steps=45, pct_start=0.25, anneal_strategy="cos", div_factor=10.0,
                            final_div_factor=100.0, cycle_momentum=False), 0.2, False),
    ("cyclic(base=0.001,max=0.1,half=6,mode=triangular)", 40, "CyclicLR(0.001, 0.1, step_size_up=6)",
     lambda o: S.CyclicLR(o, 0.001, 0.1, step_size_up=6, cycle_momentum=False), 0.1, False),
    ("cyclic(base=0.001,max=0.1,half=5,mode=triangular2)", 40, "CyclicLR(0.001, 0.1, step_size_up=5, mode='triangular2')",
     lambda o: S.CyclicLR(o, 0.001, 0.1, step_size_up=5, mode="triangular2", cycle_momentum=False), 0.1, False),
    ("cyclic(base=0.001,max=0.1,half=7,mode=exp_range,gamma=0.97)", 40,
     "CyclicLR(0.001, 0.1, step_size_up=7, mode='exp_range', gamma=0.97)",
     lambda o: S.CyclicLR(o, 0.001, 0.1, step_size_up=7, mode="exp_range", gamma=0.97, cycle_momentum=False), 0.1, False),
    ("cosine(lr=0.1,min=0.001,warmup=10,warmup_start=0.1)", 40,
     "SequentialLR([LinearLR(start_factor=0.1, total_iters=10), CosineAnnealingLR(T_max=30, eta_min=0.001)], milestones=[10])",
     warmup(0.1, 10, lambda o: S.CosineAnnealingLR(o, 30, eta_min=0.001)), 0.1, False),
    ("step(lr=0.1,every=8,gamma=0.5,warmup=5,warmup_start=0.2)", 30,
     "SequentialLR([LinearLR(start_factor=0.2, total_iters=5), StepLR(step_size=8, gamma=0.5)], milestones=[5])",
     warmup(0.2, 5, lambda o: S.StepLR(o, 8, 0.5)), 0.1, False),
]


def metrics_down_then_flat(n):
    return [round(1.0 / (1 + 0.3 * i) if i < 12 else 0.22 + 0.004 * math.sin(1.7 * i), 6) for i in range(n)]


def metrics_up_then_noisy(n):
    return [round(min(0.9, 0.5 + 0.05 * i) + 0.01 * math.cos(2.3 * i), 6) for i in range(n)]


PLATEAU = [
    ("plateau(lr=0.1,factor=0.5,patience=2,mode=min,threshold=0.01,cooldown=1,min=0.01)",
     dict(mode="min", factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.01), 0.1, metrics_down_then_flat(30)),
    ("plateau(lr=0.1,factor=0.1,patience=0,mode=max,threshold=0.0001,cooldown=0,min=0.00001)",
     dict(mode="max", factor=0.1, patience=0, threshold=1e-4, cooldown=0, min_lr=1e-5), 0.1, metrics_up_then_noisy(24)),
    ("plateau(lr=0.1,factor=0.1,patience=10,mode=min,threshold=0.0001,cooldown=0,min=0)",
     dict(mode="min"), 0.1, metrics_down_then_flat(40)),
    ("plateau(lr=0.02,factor=0.3,patience=3,mode=min,threshold=0.05,cooldown=2,min=0.001)",
     dict(mode="min", factor=0.3, patience=3, threshold=0.05, cooldown=2, min_lr=0.001), 0.02,
     [3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, float("nan"), 0.5, 0.5, 0.5, 0.5,
      0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
]


def g(x):
    return float("%.12g" % x)


def main():
    cases = []
    for spec, total, oracle, make, lr, closed in CASES:
        cases.append({"spec": spec, "total": total, "torch": oracle, "lr": [g(v) for v in run(make, lr, total, closed)]})
    plateau = []
    for spec, kwargs, lr, metrics in PLATEAU:
        o = opt(lr)
        sched = S.ReduceLROnPlateau(o, threshold_mode="rel", **kwargs)
        lrs = []
        for m in metrics:
            sched.step(m)
            lrs.append(g(o.param_groups[0]["lr"]))
        plateau.append({"spec": spec, "metrics": [None if math.isnan(m) else m for m in metrics], "lr": lrs})
    path = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "schedules_torch.json")
    with open(path, "w") as f:
        json.dump({"generator": "torch " + torch.__version__ + " torch.optim.lr_scheduler; lr = LR at steps 0..total-1"
                   " (plateau: after observing each metric; null = NaN)", "cases": cases, "plateau": plateau},
                  f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path), len(cases), "cases,", len(plateau), "plateau cases,", os.path.getsize(path),
          "bytes")


if __name__ == "__main__":
    main()

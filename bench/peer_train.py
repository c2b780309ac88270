#!/usr/bin/python3
"""Training-throughput benchmark, PyTorch peer side (run with Debian's /usr/bin/python3: python3-torch).

    /usr/bin/python3 bench/peer_train.py --model resnet20|cnn [--epochs 5] [--batches 40] [--batch 128]
                                          [--threads 2] [--interop 1] [--channels-last] [--bf16] [--seed 1]

Trains on synthetic data held in memory (random uint8 images, normalised to float32 once, before any
timing), so that only the training step is measured. The models are built exactly as tuneup builds
them (the layouts of core/src/test/python/gen_model_golden.py, which match dev.tuneup.model's
parameter counts):

  resnet20  ResNet-20 on 3x32x32: 3x3 stem, 3 stages x 3 basic blocks at 16/32/64 channels, BatchNorm,
            ReLU, 1x1 conv + BN projection shortcuts, global average pool, linear 10 (272,474 params).
  cnn       tuneup's "cnn" with conv widths [32, 64], dense [128], no norm, max pool, dropout 0.5,
            spatial dropout 0.25, on 1x28x28: per width conv3x3 (same padding, bias) - ReLU -
            maxpool 2 - Dropout2d(0.25); flatten, linear 128 - ReLU - Dropout(0.5) - linear 10.
            This is tuneup's CNN, NOT the exact Keras MNIST example (which uses valid convs and one pool).

Each step does what tuneup's FitLoop does: zero the gradients, forward in training mode,
cross-entropy, read the loss (loss.item()), backward, SGD (momentum 0.9, weight decay 5e-4, lr 0.05;
torch decays every parameter, tuneup skips the 1-D ones), and count correct predictions (argmax on
the host). Per epoch the order is a fresh seeded permutation; a batch is one index_select of the
in-memory tensor (what a DataLoader over tensors costs, without worker processes).
One JSON object per line on stdout.
"""
import argparse
import json
import os
import sys
import time

t_import = time.perf_counter()
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

IMPORT_S = time.perf_counter() - t_import


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))
                      if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        return torch.relu(self.main(x) + self.short(x))


def resnet(widths, blocks, classes=10, cin=3):
    layers = [nn.Conv2d(cin, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU()]
    c = widths[0]
    for stage, w in enumerate(widths):
        for b in range(blocks):
            layers.append(Basic(c, w, 2 if stage > 0 and b == 0 else 1))
            c = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


def cnn(cin=1, size=28, widths=(32, 64), dense=(128,), classes=10, drop=0.5, spatial=0.25):
    layers = []
    c = cin
    for w in widths:
        layers += [nn.Conv2d(c, w, 3, 1, 1, bias=True), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout2d(spatial)]
        c = w
        size //= 2
    layers.append(nn.Flatten())
    f = c * size * size
    for d in dense:
        layers += [nn.Linear(f, d), nn.ReLU(), nn.Dropout(drop)]
        f = d
    layers.append(nn.Linear(f, classes))
    return nn.Sequential(*layers)


MODELS = {
    "resnet20": (lambda: resnet([16, 32, 64], 3), (3, 32, 32), 272474),
    "cnn": (lambda: cnn(), (1, 28, 28), 421642),
}


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def cpu_s():
    t = os.times()
    return t.user + t.system


def emit(**kv):
    print(json.dumps({"impl": "torch", **kv}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batches", type=int, default=40, help="batches per epoch (images = batches * batch)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--interop", type=int, default=1)
    ap.add_argument("--channels-last", action="store_true", help="model and inputs in channels-last memory format")
    ap.add_argument("--bf16", action="store_true",
                    help="torch.autocast('cpu', torch.bfloat16) around the forward, as tuneup's training.precision: bf16")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup-steps", type=int, default=5, help="steps of epoch 1 left out of 'after warm-up'")
    ap.add_argument("--profile", default=None,
                    help="write a chrome trace (torch.autograd.profiler) of the 3 steps after the warm-up here")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(args.interop)
    except RuntimeError:
        pass  # only settable before any parallel work; the default (1 on this build) stays
    torch.manual_seed(args.seed)

    build, shape, expect_params = MODELS[args.model]
    model = build()
    params = sum(p.numel() for p in model.parameters())
    if expect_params is not None and params != expect_params:
        raise SystemExit(f"{args.model} has {params} parameters, tuneup's has {expect_params}")
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)

    n = args.batches * args.batch
    g = torch.Generator().manual_seed(args.seed)
    pixels = torch.randint(0, 256, (n, *shape), dtype=torch.uint8, generator=g)
    data = ((pixels.float() / 255.0) - 0.5) / 0.25  # normalised once, outside every timing
    labels = torch.randint(0, 10, (n,), generator=g)
    del pixels

    emit(phase="setup", model=args.model, python=sys.version.split()[0], torch=torch.__version__,
         mkldnn=torch.backends.mkldnn.is_available(), cpus=os.cpu_count(), torch_threads=torch.get_num_threads(),
         interop_threads=torch.get_num_interop_threads(), channels_last=args.channels_last, bf16=args.bf16, batch=args.batch,
         images_per_epoch=n, params=params, import_s=IMPORT_S, rss_mb=rss_mb())

    step = 0
    warm_s = 0.0  # time of the steps after the first --warmup-steps, between-epoch work excluded
    warm_images = 0
    steady = []
    for e in range(args.epochs):
        order = torch.randperm(n, generator=g)
        c0 = cpu_s()
        t0 = time.perf_counter()
        loss_sum = 0.0
        correct = 0
        t_prev = t0
        for b in range(args.batches):
            idx = order[b * args.batch:(b + 1) * args.batch]
            x = data.index_select(0, idx)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            y = labels.index_select(0, idx)
            if args.profile and step == args.warmup_steps:
                prof = torch.autograd.profiler.profile(record_shapes=True)
                prof.__enter__()
            opt.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                out = model(x)
            loss = F.cross_entropy(out.float(), y)
            loss_value = loss.item()
            loss.backward()
            opt.step()
            correct += int((out.detach().argmax(1) == y).sum())
            loss_sum += loss_value * x.shape[0]
            step += 1
            if args.profile and step == args.warmup_steps + 3:
                prof.__exit__(None, None, None)
                prof.export_chrome_trace(args.profile)
            now = time.perf_counter()
            if step > args.warmup_steps:
                warm_images += x.shape[0]
                warm_s += now - t_prev
            t_prev = now
        s = time.perf_counter() - t0
        cpu = cpu_s() - c0
        if e > 0:
            steady.append(s)
        emit(phase="epoch", epoch=e + 1, images=n, seconds=s, images_per_s=n / s, cpu_s=cpu,
             loss=loss_sum / n, acc=correct / n, loadavg=os.getloadavg()[0], rss_mb=rss_mb())
    emit(phase="summary", model=args.model, steady_epochs=len(steady),
         steady_images_per_s=(len(steady) * n / sum(steady)) if steady else None,
         warmup_steps=args.warmup_steps,
         after_warmup_images_per_s=warm_images / warm_s if warm_s else None,
         loadavg=os.getloadavg()[0])


if __name__ == "__main__":
    main()

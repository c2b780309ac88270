#!/usr/bin/python3
"""Input-pipeline benchmark, PyTorch peer side (run with Debian's /usr/bin/python3: torch + torchvision).

    /usr/bin/python3 bench/peer_loader.py <cifar10-jpg.tar.gz> [--epochs 3] [--workers 2] [--threads 1]

Extracts the archive to a temporary folder (timed, reported separately, not part of the comparison),
then times torchvision.datasets.ImageFolder(<tmp>/cifar10/train, ToTensor + Normalize) and
DataLoader(batch_size=128, shuffle=True, num_workers=2) over the 50k train images. The consumer only
reads each batch's shape, as the tuneup side does. Decoding (PIL) happens inside every epoch: that is
how ImageFolder works. One JSON object per line on stdout.
"""
import argparse
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time

t_import = time.perf_counter()
import torch  # noqa: E402
import torchvision  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402

IMPORT_S = time.perf_counter() - t_import

# Published CIFAR-10 train statistics (the tuneup side computes its own from the data, outside
# the timing; the values only change the arithmetic constants, not the cost).
MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def cpu_s():
    """CPU seconds of this process plus its finished children (DataLoader workers end with each epoch)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def emit(**kv):
    print(json.dumps({"impl": "torch", **kv}), flush=True)


def find_split(root, split):
    """<root>/<top>/<split> or <root>/<split>, the same layouts tuneup accepts."""
    if os.path.isdir(os.path.join(root, split)):
        return os.path.join(root, split)
    for top in sorted(os.listdir(root)):
        p = os.path.join(root, top, split)
        if os.path.isdir(p):
            return p
    raise SystemExit(f"no {split}/ folder in the extracted archive under {root}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("archive")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch.set_num_threads in the main process (DataLoader workers always use 1)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--tmp", default=None, help="where to extract (default: a new folder in $TMPDIR)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    emit(phase="setup", python=sys.version.split()[0], torch=torch.__version__,
         torchvision=torchvision.__version__, cpus=os.cpu_count(), loader_workers=args.workers,
         torch_threads=torch.get_num_threads(), batch=args.batch, import_s=IMPORT_S, rss_mb=rss_mb())

    tmp = tempfile.mkdtemp(prefix="peer-loader-", dir=args.tmp)
    try:
        t0 = time.perf_counter()
        with tarfile.open(args.archive) as tar:
            tar.extractall(tmp)
        extract_s = time.perf_counter() - t0
        emit(phase="extract", what="tarfile extractall of the whole archive (not in the comparison)",
             seconds=extract_s, rss_mb=rss_mb())

        tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
        t0 = time.perf_counter()
        ds = datasets.ImageFolder(find_split(tmp, "train"), transform=tf)
        index_s = time.perf_counter() - t0
        emit(phase="index", what="ImageFolder scan of train/ (part of the cold time)", images=len(ds),
             seconds=index_s)

        gen = torch.Generator()
        gen.manual_seed(1)
        loader = DataLoader(ds, batch_size=args.batch, shuffle=True, num_workers=args.workers, generator=gen)
        epoch_s = []
        for e in range(args.epochs):
            c0 = cpu_s()
            t0 = time.perf_counter()
            images = 0
            batches = 0
            for x, _y in loader:
                images += x.shape[0]  # touch the batch, nothing more
                batches += 1
            s = time.perf_counter() - t0
            cpu = cpu_s() - c0  # the epoch's workers have been joined by now (not persistent)
            epoch_s.append(s)
            emit(phase="epoch", epoch=e + 1, images=images, batches=batches, seconds=s,
                 images_per_s=images / s, cpu_s=cpu, loadavg=os.getloadavg()[0], rss_mb=rss_mb())

        n = len(ds)
        cold = index_s + epoch_s[0]
        steady = epoch_s[1:]
        emit(phase="summary", cold_seconds=cold, cold_images=n, cold_images_per_s=n / cold,
             cold_with_extract_images_per_s=n / (cold + extract_s), steady_epochs=len(steady),
             steady_images_per_s=(len(steady) * n / sum(steady)) if steady else None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

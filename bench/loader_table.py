#!/usr/bin/python3
"""Prints the results table of bench/loader.sh from its raw folder (tuneup.<r>.jsonl, torch.<r>.jsonl).

With several repetitions each cell is the median, with (min-max) beside it; the ratio column is the
median of the per-repetition ratios (each repetition pairs one tuneup run with the peer run after it).
"""
import glob
import json
import os
import statistics
import sys


def read(path):
    rows = [json.loads(line) for line in open(path) if line.startswith("{")]
    return {r["phase"] + (str(r["epoch"]) if r["phase"] == "epoch" else ""): r for r in rows}


def runs(folder, impl):
    files = sorted(glob.glob(os.path.join(folder, f"{impl}.*.jsonl")),
                   key=lambda p: int(p.rsplit(".", 2)[-2]))
    return [read(p) for p in files]


def cell(values, fmt):
    m = statistics.median(values)
    if len(values) == 1:
        return fmt.format(m)
    return f"{fmt.format(m)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def main(folder):
    ours, peer = runs(folder, "tuneup"), runs(folder, "torch")
    n = min(len(ours), len(peer))
    ours, peer = ours[:n], peer[:n]
    epochs = sorted(int(k[5:]) for k in ours[0] if k.startswith("epoch"))

    # (name, per-run ours img/s, per-run peer img/s, ours wall, peer wall, ours cpu, peer cpu)
    rows = []

    def add(name, fo, fp, wo=None, wp=None, co=None, cp=None):
        rows.append((name, [fo(j) for j in ours], [fp(t) for t in peer],
                     [wo(j) for j in ours] if wo else None, [wp(t) for t in peer] if wp else None,
                     [co(j) for j in ours] if co else None, [cp(t) for t in peer] if cp else None))

    add("cold: load+decode, then epoch 1 (50k train images)",
        lambda j: j["summary"]["cold_images_per_s"], lambda t: t["summary"]["cold_images_per_s"],
        lambda j: j["summary"]["cold_seconds"], lambda t: t["summary"]["cold_seconds"],
        lambda j: j["load"]["cpu_s"] + j["epoch1"]["cpu_s"], lambda t: t["epoch1"]["cpu_s"])
    for e in epochs:
        k = f"epoch{e}"
        if all(k in t for t in peer):
            add(f"epoch {e} alone", lambda j, k=k: j[k]["images_per_s"], lambda t, k=k: t[k]["images_per_s"],
                lambda j, k=k: j[k]["seconds"], lambda t, k=k: t[k]["seconds"],
                lambda j, k=k: j[k]["cpu_s"], lambda t, k=k: t[k]["cpu_s"])
    if len(epochs) > 1:
        add(f"steady state (epochs 2-{epochs[-1]})", lambda j: j["summary"]["steady_images_per_s"],
            lambda t: t["summary"]["steady_images_per_s"])
    add("info: cold, peer incl. its tar extraction", lambda j: j["summary"]["cold_images_per_s"],
        lambda t: t["summary"]["cold_with_extract_images_per_s"], None,
        lambda t: t["summary"]["cold_seconds"] + t["extract"]["seconds"])

    print()
    print(f"{n} repetition(s); median (min-max) where more than one")
    print()
    print("| measurement | tuneup img/s | torch img/s | ours / peer | wall s: tuneup / torch | CPU s: tuneup / torch |")
    print("|---|---:|---:|---:|---|---|")
    for name, o, p, wo, wp, co, cp in rows:
        ratio = statistics.median(a / b for a, b in zip(o, p))
        rmin, rmax = min(a / b for a, b in zip(o, p)), max(a / b for a, b in zip(o, p))
        rtxt = f"**{ratio:.2f}x**" + (f" ({rmin:.2f}-{rmax:.2f})" if n > 1 else "")
        wall = f"{cell(wo, '{:.2f}') if wo else '-'} / {cell(wp, '{:.2f}') if wp else '-'}"
        cpu = f"{cell(co, '{:.1f}')} / {cell(cp, '{:.1f}')}" if co else ""
        print(f"| {name} | {cell(o, '{:,.0f}')} | {cell(p, '{:,.0f}')} | {rtxt} | {wall} | {cpu} |")
    print()
    decoded, train = ours[0]["load"]["images"], ours[0]["load"]["train_images"]
    print(f"tuneup load+decode of the whole archive ({decoded:,} images, of which {train:,} train): "
          + cell([j["load"]["seconds"] for j in ours], "{:.2f}") + " s; not timed: mean/std "
          + cell([j["stats"]["seconds"] for j in ours], "{:.2f}") + " s, engine start "
          + cell([j["setup"]["engine_start_s"] for j in ours], "{:.2f}") + " s; peer `import torch` "
          + cell([t["setup"]["import_s"] for t in peer], "{:.2f}") + " s, peer tar extraction "
          + cell([t["extract"]["seconds"] for t in peer], "{:.2f}") + " s.")
    for r, (j, t) in enumerate(zip(ours, peer), 1):
        rj = ", ".join(f'{j[f"epoch{e}"]["rss_mb"]:.0f}' for e in epochs)
        rt = ", ".join(f'{t[f"epoch{e}"]["rss_mb"]:.0f}' for e in epochs if f"epoch{e}" in t)
        la = [j["load"]["loadavg"]] + [j[f"epoch{e}"]["loadavg"] for e in epochs] \
            + [t[f"epoch{e}"]["loadavg"] for e in epochs if f"epoch{e}" in t]
        print(f"run {r}: RSS MiB after load {j['load']['rss_mb']:.0f}, after each epoch [{rj}] "
              f"(Java heap in use {j[f'epoch{epochs[-1]}']['heap_used_mb']:.0f}); torch main process [{rt}]; "
              f"1-min load average during the run {min(la):.1f}-{max(la):.1f}")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env bash
# Input-pipeline benchmark: tuneup (bench/LoaderBench.java) against torchvision ImageFolder +
# DataLoader (bench/peer_loader.py) on the same CIFAR-10 JPEG archive, in one run, one after the other.
#
#   bench/loader.sh                 # 3 epochs each
#   EPOCHS=5 bench/loader.sh
#   TUNEUP_DATA=/some/dir bench/loader.sh   # looks for /some/dir/cifar10-jpg.tar.gz
#
# Needs Java 17+, Maven (only if the jar is missing), and Debian's python3-torch + python3-torchvision
# at /usr/bin/python3 (PEER_PYTHON overrides). Raw JSON lines are kept in a temp folder (printed at the end).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${EPOCHS:-3}"
workers="${WORKERS:-2}"
peer_python="${PEER_PYTHON:-/usr/bin/python3}"

# TUNEUP_DATA may list several folders separated by ':' (as tuneup itself reads it); take the first hit.
data=""
IFS=':' read -r -a dirs <<< "${TUNEUP_DATA:-$repo/../shared/data}"
for d in "${dirs[@]}"; do
  if [ -n "$d" ] && [ -f "$d/cifar10-jpg.tar.gz" ]; then
    data="$d/cifar10-jpg.tar.gz"
    break
  fi
done
if [ -z "$data" ]; then
  echo "loader.sh: cifar10-jpg.tar.gz not found in ${TUNEUP_DATA:-$repo/../shared/data} (set TUNEUP_DATA)" >&2
  exit 1
fi
if ! "$peer_python" -c 'import torch, torchvision' 2>/dev/null; then
  echo "loader.sh: $peer_python has no torch/torchvision (Debian: apt-get install python3-torchvision)" >&2
  exit 1
fi

jar="$repo/cli/target/tuneup.jar"
if [ ! -f "$jar" ]; then
  echo "loader.sh: building $jar ..." >&2
  (cd "$repo" && mvn -q -B -ntp -DskipTests package) >&2
fi

out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-loader-bench.XXXXXX")"
# Run from a private copy, so a rebuild of the jar by someone else mid-run cannot break this run.
cp "$jar" "$out/tuneup.jar"

{
  echo "# date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "# cpu:    $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "# mem:    $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "# java:   $(java -version 2>&1 | head -1)"
  echo "# python: $("$peer_python" -c 'import sys, torch, torchvision; print(sys.version.split()[0], "torch", torch.__version__, "torchvision", torchvision.__version__)')"
  echo "# data:   $data ($(du -h "$data" | cut -f1))"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

echo "== tuneup (epochs=$epochs, loader workers=$workers, libtorch threads=1)" >&2
java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$out/tuneup.jar" "$repo/bench/LoaderBench.java" "$data" --epochs "$epochs" --workers "$workers" \
  2> "$out/tuneup.err" | tee "$out/tuneup.jsonl"

echo "== torch peer (epochs=$epochs, num_workers=$workers, torch threads=1)" >&2
"$peer_python" "$repo/bench/peer_loader.py" "$data" --epochs "$epochs" --workers "$workers" --threads 1 \
  2> "$out/torch.err" | tee "$out/torch.jsonl"

echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

"$peer_python" - "$out/tuneup.jsonl" "$out/torch.jsonl" <<'PY' | tee "$out/table.md"
import json, sys

def read(p):
    rows = [json.loads(l) for l in open(p) if l.startswith("{")]
    return {r["phase"] + (str(r["epoch"]) if r["phase"] == "epoch" else ""): r for r in rows}

j, t = read(sys.argv[1]), read(sys.argv[2])
js, ts = j["summary"], t["summary"]
rows = [
    ("cold: load+decode+1st epoch (50k train imgs)", js["cold_images_per_s"], ts["cold_images_per_s"],
     f'{js["cold_seconds"]:.2f} s vs {ts["cold_seconds"]:.2f} s'),
]
epochs = sorted(int(k[5:]) for k in j if k.startswith("epoch"))
for e in epochs:
    a, b = j[f"epoch{e}"], t.get(f"epoch{e}")
    if b:
        rows.append((f"epoch {e} alone", a["images_per_s"], b["images_per_s"],
                     f'{a["seconds"]:.2f} s vs {b["seconds"]:.2f} s'))
if js.get("steady_images_per_s") and ts.get("steady_images_per_s"):
    rows.append((f"steady state (mean of epochs 2..{len(epochs)})", js["steady_images_per_s"],
                 ts["steady_images_per_s"], ""))
rows.append(("info: cold, peer incl. tar extraction", js["cold_images_per_s"],
             ts["cold_with_extract_images_per_s"], f'extract {t["extract"]["seconds"]:.2f} s'))

print()
print("| measurement | tuneup img/s | torch img/s | ours / peer | seconds (ours vs peer) |")
print("|---|---:|---:|---:|---|")
for name, a, b, note in rows:
    print(f"| {name} | {a:,.0f} | {b:,.0f} | {a / b:.2f}x | {note} |")
print()
print(f'tuneup load+decode of the whole archive (60k incl. test): {j["load"]["seconds"]:.2f} s '
      f'({j["load"]["images_per_s"]:,.0f} img/s); stats {j["stats"]["seconds"]:.2f} s and engine start '
      f'{j["setup"]["engine_start_s"]:.2f} s not timed; peer import {t["setup"]["import_s"]:.2f} s not timed.')
rss_j = ", ".join(f'{j[f"epoch{e}"]["rss_mb"]:.0f}' for e in epochs)
rss_t = ", ".join(f'{t[f"epoch{e}"]["rss_mb"]:.0f}' for e in epochs if f"epoch{e}" in t)
print(f'RSS MiB after load: tuneup {j["load"]["rss_mb"]:.0f}; after each epoch: tuneup [{rss_j}] '
      f'(heap in use {j[f"epoch{epochs[-1]}"]["heap_used_mb"]:.0f}), torch main process [{rss_t}]')
PY
echo "raw output: $out" >&2
rm -f "$out/tuneup.jar"

#!/usr/bin/env bash
# Fine-tuning a ResNet-18-layout TorchScript base at 224 px: `tuneup finetune` (the CLI as users run
# it, launcher environment) against PyTorch 1.13 doing the same step (bench/peer_finetune224.py), one
# after the other in one run. The base is torchvision's resnet18 with random weights, exported headless
# (throughput does not depend on the weights). tuneup trains on CIFAR-10 images brought from 32 to 224
# by data.size 224 (shorter side to 256, centre crop, + hflip); images/s is read from its metrics.csv
# (epoch 2, after warm-up).
#
#   bench/finetune224.sh                 # 320 images per epoch, batch 32, 2 epochs, 2 threads
#   IMAGES=640 THREADS=1 bench/finetune224.sh
#
# Needs the CIFAR-10 JPEGs (TUNEUP_DATA, default ../shared/data) and Debian's python3-torchvision.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="${IMAGES:-320}"
threads="${THREADS:-2}"
data="${TUNEUP_DATA:-$repo/../shared/data}"
out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-ft224.XXXXXX")"
{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# cpu:     $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
  echo "# python:  $(/usr/bin/python3 -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__)')"
  echo "# setting: images/epoch=$images batch=32 threads=$threads; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"
/usr/bin/python3 - "$out/r18.pt" <<'PY'
import sys, torch, torchvision
m = torchvision.models.resnet18(weights=None)
m.fc = torch.nn.Identity()
torch.jit.script(m).save(sys.argv[1])
PY
# exactly as users run it: the launcher (./tuneup) and its environment; threads pinned like the peer's
per_class=$((images / 10))
TUNEUP_DATA="$data" TUNEUP_JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1" \
  "$repo/tuneup" -q finetune --base "$out/r18.pt" \
  --set data.name=cifar10 --set data.size=224 --set data.per_class="$per_class" --set data.val_fraction=0.004 \
  --set data.use_test=false --set 'augment.train=hflip' --set finetune.recipe=full --set finetune.lr=0.01 \
  --set optimizer.name=sgd --set training.batch_size=32 --set training.epochs=2 --set training.workers=1 \
  --set output.dir="$out/runs" > "$out/tuneup.log" 2>&1
csv="$(ls "$out"/runs/*/metrics.csv | head -1)"
tuneup_ips="$(python3 -c "import csv,sys; r=list(csv.DictReader(open('$csv'))); print(r[-1]['images_per_s'])")"
/usr/bin/python3 "$repo/bench/peer_finetune224.py" --base "$out/r18.pt" --images "$images" --threads "$threads" \
  --epochs 2 > "$out/peer.jsonl"
peer_ips="$(tail -1 "$out/peer.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["images_per_s"])')"
python3 - "$tuneup_ips" "$peer_ips" <<'PY' | tee "$out/table.md"
import sys
t, p = float(sys.argv[1]), float(sys.argv[2])
print("| ResNet-18 fine-tune at 224 px, batch 32 | tuneup img/s | PyTorch img/s | ratio |")
print("|---|---|---|---|")
print(f"| full fine-tune, SGD, epoch 2 | {t:.1f} | {p:.1f} | {t / p:.2f}x |")
PY
echo "raw logs: $out"

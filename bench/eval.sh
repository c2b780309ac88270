#!/usr/bin/env bash
# Evaluation throughput: how fast `tuneup eval` runs the corruption suite compared with plain
# inference of the same images (the issue's rule: corrupting must not dominate).
#
#   bench/eval.sh                          # trains a 1-epoch CIFAR-10 CNN, then 100 test images per class
#   PER_CLASS=1000 bench/eval.sh           # the full CIFAR-10 test set (about 20 minutes on 2 cores)
#   MODEL=runs/.../bundle bench/eval.sh    # an existing bundle
#
# Prints the images/s of plain inference and of corrupting + inference (all 18 corruptions at
# severities 1-5) from eval.json, and their ratio.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
per_class="${PER_CLASS:-100}"
out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-eval-bench.XXXXXX")"
model="${MODEL:-}"
if [ -z "$model" ]; then
  "$repo/tuneup" train --set data.name=cifar10 --set "model.conv_widths=[32, 64, 128]" --set training.epochs=1 \
    --set output.dir="$out" --set output.name=model >/dev/null 2>&1
  model="$(ls -d "$out"/*-model/bundle)"
fi
start=$(date +%s.%N)
"$repo/tuneup" eval --model "$model" --data cifar10 --limit "$per_class" --corruptions all --severities 1-5 \
  --bootstrap 0 --out "$out" 2>/dev/null | tail -3
end=$(date +%s.%N)
json="$(ls "$out"/*-eval/eval.json)"
python3 - "$json" "$start" "$end" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
plain, corr = e["plain_images_per_second"], e["corrupted_images_per_second"]
n = e["test"]["n"]
levels = len(e["corruptions"])
print(f"| images | corrupted copies | plain img/s | corrupt + predict img/s | ratio | wall s |")
print(f"|---|---|---|---|---|---|")
print(f"| {n} | {levels} x {n} | {plain:,.0f} | {corr:,.0f} | **{corr / plain:.2f}x** | {float(sys.argv[3]) - float(sys.argv[2]):.0f} |")
PY
echo "raw: $out"

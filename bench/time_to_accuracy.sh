#!/usr/bin/env bash
# Time to accuracy on Fashion-MNIST, end to end from the command's start, tuneup then its PyTorch peer in
# the same run:
#   tuneup: ./tuneup train --config examples/fashion-mnist-fast.yaml (the launcher, exactly as a user runs it:
#           JVM start, data load and decode, every epoch's validation and the one test pass included)
#   peer:   bench/peer_fmnist.py, the Keras MNIST CNN with Adam, test accuracy after every epoch, stopping at
#           the first epoch that reaches the target (import torch and the IDX reading included)
#
#   bench/time_to_accuracy.sh                     # target 0.91; tuneup uses libtorch's default threads (one
#                                                 # per core), the peer THREADS (default 2)
#   CONFIG=examples/fashion-mnist-cnn.yaml bench/time_to_accuracy.sh
#   PEER_BF16=1 bench/time_to_accuracy.sh         # also the peer with bf16 autocast
#   REPEATS=2 bench/time_to_accuracy.sh
# Needs the Fashion-MNIST IDX files in $TUNEUP_DATA/fashion-mnist (../shared/data by default) and Debian's
# python3-torch. Raw output goes to a temp folder (printed at the end) with table.md.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="${CONFIG:-examples/fashion-mnist-fast.yaml}"
target="${TARGET:-0.91}"
repeats="${REPEATS:-1}"
threads="${THREADS:-2}"
peer_python="${PEER_PYTHON:-/usr/bin/python3}"
data="${TUNEUP_DATA:-$repo/../shared/data}"
if [ ! -f "$data/fashion-mnist/train-images-idx3-ubyte.gz" ]; then
  echo "time_to_accuracy.sh: no Fashion-MNIST in $data/fashion-mnist (set TUNEUP_DATA, or ./tuneup data fetch fashion-mnist)" >&2
  exit 1
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-tta.XXXXXX")"
(cd "$repo" && ./tuneup --version >/dev/null) # builds the jar first if needed: not part of the timing
{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit:  $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD || echo ' (+ uncommitted changes)')"
  echo "# cpu:     $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
  echo "# setting: config=$config target=$target threads=$threads repeats=$repeats"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"
for r in $(seq 1 "$repeats"); do
  runs="$out/runs$r"
  echo "== [$r/$repeats] tuneup train --config $config" >&2
  t0=$(date +%s.%N)
  (cd "$repo" && TUNEUP_DATA="$data" ./tuneup -q train --config "$config" --set "output.dir=$runs" \
    2>"$out/tuneup.$r.err" >"$out/tuneup.$r.out") || { cat "$out/tuneup.$r.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  test_json="$(ls -d "$runs"/*/ | tail -1)test.json"
  "$peer_python" - "$test_json" "$t0" "$t1" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY' | tee "$out/tuneup.$r.jsonl"
import json, sys
t = json.load(open(sys.argv[1]))
print(json.dumps({"impl": "tuneup", "phase": "summary", "test_acc": t["accuracy"],
                  "seconds": float(sys.argv[3]) - float(sys.argv[2]), "loadavg": float(sys.argv[4])}))
PY
  echo "== [$r/$repeats] torch peer (Keras CNN, Adam)" >&2
  "$peer_python" "$repo/bench/peer_fmnist.py" --data "$data/fashion-mnist" --target "$target" --threads "$threads" \
    | tee "$out/torch.$r.jsonl"
  if [ "${PEER_BF16:-0}" = 1 ]; then
    "$peer_python" "$repo/bench/peer_fmnist.py" --data "$data/fashion-mnist" --target "$target" --threads "$threads" \
      --bf16 | tee "$out/torchbf16.$r.jsonl"
  fi
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
"$peer_python" - "$out" "$target" <<'PY' | tee "$out/table.md"
import glob, json, os, sys
out, target = sys.argv[1], float(sys.argv[2])
def summary(p):
    return next(json.loads(l) for l in open(p) if '"summary"' in l)
print("| run | tuneup s | tuneup test acc | peer s (to target) | peer epochs | peer test acc | tuneup / peer time |")
print("|---|---:|---:|---:|---:|---:|---:|")
for p in sorted(glob.glob(os.path.join(out, "tuneup.*.jsonl"))):
    r = p.split(".")[-2]
    t = summary(p)
    q = summary(os.path.join(out, f"torch.{r}.jsonl"))
    ok = t["test_acc"] is not None and t["test_acc"] >= target
    ratio = f"**{t['seconds'] / q['seconds']:.2f}x**" if ok and q["reached"] else "target not reached"
    print(f"| {r} | {t['seconds']:.0f} | {t['test_acc']:.4f} | {q['seconds']:.0f}{'' if q['reached'] else ' (not reached)'} "
          f"| {q['epochs']} | {q['test_acc']:.4f} | {ratio} |")
PY
echo "raw output: $out" >&2

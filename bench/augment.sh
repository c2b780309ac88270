#!/usr/bin/env bash
# Augmentation throughput per core: tuneup (bench/AugmentBench.java) and torchvision (bench/peer_augment.py)
# in one run, one after the other, each on one thread. Prints medians and ratios.
#   bench/augment.sh            IMAGES=20000 REPEATS=3 by default
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer_python="${PEER_PYTHON:-/usr/bin/python3}"
data="${TUNEUP_DATA:-$repo/../shared/data}"
data="${data%%:*}/cifar10-jpg.tar.gz"
[ -f "$data" ] || { echo "augment.sh: $data not found (set TUNEUP_DATA)" >&2; exit 1; }
jar="$repo/cli/target/tuneup.jar"
[ -f "$jar" ] || (cd "$repo" && mvn -q -B -ntp -DskipTests package)
out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-augment-bench.XXXXXX")"
cp "$jar" "$out/tuneup.jar"
echo "# $(date -u +%FT%TZ) commit $(git -C "$repo" rev-parse --short HEAD) on $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Dai.djl.pytorch.num_threads=1 \
  -Dai.djl.pytorch.num_interop_threads=1 -cp "$out/tuneup.jar" "$repo/bench/AugmentBench.java" "$data" \
  --images "${IMAGES:-20000}" --repeats "${REPEATS:-3}" | tee "$out/tuneup.jsonl"
"$peer_python" "$repo/bench/peer_augment.py" "$data" --images "${IMAGES:-20000}" --repeats "${REPEATS:-3}" \
  | tee "$out/torch.jsonl"
"$peer_python" - "$out" <<'PY'
import json, statistics, sys, os
rows = [json.loads(l) for f in ("tuneup.jsonl", "torch.jsonl") for l in open(os.path.join(sys.argv[1], f)) if l.strip()]
med = {}
for r in rows:
    med.setdefault((r["case"], r["side"]), []).append(r["images_per_s"])
print("| pipeline (1 core) | tuneup img/s | torchvision img/s | ratio |")
print("|---|---:|---:|---:|")
for case in dict.fromkeys(r["case"] for r in rows):
    t = statistics.median(med[(case, "tuneup")]); p = statistics.median(med[(case, "torchvision")])
    print(f"| {case} | {t:,.0f} | {p:,.0f} | {t / p:.1f}x |")
PY
rm -f "$out/tuneup.jar"

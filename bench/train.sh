#!/usr/bin/env bash
# Training-throughput benchmark: tuneup's training loop (bench/TrainBench.java, the real FitLoop) against
# the same model trained by PyTorch 1.13 from Python (bench/peer_train.py), on synthetic in-memory data,
# batch 128, one after the other in one run: for each model and repetition, tuneup then the peer.
#
#   bench/train.sh                       # ResNet-20 (3x32x32) and the CNN (1x28x28), 5 epochs, 2 threads
#   PRECISION=fp32 bench/train.sh        # tuneup's training.precision (default auto: bf16 where the CPU has
#                                        # AMX-BF16 or AVX512-BF16); the peer runs fp32, and also bf16
#                                        # autocast on such CPUs (PEER_BF16=0 skips that run)
#   THREADS=1 bench/train.sh             # libtorch intra-op threads on both sides
#   REPEATS=3 MODELS=resnet20 bench/train.sh
#   WORKERS=0 bench/train.sh             # tuneup loader assembles batches on the training thread
#   EPOCHS=5 BATCHES_RESNET20=20 BATCHES_CNN=40 bench/train.sh   # batches per epoch (the defaults)
#   PEER_EXTRA=--channels-last bench/train.sh   # options passed to the peer only
#   LEVERS=1 REPEATS=2 bench/train.sh     # instead: the lever matrix on ResNet-20 (see below), no FitLoop
#
# tuneup runs in the launcher's environment (./tuneup sets glibc's MALLOC_ARENA_MAX=1 and fixed mmap/trim
# thresholds unless they are set); the peer runs in the environment as given, as Python users run it.
# Extra environment (OMP_WAIT_POLICY, MALLOC_*) is passed to both sides unchanged. Needs Java 17+,
# Maven (only if the jar is missing) and Debian's python3-torch at /usr/bin/python3 (PEER_PYTHON
# overrides). Raw JSON lines are kept in a temp folder (printed at the end) with table.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${EPOCHS:-5}"
repeats="${REPEATS:-1}"
threads="${THREADS:-2}"
workers="${WORKERS:-1}"
models="${MODELS:-resnet20 cnn}"
peer_python="${PEER_PYTHON:-/usr/bin/python3}"
peer_extra="${PEER_EXTRA:-}"
java_extra="${JAVA_EXTRA:-}"
precision="${PRECISION:-auto}"
cpu_bf16=0
if grep -m1 '^flags' /proc/cpuinfo | grep -qwE 'amx_bf16|avx512_bf16'; then cpu_bf16=1; fi
peer_bf16="${PEER_BF16:-$cpu_bf16}"
# the launcher's JVM options and allocator settings (see ./tuneup), for tuneup's side only
launcher_java=(-Xmx8g -XX:+UseSerialGC -XX:MaxNewSize=256m)
launcher_env=(MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
  MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}")

if ! "$peer_python" -c 'import torch' 2>/dev/null; then
  echo "train.sh: $peer_python has no torch (Debian: apt-get install python3-torch)" >&2
  exit 1
fi

jar="$repo/cli/target/tuneup.jar"
if [ ! -f "$jar" ]; then
  echo "train.sh: building $jar ..." >&2
  (cd "$repo" && mvn -q -B -ntp -DskipTests package) >&2
fi

out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-train-bench.XXXXXX")"
# Run from a private copy, so a rebuild of the jar by someone else mid-run cannot break this run.
cp "$jar" "$out/tuneup.jar"

{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "# cpu:     $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
  echo "# java:    $(java -version 2>&1 | head -1)"
  echo "# python:  $("$peer_python" -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__)')"
  if [ "${LEVERS:-0}" = 1 ]; then
    echo "# setting: LEVERS=1 (ResNet-20, 1 epoch of ${LEVER_BATCHES:-14} batches per configuration) repeats=$repeats"
  else
    echo "# setting: threads=$threads (interop 1) workers=$workers epochs=$epochs repeats=$repeats models=[$models] tuneup precision=$precision peer bf16 run=$peer_bf16"
    echo "# tuneup env (launcher's): ${launcher_env[*]} ${launcher_java[*]}"
  fi
  echo "# env:     $(env | grep -E '^(OMP_|GOMP_|MALLOC_|LD_PRELOAD=|THP_)' | sort | tr '\n' ' ')peer_extra=[$peer_extra] java_extra=[$java_extra]"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

# LEVERS=1: one short run per configuration (ResNet-20, one epoch of LEVER_BATCHES batches, images/s
# after 5 warm-up steps), configurations interleaved and repeated, so that the load others put on the
# machine hits them alike. tuneup runs TrainBench --mode breakdown (FitLoop's step, timed by phase).
if [ "${LEVERS:-0}" = 1 ]; then
  lb="${LEVER_BATCHES:-14}"
  malloc="MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296"
  jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
  configs=(
    "tuneup|t1|1|"
    "torch|t1|1|"
    "tuneup|t2|2|"
    "torch|t2|2|"
    "tuneup|t2, glibc malloc: one arena, fixed thresholds|2|$malloc"
    "tuneup|t2, THP_MEM_ALLOC_ENABLE=1 + those malloc settings|2|THP_MEM_ALLOC_ENABLE=1 $malloc"
    "tuneup|t2, OMP_WAIT_POLICY=PASSIVE|2|OMP_WAIT_POLICY=PASSIVE"
    "torch|t2, OMP_WAIT_POLICY=PASSIVE|2|OMP_WAIT_POLICY=PASSIVE"
    "tuneup|t2, channels-last input|2|CL=1"
    "torch|t2, channels-last model+input|2|CL=1"
  )
  if [ -f "$jemalloc" ]; then
    configs+=("tuneup|t2, jemalloc with page decay off|2|LD_PRELOAD=$jemalloc MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1")
  fi
  for r in $(seq 1 "$repeats"); do
    for c in "${configs[@]}"; do
      IFS='|' read -r side name th envs <<< "$c"
      cl=""
      if [ "$envs" = "CL=1" ]; then envs=""; cl=1; fi
      la="$(cut -d' ' -f1 /proc/loadavg)"
      if [ "$side" = tuneup ]; then
        # shellcheck disable=SC2086
        line="$(env $envs /usr/bin/time -f 'minflt=%R' java -Dai.djl.offline=true \
          -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Dai.djl.pytorch.num_threads="$th" \
          -Dai.djl.pytorch.num_interop_threads=1 -cp "$out/tuneup.jar" "$repo/bench/TrainBench.java" \
          --model resnet20 --epochs 1 --batches "$lb" --mode breakdown --workers 0 \
          --channels-last "${cl:+true}${cl:-false}" 2>&1 | grep -E '"breakdown"|minflt=' | tr '\n' ' ')" || true
      else
        # shellcheck disable=SC2086
        line="$(env $envs /usr/bin/time -f 'minflt=%R' "$peer_python" "$repo/bench/peer_train.py" \
          --model resnet20 --epochs 1 --batches "$lb" --threads "$th" ${cl:+--channels-last} 2>&1 \
          | grep -E '"summary"|minflt=' | tr '\n' ' ')" || true
      fi
      ips="$(grep -o 'after_warmup_images_per_s": [0-9.]*' <<< "$line" | grep -o '[0-9.]*$' || echo '?')"
      flt="$(grep -o 'minflt=[0-9]*' <<< "$line" | cut -d= -f2 || echo '?')"
      echo "$r|$side|$name|$ips|$flt|$la" | tee -a "$out/levers.txt"
    done
  done
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
  "$peer_python" - "$out/levers.txt" <<'EOF' | tee "$out/levers.md"
import collections, statistics, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    r, side, name, ips, flt, la = line.rstrip("\n").split("|")
    rows.setdefault((side, name), []).append((float(ips) if ips not in ("", "?") else None,
                                              int(flt) if flt.isdigit() else None, float(la)))
print("| side | configuration (libtorch threads) | img/s after warm-up, median (min-max) | minor page faults, whole process | 1-min load avg |")
print("|---|---|---:|---:|---|")
for (side, name), v in rows.items():
    ips = [x[0] for x in v if x[0] is not None]
    flt = [x[1] for x in v if x[1] is not None]
    las = [x[2] for x in v]
    med = f"{statistics.median(ips):.0f}" if ips else "?"
    rng = f" ({min(ips):.0f}-{max(ips):.0f})" if len(ips) > 1 else ""
    fl = f"{statistics.median(flt):,.0f}" if flt else "?"
    print(f"| {side} | {name} | {med}{rng} | {fl} | {min(las):.2f}-{max(las):.2f} |")
EOF
  echo "raw output: $out" >&2
  rm -f "$out/tuneup.jar"
  exit 0
fi

for model in $models; do
  case "$model" in
    resnet20) batches="${BATCHES_RESNET20:-20}" ;;
    cnn) batches="${BATCHES_CNN:-40}" ;;
    *) echo "train.sh: unknown model $model (resnet20, cnn)" >&2; exit 2 ;;
  esac
  for r in $(seq 1 "$repeats"); do
    echo "== [$model $r/$repeats] tuneup (epochs=$epochs, batches=$batches, threads=$threads, workers=$workers)" >&2
    # shellcheck disable=SC2086
    env "${launcher_env[@]}" java "${launcher_java[@]}" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
      -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 $java_extra \
      -cp "$out/tuneup.jar" "$repo/bench/TrainBench.java" --model "$model" --epochs "$epochs" \
      --batches "$batches" --workers "$workers" --precision "$precision" \
      2> "$out/tuneup.$model.$r.err" | tee "$out/tuneup.$model.$r.jsonl" \
      || { cat "$out/tuneup.$model.$r.err" >&2; exit 1; }

    echo "== [$model $r/$repeats] torch peer (epochs=$epochs, batches=$batches, threads=$threads)" >&2
    # shellcheck disable=SC2086
    "$peer_python" "$repo/bench/peer_train.py" --model "$model" --epochs "$epochs" --batches "$batches" \
      --threads "$threads" --interop 1 $peer_extra \
      2> "$out/torch.$model.$r.err" | tee "$out/torch.$model.$r.jsonl" \
      || { cat "$out/torch.$model.$r.err" >&2; exit 1; }
    if [ "$peer_bf16" = 1 ]; then
      echo "== [$model $r/$repeats] torch peer, bf16 autocast" >&2
      # shellcheck disable=SC2086
      "$peer_python" "$repo/bench/peer_train.py" --model "$model" --epochs "$epochs" --batches "$batches" \
        --threads "$threads" --interop 1 --bf16 $peer_extra \
        2> "$out/torchbf16.$model.$r.err" | tee "$out/torchbf16.$model.$r.jsonl" \
        || { cat "$out/torchbf16.$model.$r.err" >&2; exit 1; }
    fi
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

# The table: medians (min-max) over repetitions; the ratio is taken per repetition (ours / the peer's
# run right after it), then the median of those.
"$peer_python" - "$out" <<'EOF' | tee "$out/table.md"
import glob, json, os, statistics, sys

out = sys.argv[1]

def lines(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.startswith("{")]

def fmt(vals, digits=0):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    m = statistics.median(vals)
    s = f"{m:,.{digits}f}"
    if len(vals) > 1:
        s += f" ({min(vals):,.{digits}f}-{max(vals):,.{digits}f})"
    return s

def ratio(vals, bold):
    if not vals:
        return ""
    m = statistics.median(vals)
    s = f"**{m:.2f}x**" if bold else f"{m:.2f}x"
    if len(vals) > 1:
        s += f" ({min(vals):.2f}-{max(vals):.2f})"
    return s

rows = []
notes = []
models = []
for p in sorted(glob.glob(os.path.join(out, "tuneup.*.jsonl"))):
    m = p.split("tuneup.")[1].split(".")[0]
    if m not in models:
        models.append(m)
precision = lines(glob.glob(os.path.join(out, "tuneup.*.jsonl"))[0])[0].get("precision", "fp32")
print(f"tuneup trains in {precision}; the ratios are ours / that peer run (the peer run right after ours).")
print()
print("| model | side | steady img/s (epochs 2-N) | after warm-up img/s | first epoch img/s | ours / peer (steady) | ours / peer (after warm-up) | 1-min load avg |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for m in models:
    runs = sorted(glob.glob(os.path.join(out, f"tuneup.{m}.*.jsonl")), key=lambda p: int(p.split(".")[-2]))
    ours, peer, peer16, ratio_s, ratio_w, ratio16_s, ratio16_w = [], [], [], [], [], [], []
    for p in runs:
        r = p.split(".")[-2]
        t = lines(p)
        q = lines(os.path.join(out, f"torch.{m}.{r}.jsonl"))
        ts = next(x for x in t if x["phase"] == "summary")
        qs = next(x for x in q if x["phase"] == "summary")
        te = [x for x in t if x["phase"] == "epoch"]
        qe = [x for x in q if x["phase"] == "epoch"]
        ours.append((ts, te))
        peer.append((qs, qe))
        if ts["steady_images_per_s"] and qs["steady_images_per_s"]:
            ratio_s.append(ts["steady_images_per_s"] / qs["steady_images_per_s"])
        if ts["after_warmup_images_per_s"] and qs["after_warmup_images_per_s"]:
            ratio_w.append(ts["after_warmup_images_per_s"] / qs["after_warmup_images_per_s"])
        b16 = os.path.join(out, f"torchbf16.{m}.{r}.jsonl")
        if os.path.exists(b16):
            q16 = lines(b16)
            q16s = next(x for x in q16 if x["phase"] == "summary")
            peer16.append((q16s, [x for x in q16 if x["phase"] == "epoch"]))
            if ts["steady_images_per_s"] and q16s["steady_images_per_s"]:
                ratio16_s.append(ts["steady_images_per_s"] / q16s["steady_images_per_s"])
            if ts["after_warmup_images_per_s"] and q16s["after_warmup_images_per_s"]:
                ratio16_w.append(ts["after_warmup_images_per_s"] / q16s["after_warmup_images_per_s"])
        ck = [x for x in t if x["phase"] == "checkpoint"]
        notes.append(f"{m} run {r}: tuneup RSS MiB after each epoch {[round(x['rss_mb']) for x in te]} "
                     f"(growth first to last {ts['rss_growth_pct']:+.1f}%), data wait "
                     f"{[round(100 * x['data_wait'], 1) for x in te]}% of epoch time, checkpoint s "
                     f"{[round(x['seconds'], 2) for x in ck]} ({ck[0]['bytes'] // 1024 if ck else 0} KiB each, not in img/s); "
                     f"torch RSS MiB {[round(x['rss_mb']) for x in qe]}; "
                     f"load avg tuneup {min(x['loadavg'] for x in te):.2f}-{max(x['loadavg'] for x in te):.2f}, "
                     f"torch {min(x['loadavg'] for x in qe):.2f}-{max(x['loadavg'] for x in qe):.2f}")
    sides = [("tuneup " + precision, ours, None, None), ("torch 1.13 fp32", peer, ratio_s, ratio_w)]
    if peer16:
        sides.append(("torch 1.13 bf16 autocast", peer16, ratio16_s, ratio16_w))
    for side, data, rs, rw in sides:
        loads = [x["loadavg"] for _, e in data for x in e]
        print(f"| {m} | {side} | {fmt([s['steady_images_per_s'] for s, _ in data])} "
              f"| {fmt([s['after_warmup_images_per_s'] for s, _ in data])} "
              f"| {fmt([e[0]['images_per_s'] for _, e in data])} "
              f"| {ratio(rs, True)} | {ratio(rw, False)} "
              f"| {min(loads):.2f}-{max(loads):.2f} |")
print()
for n in notes:
    print("- " + n)
EOF
echo "raw output: $out" >&2
rm -f "$out/tuneup.jar"

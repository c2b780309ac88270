#!/usr/bin/env bash
# Input-pipeline benchmark: tuneup (bench/LoaderBench.java) against torchvision ImageFolder +
# DataLoader (bench/peer_loader.py) on the same CIFAR-10 JPEG archive, in one run, one after the other.
#
#   bench/loader.sh                 # 3 epochs each
#   EPOCHS=5 bench/loader.sh
#   REPEATS=3 bench/loader.sh       # tuneup, peer, tuneup, peer, ...; the table shows medians (min-max)
#   TUNEUP_DATA=/some/dir bench/loader.sh   # looks for /some/dir/cifar10-jpg.tar.gz
#
# Needs Java 17+, Maven (only if the jar is missing), and Debian's python3-torch + python3-torchvision
# at /usr/bin/python3 (PEER_PYTHON overrides). Raw JSON lines are kept in a temp folder (printed at the end).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${EPOCHS:-3}"
repeats="${REPEATS:-1}"
workers="${WORKERS:-2}"
peer_python="${PEER_PYTHON:-/usr/bin/python3}"
# the launcher's JVM options and allocator settings (see ./tuneup), for tuneup's side only: the bench
# measures the load as the CLI runs it (the JVM's default G1 grew the heap to 1.8 GB RSS while decoding)
launcher_java=(-Xmx8g -XX:+UseSerialGC -XX:MaxNewSize=256m)
launcher_env=(MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
  MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}")

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

for r in $(seq 1 "$repeats"); do
  echo "== [$r/$repeats] tuneup (epochs=$epochs, loader workers=$workers, libtorch threads=1)" >&2
  env "${launcher_env[@]}" java "${launcher_java[@]}" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "$out/tuneup.jar" "$repo/bench/LoaderBench.java" "$data" --epochs "$epochs" --workers "$workers" \
    2> "$out/tuneup.$r.err" | tee "$out/tuneup.$r.jsonl" || { cat "$out/tuneup.$r.err" >&2; exit 1; }

  echo "== [$r/$repeats] torch peer (epochs=$epochs, num_workers=$workers, torch threads=1)" >&2
  "$peer_python" "$repo/bench/peer_loader.py" "$data" --epochs "$epochs" --workers "$workers" --threads 1 \
    2> "$out/torch.$r.err" | tee "$out/torch.$r.jsonl" || { cat "$out/torch.$r.err" >&2; exit 1; }
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

"$peer_python" "$repo/bench/loader_table.py" "$out" | tee "$out/table.md"
echo "raw output: $out" >&2
rm -f "$out/tuneup.jar"

#!/usr/bin/env bash
# ONNX serving benchmark (issue 20): ONNX Runtime in process, batch 32, against tuneup's Predictor on the same
# bundle, in the same JVM and run (bench/OnnxBench.java), for the quickstart CNN and ResNet-20 (random weights;
# speed does not depend on the values). Prints the machine, the CPU flags that matter to both engines' kernels,
# then a markdown table.
#
#   bench/onnx.sh                         # 2 threads each, 2 alternating rounds of 8 s, about 2 minutes
#   THREADS=1 SECONDS_RUN=5 bench/onnx.sh
#
# Images: the first 256 CIFAR-10 test JPEGs of $TUNEUP_DATA/cifar10-jpg.tar.gz (default ../shared/data), decoded once.
# Needs Java 17+ and Maven (to build the jar if missing and to find onnxruntime, a test dependency of tuneup-core).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads="${THREADS:-2}"
secs="${SECONDS_RUN:-8}"
rounds="${ROUNDS:-2}"
data="${TUNEUP_DATA:-$repo/../shared/data}/cifar10-jpg.tar.gz"
[ -f "$data" ] || { echo "onnx.sh: no $data (set TUNEUP_DATA)" >&2; exit 1; }

jar="$repo/cli/target/tuneup.jar"
if [ ! -f "$jar" ]; then
  echo "onnx.sh: building $jar ..." >&2
  (cd "$repo" && mvn -q -B -ntp -pl cli -am -DskipTests package) >&2
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-onnx-bench.XXXXXX")"
cp "$jar" "$out/tuneup.jar"
(cd "$repo" && mvn -q -B -ntp -o -pl core dependency:build-classpath -Dmdep.includeArtifactIds=onnxruntime \
  -Dmdep.outputFile="$out/ort.cp") >&2

{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "# cpu:     $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "# flags:   $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|avx_vnni|amx_bf16|amx_int8|amx_tile)$' | tr '\n' ' ')"
  echo "# java:    $(java -version 2>&1 | head -1)"
  echo "# setting: threads=$threads (libtorch intra-op and ORT intra-op) batch=32 rounds=$rounds window=${secs}s"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

mkdir -p "$out/imgs"
tar xzf "$data" -C "$out/imgs" --wildcards 'cifar10/test/*/00[0-2][0-9].jpg'
java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 -cp "$out/tuneup.jar:$(cat "$out/ort.cp")" "$repo/bench/OnnxBench.java" \
  "$out/run" "$out/imgs" --seconds "$secs" --threads "$threads" --rounds "$rounds" | tee "$out/table.md"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw output: $out" >&2
rm -f "$out/tuneup.jar"

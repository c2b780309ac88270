#!/usr/bin/env bash
# Serving benchmark (issue 8): `tuneup serve` in its own process under a closed-loop load generator on loopback
# (1, 4, 16, 64 clients), against in-process batch inference of the same bundle (the ceiling) and PyTorch 1.13
# from Python (b1 latency and batch-32 throughput); then an overload run (open loop at 4x the measured capacity)
# against a server with a small queue and a deadline, to see how it sheds. Prints a markdown table.
#
#   bench/serve.sh                          # both models, about 7 minutes
#   MODELS=cnn SECONDS_RUN=5 bench/serve.sh # shorter
#   THREADS=1 bench/serve.sh                # libtorch intra-op threads of the in-process ceiling and the peer
#   SERVER_THREADS=2 bench/serve.sh         # the server's --threads (default: the server's own default)
#   SHED_QUEUE=64 SHED_TIMEOUT_MS=200 OVERLOAD=4 bench/serve.sh
#
# Bundles: the quickstart CNN and ResNet-20 for 3x32x32, 10 classes, random weights (bench/ServeBench.java bundles).
# Request bodies: 256 CIFAR-10 test JPEGs from $TUNEUP_DATA/cifar10-jpg.tar.gz (default ../shared/data).
# The load generator runs on the same machine as the server (its CPU time is reported); the server runs with
# its defaults (--max-batch 32 --max-delay-ms 5 --queue 256 --timeout-ms 1000 --workers 1, --threads half the cores).
# Needs Java 17+, Maven only if the jar is missing, /usr/bin/python3 with torch + torchvision (PEER_PYTHON), and
# wrk (Debian: apt-get install wrk) for the rows it drives (skipped without it): the JDK HttpClient of ServeBench's
# closed loop spends more CPU per request than a small server does, on the same two cores.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="${MODELS:-cnn resnet20}"
threads="${THREADS:-$(nproc)}"
server_threads=(); [ -n "${SERVER_THREADS:-}" ] && server_threads=(--threads "$SERVER_THREADS")
secs="${SECONDS_RUN:-8}"
warm="${WARMUP:-3}"
clients="${CLIENTS:-1,4,16,64}"
shed_queue="${SHED_QUEUE:-64}"
shed_timeout="${SHED_TIMEOUT_MS:-200}"
overload="${OVERLOAD:-4}"
wrk_warm="${WRK_WARMUP:-30}"
data="${TUNEUP_DATA:-$repo/../shared/data}/cifar10-jpg.tar.gz"
peer_python="${PEER_PYTHON:-/usr/bin/python3}"

"$peer_python" -c 'import torch, torchvision' 2>/dev/null \
  || { echo "serve.sh: $peer_python lacks torch/torchvision (Debian: python3-torch python3-torchvision)" >&2; exit 1; }
[ -f "$data" ] || { echo "serve.sh: no $data (set TUNEUP_DATA)" >&2; exit 1; }

jar="$repo/cli/target/tuneup.jar"
if [ ! -f "$jar" ]; then
  echo "serve.sh: building $jar ..." >&2
  (cd "$repo" && mvn -q -B -ntp -pl cli -am -DskipTests package) >&2
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/tuneup-serve-bench.XXXXXX")"
cp "$jar" "$out/tuneup.jar" # a rebuild by someone else mid-run cannot break this run
jv=(java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error)
# tuneup's side (server and in-process ceiling) runs as ./tuneup starts it: the launcher's glibc settings and JVM
# options; the load generator runs as plain java
tv=(env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
  MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}" "${jv[@]}" -Xmx8g -XX:+UseSerialGC -XX:MaxNewSize=256m)
bench=("${jv[@]}" -cp "$out/tuneup.jar" "$repo/bench/ServeBench.java")
server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

{
  echo "# date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "# cpu:     $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
  echo "# java:    $(java -version 2>&1 | head -1)"
  echo "# python:  $("$peer_python" -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__)')"
  echo "# setting: threads=$threads (server: ${SERVER_THREADS:-its default}) clients=$clients warmup=${warm}s window=${secs}s shed: --queue $shed_queue --timeout-ms $shed_timeout at ${overload}x"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

mkdir -p "$out/imgs"
tar xzf "$data" -C "$out/imgs" --wildcards 'cifar10/test/*/00[0-2][0-9].jpg'
"${bench[@]}" bundles "$out/bundles" > "$out/bundles.jsonl"
find "$out/imgs" -name '*.jpg' | LC_ALL=C sort | head -256 > "$out/bodies.txt" # ServeBench's 256

start_server() { # model, extra options...
  local model="$1"; shift
  rm -f "$out/port" "$out/log.db"*
  "${tv[@]}" -jar "$out/tuneup.jar" serve --model "$out/bundles/$model" --port 0 --port-file "$out/port" \
    --db "$out/log.db" "${server_threads[@]}" "$@" > "$out/server.$model.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 240); do [ -f "$out/port" ] && break; sleep 0.25; done
  [ -f "$out/port" ] || { cat "$out/server.$model.log" >&2; exit 1; }
  url="http://127.0.0.1:$(cat "$out/port")"
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
batches() { curl -s "$url/metrics" | awk '/^tuneup_batch_size_count/ { c = $2 } /^tuneup_batch_size_sum/ { s = $2 } END { print c + 0, s + 0 }'; }
# wrk_closed PATH CLIENTS: the same closed loop driven by wrk, a C load generator that costs the shared cores far less
# CPU per request than the JDK's HttpClient; after a warm-up long enough for the server's JIT to settle
wrk_closed() {
  local path="$1" n="$2" env=() b0 b1 t0 t1
  [ "$path" = /v1/predict ] && env=(WRK_BODIES="$out/bodies.txt")
  env "${env[@]}" wrk -t1 -c"$n" -d"${wrk_warm}s" -s "$repo/bench/serve_wrk.lua" "$url$path" > /dev/null
  b0="$(batches)"; t0="$(ticks)"
  env "${env[@]}" /usr/bin/time -f '%U %S' -o "$out/wrk.cpu" wrk -t1 -c"$n" -d"${secs}s" --timeout 30s \
    -s "$repo/bench/serve_wrk.lua" "$url$path" | tail -1 > "$out/wrk.json"
  t1="$(ticks)"; b1="$(batches)"
  "$peer_python" - "$out/wrk.json" "$path" "$n" "$(awk '{ print $1 + $2 }' "$out/wrk.cpu")" \
    "$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / hz }')" $b0 $b1 "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, sys
w = json.load(open(sys.argv[1])); c0, s0, c1, s1 = map(float, sys.argv[6:10])
print(json.dumps({"impl": "tuneup", "phase": "closed", "client": "wrk", "path": sys.argv[2], "clients": int(sys.argv[3]),
                  "seconds": w["seconds"], "requests_per_s": w["requests"] / w["seconds"], "p50_ms": w["p50_ms"],
                  "p99_ms": w["p99_ms"], "status": {"2xx": w["requests"] - w["not_2xx"], "other": w["not_2xx"]},
                  "socket_errors": w["socket_errors"], "client_cpu_s": float(sys.argv[4]), "server_cpu_s": float(sys.argv[5]),
                  "server_cpu_ms_per_request": 1000 * float(sys.argv[5]) / max(w["requests"], 1),
                  "mean_batch": (s1 - s0) / (c1 - c0) if c1 > c0 else float("nan"), "loadavg": float(sys.argv[10])}))
PY
}

for model in $models; do
  echo "== [$model] torch peer" >&2
  "$peer_python" "$repo/bench/peer_serve.py" --model "$model" "$out/imgs" --threads "$threads" --seconds "$secs" \
    > "$out/$model.torch.jsonl"
  echo "== [$model] tuneup in-process" >&2
  "${tv[@]}" -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -cp "$out/tuneup.jar" \
    "$repo/bench/ServeBench.java" inproc "$out/bundles/$model" "$out/imgs" --seconds "$secs" > "$out/$model.inproc.jsonl"
  echo "== [$model] server, closed loop: clients $clients (and /health at 16 as the no-model baseline)" >&2
  start_server "$model"
  "${bench[@]}" closed "$url" "$out/imgs" --clients 16 --warmup 1 --seconds 3 --path /health \
    --server-pid "$server_pid" > "$out/$model.health.jsonl"
  "${bench[@]}" closed "$url" "$out/imgs" --clients "$clients" --warmup "$warm" --seconds "$secs" \
    --server-pid "$server_pid" > "$out/$model.closed.jsonl"
  if command -v wrk > /dev/null && [ -x /usr/bin/time ]; then
    echo "== [$model] server, closed loop driven by wrk (${wrk_warm}s warm-up): /health and /v1/predict at 16 clients" >&2
    { wrk_closed /health 16; wrk_closed /v1/predict 16; } > "$out/$model.wrk.jsonl"
  fi
  stop_server
  echo "== [$model] server --max-delay-ms 0, 1 client (what the batch wait costs a lone client)" >&2
  start_server "$model" --max-delay-ms 0
  "${bench[@]}" closed "$url" "$out/imgs" --clients 1 --warmup "$warm" --seconds "$secs" \
    --server-pid "$server_pid" > "$out/$model.nodelay.jsonl"
  stop_server
  echo "== [$model] server --queue $shed_queue --timeout-ms $shed_timeout: capacity at 16 clients, then ${overload}x open loop" >&2
  start_server "$model" --queue "$shed_queue" --timeout-ms "$shed_timeout"
  "${bench[@]}" closed "$url" "$out/imgs" --clients 16 --warmup "$warm" --seconds "$secs" \
    --server-pid "$server_pid" > "$out/$model.capacity.jsonl"
  rate="$(grep -o '"requests_per_s": [0-9.]*' "$out/$model.capacity.jsonl" | grep -o '[0-9.]*$')"
  rate="$(awk -v r="$rate" -v k="$overload" 'BEGIN { printf "%.0f", r * k }')"
  "${bench[@]}" open "$url" "$out/imgs" --rate "$rate" --warmup 2 --seconds "$secs" --max-in-flight 512 \
    --server-pid "$server_pid" > "$out/$model.open.jsonl"
  stop_server
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

"$peer_python" - "$out" $models <<'EOF' | tee "$out/table.md"
import json, os, sys
out, models = sys.argv[1], sys.argv[2:]

def lines(name):
    p = os.path.join(out, name)
    return [json.loads(l) for l in open(p) if l.startswith("{")] if os.path.exists(p) else []

def f(v, d=1):
    return "-" if v is None or v != v or v < 0 else f"{v:,.{d}f}"

def st(s):
    return " ".join(f"{k}:{v}" for k, v in sorted(s.items()))

print("| model | measurement | img/s | p50 ms | p99 ms | p99/p50 | statuses | mean batch | CPU s client / server | load |")
print("|---|---|---:|---:|---:|---:|---|---:|---|---:|")
verdicts = []
for m in models:
    t = lines(f"{m}.torch.jsonl"); i = lines(f"{m}.inproc.jsonl")
    tb1 = {x["what"]: x for x in t if x["phase"] == "b1"}; tb = {x["what"]: x for x in t if x["phase"] == "batch"}
    ib1 = {x["what"]: x for x in i if x["phase"] == "inproc_b1"}; ib = {x["what"]: x for x in i if x["phase"] == "inproc"}
    for what in ("predict", "decode+predict"):
        x = tb1.get(what, {})
        print(f"| {m} | torch b1, {what} | - | {f(x.get('p50_ms'), 2)} | {f(x.get('p99_ms'), 2)} | - | n={x.get('n')} | 1 | - | {f(x.get('loadavg'))} |")
    for what in ("predict", "decode+predict"):
        x = tb.get(what, {})
        print(f"| {m} | torch b32, {what} | {f(x.get('images_per_s'), 0)} | - | - | - | - | 32 | - / {f(x.get('cpu_s'))} | {f(x.get('loadavg'))} |")
    for what in ("predict", "decode+predict"):
        x = ib1.get(what, {})
        print(f"| {m} | tuneup in-process b1, {what} | - | {f(x.get('p50_ms'), 2)} | {f(x.get('p99_ms'), 2)} | - | n={x.get('n')} | 1 | - | {f(x.get('loadavg'))} |")
    for what in ("predict", "decode+predict"):
        x = ib.get(what, {})
        print(f"| {m} | tuneup in-process b32 (ceiling), {what} | {f(x.get('images_per_s'), 0)} | - | - | - | - | 32 | - / {f(x.get('cpu_s'))} | {f(x.get('loadavg'))} |")
    for x in lines(f"{m}.health.jsonl"):
        print(f"| {m} | server GET /health, {x['clients']} clients (no model) | {f(x['requests_per_s'], 0)} | {f(x['p50_ms'], 2)} | {f(x['p99_ms'], 2)} | {x['p99_ms'] / x['p50_ms']:.1f} | {st(x['status'])} | - | {f(x['client_cpu_s'])} / {f(x['server_cpu_s'])} | {f(x['loadavg'])} |")
    closed = {x["clients"]: x for x in lines(f"{m}.closed.jsonl")}
    for n, x in closed.items():
        print(f"| {m} | server POST /v1/predict, {n} clients | {f(x['requests_per_s'], 0)} | {f(x['p50_ms'], 2)} | {f(x['p99_ms'], 2)} | {x['p99_ms'] / x['p50_ms']:.1f} | {st(x['status'])} | {f(x.get('mean_batch'))} | {f(x['client_cpu_s'])} / {f(x['server_cpu_s'])} | {f(x['loadavg'])} |")
    wrk = {x["path"]: x for x in lines(f"{m}.wrk.jsonl")}
    for path, x in wrk.items():
        what = "GET /health (no model)" if path == "/health" else "POST /v1/predict"
        print(f"| {m} | server {what}, 16 clients, **wrk** load generator | {f(x['requests_per_s'], 0)} | {f(x['p50_ms'], 2)} | {f(x['p99_ms'], 2)} | {x['p99_ms'] / x['p50_ms']:.1f} | {st(x['status'])} | {f(x.get('mean_batch'))} | {f(x['client_cpu_s'])} / {f(x['server_cpu_s'])} ({x['server_cpu_ms_per_request']:.3f} ms per request) | {f(x['loadavg'])} |")
    for x in lines(f"{m}.nodelay.jsonl"):
        print(f"| {m} | server --max-delay-ms 0, 1 client | {f(x['requests_per_s'], 0)} | {f(x['p50_ms'], 2)} | {f(x['p99_ms'], 2)} | {x['p99_ms'] / x['p50_ms']:.1f} | {st(x['status'])} | {f(x.get('mean_batch'))} | {f(x['client_cpu_s'])} / {f(x['server_cpu_s'])} | {f(x['loadavg'])} |")
    cap = lines(f"{m}.capacity.jsonl")
    for x in cap:
        print(f"| {m} | shed server (--queue/--timeout-ms), 16 clients closed | {f(x['requests_per_s'], 0)} | {f(x['p50_ms'], 2)} | {f(x['p99_ms'], 2)} | {x['p99_ms'] / x['p50_ms']:.1f} | {st(x['status'])} | {f(x.get('mean_batch'))} | {f(x['client_cpu_s'])} / {f(x['server_cpu_s'])} | {f(x['loadavg'])} |")
    op = lines(f"{m}.open.jsonl")
    for x in op:
        print(f"| {m} | shed server, open loop {x['rate']:.0f}/s offered (achieved {x['achieved_issue_rate']:.0f}/s, {x['skipped_client_full']} not sent: 512 in flight): 200s | {f(x['ok_per_s'], 0)} | {f(x['ok_p50_ms'], 2)} ({f(x['sent_ok_p50_ms'], 2)}) | {f(x['ok_p99_ms'], 2)} ({f(x['sent_ok_p99_ms'], 2)}) | - | {st(x['status'])} | {f(x.get('mean_batch'))} | {f(x['client_cpu_s'])} / {f(x['server_cpu_s'])} | {f(x['loadavg'])} |")
        print(f"| {m} | ... 503 queue full ({x['shed_queue']}) | - | {f(x['shed_queue_p50_ms'], 2)} ({f(x['sent_shed_queue_p50_ms'], 2)}) | {f(x['shed_queue_p99_ms'], 2)} ({f(x['sent_shed_queue_p99_ms'], 2)}) | - | shed share {100 * x['shed_share']:.0f}% | - | - | - |")
        print(f"| {m} | ... 503 deadline ({x['shed_deadline']}) | - | {f(x['shed_deadline_p50_ms'], 2)} ({f(x['sent_shed_deadline_p50_ms'], 2)}) | {f(x['shed_deadline_p99_ms'], 2)} ({f(x['sent_shed_deadline_p99_ms'], 2)}) | - | server mean {f(x.get('server_mean_ms'))} ms, of a 503 {f(x.get('server_503_mean_ms'))} ms | - | - | - |")
    # ratios and goals
    c16 = closed.get(16); c1 = closed.get(1)
    ceil_dp = ib.get("decode+predict", {}).get("images_per_s"); ceil_p = ib.get("predict", {}).get("images_per_s")
    if c16 and ceil_dp:
        r = c16["requests_per_s"] / ceil_dp
        verdicts.append(f"{m}: server at 16 clients / in-process decode+predict = **{r:.2f}x** "
                        f"(/ predict only {c16['requests_per_s'] / ceil_p:.2f}x); goal >= 0.80: {'met' if r >= 0.8 else 'NOT met'}; "
                        f"p99/p50 at 16 clients = {c16['p99_ms'] / c16['p50_ms']:.1f} (goal <= 3: {'met' if c16['p99_ms'] <= 3 * c16['p50_ms'] else 'NOT met'})")
    if wrk.get("/v1/predict") and ceil_dp:
        x = wrk["/v1/predict"]
        verdicts.append(f"{m}: with wrk as the load generator, server at 16 clients / in-process decode+predict = "
                        f"**{x['requests_per_s'] / ceil_dp:.2f}x** (goal >= 0.9: {'met' if x['requests_per_s'] >= 0.9 * ceil_dp else 'NOT met'}); "
                        f"server CPU {x['server_cpu_ms_per_request']:.3f} ms per prediction, in-process "
                        f"{1000 * ib['decode+predict']['cpu_s'] / (ceil_dp * ib['decode+predict']['seconds']):.3f} ms per image")
    if wrk.get("/health"):
        x = wrk["/health"]
        verdicts.append(f"{m}: server CPU per GET /health with wrk at 16 clients = **{x['server_cpu_ms_per_request']:.3f} ms** "
                        f"(goal <= 0.2 ms: {'met' if x['server_cpu_ms_per_request'] <= 0.2 else 'NOT met'})")
    if ceil_p and tb.get("predict"):
        verdicts.append(f"{m}: tuneup in-process b32 / torch b32 = **{ceil_p / tb['predict']['images_per_s']:.2f}x** (predict), "
                        f"{ceil_dp / tb['decode+predict']['images_per_s']:.2f}x (decode+predict)")
    if c1 and tb1.get("predict"):
        verdicts.append(f"{m}: server 1-client p50 / torch b1 p50 = **{c1['p50_ms'] / tb1['predict']['p50_ms']:.2f}x** "
                        f"(/ torch b1 with PIL decode {c1['p50_ms'] / tb1['decode+predict']['p50_ms']:.2f}x); "
                        f"tuneup in-process b1 / torch b1 = {ib1['predict']['p50_ms'] / tb1['predict']['p50_ms']:.2f}x")
    for x in op:
        base = cap[0]["p99_ms"] if cap else float("nan")
        verdicts.append(f"{m}: overload open loop: 503 queue-full p99 {f(x['shed_queue_p99_ms'])} ms, "
                        f"(from the actual send {f(x['sent_shed_queue_p99_ms'])} ms), "
                        f"deadline 503 p99 {f(x['shed_deadline_p99_ms'])} ms (goal < 20 ms: "
                        f"{'met' if max(x['shed_queue_p99_ms'] if x['shed_queue'] else 0, x['shed_deadline_p99_ms'] if x['shed_deadline'] else 0) < 20 else 'NOT met'}); "
                        f"admitted p99 {f(x['ok_p99_ms'])} ms vs closed-loop 16-client p99 {f(base)} ms")
print()
for v in verdicts:
    print("- " + v)
EOF
echo "raw output: $out" >&2
rm -f "$out/tuneup.jar"

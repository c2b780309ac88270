#!/usr/bin/env bash
# The deployment loop on CIFAR-10 (docs/serve.md): train a small CNN, serve it, send clean test
# images and then foggy ones with users' corrections, watch the drift, and repair from the
# corrections behind the regression gate. About 10 minutes on 2 cores.
# usage: examples/serve-loop.sh [WORKDIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
tuneup="${TUNEUP:-$here/tuneup}"  # TUNEUP=/path/to/launcher to use another build
mkdir -p "$work"
cfg=(--set data.name=cifar10 --set data.per_class=1000 --set training.epochs=6 --set training.batch_size=64
     --set "model.conv_widths=[32, 64, 128]" --set "model.dense_widths=[128]" --set model.head_dropout=0.2
     --set optimizer.name=adamw --set "schedule=onecycle(max=0.003)" --set "augment.train=crop(32,pad=4) | hflip"
     --set output.dir="$work/runs")

echo "== 1. train (CIFAR-10, 1000 images per class; skipped when WORKDIR has the bundle)"
if ! ls -d "$work"/runs/*-cnn/bundle >/dev/null 2>&1; then
  "$tuneup" train "${cfg[@]}" --set output.name=cnn | tail -3
fi
bundle=$(ls -d "$work"/runs/*-cnn/bundle | head -1)

echo "== 2. test images as files: clean, and fog at severity 5"
[ -d "$work/fog" ] || "$tuneup" corrupt --data cifar10 --split test --corruptions fog --severities 5 --to "$work/fog" | tail -1
[ -d "$work/cifar10" ] || tar -xzf "${TUNEUP_DATA:-$here/../shared/data}/cifar10-jpg.tar.gz" -C "$work"
clean="$work/cifar10/test"

echo "== 3. serve"
rm -f "$work/port" "$work/feedback.db"*
"$tuneup" serve --model "$bundle" --port 0 --port-file "$work/port" --db "$work/feedback.db" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
while [ ! -s "$work/port" ]; do sleep 0.2; done
url="http://127.0.0.1:$(cat "$work/port")"
grep serving "$work/serve.log"

echo "== 4. clean traffic, then the drift monitor"
python3 "$here/examples/serve_client.py" "$url" "$clean" --limit 500
"$tuneup" monitor --db "$work/feedback.db" --window 500

echo "== 5. foggy traffic with users' corrections, then the drift monitor"
python3 "$here/examples/serve_client.py" "$url" "$work/fog/fog/5" --limit 1500 --feedback
"$tuneup" monitor --db "$work/feedback.db" --window 500
curl -s "$url/metrics" | grep -E "^tuneup_(drift|feedback|batch_size_(sum|count))" || true

echo "== 6. stop the server (SIGTERM drains it), repair from the corrections behind the gate"
kill -TERM $server; wait $server || true
"$tuneup" repair --model "$bundle" --strategy feedback --db "$work/feedback.db" --eval-per-class 1000 "${cfg[@]}" \
    --set training.epochs=3 --set output.name=cnn | grep -E "corrections|held-out|Verdict|ACCEPTED|rejected|Test split"

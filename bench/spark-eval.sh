#!/usr/bin/env bash
# Spark local mode against in-process eval: the same bundle on the CIFAR-10 test set (10,000 JPEGs) plus
# one corruption at 5 severities (60,000 predictions), first `tuneup eval` in one process, then
# `tuneup eval --spark --master local[2]`, one after the other in one invocation. Prints both wall times
# (JVM start to exit), the ratio of throughputs (Spark / in-process), the Spark run's own breakdown of
# its time, the load average before and after, and checks that the two eval.json files agree to 1e-9.
#
#   bench/spark-eval.sh BUNDLE [DATA]       # DATA: an ImageFolder; default: CIFAR-10's test split, unpacked
#                                           # from $TUNEUP_DATA (or ../shared/data) into a temp folder
#   CORRUPTION=contrast MASTER='local[2]' NICE=5 bench/spark-eval.sh BUNDLE
#
# A 10-class bundle to use: ./tuneup train --data cifar10 --set model.arch=cnn --set training.epochs=2
# Needs the built jars (mvn -B -pl cli,spark -am package -DskipTests). Writes only under a temp folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$(cd "${1:?usage: bench/spark-eval.sh BUNDLE [DATA]}" && pwd)"
data="${2:-}"
corruption="${CORRUPTION:-gaussian_noise}"
master="${MASTER:-local[2]}"
nice_level="${NICE:-5}"
cli="$repo/cli/target/tuneup.jar"
for f in "$cli" "$repo/spark/target/tuneup-spark.jar" "$repo/spark/target/lib"; do
  [ -e "$f" ] || { echo "missing $f: run mvn -B -pl cli,spark -am package -DskipTests" >&2; exit 1; }
done
tmp="$(mktemp -d /tmp/tuneup-spark-eval.XXXXXX)"
if [ -z "$data" ]; then
  tar xzf "${TUNEUP_DATA:-$repo/../shared/data}/cifar10-jpg.tar.gz" -C "$tmp" --wildcards '*/test/*'
  data="$tmp/cifar10"
fi
common=(eval --model "$bundle" --data "$data" --corruptions "$corruption" --severities 1-5 -q)

load() { cut -d' ' -f1-3 /proc/loadavg; }
timed() { # $1 label, rest: command; prints wall seconds
  local label="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  nice -n "$nice_level" "$@" > "$tmp/$label.out" 2> "$tmp/$label.err"
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.2f}')"
}

echo "load average before: $(load)"
single=$(timed single env TUNEUP_JAVA_OPTS=-Xmx4g "$repo/tuneup" "${common[@]}" --out "$tmp/runs-single")
spark=$(timed spark env TUNEUP_JAVA_OPTS=-Xmx4g "$repo/tuneup" "${common[@]}" --master "$master" --out "$tmp/runs-spark")
echo "load average after: $(load)"
n=$(python3 -c "import json,glob; r=json.load(open(glob.glob('$tmp/runs-single/*/eval.json')[0])); print(r['test']['n'] * (1 + len(r['corruptions'])))")
python3 - "$single" "$spark" "$n" <<'EOF'
import sys
single, spark, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"in-process eval: {single:.1f} s wall, {n / single:.0f} predictions/s")
print(f"spark eval:      {spark:.1f} s wall, {n / spark:.0f} predictions/s")
print(f"throughput spark / in-process: {single / spark:.2f}x  ({n} predictions each)")
EOF
grep -h "speed:" "$tmp/single.out" | sed 's/^/in-process /'
grep -h "tasks of\|task time\|predictions in" "$tmp/spark.out" | sed 's/^/spark: /'
python3 "$repo/bench/eval_json_diff.py" "$tmp"/runs-single/*/eval.json "$tmp"/runs-spark/*/eval.json
echo "runs and logs: $tmp"

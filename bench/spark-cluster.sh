#!/usr/bin/env bash
# A 2-worker Spark standalone cluster on loopback, started from the spark module's own jars (no Spark
# distribution needed), runs `tuneup eval --master spark://...` of a bundle, and the same eval runs in
# one process; the two eval.json files must agree to 1e-9 (speeds aside). Then the job is submitted again
# through spark-submit's entry point (org.apache.spark.deploy.SparkSubmit) to the same cluster, and the
# cluster is shut down. The cluster recipe of docs/spark.md.
#
#   bench/spark-cluster.sh BUNDLE [DATA]    # DATA: an ImageFolder; default: CIFAR-10's test split, unpacked
#                                           # from $TUNEUP_DATA (or ../shared/data) into a temp folder
#   CORRUPTIONS=gaussian_noise SEVERITIES=1,3 WORKER_MEMORY=2g bench/spark-cluster.sh BUNDLE
#   LABEL_ISSUES_DATA=DIR bench/spark-cluster.sh BUNDLE   # also label-issues' folds on the cluster (DIR: train/, test/)
#
# Needs the built jars: mvn -B -pl cli,spark -am package -DskipTests. Everything it writes (logs, runs,
# the unpacked data) stays in a temp folder, printed at the end; it exits non-zero if the metrics differ.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$(cd "${1:?usage: bench/spark-cluster.sh BUNDLE [DATA]}" && pwd)"
data="${2:-}"
corruptions="${CORRUPTIONS:-gaussian_noise}"
severities="${SEVERITIES:-1,3}"
cli="$repo/cli/target/tuneup.jar"
spark_jar="$repo/spark/target/tuneup-spark.jar"
lib="$repo/spark/target/lib"
for f in "$cli" "$spark_jar" "$lib"; do
  [ -e "$f" ] || { echo "missing $f: run mvn -B -pl cli,spark -am package -DskipTests" >&2; exit 1; }
done
tmp="$(mktemp -d /tmp/tuneup-spark-cluster.XXXXXX)"
echo "work folder: $tmp"

if [ -z "$data" ]; then
  archive="${TUNEUP_DATA:-$repo/../shared/data}/cifar10-jpg.tar.gz"
  tar xzf "$archive" -C "$tmp" --wildcards '*/test/*'
  data="$tmp/cifar10"
fi

# Spark's standalone Worker starts executors from $SPARK_HOME/jars: a home whose jars/ is the module's lib.
mkdir -p "$tmp/spark-home"
ln -s "$lib" "$tmp/spark-home/jars"
# SPARK_SCALA_VERSION: the launcher would otherwise look for a Spark source build to learn it.
export SPARK_HOME="$tmp/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
ui="$(free_port)"
master="spark://127.0.0.1:$port"
# The daemons log through slf4j-simple from the CLI jar (the lib holds no SLF4J binding).
daemon_cp="$lib/*:$cli"
# shellcheck disable=SC2086
java -Xmx512m $opens -cp "$daemon_cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port "$ui" > "$tmp/master.log" 2>&1 &
pids+=($!)
for i in 1 2; do
  # shellcheck disable=SC2086
  java -Xmx512m $opens -cp "$daemon_cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
    --memory "${WORKER_MEMORY:-2g}" --webui-port 0 --work-dir "$tmp/worker$i" "$master" > "$tmp/worker$i.log" 2>&1 &
  pids+=($!)
done
alive() { # workers the master counts as alive, from its JSON page
  python3 -c "import json, urllib.request as u; print(json.load(u.urlopen('http://127.0.0.1:$ui/json/', timeout=2))['aliveworkers'])" 2>/dev/null || echo 0
}
for _ in $(seq 90); do
  [ "$(alive)" -ge 2 ] && break
  sleep 1
done
[ "$(alive)" -ge 2 ] || { echo "the 2 workers did not register with $master; logs in $tmp" >&2; exit 1; }
echo "cluster: master $master, 2 workers of 1 core"

run_eval() { # $1: label, rest: extra options
  local label="$1"; shift
  local t0; t0=$(date +%s.%N)
  TUNEUP_JAVA_OPTS="${TUNEUP_JAVA_OPTS:--Xmx2g}" "$repo/tuneup" eval --model "$bundle" --data "$data" --corruptions "$corruptions" \
    --severities "$severities" --bootstrap 200 --out "$tmp/runs-$label" "$@" > "$tmp/$label.out" 2> "$tmp/$label.err"
  echo "$label: $(python3 -c "import time; print(f'{time.time() - $t0:.1f}')") s wall, $(grep -h 'images/s' "$tmp/$label.out" | tail -1)"
}
# Spark starts executors with OMP_NUM_THREADS=1 (a task's cores); libtorch's float sums depend on its thread
# count, so executors run with the in-process eval's count (libtorch's default here: the machine's cores).
threads="${THREADS:-$(nproc)}"
TUNEUP_JAVA_OPTS="-Xmx2g -Dspark.executorEnv.OMP_NUM_THREADS=$threads" run_eval cluster --master "$master"
run_eval single

# spark-submit's own entry point, as a Spark distribution's bin/spark-submit runs it: tuneup's jars given to it.
t0=$(date +%s.%N)
# shellcheck disable=SC2086
java -Xmx2g $opens -Dai.djl.offline=true -cp "$lib/*" org.apache.spark.deploy.SparkSubmit --master "$master" \
  --class dev.tuneup.cli.Main --jars "$cli" --conf spark.ui.enabled=false \
  --conf "spark.executorEnv.OMP_NUM_THREADS=$threads" "$spark_jar" \
  eval --model "$bundle" --data "$data" --corruptions "$corruptions" --severities "$severities" --bootstrap 200 \
  --spark --out "$tmp/runs-submit" > "$tmp/submit.out" 2> "$tmp/submit.err"
echo "spark-submit: $(python3 -c "import time; print(f'{time.time() - $t0:.1f}')") s wall, $(grep -h 'images/s' "$tmp/submit.out" | tail -1)"

python3 "$repo/bench/eval_json_diff.py" "$tmp"/runs-single/*/eval.json "$tmp"/runs-cluster/*/eval.json \
  "$tmp"/runs-submit/*/eval.json

# With LABEL_ISSUES_DATA (an ImageFolder with train/ and test/): label-issues' folds on the cluster against
# in one process, a tiny CNN for one epoch; the two label-issues.csv files must be the same.
if [ -n "${LABEL_ISSUES_DATA:-}" ]; then
  li=(label-issues --folds 2 --set "data.name=$LABEL_ISSUES_DATA" --set model.arch=cnn --set training.epochs=1)
  TUNEUP_JAVA_OPTS="-Xmx2g -Dspark.executorEnv.OMP_NUM_THREADS=$threads" "$repo/tuneup" "${li[@]}" \
    --master "$master" --set "output.dir=$tmp/li-cluster" > "$tmp/li-cluster.out" 2> "$tmp/li-cluster.err"
  TUNEUP_JAVA_OPTS=-Xmx2g "$repo/tuneup" "${li[@]}" --set "output.dir=$tmp/li-single" > "$tmp/li-single.out" \
    2> "$tmp/li-single.err"
  grep -h "folds as Spark tasks\|confident learning" "$tmp/li-cluster.out"
  if cmp -s "$tmp"/li-cluster/*/label-issues.csv "$tmp"/li-single/*/label-issues.csv; then
    echo "label-issues on the cluster: label-issues.csv identical to the in-process run's"
  else
    echo "label-issues on the cluster: label-issues.csv differs from the in-process run's" >&2
    exit 1
  fi
fi
echo "cluster logs and runs: $tmp"

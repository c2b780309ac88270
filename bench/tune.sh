#!/usr/bin/env bash
# Hyperparameter-search acceptance run (docs/tune.md, docs/benchmarks.md): on a Fashion-MNIST subset,
# random search (no pruning) against TPE + ASHA with the same number of trials, for each seed; then the
# best validation accuracy, trials pruned and epochs saved of each study, and each random study's curves
# replayed through ASHA (bench/TuneReplay.java: would it have stopped the bad trials, and kept the best?). The first TPE study is killed
# with SIGKILL once KILL_AFTER trials have finished and resumed with the same command; the script checks
# that no finished trial ran again (their rows in the study are unchanged and no "trial N starts/reruns"
# line names them after the resume).
#
#   bench/tune.sh                          # seeds 1 2, 12 trials of 3 epochs, 100 images per class, 600 val
#   SEEDS="1 2 3" TRIALS=16 bench/tune.sh
#   EXTEND_TO=20 bench/tune.sh             # also resume each TPE study to 20 trials: about random's epochs
#
# Needs the Fashion-MNIST files on the data search path (the launcher uses ../shared/data) and sqlite3.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${SEEDS:-1 2}"
trials="${TRIALS:-12}"
epochs="${EPOCHS:-3}"
per_class="${PER_CLASS:-100}"
val_fraction="${VAL_FRACTION:-0.01}"   # of the 60,000 training images: 600
startup="${TPE_STARTUP:-4}"
kill_after="${KILL_AFTER:-4}"
extend_to="${EXTEND_TO:-}"             # e.g. 20: then each TPE study is resumed up to 20 trials (about random's epochs)
out="${OUT:-$(mktemp -d /tmp/tune-bench.XXXXXX)}"
tuneup="${TUNEUP:-$repo/tuneup}"   # TUNEUP (+ TUNEUP_JAR): a launcher of a frozen copy of the jar
common=(--config "$repo/examples/tune-fashion-mnist.yaml" --space "$repo/examples/space-fashion-mnist.yaml"
        --set "data.per_class=$per_class" --set "data.val_fraction=$val_fraction" --epochs "$epochs"
        --no-final)

finished() { grep -cE '^trial [0-9]+ (COMPLETE|PRUNED|FAILED)' "$1" || true; }
rows() { sqlite3 "$1" "SELECT number, state, value, seconds FROM trials WHERE state != 'RUNNING' ORDER BY number"; }

"$tuneup" --version >/dev/null   # build once, before any timing
for seed in $seeds; do
  for kind in random tpe; do
    study="$out/$kind-$seed"
    if [ "$kind" = random ]; then opts=(--sampler random --pruner none); else opts=(--sampler tpe --pruner asha --tpe-startup "$startup"); fi
    start=$(date +%s)
    if [ "$kind" = tpe ] && [ "$seed" = "$(echo $seeds | cut -d' ' -f1)" ]; then
      "$tuneup" tune "${common[@]}" "${opts[@]}" --trials "$trials" --seed "$seed" --study "$study" > "$study.log" 2> "$study.err" &
      pid=$!
      while [ "$(finished "$study.log")" -lt "$kill_after" ] && kill -0 "$pid" 2>/dev/null; do sleep 1; done
      kill -9 "$pid"; wait "$pid" 2>/dev/null || true
      sleep 3
      rows "$study/study.db" > "$study.before"
      echo "seed $seed: killed the study (kill -9) after $(wc -l < "$study.before") finished trials"
      "$tuneup" tune "${common[@]}" "${opts[@]}" --trials "$trials" --seed "$seed" --study "$study" > "$study.resumed.log" 2>> "$study.err"
      rows "$study/study.db" | head -n "$(wc -l < "$study.before")" > "$study.after"
      cmp -s "$study.before" "$study.after" && echo "  finished trials unchanged after the resume: yes" \
          || echo "  finished trials unchanged after the resume: NO"
      reran=0
      while IFS='|' read -r n _; do
        if grep -qE "^trial $n (starts|reruns)" "$study.resumed.log"; then reran=$((reran + 1)); fi
      done < "$study.before"
      echo "  finished trials started again by the resume: $reran; the resume's own lines:"
      grep -E '^(resuming|trial [0-9]+ reruns)' "$study.resumed.log" | sed 's/^/    /'
    else
      "$tuneup" tune "${common[@]}" "${opts[@]}" --trials "$trials" --seed "$seed" --study "$study" > "$study.log" 2> "$study.err"
    fi
    secs=$(( $(date +%s) - start ))
    db="$study/study.db"
    best=$(sqlite3 "$db" "SELECT printf('%.4f', MAX(value)) FROM trials WHERE state = 'COMPLETE'")
    pruned=$(sqlite3 "$db" "SELECT COUNT(*) FROM trials WHERE state = 'PRUNED'")
    failed=$(sqlite3 "$db" "SELECT COUNT(*) FROM trials WHERE state = 'FAILED'")
    trained=$(sqlite3 "$db" "SELECT COUNT(*) FROM intermediate")
    trial_s=$(sqlite3 "$db" "SELECT printf('%.0f', SUM(seconds)) FROM trials")
    echo "$kind seed $seed: best val_acc $best, pruned $pruned, failed $failed, epochs $trained of $((trials * epochs)),"\
         "trial time ${trial_s} s, wall ${secs} s" | tee -a "$out/summary.txt"
    if [ "$kind" = tpe ] && [ -n "$extend_to" ]; then   # equal compute: resume the study up to EXTEND_TO trials
      "$tuneup" tune "${common[@]}" "${opts[@]}" --seed "$seed" --study "$study" --trials "$extend_to" \
          > "$study.extend.log" 2>> "$study.err"
      echo "  tpe seed $seed at $extend_to trials: best val_acc $(sqlite3 "$db" "SELECT printf('%.4f', MAX(value)) FROM trials"\
" WHERE state = 'COMPLETE'"), pruned $(sqlite3 "$db" "SELECT COUNT(*) FROM trials WHERE state = 'PRUNED'"),"\
" epochs $(sqlite3 "$db" "SELECT COUNT(*) FROM intermediate")" | tee -a "$out/summary.txt"
    fi
    if [ "$kind" = random ]; then   # the same curves through ASHA, as if this study had been pruned
      java -cp "${TUNEUP_JAR:-$repo/cli/target/tuneup.jar}" "$repo/bench/TuneReplay.java" "$db" asha | tail -1 \
          | sed "s/^/  random seed $seed /" | tee -a "$out/summary.txt"
    fi
  done
done
echo "studies and logs: $out"

#!/usr/bin/env bash
# Kill and resume (issue 13, part 3): a fine-tune, two pretrainings (HuBERT k-means targets, and
# phone targets as models/default is made) and a selector training on tiny corpora, each run once uninterrupted and once killed with SIGKILL at KILLS random points
# and restarted with the same command after each kill until it finishes; then the SHA-256 of the
# two runs' final weight files must be equal, byte for byte:
#   finetune        model.safetensors, heads.safetensors (the fine-tuned model directory)
#   pretrain        model.safetensors, training/pretraining_head.safetensors, kmeans.safetensors
#   pretrain-phones model.safetensors, training/phone_heads.safetensors
#   train-selector  selector.safetensors, selector.json (weights, calibrated adaptive thresholds)
# A kill point is a training step s drawn at random (distinct, increasing, below the run's last
# step): the job is killed once its metrics.jsonl shows s steps (it is flushed at each
# checkpoint) plus a random 0 to 1.5 s more, so kills land mid-step, mid-evaluation and
# mid-checkpoint-write. The draws come from --seed (default: random, printed), so a failing
# sequence can be run again. Exit status 1 when any pair of files differs.
# Usage: scripts/kill-resume.sh [--kills N] [--seed N] [--out DIR]   (default out: build/kill-resume)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE

usage="usage: scripts/kill-resume.sh [--kills N] [--seed N] [--out DIR]"
kills=5 seed=$((RANDOM * 32768 + RANDOM)) out=build/kill-resume
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
  case "$1" in
    --kills) kills="$2" ;;
    --seed) seed="$2" ;;
    --out) out="$2" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done
RANDOM=$seed
echo "kill-resume: seed $seed, $kills kills per job, in $out"

./icld --version >/dev/null  # builds target/icld.jar when a source is newer
java=(java -Dai.djl.offline=true ${ICLD_JAVA_OPTS:-} -cp "target/icld.jar:target/lib/*" dev.icld.cli.Main)
data=build/kws-tiny
[ -f "$data/card.json" ] || "${java[@]}" synth --task kws --size tiny --seed 1 --out "$data"
phones=build/phones-tiny
[ -f "$phones/card.json" ] || "${java[@]}" synth-phones --out "$phones" --shard 0 --utterances 24
rm -rf "$out"
mkdir -p "$out"

# Each job: a function that sets cmd to its command with the run's directory as $1 (run as a simple
# command, so that $! is the JVM itself), the run's metrics.jsonl under it, and its steps (the
# kill points are drawn below the last).
finetune_steps=12
finetune() {
  cmd=("${java[@]}" finetune --model models/default --task kws --data "$data" --out "$1" \
    --layer-drop random --depth-sampling uniform-k --max-steps "$finetune_steps" \
    --checkpoint-every 2 --seed 1)
}
pretrain_steps=12
pretrain() {
  cmd=("${java[@]}" pretrain --data "$data" --out "$1" --max-steps "$pretrain_steps" --hidden 32 \
    --layers 2 --heads 2 --conv-channels 32 --clusters 8 --seed 1)
}
phone_steps=12
pretrain_phones() {
  cmd=("${java[@]}" pretrain-phones --data "$phones" --out "$1" --front-end log_mel \
    --max-steps "$phone_steps" --batch-seconds 8 --hidden 32 --layers 2 --heads 2 \
    --supervised-layers 1,2 --layer-weights 0.5,1 --checkpoint-every 2 --seed 1)
}
selector_steps=12
train_selector() {
  cmd=("${java[@]}" train-selector --model "$out/finetune/straight" --data "$data" \
    --selector-dir "$1" --max-steps "$selector_steps" --seed 1)
}

steps_logged() {
  if [ -f "$1" ]; then grep -c '"event":"step"' "$1" || true; else echo 0; fi
}

# run_killed JOB DIR METRICS STEPS: the killed run, restarted after each kill, then to its end.
run_killed() {
  local job="$1" dir="$2" metrics="$3" steps="$4"
  local points
  points=$(for ((i = 0; i < kills; i++)); do echo $((1 + RANDOM % (steps - 1))); done | sort -n | uniq)
  while [ "$(echo "$points" | wc -l)" -lt "$kills" ] && [ "$kills" -lt "$steps" ]; do
    points=$( (echo "$points"; echo $((1 + RANDOM % (steps - 1)))) | sort -n | uniq)
  done
  local n=0
  for point in $points; do
    local jitter_ms=$((RANDOM % 1500))
    "$job" "$dir"
    "${cmd[@]}" >>"$dir.log" 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null && [ "$(steps_logged "$metrics")" -lt "$point" ]; do
      sleep 0.05
    done
    sleep "$(printf '%d.%03d' $((jitter_ms / 1000)) $((jitter_ms % 1000)))"
    n=$((n + 1))
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      echo "  kill $n: SIGKILL at step >= $point + ${jitter_ms} ms (log then showed $(steps_logged "$metrics") steps)"
    else
      wait "$pid" || true
      echo "  kill $n: the run had already ended before step $point + ${jitter_ms} ms"
    fi
  done
  "$job" "$dir"
  "${cmd[@]}" >>"$dir.log" 2>&1 || { echo "  the final resume failed: $dir.log" >&2; return 1; }
  echo "  resumed to the end: $(grep -c '^resuming' "$dir.log" || true) resumes from a checkpoint"
}

failed=0
# compare JOB DIR_STRAIGHT DIR_KILLED FILE...
compare() {
  local job="$1" straight="$2" killed="$3"
  shift 3
  for file in "$@"; do
    local a b
    a=$(sha256sum "$straight/$file" | cut -d' ' -f1)
    b=$(sha256sum "$killed/$file" | cut -d' ' -f1)
    if [ "$a" = "$b" ]; then
      echo "  $job $file: identical, sha256 $a"
    else
      echo "  $job $file: DIFFERS, sha256 $a uninterrupted, $b killed and resumed"
      failed=1
    fi
  done
}

started=$(date +%s)
job() {
  local name="$1" fn="$2" metrics="$3" steps="$4"
  shift 4
  echo "== $name: uninterrupted"
  mkdir -p "$out/$name"
  "$fn" "$out/$name/straight"
  "${cmd[@]}" >"$out/$name/straight.log" 2>&1 || { echo "  failed: $out/$name/straight.log" >&2; exit 1; }
  echo "== $name: killed $kills times and resumed"
  run_killed "$fn" "$out/$name/killed" "$out/$name/killed/$metrics" "$steps"
  compare "$name" "$out/$name/straight" "$out/$name/killed" "$@"
  echo "   ($(( $(date +%s) - started )) s so far)"
}

job finetune finetune training/metrics.jsonl "$finetune_steps" model.safetensors heads.safetensors
job pretrain pretrain training/metrics.jsonl "$pretrain_steps" model.safetensors \
  training/pretraining_head.safetensors kmeans.safetensors
job pretrain-phones pretrain_phones training/phones/metrics.jsonl "$phone_steps" \
  model.safetensors training/phone_heads.safetensors
job train-selector train_selector selector-training/metrics.jsonl "$selector_steps" \
  selector.safetensors selector.json

if [ "$failed" = 0 ]; then
  echo "kill-resume: every killed run ended bit-identical to its uninterrupted run (seed $seed)"
else
  echo "kill-resume: some files differ (seed $seed); logs in $out" >&2
fi
exit "$failed"

#!/usr/bin/env bash
# BENCHMARKS.md's Spark scale figures: icld eval --spark on a standalone cluster of 1 and 2
# one-core workers (scripts/spark/standalone.sh --cluster-only), full depth only, on test sets of
# 1k, 10k and 50k one-second kws clips (kws-small's 300 test clips listed again and again, each
# time under another file name, a link to the same audio), then a table of passes per second and
# model-loading time from each run's spark.json.
#
#   scripts/spark/scale.sh [--model DIR] [--sizes 1000,10000,50000] [--workers 1,2] [--out DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
model=build/main/kws-small/layerdrop sizes=1000,10000,50000 worker_counts=1,2 out=build/spark-scale
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2" ;;
    --sizes) sizes="$2" ;;
    --workers) worker_counts="$2" ;;
    --out) out="$2" ;;
    *) echo "usage: scripts/spark/scale.sh [--model DIR] [--sizes LIST] [--workers LIST] [--out DIR]" >&2; exit 2 ;;
  esac
  shift 2
done
source_data=build/kws-small
[ -f "$source_data/test.jsonl" ] || ./icld synth --task kws --size small --seed 1 --out "$source_data"
[ -f "$model/config.json" ] || { echo "scale: no model in $model (scripts/pipeline.sh makes it)" >&2; exit 1; }
mkdir -p "$out"
source_audio="$(cd "$source_data" && pwd)"
for n in ${sizes//,/ }; do
  data="$out/corpus-$n"
  if [ ! -f "$data/test.jsonl" ]; then
    mkdir -p "$data/audio"
    mapfile -t lines < "$source_data/test.jsonl"
    : > "$data/test.jsonl.partial"
    for ((i = 0; i < n; i++)); do
      line="${lines[i % ${#lines[@]}]}"
      clip="${line#*\"audio\":\"}"; clip="${clip%%\"*}"
      name=$(printf "%06d.wav" "$i")
      ln -sfn "$source_audio/$clip" "$data/audio/$name"
      printf '%s\n' "${line/\"audio\":\"$clip\"/\"audio\":\"audio/$name\"}" >> "$data/test.jsonl.partial"
    done
    mv "$data/test.jsonl.partial" "$data/test.jsonl"
  fi
  for w in ${worker_counts//,/ }; do
    run="$out/run-$n-$w"
    [ -f "$run/cluster/spark.json" ] && continue
    scripts/spark/standalone.sh --model "$model" --data "$data" --out "$run" --workers "$w" \
      --cluster-only -- --methods full --budgets 12 --warmup 3
  done
done
printf '\n| utterances | workers | passes/s | wall s | model loads | load s each |\n|---:|---:|---:|---:|---:|---:|\n'
for n in ${sizes//,/ }; do
  for w in ${worker_counts//,/ }; do
    f="$out/run-$n-$w/cluster/spark.json"
    [ -f "$f" ] || continue
    field() { grep "\"$1\"" "$f" | sed 's/.*: *//; s/,$//'; }
    printf '| %s | %s | %.1f | %.0f | %s | %.1f |\n' "$n" "$w" "$(field per_second)" \
      "$(field seconds)" "$(field model_loads)" "$(field model_load_seconds_mean)"
  done
done

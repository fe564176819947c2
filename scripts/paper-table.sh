#!/usr/bin/env bash
# The paper's table: the main job (scripts/pipeline.sh) for every task on every backbone, then
# `icld paper-table` gathers their reports into one table (rows tasks x backbones, columns
# budgets 12/9/6/3) and checks the method's targets.
# Usage: scripts/paper-table.sh [--size small|tiny] [--tasks kws,asr,sid,sound]
#                               [--backbones default,wavlm] [--steps N] [--selector-steps N]
#                               [--out DIR]
#   A backbone NAME is the model directory models/NAME. --size tiny --steps 5 --selector-steps 5
#   is a smoke test of the whole chain.
# Resumable: a run whose report.json exists is kept, and pipeline.sh resumes an interrupted one.
# Each run's wall time goes to OUT/BACKBONE/TASK-SIZE/wall-seconds.txt and into the table (for a
# run that was interrupted and resumed: the time of the invocation that finished it).
# Outputs: OUT/paper-table.md and OUT/paper-table.json (default OUT: build/paper).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE

usage="usage: scripts/paper-table.sh [--size small|tiny] [--tasks LIST] [--backbones LIST] [--steps N] [--selector-steps N] [--out DIR]"
size=small tasks=kws,asr,sid,sound backbones=default,wavlm out=build/paper step_options=()
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
  case "$1" in
    --size) size="$2" ;;
    --tasks) tasks="$2" ;;
    --backbones) backbones="$2" ;;
    --steps|--selector-steps) step_options+=("$1" "$2") ;;
    --out) out="$2" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done
for backbone in ${backbones//,/ }; do
  [ -f "models/$backbone/config.json" ] || {
    echo "paper-table: no backbone models/$backbone (models/$backbone/config.json is missing)" >&2
    exit 2
  }
done

started=$(date +%s)
for backbone in ${backbones//,/ }; do
  for task in ${tasks//,/ }; do
    run="$out/$backbone/$task-$size"
    if [ -f "$run/report/report.json" ]; then
      printf '\n== %s on %s: done already (%s)\n' "$task" "$backbone" "$run/report/report.json"
      continue
    fi
    printf '\n== %s on %s: scripts/pipeline.sh into %s\n' "$task" "$backbone" "$run"
    run_started=$(date +%s)
    scripts/pipeline.sh --task "$task" --size "$size" --model "models/$backbone" --out "$run" \
      ${step_options[@]+"${step_options[@]}"}
    echo $(( $(date +%s) - run_started )) > "$run/wall-seconds.txt.tmp"
    mv "$run/wall-seconds.txt.tmp" "$run/wall-seconds.txt"
  done
done

printf '\n== the table\n'
./icld paper-table --root "$out" --size "$size" --tasks "$tasks" --backbones "$backbones"
elapsed=$(( $(date +%s) - started ))
printf '\npaper-table.sh: %dh%02dm%02ds in this invocation; table: %s/paper-table.md\n' \
  $(( elapsed / 3600 )) $(( elapsed % 3600 / 60 )) $(( elapsed % 60 )) "$out"

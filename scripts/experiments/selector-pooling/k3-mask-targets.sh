#!/usr/bin/env bash
# Selectors trained at budget 3 alone, mean against mean+max pooling, with and without the
# class-conditional masks of icld oracle as targets (RESULTS.md, "Can the selector see the
# keyword?"). Each trains on MODEL (a LayerDrop model with static subsets; its own selector is
# left alone) and is evaluated against the static subset on the test split.
# Usage: scripts/experiments/selector-pooling/k3-mask-targets.sh MODEL DATA ORACLE_CLASS_MASKS OUT
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
model=$1 data=$2 masks=$3 out=$4
mkdir -p "$out"
run() {
  local name=$1
  shift
  ./icld train-selector --model "$model" --data "$data" --max-steps 1200 --budgets 3 \
    --selector-dir "$out/sel-$name" "$@" > "$out/train-$name.log" 2>&1
  ./icld eval --model "$model" --selector-dir "$out/sel-$name" --data "$data" \
    --methods static,selector --budgets 3 --engine onnx --seed 1 --out "$out/cond-$name" \
    > "$out/eval-$name.log" 2>&1
  echo "== $name: $(grep -o 'best dev[^{]*' "$out/train-$name.log")"
  grep '| 3 | selector |' "$out/cond-$name/report.md"
}
targets=(--mask-targets "$masks" --mask-target-weight 10)
run mean-none --seed 1 --pooling mean
run mean-w10 --seed 1 --pooling mean "${targets[@]}"
run max-none --seed 1 --pooling mean+max
run max-w10 --seed 1 --pooling mean+max "${targets[@]}"
run max-w10-s2 --seed 2 --pooling mean+max "${targets[@]}"

#!/usr/bin/env bash
# The mask-target experiment of RESULTS.md ("Distilling the class-conditional masks into the
# selector"), on the main job's kws outputs. Usage, from the repository root, after
# `scripts/pipeline.sh` and `icld oracle ... --out build/oracle-kws` (RESULTS.md has that command):
#   scripts/experiments/mask-targets/run.sh build/main/kws-small build/exp-masks
# MAIN is the main job's output folder (layerdrop, early-exit, scratch-cnn); OUT is written.
set -euo pipefail
main="$1" out="$2"
export OMP_WAIT_POLICY=PASSIVE OPT_OUT_TRACKING=true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
icld="$(pwd)/icld"
data="$(pwd)/build/kws-small"
mkdir -p "$out"
[ -d "$out/kws-layerdrop" ] || { cp -r "$main/layerdrop" "$out/kws-layerdrop" \
  && rm -rf "$out"/kws-layerdrop/selector*; }
[ -d "$out/scratch-cnn" ] || cp -r "$main/scratch-cnn" "$out/scratch-cnn"
python3 "$here/derive_class_masks.py" build/oracle-kws/oracle.json "$data/test.jsonl" \
  "$out/oracle-class-masks.json"
cd "$out"
for w in 1 10; do
  "$icld" train-selector --model kws-layerdrop --data "$data" --max-steps 150 --seed 1 \
    --mask-targets oracle-class-masks.json --mask-target-weight "$w" --selector-dir "selector-w$w"
done
# W = 1, chosen on dev, in full beside every method; W = 10 for its masks only.
"$icld" eval --model kws-layerdrop --selector-dir selector-w1 --early-exit-model "$main/early-exit" --data "$data" \
  --methods all --budgets 12,9,6,3 --engine onnx --seed 1 --out report --scratch-cnn scratch-cnn
"$icld" eval --model kws-layerdrop --selector-dir selector-w10 --data "$data" \
  --methods static,selector --budgets 6,3 --engine onnx --seed 1 --out report-w10
# Side check: trained at k = 6 and 3 only, so that every batch has targets.
"$icld" train-selector --model kws-layerdrop --data "$data" --max-steps 150 --seed 1 \
  --budgets 6,3 --selector-dir selector-k63
"$icld" train-selector --model kws-layerdrop --data "$data" --max-steps 150 --seed 1 \
  --budgets 6,3 --mask-targets oracle-class-masks.json --mask-target-weight 1 \
  --selector-dir selector-k63-w1
for s in selector-k63 selector-k63-w1; do
  "$icld" eval --model kws-layerdrop --selector-dir "$s" --data "$data" \
    --methods static,selector --budgets 6,3 --engine onnx --seed 1 --out "report-${s#selector-}"
done
python3 "$here/target_overlap.py" oracle-class-masks.json kws-layerdrop/static_subsets.json \
  report/report.json report-w10/report.json report-k63/report.json report-k63-w1/report.json

#!/usr/bin/env bash
# The longer kws study behind RESULTS.md, on the embedded default model (about 75 minutes on
# 2 cores): the main job with longer fine-tunes and selector training, then the selector
# ablation on its LayerDrop model, then stage 3 (joint fine-tuning of backbone, heads and
# selector) and an evaluation of every method on the jointly tuned model.
# Usage: scripts/study.sh [--size small|tiny|full] [--steps N] [--selector-steps N]
#                         [--joint-steps N] [--joint-lr X]
#   --size tiny --steps 4 --selector-steps 3 --joint-steps 2 is a smoke test of the chain.
# Every step resumes; outputs go to build/main/kws-SIZE-stepsN-selectorM: the main job's
# layerdrop/, early-exit/, report/, then ablation/, joint-stage2/, joint/, joint-report/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE

usage="usage: scripts/study.sh [--size small|tiny|full] [--steps N] [--selector-steps N] [--joint-steps N] [--joint-lr X]"
size=small finetune_steps=1200 selector_steps=300 joint_steps=200 joint_lr=1e-4
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
  case "$1" in
    --size) size="$2" ;;
    --steps) finetune_steps="$2" ;;
    --selector-steps) selector_steps="$2" ;;
    --joint-steps) joint_steps="$2" ;;
    --joint-lr) joint_lr="$2" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done

data="build/kws-$size"
work="build/main/kws-$size-steps$finetune_steps-selector$selector_steps"
scripts/pipeline.sh --task kws --size "$size" --steps "$finetune_steps" \
  --selector-steps "$selector_steps" --out "$work"

printf '\n== selector ablation (features, log-mel, features + KL; top-k and adaptive)\n'
./icld ablate --model "$work/layerdrop" --data "$data" --out "$work/ablation" \
  --max-steps "$selector_steps" --seed 1 --engine onnx

printf '\n== stage 3: joint fine-tuning of backbone, heads and selector (%s steps, lr %s)\n' \
  "$joint_steps" "$joint_lr"
./icld train-selector --model "$work/layerdrop" --data "$data" --max-steps "$selector_steps" \
  --seed 1 --selector-dir "$work/joint-stage2" --joint-finetune-steps "$joint_steps" \
  --joint-lr "$joint_lr" --out "$work/joint"
./icld eval --model "$work/joint" --early-exit-model "$work/early-exit" --data "$data" \
  --methods all --budgets 12,9,6,3 --engine onnx --seed 1 --out "$work/joint-report" \
  --scratch-cnn "$work/scratch-cnn"

printf '\n== done\n'
echo "main table:  $work/report/report.md"
echo "ablation:    $work/ablation/ablation.md"
echo "stage 3:     $work/joint-report/report.md (every method on the jointly tuned backbone)"

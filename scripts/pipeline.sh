#!/usr/bin/env bash
# The main job, end to end on the embedded default model (models/default):
#   build the corpus, fine-tune with random LayerDrop and with early exits, train the
#   input-conditioned selector, then compare every method at every budget on ONNX Runtime (the
#   static subsets are searched on dev inside icld eval) and print the table.
# Usage: scripts/pipeline.sh [--task kws|asr|sid|sound] [--size small|tiny|full] [--steps N]
#                            [--selector-steps N] [--model DIR] [--out DIR]
#   --size tiny with a few steps is a smoke test of the whole chain in a couple of minutes.
# Every step resumes or is skipped when its output is complete, so an interrupted run picks up
# where it stopped. Outputs: build/main/TASK-SIZE/{layerdrop,early-exit,report}, or
# build/main/TASK-SIZE-stepsN-selectorM with other step counts, so runs of each kind coexist
# (--out DIR: there instead). --model DIR starts from another backbone than models/default
# (give --out too, so that its outputs do not mix with the default's).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE

usage="usage: scripts/pipeline.sh [--task kws|asr|sid|sound] [--size small|tiny|full] [--steps N] [--selector-steps N] [--model DIR] [--out DIR]"
task=kws size=small finetune_steps="" selector_steps="" work="" model=models/default
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
  case "$1" in
    --task) task="$2" ;;
    --size) size="$2" ;;
    --steps) finetune_steps="$2" ;;
    --selector-steps) selector_steps="$2" ;;
    --out) work="$2" ;;
    --model) model="$2" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done

# Steps and learning rates sized so that the whole job stays under 25 minutes on 2 cores (40 for
# asr); the frozen conv front end's features are cached, so fine-tuning steps are cheap. kws
# fine-tunes at lr 2e-4: dev chose it over 5e-4 (RESULTS.md, "Fine-tuning recipe").
case "$task" in
  kws) default_steps=600 finetune_lr=2e-4 default_selector_steps=150 ;;
  asr) default_steps=500 finetune_lr=5e-4 default_selector_steps=120 ;;
  sid|sound) default_steps=600 finetune_lr=5e-4 default_selector_steps=150 ;;
  *) echo "pipeline: --task must be kws, asr, sid or sound, not '$task'" >&2; exit 2 ;;
esac
finetune_steps="${finetune_steps:-$default_steps}"
selector_steps="${selector_steps:-$default_selector_steps}"
budgets=12,9,6,3
data="build/$task-$size"
if [ -z "$work" ]; then
  work="build/main/$task-$size"
  if [ "$finetune_steps" != "$default_steps" ] || [ "$selector_steps" != "$default_selector_steps" ]; then
    work="$work-steps$finetune_steps-selector$selector_steps"
  fi
fi
started=$(date +%s)

step() { printf '\n== %s (%s elapsed)\n' "$1" "$(date -u -d @$(( $(date +%s) - started )) +%Mm%Ss)"; }

step "set-up"
scripts/setup.sh
./icld --version

step "corpus: $data"
if [ -f "$data/card.json" ]; then
  echo "$data exists (icld synth is deterministic: same seed, same bytes)"
else
  ./icld synth --task "$task" --size "$size" --seed 1 --out "$data"
fi

# LayerDrop that shows the full stack as well as shallow ones: per batch, all 12 layers, or (with
# probability 0.75) k random layers, k uniform in 1..12. A fresh head learns at a higher rate.
step "fine-tune with random LayerDrop (uniform-k depths)"
./icld finetune --model "$model" --task "$task" --data "$data" --out "$work/layerdrop" \
  --layer-drop random --depth-sampling uniform-k --lr "$finetune_lr" --head-lr 2e-3 \
  --max-steps "$finetune_steps" --seed 1

step "fine-tune with early exits (a head after every layer)"
./icld finetune --model "$model" --task "$task" --data "$data" --out "$work/early-exit" \
  --layer-drop early-exit --lr "$finetune_lr" --head-lr 2e-3 --max-steps "$finetune_steps" \
  --seed 1

step "train the input-conditioned selector (backbone frozen, Gumbel top-k, every budget)"
./icld train-selector --model "$work/layerdrop" --data "$data" --max-steps "$selector_steps" \
  --seed 1

# ONNX Runtime (parity-tested against DJL) keeps the ~12,000 single-utterance timed passes
# inside the 20-minute budget; DJL eager took about three times as long here.
step "evaluate every method at budgets $budgets on ONNX Runtime (static subsets searched on dev), beside scratch-cnn (trained once in $work/scratch-cnn)"
./icld eval --model "$work/layerdrop" --early-exit-model "$work/early-exit" --data "$data" \
  --methods all --budgets "$budgets" --engine onnx --seed 1 --out "$work/report" \
  --scratch-cnn "$work/scratch-cnn"

step "done"
cat "$work/report/report.md"
echo
echo "report: $work/report/report.md (table), $work/report/report.json (every number)"
echo "plots:  $(ls "$work"/report/*.png | tr '\n' ' ')"

#!/usr/bin/env bash
# The other-languages continuation of models/default (RESULTS.md, "Four more real voices"):
#   1. shards 18-21 of icld synth-phones with --other-languages 0.5 (half their utterances from
#      festival's Italian and Finnish diphone voices; about 1 minute a shard);
#   2. 4,000 steps of masked phone prediction from models/default (its weights and phone heads),
#      peak rate 2e-4, seed 3, on shards 10-19 and 21 (shard 20 could not be built when the run
#      was made: festival crashed on one of its utterances, now left out), about 65 minutes;
#   3. the main job on it (scripts/pipeline.sh, kws), about 15 minutes.
# Every step resumes or is skipped when its output is complete.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh
for s in 18 19 20 21; do
  dir=$(printf "build/phones/shard-%03d" "$s")
  [ -f "$dir/card.json" ] || ./icld synth-phones --out "$dir" --shard "$s" --other-languages 0.5
done
source scripts/phone-shards.sh
continued=()
for s in $(seq 10 19) 21; do continued+=("$(printf "build/phones/shard-%03d" "$s")"); done
./icld pretrain-phones --data "${continued[@]}" --out build/pretrained-logmel-3 \
  --init models/default --front-end log_mel --max-steps 4000 --batch-seconds 40 --lr 2e-4 \
  --seed 3
scripts/pipeline.sh --model build/pretrained-logmel-3 --out build/main-ml/kws-small

#!/usr/bin/env bash
# Rebuilds the embedded default model, models/default, from nothing, exactly as it was made:
#   1. the phone-target pretraining corpus: shards 0-17 of icld synth-phones (29.7 h,
#      18 x 2,400 utterances; about 2 minutes a shard on 2 cores);
#   2. masked phone prediction at layers 4, 8 and 12 on the log-mel front end (fixed filterbanks,
#      nothing to learn before the transformer): 5,000 steps of 40 s batches, about 75 minutes;
#   3. the same objective continued from step 2's weights and phone heads (--init) for 5,000
#      more steps at a lower peak rate (3e-4) with another data order (seed 2), about 75 minutes.
# Every step resumes when interrupted and repeats exactly (--max-steps, fixed seeds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh

source scripts/phone-shards.sh
./icld pretrain-phones --data "${data[@]}" --out build/pretrained-logmel \
  --front-end log_mel --max-steps 5000 --batch-seconds 40 --lr 5e-4
./icld pretrain-phones --data "${data[@]}" --out build/pretrained-logmel-2 \
  --init build/pretrained-logmel --front-end log_mel --max-steps 5000 --batch-seconds 40 \
  --lr 3e-4 --seed 2

final=build/pretrained-logmel-2
rm -rf models/default/training
mkdir -p models/default/training
cp "$final"/config.json "$final"/model.safetensors models/default/
cp "$final"/PRETRAINING.md models/default/training/
cp "$final"/training/phone_heads.safetensors models/default/training/
cp build/pretrained-logmel/training/phones/metrics.jsonl models/default/training/phones-metrics.jsonl
cp "$final"/training/phones/metrics.jsonl models/default/training/phones-metrics-continued.jsonl
echo "models/default rebuilt (models/default/CARD.md, written by hand, is left as it is)"

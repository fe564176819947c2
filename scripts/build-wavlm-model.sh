#!/usr/bin/env bash
# Rebuilds the second foundation model, models/wavlm, from nothing, exactly as it was made:
#   1. the same phone-target pretraining corpus as models/default (scripts/phone-shards.sh);
#   2. WavLM's layout (the default's transformer plus a gated relative position bias in every
#      layer) trained from random weights on masked phone prediction at layers 4, 8 and 12, with
#      WavLM's denoising: a fifth of the training utterances get a stretch of another utterance
#      of their batch over them (--mix-prob 0.2), their targets unchanged. 4,000 steps of 40 s
#      batches, another seed than the default's (3).
# Every step resumes when interrupted and repeats exactly (--max-steps, fixed seeds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh
source scripts/phone-shards.sh

./icld pretrain-phones --data "${data[@]}" --out build/pretrained-wavlm --model-type wavlm \
  --mix-prob 0.2 --front-end log_mel --max-steps 4000 --batch-seconds 40 --lr 5e-4 --seed 3

final=build/pretrained-wavlm
rm -rf models/wavlm/training
mkdir -p models/wavlm/training
cp "$final"/config.json "$final"/model.safetensors models/wavlm/
cp "$final"/PRETRAINING.md models/wavlm/training/
cp "$final"/training/phone_heads.safetensors models/wavlm/training/
cp "$final"/training/phones/metrics.jsonl models/wavlm/training/phones-metrics.jsonl
echo "models/wavlm rebuilt (models/wavlm/CARD.md, written by hand, is left as it is)"

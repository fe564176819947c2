#!/usr/bin/env bash
# The characters continuation of models/default (RESULTS.md, "Spelling in pretraining"):
#   1. 3,000 steps of masked phone prediction plus the transcripts' characters by CTC (weight 1,
#      at layers 4, 8 and 12 like the phones) from models/default (its weights and phone heads; the
#      character head new), peak rate 2e-4, seed 4, on the default's shards 0-17, about an hour;
#   2. the main job on it (scripts/pipeline.sh) for asr, then kws.
# Every step resumes or is skipped when its output is complete.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh
source scripts/phone-shards.sh
./icld pretrain-phones --data "${data[@]}" --out build/pretrained-characters \
  --init models/default --front-end log_mel --max-steps 3000 --batch-seconds 40 --lr 2e-4 \
  --character-weight 1 --seed 4
scripts/pipeline.sh --task asr --model build/pretrained-characters --out build/main-characters/asr-small
scripts/pipeline.sh --task kws --model build/pretrained-characters --out build/main-characters/kws-small

#!/usr/bin/env bash
# Rebuilds the embedded default model, models/default, from nothing, exactly as it was made:
#   1. the phone-target pretraining corpus: shards 0-7 of icld synth-phones (13 h, 8 x 2,400
#      utterances; about 2 minutes a shard on 2 cores);
#   2. stage 1: the conv front end alone learns to regress log-mel (200 steps, about 8 minutes);
#   3. stage 2: the front end frozen, masked phone prediction at layers 4, 8 and 12 (1,400 steps
#      of 40 s batches, about 50 minutes).
# Every step resumes when interrupted and repeats exactly (--max-steps, fixed seeds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh

data=()
for s in 0 1 2 3 4 5 6 7; do
  dir=$(printf "build/phones/shard-%03d" "$s")
  [ -f "$dir/card.json" ] || ./icld synth-phones --out "$dir" --shard "$s"
  data+=("$dir")
done
./icld pretrain-phones --data "${data[@]}" --out build/pretrained-front-end \
  --front-end-steps 200 --max-steps 0 --batch-seconds 40 --front-end-lr 1e-3
./icld pretrain-phones --data "${data[@]}" --out build/pretrained-phones \
  --init build/pretrained-front-end/training/front-end-model \
  --max-steps 1400 --batch-seconds 40 --lr 5e-4

rm -rf models/default/training
mkdir -p models/default/training
cp build/pretrained-phones/config.json build/pretrained-phones/model.safetensors models/default/
cp build/pretrained-phones/PRETRAINING.md models/default/training/
cp build/pretrained-phones/training/phone_heads.safetensors models/default/training/
cp build/pretrained-phones/training/phones/metrics.jsonl models/default/training/phones-metrics.jsonl
cp build/pretrained-front-end/training/front-end/metrics.jsonl \
  models/default/training/front-end-metrics.jsonl
echo "models/default rebuilt (models/default/CARD.md, written by hand, is left as it is)"

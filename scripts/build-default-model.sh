#!/usr/bin/env bash
# Rebuilds the embedded default model, models/default, from nothing: the phone-target
# pretraining corpus (shards of synthetic speech from many voices, each utterance with its phones),
# then icld pretrain-phones: the conv front end learns log-mel (stage 1), then the transformer
# learns masked phone prediction at layers 4, 8 and 12 (stage 2). Every step resumes when
# interrupted; the run is exactly repeatable (--max-steps, fixed seeds).
# Usage: scripts/build-default-model.sh [SHARDS] [STEPS]   (default: the committed model's)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
shards="${1:-8}"
steps="${2:-1400}"
scripts/setup.sh

data=()
for s in $(seq 0 $((shards - 1))); do
  dir=$(printf "build/phones/shard-%03d" "$s")
  [ -f "$dir/card.json" ] || ./icld synth-phones --out "$dir" --shard "$s"
  data+=("$dir")
done
./icld pretrain-phones --data "${data[@]}" --out build/pretrained-phones \
  --front-end-steps 200 --max-steps "$steps" --batch-seconds 40 --lr 5e-4

mkdir -p models/default/training
cp build/pretrained-phones/config.json build/pretrained-phones/model.safetensors models/default/
cp build/pretrained-phones/PRETRAINING.md models/default/training/
cp build/pretrained-phones/training/phone_heads.safetensors models/default/training/
cp build/pretrained-phones/training/phones/metrics.jsonl models/default/training/phones-metrics.jsonl
cp build/pretrained-phones/training/front-end/metrics.jsonl models/default/training/front-end-metrics.jsonl
echo "models/default rebuilt (models/default/CARD.md, written by hand, is left as it is)"

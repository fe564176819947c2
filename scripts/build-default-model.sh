#!/usr/bin/env bash
# Rebuilds the embedded default model, models/default, from nothing: the three offline corpora,
# then HuBERT-style pretraining in two runs (the second continues the first on the same MFCC
# k-means targets, with the same prediction head). About two hours on 2 cores.
# Both runs use --max-steps, so they repeat exactly; the speakers of every dev and test split
# of the downstream corpora are left out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh

for task in asr kws sid; do
  [ -f "build/$task-full/card.json" ] || ./icld synth --task "$task" --size full --seed 1 --out "build/$task-full"
done
corpora=(build/asr-full build/kws-full build/sid-full)
./icld pretrain --data "${corpora[@]}" --exclude-speakers-of "${corpora[@]}" \
  --out build/pretrained-stage1 --conv-channels 128 --batch-seconds 24 --max-steps 555
./icld pretrain --init build/pretrained-stage1 --data "${corpora[@]}" \
  --exclude-speakers-of "${corpora[@]}" --out build/pretrained --batch-seconds 24 --max-steps 500

mkdir -p models/default/training
cp build/pretrained/config.json build/pretrained/model.safetensors \
  build/pretrained/kmeans.safetensors models/default/
for stage in 1 2; do
  from=build/pretrained; [ "$stage" = 1 ] && from=build/pretrained-stage1
  cp "$from/CARD.md" "models/default/training/stage$stage-CARD.md"
  cp "$from/training/summary.json" "models/default/training/stage$stage-summary.json"
  cp "$from/training/metrics.jsonl" "models/default/training/stage$stage-metrics.jsonl"
done
echo "models/default rebuilt (models/default/CARD.md, written by hand, is left as it is)"

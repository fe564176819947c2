#!/usr/bin/env bash
# The main job, end to end on the embedded default. For now: build a tiny kws corpus and print its card.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh
./icld synth --task kws --size tiny --out build/kws-tiny "$@"
cat build/kws-tiny/CARD.md

#!/usr/bin/env bash
# The long fuzzing campaign (RELIABILITY.md): mutated WAV, FLAC, safetensors, torch .bin,
# config.json and .jsonl manifest inputs fed to icld's readers, each input accepted or refused with
# a message naming the file, or else kept as a failure in src/test/resources/fuzz/FORMAT/regressions.
#
#   scripts/fuzz.sh [--minutes N] [--format F[,F...]] [--seed S] [--inputs N]
#                   [--input-time-limit-s S] [--heap SIZE] [--out DIR]
#
#   --minutes N   the whole campaign's length, shared equally by the formats (default 60)
#   --format F    wav, flac, safetensors, torch, config, manifest, or all (default)
#   --seed S      the campaign seed: the same seed makes the same inputs (default 1)
#   --inputs N    also stop each format after N inputs
#   --input-time-limit-s S   an input still being read after S seconds is a hang (default 10)
#   --heap SIZE   each worker JVM's heap (default 1g): an input that needs more is an OOM failure
#   --out DIR     work files and summary.json (default target/fuzz)
#
# Progress goes to the console every ten seconds per format; the exit status is 1 when any input
# failed. Run it at low priority on a shared machine: nice -n 15 scripts/fuzz.sh --minutes 60
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done
echo "fuzz: compiling ..." >&2
build=(test-compile dependency:build-classpath -Dmdep.includeScope=test
  -Dmdep.outputFile=target/fuzz-classpath.txt)
# Offline first: everything is usually in the local repository already.
mvn -q -B -o "${build[@]}" >&2 || mvn -q -B "${build[@]}" >&2
exec java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/fuzz-classpath.txt)" \
  dev.icld.fuzz.FuzzMain "$@"

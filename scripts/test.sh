#!/usr/bin/env bash
# The test command: installs what the tests need, then runs the whole suite offline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh
# After setup.sh, a missing TTS engine or tool fails ToolsTest instead of skipping the tests
# that need it.
mvn -B test -Dicld.systemTools=required "$@"

#!/usr/bin/env bash
# The test command: installs what the tests need, then runs the whole suite offline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
scripts/setup.sh
mvn -B test "$@"

#!/usr/bin/env bash
# Installs the Debian packages icld needs at run time and in its tests, only those that are missing.
# TTS engines and recordings make the offline corpora (shared/docs/DATA.md); Maven builds the jar.
set -euo pipefail
packages=(maven espeak-ng espeak-ng-data flite festival festvox-kallpc16k festvox-kdlpc16k
  festvox-us-slt-hts festvox-itapc16k festvox-italp16k festvox-suopuhe-mv festvox-suopuhe-lj
  festlex-cmu sox libsox-fmt-all fortunes wamerican openttd-opensfx
  sound-icons sound-theme-freedesktop alsa-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

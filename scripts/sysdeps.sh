#!/usr/bin/env bash
# Install the Debian packages juesuan needs at run time, if any is missing.
# Called by `make` (and so by `.ci/run`); safe to run again.
# With arguments, installs those packages instead (`make browser`: Debian's chromium, which the
# web workbench's browser tests drive; `playwright install` cannot download browsers here).
set -euo pipefail
PACKAGES=(fonts-noto-cjk fonts-wqy-microhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0
          fontconfig libharfbuzz-subset0 libreoffice-writer-nogui libreoffice-calc-nogui)
if [ $# -gt 0 ]; then
  PACKAGES=("$@")
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "sysdeps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "sysdeps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

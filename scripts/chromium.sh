#!/usr/bin/env bash
# Prints the path of Debian's Chromium for the browser tests, installing the package first when it
# is missing (apt-get, as root). playwright-core drives it; it never downloads a browser of its own.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  [ "$(id -u)" = 0 ] || { echo "chromium.sh: Expected Chromium at $CHROMIUM; install it with: sudo apt-get install chromium" >&2; exit 1; }
  echo "chromium.sh: installing Debian's chromium package" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
[ -x "$CHROMIUM" ] || { echo "chromium.sh: Expected Chromium at $CHROMIUM after installing (found none)" >&2; exit 1; }
echo "$CHROMIUM"

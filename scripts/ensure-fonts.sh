#!/usr/bin/env bash
# The widget speaks Japanese, Chinese, Thai and Arabic: a browser without a
# font for a script draws boxes of one width, and the layout tests
# (e2e/fit_test.go) and the contact sheet (make screenshots) would measure
# and show those boxes. Install a font per script when we can (root with
# apt); otherwise stop and name the one command that does. Never skip.
set -euo pipefail
missing=()
has() { [ -n "$(fc-list ":lang=$1" family 2>/dev/null)" ]; }
has ja || missing+=(fonts-droid-fallback) # Chinese and Japanese
has th || missing+=(fonts-tlwg-loma-ttf)
has ar || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" != --installed ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Missing fonts for the browser tests: ${missing[*]}: installing with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends fontconfig "${missing[@]}" >/dev/null
  exec "$0" --installed
fi
echo "The browser tests need fonts for Chinese, Japanese, Thai and Arabic. Install them with:" >&2
echo "    sudo apt-get install -y ${missing[*]}" >&2
exit 1

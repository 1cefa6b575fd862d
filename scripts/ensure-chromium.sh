#!/usr/bin/env bash
# The browser tests need Debian's Chromium. Install it when we can (root with
# apt); otherwise stop and name the one command that does. Never skip.
set -euo pipefail
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-open-sans >/dev/null
  command -v chromium >/dev/null && exit 0
fi
echo "The browser tests need Chromium. Install it with:" >&2
echo "    sudo apt-get install -y chromium" >&2
exit 1

#!/usr/bin/env bash
# The end-to-end tests run in three engines: Debian's Chromium, Firefox ESR
# (driven through its built-in WebDriver BiDi) and WebKitGTK (WebKitWebDriver
# with its MiniBrowser, under an Xvfb the tests start). Install what is
# missing when we can (root with apt); otherwise stop and name the one
# command that does. Never skip an engine.
set -euo pipefail
missing=()
have() { command -v "$1" >/dev/null 2>&1; }
have chromium || have chromium-browser || missing+=(chromium)
have firefox-esr || missing+=(firefox-esr)
# webkit2gtk-driver brings WebKitWebDriver and, through libwebkit2gtk-4.1-0, MiniBrowser.
{ have WebKitWebDriver && compgen -G '/usr/lib/*/webkit2gtk-4.1/MiniBrowser' >/dev/null; } || missing+=(webkit2gtk-driver)
have Xvfb || missing+=(xvfb)
# xauth: for xvfb-run, when WebKit is run by hand (docs/testing.md).
have xauth || missing+=(xauth)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" != --installed ] && [ "$(id -u)" = 0 ] && have apt-get; then
  echo "Missing for the browser tests: ${missing[*]}: installing with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-open-sans >/dev/null
  exec "$0" --installed # check again: a package may not have brought its command
fi
echo "The browser tests need ${missing[*]}. Install them with:" >&2
echo "    sudo apt-get install -y ${missing[*]}" >&2
exit 1

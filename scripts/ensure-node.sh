#!/usr/bin/env bash
# The SDK conformance and accessibility tests run npm packages (b24jssdk,
# axe-core) with Node.js 20+. This machine kind ships it; where it is
# missing, install Debian's as root, or stop with the command that does.
set -euo pipefail
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Node.js or npm is missing: installing Debian's nodejs and npm (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  command -v node >/dev/null && command -v npm >/dev/null && exit 0
fi
echo "The end-to-end tests need Node.js 20+ and npm. Install them with:" >&2
echo "    sudo apt-get install -y nodejs npm    (or Node.js 20+ from nodejs.org)" >&2
exit 1

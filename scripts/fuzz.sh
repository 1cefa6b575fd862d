#!/bin/sh
# fuzz.sh DURATION: run each native fuzz target for DURATION (default 10s),
# one after another (go test -fuzz takes one target per run). Crashers land in
# the package's testdata/fuzz/<Target>/ and fail the run: commit them as seeds
# once fixed. Seeds in testdata/fuzz are also run by every plain `go test`.
set -eu
FUZZTIME=${1:-10s}
cd "$(dirname "$0")/.."
GO=${GO:-go}
# package target, one per line
TARGETS="./internal/b24 FuzzCheckResponse
./internal/frame FuzzParseReply
./internal/frame FuzzParseWindowName
./internal/urlpart FuzzHostPath
./internal/minijson FuzzParse
./internal/distpage FuzzStripJS"
echo "$TARGETS" | while read -r pkg target; do
	echo "fuzz: $target ($pkg) for $FUZZTIME"
	# Native build: the frame and minijson packages also build for js/wasm.
	GOOS= GOARCH= "$GO" test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg"
done

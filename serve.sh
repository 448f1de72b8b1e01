#!/usr/bin/env bash
# Builds the browser IDE and serves it on http://127.0.0.1:8080/ (installing what it needs first).
#
#   ./serve.sh              release build (wasm-opt'd), rebuilt when a source changes
#   ./serve.sh --debug      a faster debug build
#   PORT=9000 ./serve.sh    another port
set -euo pipefail
cd "$(dirname "$0")"
bash ./setup.sh
# binaryen's wasm-opt from npm comes first: trunk uses whatever wasm-opt is on PATH.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
profile=--release
if [ "${1:-}" = "--debug" ]; then
    profile=
fi
exec trunk serve $profile --port "${PORT:-8080}"

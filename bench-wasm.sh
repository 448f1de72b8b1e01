#!/usr/bin/env bash
# Times MicroPython's perf_bench benchmarks under WebAssembly in node: MicroPython's npm build
# (@micropython/micropython-webassembly-pyscript, the baseline) against Pyrite's (crates/wasm),
# with the shared runner, as bench.sh does for the native builds.
#
#   ./bench-wasm.sh                                 build pyrite-wasm, then run everything
#   ./bench-wasm.sh --reps 5 --only 'bm_(fft|float)'   further arguments go to the runner
#   ./bench-wasm.sh --build                         only build target/wasm-node/ (for
#                                                   tests/wasm/worker.mjs and tests/bench/wasm-run.mjs)
#
# Pyrite's build goes to target/wasm-node/ (wasm-bindgen --target web, then wasm-opt -O3 as the
# browser build does, when binaryen's wasm-opt is in node_modules/.bin). MP_WASM_PKG names
# MicroPython's package folder (default node_modules/@micropython/micropython-webassembly-pyscript,
# from `npm install`). MP_TESTS names MicroPython's tests folder (default ~/mp/tests).
# Prints the runner's table and, last, the geometric-mean ratios (run time, wall time).
set -euo pipefail
cd "$(dirname "$0")"

MP_TESTS=${MP_TESTS:-$HOME/mp/tests}
MP_WASM_PKG=${MP_WASM_PKG:-node_modules/@micropython/micropython-webassembly-pyscript}
PERF=../shared/bench/perf.py
MP_RUNNER=../shared/bench/wasm-run.mjs
PKG=target/wasm-node
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WASM=$TARGET_DIR/wasm32-unknown-unknown/release/pyrite_wasm.wasm
JSON=${BENCH_JSON:-target/bench-wasm.json}
# wasm-bindgen-cli must be the lockfile's version of the wasm-bindgen crate.
BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q}' Cargo.lock)

BUILD_ONLY=0
if [ "${1:-}" = "--build" ]; then
    BUILD_ONLY=1
else
    if [ ! -d "$MP_TESTS/perf_bench" ]; then
        echo "bench-wasm.sh: MicroPython's test folder is missing: '$MP_TESTS' has no perf_bench/." >&2
        echo "Put a checkout of micropython/micropython at ~/mp, or set MP_TESTS=/path/to/tests." >&2
        exit 2
    fi
    for f in "$PERF" "$MP_RUNNER"; do
        if [ ! -f "$f" ]; then
            echo "bench-wasm.sh: the shared runner $f is missing." >&2
            exit 2
        fi
    done
    if [ ! -f "$MP_WASM_PKG/micropython.mjs" ]; then
        echo "bench-wasm.sh: MicroPython's WebAssembly package is missing at $MP_WASM_PKG." >&2
        echo "Run 'npm install', or set MP_WASM_PKG to its folder." >&2
        exit 2
    fi
fi

BINDGEN=$(command -v wasm-bindgen || echo "$HOME/.cargo/bin/wasm-bindgen")
if ! "$BINDGEN" --version 2>/dev/null | grep -q " $BINDGEN_VERSION\$"; then
    echo "bench-wasm.sh: wasm-bindgen $BINDGEN_VERSION is needed (the lockfile's version):" >&2
    echo "  cargo install wasm-bindgen-cli --version $BINDGEN_VERSION" >&2
    exit 2
fi

echo "bench-wasm.sh: building pyrite-wasm"
cargo build --release --target wasm32-unknown-unknown -p pyrite-wasm
mkdir -p "$PKG"
"$BINDGEN" --target web --no-typescript --out-dir "$PKG" --out-name pyrite-wasm "$WASM"
if [ -x node_modules/.bin/wasm-opt ]; then
    node_modules/.bin/wasm-opt -O3 "$PKG/pyrite-wasm_bg.wasm" -o "$PKG/pyrite-wasm_bg.wasm"
else
    echo "bench-wasm.sh: no node_modules/.bin/wasm-opt (npm binaryen): timing the unoptimised build" >&2
fi

if [ "$BUILD_ONLY" = 1 ]; then
    exit 0
fi

IMPLS=(--impl "mpy-wasm=node $MP_RUNNER --pkg $(cd "$MP_WASM_PKG" && pwd)"
       --impl "pyrite-wasm=node tests/bench/wasm-run.mjs --pkg $PKG")

python3 "$PERF" --bench-dir "$MP_TESTS/perf_bench" "${IMPLS[@]}" --json "$JSON" "$@" | tee target/bench-wasm.log

echo
echo "geometric means (time relative to MicroPython's WebAssembly build; lower is faster):"
grep "^geomean" target/bench-wasm.log || echo "  (none: see the errors above)"

#!/usr/bin/env bash
# Times MicroPython's perf_bench benchmarks under target/release/pyrite and CPython (python3),
# and under MicroPython too when MICROPYTHON names its unix binary, with the shared runner.
#
#   ./bench.sh                                 pyrite against python3
#   MICROPYTHON=~/mp/ports/unix/build-standard/micropython ./bench.sh
#   ./bench.sh --reps 5 --only 'bm_(fft|float)'   further arguments go to the runner
#
# The first interpreter is the baseline of the ratios: MicroPython when given, else CPython.
# MP_TESTS names MicroPython's tests folder (default ~/mp/tests; perf_bench/ is inside it).
# Prints the runner's table and, last, the geometric-mean ratios (run time, wall time).
set -euo pipefail
cd "$(dirname "$0")"

MP_TESTS=${MP_TESTS:-$HOME/mp/tests}
PERF=../shared/bench/perf.py
PYRITE=target/release/pyrite
JSON=${BENCH_JSON:-target/bench.json}

if [ ! -d "$MP_TESTS/perf_bench" ]; then
    echo "bench.sh: MicroPython's test folder is missing: '$MP_TESTS' has no perf_bench/." >&2
    echo "Put a checkout of micropython/micropython at ~/mp (tests at ~/mp/tests)," >&2
    echo "or set MP_TESTS=/path/to/micropython/tests." >&2
    exit 2
fi
if [ ! -f "$PERF" ]; then
    echo "bench.sh: the shared runner $PERF is missing." >&2
    exit 2
fi
if [ -n "${MICROPYTHON:-}" ] && [ ! -x "$MICROPYTHON" ]; then
    echo "bench.sh: MICROPYTHON=$MICROPYTHON is not an executable." >&2
    exit 2
fi
if [ ! -x "$PYRITE" ]; then
    echo "bench.sh: building $PYRITE"
    cargo build --release --bin pyrite
fi

IMPLS=()
if [ -n "${MICROPYTHON:-}" ]; then
    IMPLS+=(--impl "micropython=$MICROPYTHON")
fi
IMPLS+=(--impl "cpython=python3" --impl "pyrite=$PYRITE")

python3 "$PERF" --bench-dir "$MP_TESTS/perf_bench" "${IMPLS[@]}" --json "$JSON" "$@" | tee target/bench.log

echo
echo "geometric means (time relative to the first interpreter; lower is faster):"
grep "^geomean" target/bench.log || echo "  (none: see the errors above)"

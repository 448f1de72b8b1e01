#!/usr/bin/env bash
# Scores target/release/pyrite on MicroPython's own test suite with the shared conformance runner.
#
#   ./conformance.sh                          all five folders
#   ./conformance.sh --dirs basics,float      some folders
#   ./conformance.sh --filter 'basics/int_'   any further argument goes to the runner
#   ./conformance.sh --board socket://127.0.0.1:PORT   runs each test ON a board (or /dev/ttyACM0)
#   ./conformance.sh --qemu IMAGE             boots the pyboard firmware in QEMU and runs there
#
# On a board each test goes through the real `mpremote` (`connect DEVICE run NAME.py`: a soft
# reset, then the file through the raw REPL), one at a time, as MicroPython's `run-tests.py -t`
# does; line ends come back as on the host, a traceback names the file instead of `<stdin>`,
# and an uncaught exception is a non-zero exit, as with the host binary.
#
# MicroPython's tests are not part of this repository: MP_TESTS names their folder (default
# ~/mp/tests, a checkout of micropython/micropython with micropython-lib at lib/micropython-lib).
# Writes target/conformance.json (per-test results) and prints per-folder counts, e.g. `basics: 463/545`.
set -euo pipefail

# `--run-on DEVICE FILE`: what the runner calls for each test on a board (see above).
if [ "${1:-}" = --run-on ]; then
    export PATH="$HOME/.local/bin:$PATH"
    name=$(basename "$3")
    # Ended before the runner's own 10 s limit, so that no client is left holding the port
    # (it serves one at a time); the next test's Ctrl-C stops what the board still runs.
    timeout -k 1 9 mpremote connect "$2" run "$3" | python3 -c '
import sys
out = sys.stdin.buffer.read().replace(b"\r\n", b"\n")
sys.stdout.buffer.write(out.replace(b"File \"<stdin>\"", b"File \"%s\"" % sys.argv[1].encode()))
' "$name"
    exit "${PIPESTATUS[0]}"
fi

cd "$(dirname "$0")"

MP_TESTS=${MP_TESTS:-$HOME/mp/tests}
SHARED=../shared/conformance
PYRITE=target/release/pyrite
JSON=${CONFORMANCE_JSON:-target/conformance.json}

if [ ! -d "$MP_TESTS/basics" ]; then
    echo "conformance.sh: MicroPython's test folder is missing: '$MP_TESTS' has no basics/." >&2
    echo "Put a checkout of micropython/micropython at ~/mp (tests at ~/mp/tests)," >&2
    echo "or set MP_TESTS=/path/to/micropython/tests." >&2
    exit 2
fi
if [ ! -f "$SHARED/conformance.py" ]; then
    echo "conformance.sh: the shared runner $SHARED/conformance.py is missing." >&2
    exit 2
fi
if [ ! -x "$PYRITE" ]; then
    echo "conformance.sh: building $PYRITE"
    cargo build --release --bin pyrite
fi

DIRS=basics,float,micropython,misc,extmod
ARGS=()
BOARD=
QEMU_IMAGE=
while [ $# -gt 0 ]; do
    case $1 in
        --dirs) DIRS=$2; shift 2 ;;
        --dirs=*) DIRS=${1#--dirs=}; shift ;;
        --board) BOARD=$2; shift 2 ;;
        --qemu) QEMU_IMAGE=$2; shift 2 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done

IMPL=$PYRITE
JOBS=2
if [ -n "$QEMU_IMAGE" ]; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    qemu-system-arm -M netduinoplus2 -display none -monitor none -kernel "$QEMU_IMAGE" \
        -serial "tcp:127.0.0.1:$port,server=on,wait=off,nodelay=on" &
    QEMU_PID=$!
    trap 'kill $QEMU_PID 2>/dev/null || true' EXIT
    sleep 1
    BOARD="socket://127.0.0.1:$port"
fi
if [ -n "$BOARD" ]; then
    IMPL="$PWD/conformance.sh --run-on $BOARD"
    JOBS=1
    JSON=${CONFORMANCE_JSON:-target/conformance-board.json}
fi

# The runner exits non-zero whenever a test fails: that is the normal case here.
python3 "$SHARED/conformance.py" --impl "$IMPL" --tests "$MP_TESTS" \
    --expected "$SHARED/expected" --dirs "$DIRS" --json "$JSON" -j "$JOBS" -q ${ARGS[@]+"${ARGS[@]}"} || true

python3 - "$JSON" "$DIRS" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    report = json.load(f)
total_pass = total = 0
for d in sys.argv[2].split(","):
    counts = report["per_dir"].get(d)
    if counts is None:
        continue
    n = counts["passed"] + counts["failed"]
    total_pass += counts["passed"]
    total += n
    print("%s: %d/%d" % (d, counts["passed"], n))
print("total: %d/%d" % (total_pass, total))
EOF

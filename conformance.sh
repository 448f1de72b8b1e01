#!/usr/bin/env bash
# Scores target/release/pyrite on MicroPython's own test suite with the shared conformance runner.
#
#   ./conformance.sh                          all five folders
#   ./conformance.sh --dirs basics,float      some folders
#   ./conformance.sh --filter 'basics/int_'   any further argument goes to the runner
#
# MicroPython's tests are not part of this repository: MP_TESTS names their folder (default
# ~/mp/tests, a checkout of micropython/micropython with micropython-lib at lib/micropython-lib).
# Writes target/conformance.json (per-test results) and prints per-folder counts, e.g. `basics: 463/545`.
set -euo pipefail
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
while [ $# -gt 0 ]; do
    case $1 in
        --dirs) DIRS=$2; shift 2 ;;
        --dirs=*) DIRS=${1#--dirs=}; shift ;;
        *) ARGS+=("$1"); shift ;;
    esac
done

# The runner exits non-zero whenever a test fails: that is the normal case here.
python3 "$SHARED/conformance.py" --impl "$PYRITE" --tests "$MP_TESTS" \
    --expected "$SHARED/expected" --dirs "$DIRS" --json "$JSON" -j 2 -q ${ARGS[@]+"${ARGS[@]}"} || true

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

#!/usr/bin/env bash
# Runs the examples under plain python and under greenlight, side by side.
#
#     Examples/demo.sh [path/to/greenlight]     # default: .build/release/greenlight
#
# Every step prints a header, then the command's own output. Steps expected to fail
# under plain python show their exit status instead of stopping the script.
set -euo pipefail

GREENLIGHT=${1:-}
if [[ $GREENLIGHT == */* && $GREENLIGHT != /* ]]; then
    GREENLIGHT=$PWD/$GREENLIGHT          # a path given relative to the caller's directory
elif [[ -n $GREENLIGHT && $GREENLIGHT != */* ]]; then
    GREENLIGHT=$(command -v "$GREENLIGHT" || echo "$GREENLIGHT")
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
GREENLIGHT=${GREENLIGHT:-.build/release/greenlight}
PYTHON=.venv/bin/python
ROOT=$PWD
[[ $GREENLIGHT == /* ]] && ROOT=""

if [[ ! -x $GREENLIGHT ]]; then
    echo "demo.sh: no greenlight binary at $GREENLIGHT (build it with 'swift build')" >&2
    exit 2
fi

step() { printf '\n=== %s\n' "$*"; }

# Runs a command that is expected to exit with status $1; any other status fails the demo.
expect() {
    local want=$1 got=0
    shift
    echo "\$ $*"
    "$@" || got=$?
    if [[ $got -ne $want ]]; then
        echo "demo.sh: expected exit $want, got $got" >&2
        exit 1
    fi
    echo "(exit $got, as expected)"
}

step "1. an eventlet.wsgi service under greenlight (it patches itself, greenlight completes the patch): 5 slow requests overlap, / reports green objects"
expect 0 "$GREENLIGHT" run -v Examples/hello_service.py --demo

step "2a. subprocess ticker under plain python: check_output, getoutput, getstatusoutput block the hub"
expect 1 env CHILD_PATIENCE=1 "$PYTHON" -W ignore Examples/subprocess_ticker.py

step "2b. the same ticker under greenlight: every subprocess entry point is green"
expect 0 "$GREENLIGHT" run Examples/subprocess_ticker.py

step "3a. the spec's deadlock (monkey_patch(os=False, thread=False)) under plain python: a watchdog exits 3"
expect 3 env DEADLOCK_WATCHDOG_SECONDS=2 "$PYTHON" -W ignore Examples/deadlock_spec.py

step "3b. the same file under greenlight, which patched everything first: it finishes"
expect 0 "$GREENLIGHT" run Examples/deadlock_spec.py

step "4. a test suite under greenlight test: the runner, a spawn child and a sys.executable child are all patched first"
(cd Examples/suite && expect 0 "$ROOT/$GREENLIGHT" test -- -m unittest discover -s tests -t .)

step "5. the run-time watch: a native sleep stalls the hub (GL501, with the blocker), os.system from a green thread (GL202)"
expect 0 "$GREENLIGHT" run Examples/watch/stalls.py stall-in-c os-system

step "done: every step behaved as expected"

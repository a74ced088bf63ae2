#!/usr/bin/env bash
# Runs the `smoke` load scenario against a fresh `chorus serve` on a free port and gates it on the
# committed baseline. Exits non-zero when the server cannot start, the run fails (any loss or
# error) or it regresses beyond the tolerance.
#   CHORUS     the chorus binary (default .build/release/chorus, built if missing)
#   TOLERANCE  allowed p99/throughput regression (default 3: timings are noisy on 2 cores)
#   OUT        results directory (default: a temporary one, so CI does not touch results/)
set -euo pipefail
cd "$(dirname "$0")/.."

CHORUS=${CHORUS:-.build/release/chorus}
TOLERANCE=${TOLERANCE:-3}
BASELINE=${BASELINE:-results/smoke/baseline.json}
OUT=${OUT:-$(mktemp -d)}
if [[ ! -x "$CHORUS" ]]; then
    swift build -c release --product chorus
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log=$(mktemp)
"$CHORUS" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*serving on ws://[^:]*:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
    [[ -n "$port" ]] && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "load-smoke: chorus serve exited:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "load-smoke: chorus serve did not report its port within 10 s" >&2
    cat "$log" >&2
    exit 1
fi

echo "load-smoke: chorus serve (pid $server) on port $port"
"$CHORUS" load smoke --port "$port" --server-pid "$server" --out "$OUT" \
    --baseline "$BASELINE" --tolerance "$TOLERANCE"

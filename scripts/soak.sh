#!/usr/bin/env bash
# Runs the `soak` load scenario for SECONDS (default 120) against a fresh release `chorus serve` on a
# free port, sampling the server's RSS, descriptors and CPU every few seconds. Exits non-zero when
# the server cannot start or the soak fails (any loss or error, or RSS/descriptor growth above the
# scenario's limits per hour).
#   scripts/soak.sh [SECONDS]
#   CHORUS  the chorus binary (default .build/release/chorus, built if missing)
#   OUT     results directory (default: a temporary one, so CI does not touch results/)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-120}
CHORUS=${CHORUS:-.build/release/chorus}
OUT=${OUT:-$(mktemp -d)}
if [[ ! -x "$CHORUS" ]]; then
    swift build -c release --product chorus
fi
# 10,000 sockets in the generator and as many in the server: each process needs about 10,500.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < 10500 )); then
    echo "soak: the open-file limit is $(ulimit -n); 10,000 connections need about 10,500 (raise the hard limit)" >&2
    exit 1
fi

log=$(mktemp)
"$CHORUS" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*serving on ws://[^:]*:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
    [[ -n "$port" ]] && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "soak: chorus serve exited:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "soak: chorus serve did not report its port within 10 s" >&2
    cat "$log" >&2
    exit 1
fi

echo "soak: chorus serve (pid $server) on port $port for ${SECONDS_TO_RUN} s, results in $OUT"
"$CHORUS" load soak --port "$port" --server-pid "$server" --out "$OUT" --duration "$SECONDS_TO_RUN"

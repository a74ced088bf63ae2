#!/usr/bin/env bash
# Runs the `smoke` load scenario against a fresh `chorus serve` on a free port and gates it on the
# committed baseline, then `history-smoke` (every acknowledged event read back from the history API;
# the server keeps history on `hist-*` channels in SQLite in a temporary directory). Exits non-zero when the server cannot start, the run fails (any loss or
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

source "$(dirname "$0")/lib/start-chorus.sh"
data=$(mktemp -d)
chorus_scratch+=("$data")
cat >"$data/chorus.yaml" <<YAML
storage: {driver: sqlite, path: $data/chorus.sqlite}
# One load generator on this machine sends every request and ramps every connection from one
# address: the per-IP limits are off.
api_requests_per_ip_per_minute: 0
connections_per_ip_per_second: 0
apps:
  - {id: 1, key: chorus-key, secret: chorus-secret, history: {enabled: true, channels: ["hist-*"]}}
YAML
start_chorus load-smoke --config "$data/chorus.yaml"

echo "load-smoke: chorus serve (pid $server) on port $port"
"$CHORUS" load smoke --port "$port" --server-pid "$server" --out "$OUT" \
    --baseline "$BASELINE" --tolerance "$TOLERANCE"
"$CHORUS" load history-smoke --port "$port" --server-pid "$server" --out "$OUT/history"

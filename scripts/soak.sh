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

# History on the `hist-*` channels of the history workload, in SQLite in a temporary directory.
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
start_chorus soak --config "$data/chorus.yaml"

echo "soak: chorus serve (pid $server) on port $port for ${SECONDS_TO_RUN} s, results in $OUT"
"$CHORUS" load soak --port "$port" --server-pid "$server" --out "$OUT" --duration "$SECONDS_TO_RUN"

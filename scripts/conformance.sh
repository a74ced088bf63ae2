#!/usr/bin/env bash
# Runs `chorus conform` against a real `chorus serve` started here with the apps every capability
# needs (a second app, a disabled app, a rate-limited app, one with client events disabled, one
# with subscription counts; history on `hist-*` channels of the first and push on it, kept in SQLite
# in a temporary directory), so no case is skipped.
# Reports go to results/conformance/ (override with OUT=dir). Exits non-zero on any must-level failure.
set -euo pipefail
cd "$(dirname "$0")/.."
CHORUS="${CHORUS:-.build/release/chorus}"
OUT="${OUT:-results/conformance}"
[ -x "$CHORUS" ] || swift build -c release --product chorus

config=$(mktemp --suffix=.yaml)
log=$(mktemp)
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$config" "$log" "$data"' EXIT
source scripts/lib/conformance-apps.sh
{
  echo "storage: {driver: sqlite, path: $data/chorus.sqlite}"
  # The suite sends several hundred API requests a minute from this one address.
  echo "api_requests_per_ip_per_minute: 0"
  conformance_apps_yaml
} > "$config"
"$CHORUS" serve --config "$config" --port 0 --metrics-port 0 --log-level warning >"$log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*:\([0-9][0-9]*\)\/app\/.*/\1/p' "$log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { echo "chorus serve did not start:"; cat "$log"; exit 1; }

"$CHORUS" conform --host 127.0.0.1 --port "$port" "${conformance_apps[@]}" --strict --output "$OUT"

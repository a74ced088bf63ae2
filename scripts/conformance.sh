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
cat > "$config" <<YAML
storage: {driver: sqlite, path: $data/chorus.sqlite}
apps:
  - {id: 1, key: chorus-key, secret: chorus-secret, history: {enabled: true, channels: ["hist-*"]}, push: {enabled: true}}
  - {id: 2, key: second-key, secret: second-secret}
  - {id: 3, key: disabled-key, secret: disabled-secret, enabled: false}
  - {id: 4, key: limited-key, secret: limited-secret, max_api_requests_per_window: 5, api_rate_limit_window_seconds: 60}
  - {id: 5, key: quiet-key, secret: quiet-secret, client_events_enabled: false}
  - {id: 6, key: counting-key, secret: counting-secret, subscription_count_enabled: true}
YAML
"$CHORUS" serve --config "$config" --port 0 --log-level warning >"$log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*:\([0-9][0-9]*\)\/app\/.*/\1/p' "$log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { echo "chorus serve did not start:"; cat "$log"; exit 1; }

"$CHORUS" conform --host 127.0.0.1 --port "$port" \
  --app-id 1 --key chorus-key --secret chorus-secret \
  --second-app 2:second-key:second-secret \
  --disabled-app 3:disabled-key:disabled-secret \
  --rate-limited-app 4:limited-key:limited-secret --api-rate-limit 5 \
  --no-client-events-app 5:quiet-key:quiet-secret \
  --subscription-count-app 6:counting-key:counting-secret \
  --strict --output "$OUT"

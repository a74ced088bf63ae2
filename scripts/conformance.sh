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

source scripts/lib/start-chorus.sh
source scripts/lib/conformance-apps.sh
config=$(mktemp --suffix=.yaml)
data=$(mktemp -d)
chorus_scratch+=("$config" "$data")
{
  echo "storage: {driver: sqlite, path: $data/chorus.sqlite}"
  # The suite sends several hundred API requests a minute from this one address.
  echo "api_requests_per_ip_per_minute: 0"
  conformance_apps_yaml
} > "$config"
start_chorus conformance --config "$config" --log-level warning

"$CHORUS" conform --host 127.0.0.1 --port "$port" "${conformance_apps[@]}" --strict --output "$OUT"

#!/usr/bin/env bash
# Builds Chorus (release) and runs `chorus serve`; arguments are passed on, e.g. --port 6001.
# Without a --config of its own it serves scripts/serve.yaml: the embedded default app (printed at
# start-up) on 127.0.0.1:6001, history on `hist-*` channels, push on, SQLite at chorus-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product chorus
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
config=(--config scripts/serve.yaml)
for argument in "$@"; do
  [[ "$argument" == --config || "$argument" == --config=* ]] && config=()
done
exec .build/release/chorus serve "${config[@]}" "$@"

#!/usr/bin/env bash
# Builds Chorus (release) and runs `chorus serve`; arguments are passed on, e.g. --port 6001 --config chorus.yaml.
# With no arguments it serves the embedded default app (printed at start-up) on 127.0.0.1:6001.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product chorus
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec .build/release/chorus serve "$@"

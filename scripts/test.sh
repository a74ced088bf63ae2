#!/usr/bin/env bash
# The whole test suite: Swift unit and live tests, the Python SDK/client tests against a real
# `chorus serve`, the conformance suite, the load smoke gate and the benchmark malloc gate.
# Installs what it needs first. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "== swift format lint"
swift format lint --strict -r Sources Tests Benchmarks/ChorusBenchmarks Benchmarks/Package.swift Package.swift

echo "== swift build"
swift build --build-tests

echo "== swift test"
swift test --skip-build

echo "== python clients (official pusher SDK, websockets)"
CHORUS_BIN="$PWD/.build/debug/chorus" python3 -m pytest -q Tests/python

echo "== conformance suite against chorus serve"
OUT="$(mktemp -d)" scripts/conformance.sh

if [ -x scripts/load-smoke.sh ]; then
  echo "== load smoke with the baseline gate"
  scripts/load-smoke.sh
fi

if [ -x scripts/benchmarks.sh ] && [ "${CHORUS_SKIP_BENCHMARKS:-0}" != "1" ]; then
  echo "== benchmark malloc gate"
  scripts/benchmarks.sh --check
fi

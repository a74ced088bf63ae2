#!/usr/bin/env bash
# The whole test suite: Swift unit and live tests (the history stores on SQLite and on a real
# PostgreSQL started here, the Redis client against a real Redis), the Python SDK/client tests
# against a real `chorus serve` (and against clusters of 3 nodes on Redis), the conformance suite
# against a real `chorus serve` and split over two nodes of a cluster, the load smoke gate, the
# 10k-subscriber cluster scenario, the benchmark malloc gate,
# and a short libFuzzer run of every fuzz target. Installs what it needs first. Exits non-zero if
# anything fails.
#
# One release build compiles everything once — the library modules, the `chorus` binary, the test
# targets (which use `package` access, so no `-enable-testing` is needed and the modules keep the
# flags of a plain release build) and the benchmark target; every later stage reuses its products.
# A table of the time each stage took is printed at the end, also when a stage fails.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
current=""
load_start="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
summary() {
  local status=$?
  [ -n "$current" ] && stages+=("$current|$((SECONDS - stage_start))|FAILED")
  echo
  echo "== stage times (load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
  printf '%-44s %8s\n' "stage" "seconds"
  for entry in "${stages[@]}"; do
    IFS='|' read -r name seconds result <<<"$entry"
    printf '%-44s %8s %s\n' "$name" "$seconds" "$result"
  done
  printf '%-44s %8s\n' "total" "$SECONDS"
  exit "$status"
}
trap summary EXIT

# Runs one stage: `stage NAME COMMAND...`, timed.
stage() {
  current="$1"
  shift
  echo "== $current"
  stage_start=$SECONDS
  "$@"
  stages+=("$current|$((SECONDS - stage_start))|")
  current=""
}

stage "setup" scripts/setup.sh --test
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# A throw-away PostgreSQL on a loopback port for every stage that tests the history stores on both
# backends (it exports CHORUS_TEST_POSTGRES_URL and stops when this script exits).
source scripts/lib/start-postgres.sh
stage "start PostgreSQL" start_postgres
# A throw-away Redis on a loopback port for the ChorusRedis and cluster tests (CHORUS_TEST_REDIS_URL).
source scripts/lib/start-redis.sh
stage "start Redis" start_redis

stage "swift format lint" swift format lint --strict -r Sources Tests Benchmarks/ChorusBenchmarks Package.swift
stage "swift build (release, with tests)" swift build -c release --build-tests
chorus="$(swift build -c release --show-bin-path)/chorus"
stage "swift test" swift test -c release --skip-build
stage "python clients (pusher SDK, websockets)" env CHORUS_BIN="$chorus" python3 -m pytest -q Tests/python
stage "conformance suite against chorus serve" env CHORUS="$chorus" OUT="$(mktemp -d)" scripts/conformance.sh
stage "cluster: conformance split over nodes, cluster-10k" env CHORUS="$chorus" scripts/cluster-smoke.sh
stage "load smoke (baseline gate) and history smoke" env CHORUS="$chorus" scripts/load-smoke.sh
stage "soak, 2 minutes (10,000 subscribers)" env CHORUS="$chorus" scripts/soak.sh 120
if [ "${CHORUS_SKIP_BENCHMARKS:-0}" != "1" ]; then
  stage "benchmark malloc gate" scripts/benchmarks.sh --check
fi
# Last, because its instrumented build (.build-fuzz) is the slowest stage; a fixed seed makes a run
# repeat the same mutations, so a crash here is a finding, not flakiness.
if [ "${CHORUS_SKIP_FUZZ:-0}" != "1" ]; then
  stage "libFuzzer, 20 s per target" scripts/fuzz.sh --seconds 20 --seed 1
fi

#!/usr/bin/env bash
# The cluster gate of the test suite (issue #17), against three release `chorus serve` nodes
# sharing a throw-away Redis:
#   1. the conformance suite with its HTTP requests to node 1 and its WebSockets on node 2
#      (every case, strict: a cluster must pass what one node passes);
#   2. the `cluster-10k` load scenario: 10,000 subscribers round robin over the three nodes, events
#      published to node 1, failing on any loss, duplicate or out-of-order delivery.
# Each node keeps its history and push state in its own SQLite file (the suite's HTTP requests all
# go to node 1); a real deployment shares PostgreSQL (docs/scale-out.md).
#   CHORUS  the chorus binary (default .build/release/chorus, built if missing)
#   OUT     results directory (default: a temporary one, so CI does not touch results/)
set -euo pipefail
cd "$(dirname "$0")/.."
CHORUS=${CHORUS:-.build/release/chorus}
OUT=${OUT:-$(mktemp -d)}
[[ -x "$CHORUS" ]] || swift build -c release --product chorus
CHORUS=$(realpath "$CHORUS")
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

source scripts/lib/start-redis.sh
source scripts/lib/start-cluster.sh
source scripts/lib/conformance-apps.sh
start_redis
config=$(mktemp --suffix=.yaml)
{
  echo "storage: {driver: sqlite, path: chorus.sqlite}"
  echo "adapter: {driver: redis, url: \"$CHORUS_TEST_REDIS_URL\", prefix: cluster-smoke}"
  # The conformance suite and cluster-10k send every request and connection from this one address.
  echo "api_requests_per_ip_per_minute: 0"
  echo "connections_per_ip_per_second: 0"
  conformance_apps_yaml
} >"$config"
start_cluster cluster-smoke 3 "$config" --log-level warning
echo "cluster-smoke: nodes on ports ${cluster_ports[*]} (Redis $CHORUS_TEST_REDIS_URL)"

"$CHORUS" conform --host 127.0.0.1 --port "${cluster_ports[0]}" --ws-target "127.0.0.1:${cluster_ports[1]}" \
  "${conformance_apps[@]}" --strict --output "$OUT/conformance"

targets=()
for port in "${cluster_ports[@]}"; do targets+=(--target "127.0.0.1:$port"); done
"$CHORUS" load cluster-10k "${targets[@]}" --out "$OUT/load"
rm -f "$config"

#!/usr/bin/env bash
# Measures scale-out (issue #17) on this machine: 10,000 subscribers of one channel, 100 events of
# 150 B published over HTTP to the first node — paced at 5/s (fanout-10k: fan-out latency) and as
# fast as accepted (fanout-10k-max: deliveries/s) — against
#   local    one node, local adapter (no Redis): the baseline
#   redis-1  one node on Redis: what relaying through Redis costs a node
#   redis-3  three nodes on one Redis, subscribers round robin, publishes to the first (cluster-10k)
# Subscribers are spread round robin over the nodes. RUNS times each (default 3), interleaved,
# reporting every run and the medians. Besides the load
# report's latency and deliveries/s, it reads the CPU seconds of Redis and of every node from /proc
# over each run. Writes results/scale-out/runs.json and results/scale-out/runs.md.
#   scripts/scale-out.sh [RUNS]
#   CHORUS  the chorus binary (default .build/release/chorus, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
CHORUS=${CHORUS:-.build/release/chorus}
OUT=results/scale-out
[[ -x "$CHORUS" ]] || swift build -c release --product chorus
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$OUT"
work=$(mktemp -d)
source scripts/lib/start-redis.sh
start_redis
redis_pid=$(cat "$chorus_redis_dir/redis.pid")

nodes=()
cleanup_nodes() {
    for pid in "${nodes[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${nodes[@]}"; do wait "$pid" 2>/dev/null || true; done
    nodes=()
}
trap 'cleanup_nodes; rm -rf "$work"; stop_redis' EXIT

source scripts/lib/measure.sh

# start_nodes DRIVER COUNT: sets `ports` and `nodes`.
start_nodes() {
    local driver="$1" count="$2"
    cat >"$work/chorus.yaml" <<YAML
storage: {driver: memory}
adapter: {driver: $driver, url: $CHORUS_TEST_REDIS_URL, prefix: scale-$RANDOM}
# One load generator on this machine sends every request and ramps every connection from one
# address: the per-IP limits are off.
api_requests_per_ip_per_minute: 0
connections_per_ip_per_second: 0
apps:
  - {id: "1", key: chorus-key, secret: chorus-secret}
YAML
    ports=()
    for _ in $(seq 1 "$count"); do
        local port
        port=$(free_port)
        "$CHORUS" serve --config "$work/chorus.yaml" --port "$port" --metrics-port 0 >"$work/node-$port.log" 2>&1 &
        nodes+=("$!")
        ports+=("$port")
    done
    for port in "${ports[@]}"; do
        for _ in $(seq 1 100); do
            curl -sf "http://127.0.0.1:$port/up" >/dev/null && break
            sleep 0.1
        done
        curl -sf "http://127.0.0.1:$port/up" >/dev/null || { cat "$work/node-$port.log" >&2; exit 1; }
    done
}

# run_case SCENARIO NAME DRIVER COUNT RUN
run_case() {
    local scenario="$1" name="$2" driver="$3" count="$4" run="$5"
    start_nodes "$driver" "$count"
    local targets=()
    for port in "${ports[@]}"; do targets+=(--target "127.0.0.1:$port"); done
    local before_redis before_nodes=()
    before_redis=$(cpu_seconds "$redis_pid")
    for pid in "${nodes[@]}"; do before_nodes+=("$(cpu_seconds "$pid")"); done
    local dir="$work/$scenario-$name-$run"
    "$CHORUS" load "$scenario" "${targets[@]}" --server-pid "${nodes[0]}" --out "$dir" >"$dir.log" 2>&1 \
        || { echo "scale-out: $name run $run failed:" >&2; tail -n 20 "$dir.log" >&2; exit 1; }
    local node_cpu=0 i=0
    for pid in "${nodes[@]}"; do
        node_cpu=$(python3 -c "print(round($node_cpu + $(cpu_seconds "$pid") - ${before_nodes[$i]}, 2))")
        i=$((i + 1))
    done
    local redis_cpu
    redis_cpu=$(python3 -c "print(round($(cpu_seconds "$redis_pid") - $before_redis, 2))")
    python3 - "$dir" "$scenario" "$name" "$run" "$count" "$node_cpu" "$redis_cpu" >>"$work/runs.jsonl" <<'PY'
import glob, json, sys
directory, scenario, name, run, count, node_cpu, redis_cpu = sys.argv[1:]
report = json.load(open(sorted(glob.glob(f"{directory}/**/*.json", recursive=True))[-1]))
print(json.dumps({
    "scenario": scenario, "case": name, "run": int(run), "nodes": int(count),
    "p50_ms": report["latency_ms"]["p50"], "p99_ms": report["latency_ms"]["p99"],
    "deliveries_per_second": report["deliveries"]["per_second"],
    "lost": report["deliveries"]["lost"], "duplicates": report["deliveries"]["duplicates"],
    "out_of_order": report["deliveries"]["out_of_order"],
    "events": report["publish"]["events"],
    "node_cpu_seconds": float(node_cpu), "redis_cpu_seconds": float(redis_cpu),
}))
PY
    echo "scale-out: $scenario $name run $run: $(tail -n 1 "$work/runs.jsonl")"
    cleanup_nodes
}

for run in $(seq 1 "$RUNS"); do
    for scenario in fanout-10k fanout-10k-max; do
        run_case "$scenario" local local 1 "$run"
        run_case "$scenario" redis-1 redis 1 "$run"
        run_case "$scenario" redis-3 redis 3 "$run"
    done
done

python3 - "$work/runs.jsonl" "$OUT" "$(git rev-parse --short HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys, time
path, out, commit, load = sys.argv[1:]
runs = [json.loads(line) for line in open(path)]
scenarios = ["fanout-10k", "fanout-10k-max"]
cases = ["local", "redis-1", "redis-3"]
keys = ["p50_ms", "p99_ms", "deliveries_per_second", "node_cpu_seconds", "redis_cpu_seconds"]
summary = {scenario: {case: {key: statistics.median(r[key] for r in runs if r["scenario"] == scenario and r["case"] == case)
                             for key in keys} for case in cases} for scenario in scenarios}
json.dump({"commit": commit, "load_average_at_end": load, "runs": runs, "medians": summary},
          open(f"{out}/runs.json", "w"), indent=2)
lines = [
    "# Scale-out runs (generated by scripts/scale-out.sh)", "",
    f"Commit `{commit}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, 2 cores shared by the load generator, "
    f"Redis and every node; load average at the end {load}. 10,000 subscribers of one channel (round robin over "
    "the nodes), 100 events of 150 B over HTTP to the first node: `fanout-10k` at 5 events/s, `fanout-10k-max` "
    "as fast as accepted. CPU seconds are read from /proc over the whole run (connecting included).", "",
    "| scenario | case | run | nodes | p50 ms | p99 ms | deliveries/s | lost | dup | reordered | node CPU s | Redis CPU s |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for r in runs:
    lines.append(f"| {r['scenario']} | {r['case']} | {r['run']} | {r['nodes']} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                 f"{r['deliveries_per_second']:,.0f} | {r['lost']} | {r['duplicates']} | {r['out_of_order']} | "
                 f"{r['node_cpu_seconds']:.2f} | {r['redis_cpu_seconds']:.2f} |")
lines += ["", "Medians:", "", "| scenario | case | p50 ms | p99 ms | deliveries/s | node CPU s | Redis CPU s |",
          "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
for scenario in scenarios:
    for case in cases:
        m = summary[scenario][case]
        lines.append(f"| {scenario} | {case} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | {m['deliveries_per_second']:,.0f} | "
                     f"{m['node_cpu_seconds']:.2f} | {m['redis_cpu_seconds']:.2f} |")
open(f"{out}/runs.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

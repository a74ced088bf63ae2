#!/usr/bin/env bash
# Measures what TLS costs the fan-out (issue #18) on this machine: 10,000 subscribers of one channel,
# 100 events of 150 bytes published over the HTTP API at 5/s (fanout-10k: latency) and as fast as
# accepted (fanout-10k-max: deliveries/s), each against a server on plain ws:// and http:// and
# against the same build serving wss:// and https:// with a test CA (scripts/lib/test-certs.sh).
# RUNS times each (default 3), interleaved, every run reported with the medians: delivery latency
# (publish to receipt, decryption included), deliveries/s, the server's CPU seconds (over the whole
# run, the 10,000 connects and handshakes included) and peak RSS, and the load generator's CPU.
# Writes results/tls/runs.json and results/tls/runs.md.
#   scripts/tls-fanout.sh [RUNS]
#   CHORUS  the chorus binary (default .build/release/chorus, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
CHORUS=${CHORUS:-.build/release/chorus}
OUT=results/tls
[[ -x "$CHORUS" ]] || swift build -c release --product chorus
CHORUS=$(realpath "$CHORUS") # the servers run in a scratch directory
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$OUT"
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

scripts/lib/test-certs.sh "$work/certs"
common="api_requests_per_ip_per_minute: 0
connections_per_ip_per_second: 0
storage: {driver: memory}"
printf '%s\n' "$common" >"$work/ws.yaml"
printf '%s\ntls: {cert_file: %s, key_file: %s}\n' "$common" "$work/certs/server.pem" "$work/certs/server.key" \
    >"$work/wss.yaml"

source scripts/lib/measure.sh

# run_case SCENARIO NAME RUN SCHEME [LOAD FLAGS...]: one fresh server on config NAME.yaml, one load run.
run_case() {
    local scenario="$1" name="$2" run="$3" scheme="$4"
    shift 4
    port=$(free_port)
    (cd "$work" && exec "$CHORUS" serve --config "$work/$name.yaml" --port "$port" --metrics-port 0 --log-level warning) \
        >"$work/serve-$name-$run.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
        curl -sf --cacert "$work/certs/ca.pem" "$scheme://127.0.0.1:$port/up" >/dev/null && break
        sleep 0.1
    done
    local before_cpu dir="$work/$scenario-$name-$run"
    before_cpu=$(cpu_seconds "$server")
    "$CHORUS" load "$scenario" --target "$scheme://127.0.0.1:$port" --server-pid "$server" --out "$dir" "$@" \
        >"$dir.log" 2>&1 || { echo "tls-fanout: $scenario $name run $run failed:" >&2; tail -n 20 "$dir.log" >&2; exit 1; }
    local server_cpu
    server_cpu=$(python3 -c "print(round($(cpu_seconds "$server") - $before_cpu, 2))")
    python3 - "$dir" "$scenario" "$name" "$run" "$server_cpu" >>"$work/runs.jsonl" <<'PY'
import glob, json, sys
directory, scenario, name, run, server_cpu = sys.argv[1:]
report = json.load(open(sorted(glob.glob(f"{directory}/**/*.json", recursive=True))[-1]))
deliveries = report["deliveries"]
print(json.dumps({
    "scenario": scenario, "case": name, "run": int(run),
    "p50_ms": report["latency_ms"]["p50"], "p99_ms": report["latency_ms"]["p99"],
    "deliveries_per_second": deliveries["per_second"],
    "lost": deliveries["lost"], "duplicates": deliveries["duplicates"], "out_of_order": deliveries["out_of_order"],
    "server_cpu_seconds": float(server_cpu),
    "server_publish_cpu_seconds": report["server"]["cpu_seconds"] if report.get("server") else None,
    "server_cpu_us_per_delivery": 1e6 * report["server"]["cpu_seconds"] / max(1, deliveries["expected"])
    if report.get("server") else None,
    "server_peak_rss_mib": report["server"]["peak_rss_mib"] if report.get("server") else None,
    "generator_cpu_percent": report["generator"]["cpu_percent"] if report.get("generator") else None,
}))
PY
    echo "tls-fanout: $scenario $name run $run: $(tail -n 1 "$work/runs.jsonl")"
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
}

for run in $(seq 1 "$RUNS"); do
    for scenario in fanout-10k fanout-10k-max; do
        run_case "$scenario" ws "$run" http
        run_case "$scenario" wss "$run" https --ca-file "$work/certs/ca.pem"
    done
done

python3 - "$work/runs.jsonl" "$OUT" "$(git rev-parse --short HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys, time
path, out, commit, load = sys.argv[1:]
runs = [json.loads(line) for line in open(path)]
cases = [(scenario, case) for scenario in ["fanout-10k", "fanout-10k-max"] for case in ["ws", "wss"]]
keys = ["p50_ms", "p99_ms", "deliveries_per_second", "server_cpu_seconds", "server_publish_cpu_seconds",
        "server_cpu_us_per_delivery", "server_peak_rss_mib"]
medians = {f"{scenario} {case}": {key: statistics.median(r[key] for r in runs if (r["scenario"], r["case"]) == (scenario, case))
                                  for key in keys} for scenario, case in cases}
json.dump({"commit": commit, "load_average_at_end": load, "runs": runs, "medians": medians},
          open(f"{out}/runs.json", "w"), indent=2)
lines = [
    "# TLS fan-out runs (generated by scripts/tls-fanout.sh)", "",
    f"Commit `{commit}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, 2 cores shared by the load generator "
    f"and the server; load average at the end {load}. 10,000 subscribers of one channel, 100 events of 150 bytes "
    "over the HTTP API at 5 events/s (`fanout-10k`) and as fast as accepted (`fanout-10k-max`): `ws` against a "
    "server without `tls`, `wss` against the same "
    "build with `tls` (P-256 certificate, chain of two; the generator decrypts every frame). Server CPU seconds are "
    "over the whole run, the 10,000 connects (and TLS handshakes) included; publish CPU is the server's over the "
    "measured phase only (publishing and delivering, the warm-up left out), and per delivery that divided by the "
    "deliveries expected in it; server RSS is its peak.", "",
    "| scenario | case | run | p50 ms | p99 ms | deliveries/s | lost | dup | reordered | server CPU s | publish CPU s | µs/delivery | server peak RSS MiB | generator CPU % |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for r in runs:
    generator = "" if r["generator_cpu_percent"] is None else f"{r['generator_cpu_percent']:.0f}"
    lines.append(f"| {r['scenario']} | {r['case']} | {r['run']} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['deliveries_per_second']:,.0f} | "
                 f"{r['lost']} | {r['duplicates']} | {r['out_of_order']} | {r['server_cpu_seconds']:.2f} | "
                 f"{r['server_publish_cpu_seconds']:.2f} | {r['server_cpu_us_per_delivery']:.2f} | "
                 f"{r['server_peak_rss_mib']:.0f} | {generator} |")
lines += ["", "Medians:", "",
          "| scenario | case | p50 ms | p99 ms | deliveries/s | server CPU s | publish CPU s | µs/delivery | server peak RSS MiB |",
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for scenario, case in cases:
    m = medians[f"{scenario} {case}"]
    lines.append(f"| {scenario} | {case} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | {m['deliveries_per_second']:,.0f} | "
                 f"{m['server_cpu_seconds']:.2f} | {m['server_publish_cpu_seconds']:.2f} | "
                 f"{m['server_cpu_us_per_delivery']:.2f} | {m['server_peak_rss_mib']:.0f} |")
open(f"{out}/runs.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

#!/usr/bin/env bash
# The many-channels knee: 10,000 subscribers over 1,000 public channels (10 each), events round
# robin over the channels from 8 keep-alive HTTP publishers at stepped rates; each step is one
# `chorus load` run of STEP_SECONDS against the same `chorus serve` (release). The knee is the
# highest rate whose step kept p99 delivery latency under 100 ms, lost nothing and published at
# least 95 % of the rate. Each invocation appends its steps under LABEL to
# results/channels-knee/runs.json and regenerates README.md and knee.svg from every label recorded
# there (the first label is the baseline). The generator shares the machine: run it on a quiet one.
#
#   LABEL="after: …" scripts/channels-knee.sh
# Environment: RATES (events/s, "250 500 1000 2000 4000 8000"), STEP_SECONDS (10), LABEL (the
# commit), COMMIT (the commit CHORUS_BIN was built from, default HEAD), CHORUS_BIN (a chorus binary
# to measure instead of building .build/release/chorus). Only 127.0.0.1 is used.
set -euo pipefail
cd "$(dirname "$0")/.."
rates="${RATES:-250 500 1000 2000 4000 8000}"
step_seconds="${STEP_SECONDS:-10}"
commit="${COMMIT:-$(git rev-parse --short HEAD)}"
label="${LABEL:-$commit}"
out="results/channels-knee"
CHORUS="${CHORUS_BIN:-.build/release/chorus}"
[ -n "${CHORUS_BIN:-}" ] || swift build -c release --product chorus
ulimit -n "$(ulimit -Hn)"

source scripts/lib/start-chorus.sh
work=$(mktemp -d)
chorus_scratch+=("$work")
start_chorus channels-knee --log-level warning
echo "channels-knee: chorus serve (pid $server) on port $port; rates $rates, $step_seconds s each"

for rate in $rates; do
  cat >"$work/knee-$rate.yaml" <<YAML
name: knee-$rate
description: 1,000 channels of 10 subscribers, $rate events/s
subscribers: 10000
channels: 1000
rate: $rate
duration_seconds: $step_seconds
warmup: 200
publishers: 8
payload_bytes: 150
connect_timeout: 120
drain_timeout: 30
expect_loss: true
YAML
  "$CHORUS" load "$work/knee-$rate.yaml" --port "$port" --server-pid "$server" --out "$work/runs" \
    >"$work/knee-$rate.log" 2>&1 || true
  report=$(ls "$work/runs/knee-$rate/"*.json 2>/dev/null | head -n 1)
  [ -n "$report" ] || { echo "channels-knee: the $rate events/s step wrote no report:"; cat "$work/knee-$rate.log"; exit 1; }
  cp "$report" "$work/step-$rate.json"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"  {sys.argv[2]:>6} ev/s: published {r['publish']['events_per_second']:.0f}/s, p99 {r['latency_ms']['p99']} ms, lost {r['deliveries']['lost']}, server CPU {r['server']['cpu_percent']:.0f} %\")" "$report" "$rate"
done

python3 - "$out" "$work" "$label" "$commit" "$rates" <<'PY'
import datetime, json, os, sys
out, work, label, commit, rates = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], [int(r) for r in sys.argv[5].split()]
os.makedirs(out, exist_ok=True)
steps = []
for rate in rates:
    r = json.load(open(f"{work}/step-{rate}.json"))
    step = {"rate": rate, "published_per_second": r["publish"]["events_per_second"],
            "deliveries_per_second": r["deliveries"]["per_second"], "p50_ms": r["latency_ms"]["p50"],
            "p99_ms": r["latency_ms"]["p99"], "lost": r["deliveries"]["lost"],
            "server_cpu_percent": r["server"]["cpu_percent"]}
    step["sustained"] = step["p99_ms"] < 100 and step["lost"] == 0 and step["published_per_second"] >= 0.95 * rate
    steps.append(step)
knee = max((s["rate"] for s in steps if s["sustained"]), default=0)
path = os.path.join(out, "runs.json")
record = json.load(open(path)) if os.path.exists(path) else {"labels": []}
record["labels"] = [entry for entry in record["labels"] if entry["label"] != label]
record["labels"].append({"label": label, "commit": commit, "knee_events_per_second": knee,
                         "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         "load_average": open("/proc/loadavg").read().split()[:3], "steps": steps})
json.dump(record, open(path, "w"), indent=2)

lines = ["# Many channels: the highest sustained event rate", "",
         "`scripts/channels-knee.sh`: one `chorus serve` (release, embedded default app); 10,000 subscribers",
         "over 1,000 public channels (10 each), 150-byte events round robin over the channels from 8",
         "keep-alive HTTP publishers (one request in flight each), each rate held for one `chorus load` run. A step is sustained when",
         "its p99 delivery latency is under 100 ms, nothing is lost and at least 95 % of the rate was",
         "published; the knee is the highest sustained step. Deliveries are 10 × events.", ""]
for entry in record["labels"]:
    lines += [f"## {entry['label']} (`{entry['commit']}`, {entry['date']}, load average {' '.join(entry['load_average'])})", "",
              f"Knee: **{entry['knee_events_per_second']:,} events/s** ({10 * entry['knee_events_per_second']:,} deliveries/s).", "",
              "| rate (events/s) | published/s | deliveries/s | p50 ms | p99 ms | lost | server CPU % | sustained |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for s in entry["steps"]:
        lines.append(f"| {s['rate']:,} | {s['published_per_second']:,.0f} | {s['deliveries_per_second']:,.0f} | {s['p50_ms']} | "
                     f"{s['p99_ms']} | {s['lost']:,} | {s['server_cpu_percent']:.0f} | {'yes' if s['sustained'] else 'no'} |")
    lines.append("")
lines.append("Every step of every label is listed; `runs.json` holds the figures, `knee.svg` the p99 per step.")
notes = os.path.join(out, "NOTES.md")
if os.path.exists(notes):
    lines += ["", open(notes).read().rstrip()]
open(os.path.join(out, "README.md"), "w").write("\n".join(lines) + "\n")

# p99 per step (log scale), one line per label, the 100 ms limit dashed.
import math
width, height, left, bottom, top = 640, 320, 60, 40, 20
all_rates = sorted({s["rate"] for e in record["labels"] for s in e["steps"]})
peak = max(max(s["p99_ms"] for s in e["steps"]) for e in record["labels"])
ymax = math.log10(max(peak, 200))
def x(rate): return left + (width - left - 20) * all_rates.index(rate) / max(len(all_rates) - 1, 1)
def y(ms): return top + (height - top - bottom) * (1 - math.log10(max(ms, 0.1)) / ymax) if ymax > 0 else top
colors = ["#999", "#2a7ab9", "#e07b24", "#3a3"]
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<line x1="{left}" x2="{width - 20}" y1="{y(100):.1f}" y2="{y(100):.1f}" stroke="#c00" stroke-dasharray="4 3"/>',
       f'<text x="{width - 20}" y="{y(100) - 4:.1f}" text-anchor="end" fill="#c00">p99 100 ms</text>']
for rate in all_rates:
    svg.append(f'<text x="{x(rate):.1f}" y="{height - bottom + 16}" text-anchor="middle">{rate:,}/s</text>')
for i, entry in enumerate(record["labels"]):
    color = colors[i % len(colors)]
    points = " ".join(f"{x(s['rate']):.1f},{y(s['p99_ms']):.1f}" for s in entry["steps"])
    svg.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
    svg.append(f'<text x="{left + 4}" y="{top + 14 * (i + 1)}" fill="{color}">{entry["label"][:60]} (knee {entry["knee_events_per_second"]:,}/s)</text>')
svg.append(f'<text x="12" y="{top + 10}">p99 ms (log)</text></svg>')
open(os.path.join(out, "knee.svg"), "w").write("\n".join(svg) + "\n")
print(f"knee: {knee} events/s")
PY

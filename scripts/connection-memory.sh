#!/usr/bin/env bash
# Resident memory per idle subscribed connection, and the time to open and subscribe them, in
# results/memory/: RUNS fresh `chorus serve` processes (release), each given SUBSCRIBERS WebSocket
# connections subscribed to one public channel by Benchmarks/EndToEnd/fanout_subscribers.c (one
# epoll process, no TLS, no compression); bytes per connection = (RSS with them idle - RSS before) / N.
# Each invocation appends its runs under LABEL to results/memory/runs.json and regenerates
# README.md and bytes.svg from every label recorded there (the first label is the baseline).
#
#   LABEL="after: timer wheel" scripts/connection-memory.sh
#   HEAPTRACK=1 scripts/connection-memory.sh     # one run under heaptrack; prints the peak's
#                                                # allocation sites instead of recording runs
# Environment: SUBSCRIBERS (10000), RUNS (3), LABEL (the commit), COMMIT (the commit CHORUS_BIN was
# built from, default HEAD), CHORUS_BIN (a chorus binary to
# measure instead of building .build/release/chorus). Only 127.0.0.1 is used.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
subscribers="${SUBSCRIBERS:-10000}"
runs="${RUNS:-3}"
commit="${COMMIT:-$(git -C "$root" rev-parse --short HEAD)}"
label="${LABEL:-$commit}"
out="$root/results/memory"
# shellcheck source=lib/end-to-end.sh
source "$root/scripts/lib/end-to-end.sh"

if [ -n "${HEAPTRACK:-}" ]; then
  start_measured_server heaptrack -o "$work/heap"
  "$work/fanout_subscribers" "$port" "$subscribers" 0 "$server_pid"
  stop_measured_server
  heaptrack_print --print-peaks 1 --print-allocators 0 --print-leaks 0 --print-temporary 0 \
    --peak-limit 25 --sub-peak-limit 6 "$work"/heap*.zst 2>/dev/null | sed -n '/PEAK MEMORY CONSUMERS/,$p'
  exit 0
fi

mkdir -p "$out"
for run in $(seq 1 "$runs"); do
  start_measured_server
  "$work/fanout_subscribers" "$port" "$subscribers" 0 "$server_pid" | tee -a "$work/runs.log"
  stop_measured_server
done

python3 - "$out" "$work/runs.log" "$label" "$commit" "$subscribers" <<'PY'
import datetime, json, os, re, statistics, sys
out, log, label, commit, subscribers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
text = open(log).read()
subscribed = [float(s) for s in re.findall(r"subscribed in ([0-9.]+) s", text)]
rss = re.findall(r"rss: ([0-9.]+) MB before, ([0-9.]+) MB with \d+ idle subscribed connections, (\d+) bytes", text)
path = os.path.join(out, "runs.json")
record = json.load(open(path)) if os.path.exists(path) else {"subscribers": subscribers, "labels": []}
record["labels"] = [entry for entry in record["labels"] if entry["label"] != label]
record["labels"].append({
    "label": label, "commit": commit,
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "load_average": open("/proc/loadavg").read().split()[:3],
    "runs": [{"rss_before_mb": float(b), "rss_after_mb": float(a), "bytes_per_connection": int(p), "subscribe_seconds": s}
             for (b, a, p), s in zip(rss, subscribed)],
})
json.dump(record, open(path, "w"), indent=2)

rows = ["| label | commit | date | runs: bytes per connection | median | runs: seconds to open and subscribe | median | connections/s |",
        "| --- | --- | --- | --- | ---: | --- | ---: | ---: |"]
medians = []
for entry in record["labels"]:
    per = [run["bytes_per_connection"] for run in entry["runs"]]
    secs = [run["subscribe_seconds"] for run in entry["runs"]]
    medians.append((entry["label"], statistics.median(per), per))
    rows.append(f"| {entry['label']} | `{entry['commit']}` | {entry['date']} | {', '.join(f'{p:,}' for p in per)} "
                f"| **{statistics.median(per):,.0f}** | {', '.join(f'{s:.2f}' for s in secs)} | {statistics.median(secs):.2f} s "
                f"| {record['subscribers'] / statistics.median(secs):,.0f} |")
readme = f"""# Memory per idle subscribed connection

`scripts/connection-memory.sh`: a fresh `chorus serve` (release, embedded default app) per run; one
epoll process (`Benchmarks/EndToEnd/fanout_subscribers.c`) opens {record['subscribers']:,} WebSocket
connections and subscribes each to one public channel; bytes per connection = (server RSS with them
idle − RSS before) / {record['subscribers']:,}. The same tool times opening and subscribing them all
(500 handshakes in flight). Goal (issue #20): ≤ 4,096 bytes per connection.

{chr(10).join(rows)}

Every run of every label is listed; `runs.json` holds the raw figures, `bytes.svg` the plot.
"""
extra = os.path.join(out, "NOTES.md")
if os.path.exists(extra):
    readme += "\n" + open(extra).read()
open(os.path.join(out, "README.md"), "w").write(readme)

width, left, bar, gap, height = 120 + 150 * len(medians), 60, 60, 90, 280
peak = max(max(per) for _, _, per in medians + [("", 0, [4096])])
scale = (height - 90) / peak
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<text x="{left}" y="14">bytes per idle subscribed connection (median bar, every run a dot)</text>']
goal_y = height - 50 - 4096 * scale
svg.append(f'<line x1="{left - 10}" x2="{width - 10}" y1="{goal_y:.1f}" y2="{goal_y:.1f}" stroke="#c00" stroke-dasharray="4 3"/>'
           f'<text x="{width - 10}" y="{goal_y - 4:.1f}" text-anchor="end" fill="#c00">goal 4,096</text>')
for i, (name, median, per) in enumerate(medians):
    x = left + i * (bar + gap)
    h = median * scale
    svg.append(f'<rect x="{x}" y="{height - 50 - h:.1f}" width="{bar}" height="{h:.1f}" fill="#2a7ab9"/>')
    svg.append(f'<text x="{x + bar / 2}" y="{height - 54 - h:.1f}" text-anchor="middle">{median:,.0f}</text>')
    for p in per:
        svg.append(f'<circle cx="{x + bar / 2}" cy="{height - 50 - p * scale:.1f}" r="3" fill="#e07b24"/>')
    svg.append(f'<text x="{x + bar / 2}" y="{height - 32}" text-anchor="middle">{name[:24]}</text>')
svg.append("</svg>")
open(os.path.join(out, "bytes.svg"), "w").write("\n".join(svg) + "\n")
print(readme)
PY

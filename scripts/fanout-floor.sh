#!/usr/bin/env bash
# End-to-end fan-out against the physical floor, measured in the same run on this machine, into
# results/fanout/. Each of RUNS runs measures, in this order:
# 1. the kernel floor (shared/tools/fanout_floor.c, built outside the repository): one message to
#    9,900 loopback TCP sockets, 150 B and 1,500 B;
# 2. `chorus serve` (release) with SUBSCRIBERS WebSocket subscribers of one channel, held by a
#    separate process (Benchmarks/EndToEnd/fanout_subscribers.c, one epoll reader): the time from a
#    signed HTTP publish until the last subscriber has the event (POST /apps/1/events), and the same
#    for a batch of ten events (POST /apps/1/batch_events, ~1,500 B per subscriber);
# 3. the floor again. A run's ratios use the mean of its floor medians before and after.
# Each invocation appends its runs under LABEL to results/fanout/runs.json and regenerates README.md
# and ratios.svg from every label recorded there; the figure to quote is a label's median over runs.
#
#   LABEL="after: outlet keeps writability" scripts/fanout-floor.sh
# Environment: SUBSCRIBERS (10000), ROUNDS (20 per measurement), RUNS (3), LABEL (the commit), COMMIT
# (the commit CHORUS_BIN was built from, default HEAD), CHORUS_SHARED (the shared/ folder, default
# ../shared), CHORUS_BIN (a chorus binary to measure instead of building .build/release/chorus).
# Only 127.0.0.1 is used; every loop is bounded (the subscriber tool gives up after 30-60 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${CHORUS_SHARED:-$root/../shared}"
subscribers="${SUBSCRIBERS:-10000}"
rounds="${ROUNDS:-20}"
runs="${RUNS:-3}"
commit="${COMMIT:-$(git -C "$root" rev-parse --short HEAD)}"
label="${LABEL:-$commit}"
out="$root/results/fanout"
# shellcheck source=lib/end-to-end.sh
source "$root/scripts/lib/end-to-end.sh"
cc -O2 -pthread -o "$work/fanout_floor" "$shared/tools/fanout_floor.c"

floor() { "$work/fanout_floor" 9900 "$1" "$rounds" 2 | tee -a "$work/raw" /dev/stderr; }
median() { sed -E 's/.*median ([0-9.]+) ms.*/\1/'; }

for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs: floor (before)" >&2
  small_before="$(floor 150 | median)"
  large_before="$(floor 1500 | median)"
  echo "== run $run of $runs: chorus serve with $subscribers subscribers" >&2
  start_measured_server
  "$work/fanout_subscribers" "$port" "$subscribers" "$rounds" "$server_pid" | tee "$work/chorus" | tee -a "$work/raw" >&2
  stop_measured_server
  echo "== run $run of $runs: floor (after)" >&2
  small_after="$(floor 150 | median)"
  large_after="$(floor 1500 | median)"
  single="$(sed -nE 's/chorus single: .* median ([0-9.]+) ms/\1/p' "$work/chorus")"
  batch="$(sed -nE 's/chorus batch10: .* median ([0-9.]+) ms/\1/p' "$work/chorus")"
  echo "$small_before $small_after $single $large_before $large_after $batch $(cut -d' ' -f1 /proc/loadavg)" >>"$work/runs"
done

mkdir -p "$out"
python3 - "$out" "$work/runs" "$work/raw" "$label" "$commit" "$subscribers" "$rounds" <<'PY'
import datetime, json, os, statistics, sys
out, runs_file, raw_file, label, commit = sys.argv[1:6]
subscribers, rounds = int(sys.argv[6]), int(sys.argv[7])
goal_single, goal_batch = 1.15, 1.25
runs = []
for line in open(runs_file):
    sb, sa, single, lb, la, batch, load = map(float, line.split())
    runs.append({"floor_150_before_ms": sb, "floor_150_after_ms": sa, "chorus_single_ms": single,
                 "single_ratio": round(single / ((sb + sa) / 2), 3),
                 "floor_1500_before_ms": lb, "floor_1500_after_ms": la, "chorus_batch10_ms": batch,
                 "batch_ratio": round(batch / ((lb + la) / 2), 3), "load_average": load})
path = os.path.join(out, "runs.json")
record = json.load(open(path)) if os.path.exists(path) else {"subscribers": subscribers, "labels": []}
record["labels"] = [entry for entry in record["labels"] if entry["label"] != label]
record["labels"].append({"label": label, "commit": commit, "rounds": rounds,
                         "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         "runs": runs, "raw": open(raw_file).read().strip().splitlines()})
json.dump(record, open(path, "w"), indent=2)

verdict = lambda value, goal: "met" if value <= goal else "MISSED"
rows = ["| label | commit | date | runs: one event (Chorus ms / floor ms = ratio) | median | runs: batch of 10 | median |",
        "| --- | --- | --- | --- | ---: | --- | ---: |"]
medians = []
for entry in record["labels"]:
    single = [r["single_ratio"] for r in entry["runs"]]
    batch = [r["batch_ratio"] for r in entry["runs"]]
    medians.append((entry["label"], statistics.median(single), single, statistics.median(batch), batch))
    singles = "; ".join(f"{r['chorus_single_ms']:.1f} / {(r['floor_150_before_ms'] + r['floor_150_after_ms']) / 2:.1f} = {r['single_ratio']:.2f}×" for r in entry["runs"])
    batches = "; ".join(f"{r['chorus_batch10_ms']:.1f} / {(r['floor_1500_before_ms'] + r['floor_1500_after_ms']) / 2:.1f} = {r['batch_ratio']:.2f}×" for r in entry["runs"])
    rows.append(f"| {entry['label']} | `{entry['commit']}` | {entry['date']} | {singles} | **{statistics.median(single):.2f}×** "
                f"({verdict(statistics.median(single), goal_single)}) | {batches} | **{statistics.median(batch):.2f}×** "
                f"({verdict(statistics.median(batch), goal_batch)}) |")
readme = f"""# End-to-end fan-out against the kernel floor

`scripts/fanout-floor.sh`: in each run, the kernel floor (`shared/tools/fanout_floor.c`: one message to
9,900 loopback TCP sockets, 2 writer threads, one epoll reader; 150 B and 1,500 B), then `chorus serve`
(release, embedded default app, one event loop per core) with {record['subscribers']:,} WebSocket subscribers
of one public channel held by a separate process with one epoll reader (`Benchmarks/EndToEnd/fanout_subscribers.c`),
then the floor again; medians of {rounds} rounds each. A round is timed from the signed HTTP publish's first byte
until the last subscriber has read the whole frame(s): one event (~150 B frame) against the 150 B floor, a batch of
ten events (one ~1,500 B write per subscriber) against the 1,500 B floor. Each ratio uses its own run's floor (mean
of before and after). Goals (issue #20): one event ≤ {goal_single}×, batch of 10 ≤ {goal_batch}× (medians over runs).

{chr(10).join(rows)}

Every run of every label is listed; `runs.json` holds the raw output of each, `ratios.svg` the plot.
Chorus has ~1 % more subscribers than the floor has sockets (10,000 vs 9,900: the floor holds both ends of each
connection in one process under the 20,000-descriptor limit), which makes the ratios slightly conservative.
"""
notes = os.path.join(out, "NOTES.md")
if os.path.exists(notes):
    readme += "\n" + open(notes).read()
open(os.path.join(out, "README.md"), "w").write(readme)

left, group, bar, height = 60, 200, 60, 300
width = left + group * len(medians) + 40
peak = max(2.0, max(max(s + b) for _, _, s, _, b in medians))
y = lambda ratio: height - 50 - ratio * (height - 90) / peak
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<text x="{left}" y="14">Chorus / kernel floor (median bar, every run a dot): one event (blue), batch of 10 (orange)</text>']
for goal, colour in ((goal_single, "#2a7ab9"), (goal_batch, "#e07b24")):
    svg.append(f'<line x1="{left - 10}" x2="{width - 10}" y1="{y(goal):.1f}" y2="{y(goal):.1f}" stroke="{colour}" stroke-dasharray="4 3"/>'
               f'<text x="{width - 10}" y="{y(goal) - 4:.1f}" text-anchor="end" fill="{colour}">goal {goal}×</text>')
svg.append(f'<line x1="{left - 10}" x2="{width - 10}" y1="{y(1):.1f}" y2="{y(1):.1f}" stroke="#888"/>'
           f'<text x="{left - 14}" y="{y(1) + 4:.1f}" text-anchor="end">1×</text>')
for i, (name, single_median, singles, batch_median, batches) in enumerate(medians):
    x = left + i * group
    for offset, median_value, values, colour in ((0, single_median, singles, "#2a7ab9"), (bar + 6, batch_median, batches, "#e07b24")):
        svg.append(f'<rect x="{x + offset}" y="{y(median_value):.1f}" width="{bar}" height="{y(0) - y(median_value):.1f}" fill="{colour}" fill-opacity="0.7"/>')
        svg.append(f'<text x="{x + offset + bar / 2}" y="{y(median_value) - 4:.1f}" text-anchor="middle">{median_value:.2f}×</text>')
        for value in values:
            svg.append(f'<circle cx="{x + offset + bar / 2}" cy="{y(value):.1f}" r="3" fill="#333"/>')
    svg.append(f'<text x="{x + bar + 3}" y="{height - 32}" text-anchor="middle">{name[:28]}</text>')
svg.append("</svg>")
open(os.path.join(out, "ratios.svg"), "w").write("\n".join(svg) + "\n")
print(readme)
PY

#!/usr/bin/env bash
# The Chorus benchmarks: the ChorusBenchmarks target of the main package (Benchmarks/ChorusBenchmarks),
# built in release by the same build as everything else, so after `swift build -c release
# --build-tests` the benchmark plugin only links what is already compiled.
#
#   scripts/benchmarks.sh                      run them all; write results/benchmarks.md and
#                                              results/benchmarks.json (p0–p100 of every metric)
#   scripts/benchmarks.sh --check              the CI gate: total malloc counts against
#                                              Benchmarks/Thresholds; exits non-zero only when a
#                                              count grew (or the build failed)
#   scripts/benchmarks.sh --update-thresholds  store the current malloc counts as the thresholds
#
# Extra arguments are passed to the benchmark tool (e.g. --filter "broadcast.*").
# Timings are reported, never gated: wall-clock time on a shared 2-core machine drifts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
thresholds="$root/Benchmarks/Thresholds"

mode="run"
case "${1:-}" in
  --check) mode="check"; shift ;;
  --update-thresholds) mode="update"; shift ;;
esac

if [ "$mode" = "check" ]; then
  errors="$(mktemp)"
  trap 'rm -f "$errors"' EXIT
  status=0
  swift package benchmark thresholds check --path "$thresholds" --metric mallocCountTotal --no-progress "$@" 2> >(tee "$errors" >&2) || status=$?
  wait
  # Through `swift package`, both a regression and an improvement exit 1; stderr tells which.
  if grep -q benchmarkThresholdRegression "$errors"; then
    echo "benchmarks: malloc counts REGRESSED against Benchmarks/Thresholds (see the deviations above)" >&2
    exit 1
  fi
  if grep -q benchmarkThresholdImprovement "$errors"; then
    echo "benchmarks: malloc counts improved; record them with scripts/benchmarks.sh --update-thresholds"
    exit 0
  fi
  if [ "$status" -ne 0 ]; then
    echo "benchmarks: the malloc gate failed to run (exit $status)" >&2
    exit "$status"
  fi
  echo "benchmarks: malloc counts equal to Benchmarks/Thresholds"
  exit 0
fi

if [ "$mode" = "update" ]; then
  swift package --allow-writing-to-package-directory benchmark thresholds update \
    --path "$thresholds" --metric mallocCountTotal --no-progress "$@"
  exit 0
fi

raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT
if [ -n "${CHORUS_BENCHMARK_OUTPUT:-}" ]; then
  cp "$CHORUS_BENCHMARK_OUTPUT" "$raw"  # re-render a saved run
else
  swift package benchmark --no-progress --format markdown --time-units nanoseconds "$@" | tee "$raw"
fi

mkdir -p "$root/results"
python3 - "$raw" "$root/results" <<'PY'
import datetime, json, os, re, subprocess, sys

raw, results = sys.argv[1], sys.argv[2]
benchmarks, name = {}, None
for line in open(raw, encoding="utf-8"):
    heading = re.match(r"^### (\S+)", line)
    if heading:
        name = heading.group(1)
        benchmarks[name] = {}
        continue
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if name and len(cells) == 9 and re.fullmatch(r"[0-9.e+]+[KM]?", cells[1]):
        scale = lambda v: round(float(v.rstrip("KM")) * {"K": 1e3, "M": 1e6}.get(v[-1], 1))
        metric = "wallClock_ns" if cells[0].startswith("Time") else "mallocCountTotal" if cells[0].startswith("Malloc") else cells[0]
        keys = ["p0", "p25", "p50", "p75", "p90", "p99", "p100"]
        benchmarks[name][metric] = dict(zip(keys, map(scale, cells[1:8])))
        benchmarks[name]["samples"] = int(cells[8])

def sh(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"

meta = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": sh("git", "-C", results, "rev-parse", "--short", "HEAD"),
    "cpus": os.cpu_count(),
    "loadavg": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else [],
    "swift": sh("swift", "--version").splitlines()[0] if sh("swift", "--version") != "?" else "?",
}
with open(os.path.join(results, "benchmarks.json"), "w") as out:
    json.dump({"meta": meta, "benchmarks": benchmarks}, out, indent=2, sort_keys=True)
    out.write("\n")

# Targets from the issue: p50 wall clock in µs; malloc counts must not grow with subscribers.
targets = {
    "broadcast.1event.10k": 112,
    "broadcast.batch10.10k": 924,
    "filter.simple.10k": 112,
    "filter.complex.10k": 924,
}
def us(ns):
    return f"{ns / 1000:,.2f}"

lines = [
    "# Benchmarks",
    "",
    f"Run {meta['date']} at commit `{meta['commit']}`, {meta['swift']}, {meta['cpus']} cores, "
    f"load average {' '.join(meta['loadavg'])} at the end. Release build, `scripts/benchmarks.sh`; "
    "raw percentiles in `results/benchmarks.json`.",
    "Times are one measured operation (p50 and p90 of all samples); mallocs are counted inside the "
    "measured region only. Wall-clock time is noisy on this shared machine; malloc counts are exact "
    "and gated in CI (`scripts/benchmarks.sh --check`).",
    "",
    "| Benchmark | p50 µs | p90 µs | mallocs | target (p50) | samples |",
    "| --- | ---: | ---: | ---: | --- | ---: |",
]
for name in sorted(benchmarks):
    result = benchmarks[name]
    time = result.get("wallClock_ns", {})
    mallocs = result.get("mallocCountTotal", {}).get("p50", "?")
    target = targets.get(name)
    verdict = ""
    if target is not None and "p50" in time:
        verdict = f"≤ {target} µs: {'met' if time['p50'] / 1000 <= target else 'MISSED'}"
    lines.append(
        f"| `{name}` | {us(time['p50']) if time else '?'} | {us(time['p90']) if time else '?'} | {mallocs} "
        f"| {verdict} | {result.get('samples', '?')} |"
    )
one_k = benchmarks.get("broadcast.1event.1k", {}).get("mallocCountTotal", {}).get("p50")
ten_k = benchmarks.get("broadcast.1event.10k", {}).get("mallocCountTotal", {}).get("p50")
if one_k is not None and ten_k is not None:
    ok = one_k == ten_k and ten_k <= 8
    lines += ["", f"Mallocs for one event: {one_k} at 1k subscribers, {ten_k} at 10k "
              f"(target: equal and ≤ 8): {'met' if ok else 'MISSED'}."]
reference = benchmarks.get("reference.perConnectionQueues.10k", {}).get("wallClock_ns", {}).get("p50")
shard = benchmarks.get("broadcast.1event.10k", {}).get("wallClock_ns", {}).get("p50")
if reference and shard:
    lines += ["", f"Same run, 10k subscribers, one event: the shard's enqueue takes {us(shard)} µs, per-connection "
              f"queues of frame references (`reference.perConnectionQueues.10k`) {us(reference)} µs: "
              f"{reference / shard:.1f}× slower."]
with open(os.path.join(results, "benchmarks.md"), "w") as out:
    out.write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

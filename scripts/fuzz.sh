#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers Chorus exposes to untrusted bytes (libFuzzer, with
# AddressSanitizer), one target at a time, each seeded from Tests/Fuzz/<target>/.
#
#   scripts/fuzz.sh [--seconds N] [--seed S] [--report] [TARGET...]
#
#   --seconds N  how long each target runs (default 30)
#   --seed S     libFuzzer's random seed (default: a new one each run); CI passes a fixed one so a
#                run repeats the same mutations
#   --report     also write results/fuzz.json and results/fuzz.md (executions/s, coverage, corpus)
#   TARGET       some of: websocket-frames pusher-message http-request tag-filter fossil-delta
#                vcdiff-delta configuration scenario (default: all)
#
# The fuzz build has its own build folder (.build-fuzz): every module instrumented (NIO's decoders
# too), libFuzzer's main instead of the replayer's, and no benchmarks (CHORUS_FUZZ=1). A crash stops that target, leaves its input in
# results/fuzz/crashes/ and makes the script exit 1; add the input to Tests/Fuzz/<target>/ with
# the fix, so the corpus replay test keeps it fixed. Inputs found to cover new code stay in a
# temporary corpus (copy them into Tests/Fuzz/<target>/ by hand when they are worth keeping).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
seed=0
report=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --report) report=1; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(websocket-frames pusher-message http-request tag-filter fossil-delta vcdiff-delta configuration scenario history-cursor push-request)

# SwiftPM's --sanitize links the runtimes and instruments C; Swift code needs -sanitize passed to
# swiftc as well to get libFuzzer's coverage counters.
build=(env CHORUS_FUZZ=1 swift build --scratch-path .build-fuzz --sanitize fuzzer --sanitize address
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DCHORUS_LIBFUZZER --product chorus-fuzz)
"${build[@]}"
fuzzer="$("${build[@]}" --show-bin-path)/chorus-fuzz"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p results/fuzz/crashes
status=0
rows=()
for target in "${targets[@]}"; do
  [ -d "Tests/Fuzz/$target" ] || { echo "fuzz: no seeds in Tests/Fuzz/$target" >&2; exit 2; }
  corpus="$work/$target"
  mkdir -p "$corpus"
  log="$work/$target.log"
  echo "== fuzz $target for ${seconds}s"
  result=0
  CHORUS_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$fuzzer" "$corpus" "Tests/Fuzz/$target" \
    -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="results/fuzz/crashes/$target-" >"$log" 2>&1 || result=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
  coverage=$( (grep -ao 'cov: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  features=$( (grep -ao 'ft: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  units=$(find "$corpus" -type f | wc -l)
  seeds=$(find "Tests/Fuzz/$target" -type f | wc -l)
  verdict="ok"
  if [ "$result" -ne 0 ]; then
    verdict="CRASH (exit $result)"
    status=1
    cp "$log" "results/fuzz/crashes/$target.log"
    (grep -aE "ERROR|Fatal error|SUMMARY|artifact" "$log" || true) | head -20 >&2
  fi
  printf '   %s: %s runs, %s/s, coverage %s edges (%s features), %s new inputs over %s seeds: %s\n' \
    "$target" "${runs:-?}" "${speed:-?}" "${coverage:-?}" "${features:-?}" "$units" "$seeds" "$verdict"
  rows+=("$target|${runs:-0}|${speed:-0}|${coverage:-0}|${features:-0}|$units|$seeds|$verdict")
done

if [ "$report" -eq 1 ]; then
  python3 - "$seconds" "${rows[@]}" <<'PY'
import datetime, json, os, sys
seconds, rows = int(sys.argv[1]), [r.split("|") for r in sys.argv[2:]]
keys = ["target", "runs", "execs_per_second", "coverage_edges", "features", "new_inputs", "seeds", "verdict"]
targets = [dict(zip(keys, row)) for row in rows]
for t in targets:
    for k in keys[1:7]:
        t[k] = int(t[k])
meta = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "seconds_per_target": seconds,
    "loadavg": open("/proc/loadavg").read().split()[:3],
}
json.dump({"meta": meta, "targets": targets}, open("results/fuzz.json", "w"), indent=2)
lines = [
    "# Fuzzing",
    "",
    f"`scripts/fuzz.sh --seconds {seconds} --report`, {meta['date']}, load average {' '.join(meta['loadavg'])}: "
    "libFuzzer with AddressSanitizer on a debug build, every module instrumented, one target after another, "
    "each seeded from `Tests/Fuzz/<target>/`. Coverage is libFuzzer's count of instrumented edges reached "
    "(Chorus and the libraries under it: NIO's decoders, Foundation's JSON, Yams).",
    "",
    "| target | runs | runs/s | coverage (edges) | features | new inputs | seeds | verdict |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
]
for t in targets:
    lines.append(f"| `{t['target']}` | {t['runs']:,} | {t['execs_per_second']:,} | {t['coverage_edges']:,} | "
                 f"{t['features']:,} | {t['new_inputs']} | {t['seeds']} | {t['verdict']} |")
open("results/fuzz.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
fi
exit "$status"

#!/usr/bin/env bash
# Bytes on the wire per delta algorithm (Fossil, VCDIFF) for ticker-like streams, with and without
# conflation by symbol; every rebuilt message checked against a plain subscriber's. Writes
# results/delta-algorithms/{runs.json,bytes.svg} and prints the table of README.md. Bytes are exact: one run suffices.
#   scripts/delta-algorithms.sh            (builds the release binary if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
CHORUS="$(realpath "${CHORUS:-.build/release/chorus}")"
OUT="${OUT:-results/delta-algorithms}"
[ -x "$CHORUS" ] || swift build -c release --product chorus
mkdir -p "$OUT"
source scripts/lib/start-chorus.sh
config=$(mktemp --suffix=.yaml)
chorus_scratch+=("$config")
cat > "$config" <<'YAML'
apps:
  - {id: 1, key: chorus-key, secret: chorus-secret, channel_delta_compression: {"conflated-*": {conflation_key: symbol}}}
api_requests_per_ip_per_minute: 0
storage: {driver: memory}
YAML
start_chorus delta-algorithms --config "$config" --log-level warning
python3 scripts/lib/delta_bytes.py 127.0.0.1 "$port" > "$OUT/runs.json"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
rows = json.load(open(f"{out}/runs.json"))
lines = ["| stream | events | plain | Fossil | VCDIFF | Fossil saved | VCDIFF saved | deltas (Fossil / VCDIFF) |",
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for r in rows:
    saved = lambda k: f"{100 * (1 - r[k] / r['plain_bytes']):.0f}%"
    lines.append(f"| {r['stream']} | {r['events']} | {r['plain_bytes']:,} | {r['fossil_bytes']:,} | {r['xdelta3_bytes']:,} "
                 f"| {saved('fossil_bytes')} | {saved('xdelta3_bytes')} | {r['fossil_deltas']} / {r['xdelta3_deltas']} |")
print("\n".join(lines))
# A grouped bar chart: bytes per stream, three bars each.
width, height, left, top, bar = 720, 300, 60, 20, 40
peak = max(r["plain_bytes"] for r in rows)
colors = {"plain_bytes": "#999", "fossil_bytes": "#2a7ab9", "xdelta3_bytes": "#e07b24"}
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">']
for i, r in enumerate(rows):
    x0 = left + i * 220
    for j, key in enumerate(colors):
        h = (height - 80) * r[key] / peak
        x = x0 + j * (bar + 4)
        svg.append(f'<rect x="{x}" y="{height - 50 - h:.1f}" width="{bar}" height="{h:.1f}" fill="{colors[key]}"/>')
        svg.append(f'<text x="{x + bar / 2}" y="{height - 54 - h:.1f}" text-anchor="middle">{r[key] / 1024:.0f}K</text>')
    svg.append(f'<text x="{x0 + 64}" y="{height - 32}" text-anchor="middle">{r["stream"]}</text>')
for j, (key, label) in enumerate(zip(colors, ["plain", "Fossil", "VCDIFF (xdelta3)"])):
    svg.append(f'<rect x="{left + j * 130}" y="{height - 18}" width="10" height="10" fill="{colors[key]}"/>'
               f'<text x="{left + j * 130 + 14}" y="{height - 9}">{label}</text>')
svg.append("</svg>")
open(f"{out}/bytes.svg", "w").write("\n".join(svg) + "\n")
PY


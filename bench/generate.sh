#!/usr/bin/env bash
# Benchmark: `swarmscope generate` on the 1M-account world (or ACCOUNTS=N), as a whole process, against a
# naive peer (bench/generate-peer.py: Python's csv module writing the same row counts with no model).
# Prints wall and CPU seconds, rows/s, peak RSS for both, and the ratio. Build first: npx tsc -p tsconfig.json
#
#   bench/generate.sh                 # 1,000,000 accounts
#   ACCOUNTS=100000 bench/generate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS="${ACCOUNTS:-1000000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/swarmscope-bench-generate.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

measure() { # label, command… → "wall cpu rss_kb"
  local log="$WORK/$1.time"; shift
  /usr/bin/time -v "$@" > "$WORK/stdout" 2> "$log"
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident/ { rss = $2 }
    END { printf "%.1f %.1f %d\n", wall, cpu, rss }' "$log"
}

echo "load before: $(uptime)"
read -r ours_wall ours_cpu ours_rss < <(measure ours node dist/cli/main.js generate --out "$WORK/ours" --accounts "$ACCOUNTS" --json --quiet)
cp "$WORK/stdout" "$WORK/summary.json"
read -r peer_wall peer_cpu peer_rss < <(measure peer /usr/bin/python3 bench/generate-peer.py "$WORK/summary.json" "$WORK/peer")
echo "load after:  $(uptime)"

node - "$WORK/summary.json" "$ours_wall" "$ours_cpu" "$ours_rss" "$peer_wall" "$peer_cpu" "$peer_rss" "$(du -sb "$WORK/ours" | cut -f1)" "$(du -sb "$WORK/peer" | cut -f1)" <<'JS'
const [file, oW, oC, oR, pW, pC, pR, oBytes, pBytes] = process.argv.slice(2);
const s = require(file);
const rows = Object.values(s.files).reduce((a, f) => a + f.rows, 0);
const line = (name, wall, cpu, rss, bytes) =>
  `${name.padEnd(30)} ${wall.padStart(7)} s wall ${cpu.padStart(7)} s cpu ${String(Math.round(rows / Number(cpu))).padStart(9)} rows/cpu-s ${(Number(rss) / 1024).toFixed(0).padStart(6)} MB peak RSS ${(Number(bytes) / 1e6).toFixed(0).padStart(6)} MB written`;
console.log(`world: ${s.accounts} accounts; ${rows} rows (${s.link_rows} link rows, ${s.files['exchanges.csv'].rows} exchange rows, ${s.exchanges} exchanges)`);
for (const [name, f] of Object.entries(s.files)) console.log(`  ${name.padEnd(24)} ${String(f.rows).padStart(10)} rows ${(f.bytes / 1e6).toFixed(1).padStart(8)} MB`);
console.log(line('swarmscope generate', oW, oC, oR, oBytes));
console.log(line('peer: python csv, no model', pW, pC, pR, pBytes));
console.log(`ratio (ours / peer): wall ${(Number(oW) / Number(pW)).toFixed(2)}, cpu ${(Number(oC) / Number(pC)).toFixed(2)}`);
JS

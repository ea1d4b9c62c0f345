#!/usr/bin/env bash
# Benchmark: a --behaviour world (minute-level exchanges.csv with template and client) of 1M accounts
# (or ACCOUNTS=N), generated as one process, against a naive peer (bench/generate-behaviour-peer.py: Python's
# csv module writing the same number of exchange rows with no model). Prints wall and CPU seconds, rows,
# bytes, rows per CPU second and peak RSS for both, and the ratio; the worlds are deleted afterwards.
# Build first: npx tsc -p tsconfig.json
#
#   bench/generate-behaviour.sh                 # 1,000,000 accounts
#   ACCOUNTS=100000 bench/generate-behaviour.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS="${ACCOUNTS:-1000000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/swarmscope-bench-behaviour.XXXXXX")"
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
read -r ours_wall ours_cpu ours_rss < <(measure ours node bench/generate-behaviour.js "$WORK/ours" "$ACCOUNTS")
cp "$WORK/stdout" "$WORK/summary.json"
ours_bytes="$(du -sb "$WORK/ours" | cut -f1)"
rm -rf "$WORK/ours"
read -r peer_wall peer_cpu peer_rss < <(measure peer /usr/bin/python3 bench/generate-behaviour-peer.py "$WORK/summary.json" "$WORK/peer")
peer_bytes="$(du -sb "$WORK/peer" | cut -f1)"
rm -rf "$WORK/peer"
echo "load after:  $(uptime)"

node - "$WORK/summary.json" "$ours_wall" "$ours_cpu" "$ours_rss" "$peer_wall" "$peer_cpu" "$peer_rss" "$ours_bytes" "$peer_bytes" <<'JS'
const [file, oW, oC, oR, pW, pC, pR, oBytes, pBytes] = process.argv.slice(2);
const s = require(file);
const rows = Object.values(s.files).reduce((a, f) => a + f.rows, 0);
const exchangeRows = s.files['exchanges.csv'].rows;
const line = (name, wall, cpu, rss, bytes, counted) =>
  `${name.padEnd(34)} ${wall.padStart(7)} s wall ${cpu.padStart(7)} s cpu ${String(Math.round(counted / Number(cpu))).padStart(9)} rows/cpu-s ${(Number(rss) / 1024).toFixed(0).padStart(6)} MB peak RSS ${(Number(bytes) / 1e6).toFixed(0).padStart(6)} MB written`;
console.log(`world: ${s.accounts} accounts, --behaviour; ${rows} rows (${exchangeRows} exchange rows, ${s.exchanges} exchanges)`);
for (const [name, f] of Object.entries(s.files)) console.log(`  ${name.padEnd(24)} ${String(f.rows).padStart(10)} rows ${(f.bytes / 1e6).toFixed(1).padStart(8)} MB`);
console.log(line('swarmscope generate --behaviour', oW, oC, oR, oBytes, rows));
console.log(line('peer: python csv, exchanges only', pW, pC, pR, pBytes, exchangeRows));
console.log(`ratio (ours / peer): wall ${(Number(oW) / Number(pW)).toFixed(2)}, cpu ${(Number(oC) / Number(pC)).toFixed(2)} (ours writes all five files and the truth)`);
JS

#!/usr/bin/env bash
# Benchmark (issue 12): what behaviour costs a sweep. On one --behaviour world (minute-level exchanges.csv with
# template and client columns), in one run:
#   1. `swarmscope sweep WORLD` — with behaviour (templates, clients, activity cells, synchrony);
#   2. the same sweep on the same world with exchanges.csv rewritten to the old contract: timestamp cut to its
#      date, template and client dropped, every other column and every row kept (row count checked); the
#      rewrite is timed apart and not counted; the other input files are hard links (copies across filesystems);
#   3. the peer bench/behaviour_sync_peer.py: a SynchroTrap-style pair count in DuckDB SQL on the minute-level
#      exchanges.csv (2 threads, a memory limit; "peer: failed (reason)" when the pair table does not fit).
# Each as a whole process under /usr/bin/time -v (wall, CPU, peak RSS), with the sweeps' per-stage seconds
# (report.json sweep.stages) and import figures (the World snapshot's summary: rows by resolution, activity
# cells, synchrony), rows per second, load average before and after, date, commit. Prints a markdown table.
# Target (issue 12, at 1M accounts, >= 50M exchange rows): behaviour adds at most 2 minutes and the sweep
# stays within 4 GB peak; cost grows about linearly with rows (compare rows/s at 100k and 1M).
# Build first: npx tsc -p tsconfig.json. DuckDB for Python: `import duckdb` in $PYTHON (default python3).
#
#   bench/behaviour-sweep.sh                        # generates a 1,000,000-account world in a temp dir, deletes it
#   ACCOUNTS=100000 bench/behaviour-sweep.sh        # quick run (~7M exchange rows)
#   bench/behaviour-sweep.sh /path/to/world         # reuses an existing --behaviour world; never deletes it
# Knobs: PEER_CAP (200), PEER_MEMORY (8GB), PEER_MAX_TEMP (10GB DuckDB may spill), PEER_TIMEOUT (3600 s), PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS="${ACCOUNTS:-1000000}"
PYTHON="${PYTHON:-python3}"
PEER_CAP="${PEER_CAP:-200}"
PEER_MEMORY="${PEER_MEMORY:-8GB}"
PEER_MAX_TEMP="${PEER_MAX_TEMP:-10GB}"
PEER_TIMEOUT="${PEER_TIMEOUT:-3600}"

[ -f dist/cli/main.js ] || { echo "build first: npx tsc -p tsconfig.json" >&2; exit 2; }
DUCKDB_VERSION="$("$PYTHON" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null)" ||
  { echo "$PYTHON cannot import duckdb (set PYTHON=...)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/swarmscope-bench-behaviour-sweep.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
timed() { # label, command… → $WORK/label.time (/usr/bin/time -v), $WORK/label.out; prints the exit status
  local label="$1"; shift
  local status=0
  /usr/bin/time -v "$@" > "$WORK/$label.out" 2> "$WORK/$label.time" || status=$?
  echo "$status"
}

LOAD_BEFORE="$(loadavg)"
DATE_START="$(date -u '+%Y-%m-%d %H:%M')"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src cli bench 2>/dev/null || echo '+uncommitted')"

if [ $# -ge 1 ]; then
  WORLD="$(realpath "$1")"
  GENERATED=""
else
  WORLD="$WORK/world"
  echo "generating $ACCOUNTS accounts (--behaviour, seed 1) in $WORLD ..." >&2
  status=$(timed generate node dist/cli/main.js generate --out "$WORLD" --accounts "$ACCOUNTS" --seed 1 --behaviour --quiet)
  [ "$status" = 0 ] || { tail -5 "$WORK/generate.time" >&2; exit 1; }
  GENERATED="$ACCOUNTS"
fi
[ -f "$WORLD/exchanges.csv" ] || { echo "$WORLD: no exchanges.csv (uncompressed) to benchmark" >&2; exit 2; }

# 1. with behaviour
echo "sweep with behaviour ..." >&2
status=$(timed with node dist/cli/main.js sweep "$WORLD" --out "$WORK/out-with" --seed 1 --quiet)
case "$status" in 0|1) ;; *) echo "sweep with behaviour exited $status:" >&2; tail -5 "$WORK/with.time" >&2; exit 1 ;; esac

# 2. without behaviour: the old contract (date, no template, no client), every row kept
echo "rewriting exchanges.csv to the old contract ..." >&2
OLD="$WORK/world-without"
mkdir "$OLD"
for f in "$WORLD"/*.csv "$WORLD"/*.csv.gz; do
  [ -e "$f" ] || continue
  name="$(basename "$f")"
  case "$name" in exchanges.csv|exchanges.csv.gz) continue ;; esac
  ln "$f" "$OLD/$name" 2>/dev/null || cp "$f" "$OLD/$name"
done
HEADER="$(head -n 1 "$WORLD/exchanges.csv" | tr -d '\r')"
PREP_TOOL=awk
prep_start=$(date +%s.%N)
prep_status=0
if [ "$HEADER" = "account_id,timestamp,capability,count,input_tokens,output_tokens,template,client" ]; then
  # The generator's layout; a row with a quote (a quoted cell may hold a comma) stops awk and DuckDB redoes it.
  awk -F, -v OFS=, -v count="$WORK/prep.rows" '
    NR == 1 { print "account_id,timestamp,capability,count,input_tokens,output_tokens"; next }
    index($0, "\"") { quoted = 1; exit 3 }
    { print $1, substr($2, 1, 10), $3, $4, $5, $6 }
    END { if (!quoted) print NR - 1 > count }' "$WORLD/exchanges.csv" > "$OLD/exchanges.csv" || prep_status=$?
else
  prep_status=3
fi
if [ "$prep_status" = 3 ]; then
  PREP_TOOL=duckdb
  "$PYTHON" - "$WORLD/exchanges.csv" "$OLD/exchanges.csv" "$WORK/prep.rows" <<'PY'
import sys, duckdb
src, dst, count = (p.replace("'", "''") for p in sys.argv[1:4])
con = duckdb.connect()
con.execute("SET threads = 2; SET memory_limit = '4GB'; SET enable_progress_bar = false; SET preserve_insertion_order = true")
con.execute(f"""COPY (SELECT * EXCLUDE (template, client) REPLACE (substr(timestamp, 1, 10) AS timestamp)
                FROM read_csv('{src}', header = true, all_varchar = true)) TO '{dst}' (HEADER)""")
rows = con.execute(f"SELECT count(*) FROM read_csv('{dst}', header = true, all_varchar = true)").fetchone()[0]
open(sys.argv[3], 'w').write(f"{rows}\n")
PY
elif [ "$prep_status" != 0 ]; then
  echo "rewriting exchanges.csv failed (awk exit $prep_status)" >&2; exit 1
fi
PREP_SECONDS=$(awk -v a="$prep_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
PREP_ROWS="$(cat "$WORK/prep.rows")"
WITH_ROWS="$(node -p 'require(process.argv[1]).sweep.input_files.find((f) => f.file === "exchanges.csv").rows_read' "$WORK/out-with/report.json")"
[ "$PREP_ROWS" = "$WITH_ROWS" ] || { echo "old-contract copy has $PREP_ROWS rows, the world $WITH_ROWS" >&2; exit 1; }

echo "sweep without behaviour ..." >&2
status=$(timed without node dist/cli/main.js sweep "$OLD" --out "$WORK/out-without" --seed 1 --quiet)
case "$status" in 0|1) ;; *) echo "sweep without behaviour exited $status:" >&2; tail -5 "$WORK/without.time" >&2; exit 1 ;; esac
OLD_BYTES="$(stat -c %s "$OLD/exchanges.csv")"
rm -rf "$OLD"

# 3. the peer: SynchroTrap-style pair count in DuckDB on the minute-level exchanges.csv
echo "peer: DuckDB pair count ..." >&2
mkdir "$WORK/duckdb-tmp"
PEER_STATUS=$(timed peer timeout "$PEER_TIMEOUT" "$PYTHON" bench/behaviour_sync_peer.py "$WORLD/exchanges.csv" \
  --cap "$PEER_CAP" --threads 2 --memory-limit "$PEER_MEMORY" --temp-dir "$WORK/duckdb-tmp" --max-temp "$PEER_MAX_TEMP" \
  --json "$WORK/peer.json")
[ "$PEER_STATUS" = 124 ] && echo "peer: failed (timed out after $PEER_TIMEOUT s)" > "$WORK/peer.out"
LOAD_AFTER="$(loadavg)"
DATE_END="$(date -u '+%H:%M')"

node - "$WORK" "$WORLD" "$GENERATED" "$LOAD_BEFORE" "$LOAD_AFTER" "$DATE_START" "$DATE_END" "$COMMIT" "$PREP_TOOL" "$PREP_SECONDS" \
  "$OLD_BYTES" "$PEER_STATUS" "$PEER_CAP" "$PEER_MEMORY" "$DUCKDB_VERSION" <<'JS'
'use strict';
const fs = require('fs');
const path = require('path');
const [work, world, generated, loadBefore, loadAfter, dateStart, dateEnd, commit, prepTool, prepSeconds, oldBytes,
  peerStatus, peerCap, peerMemory, duckdbVersion] = process.argv.slice(2);

function time(label) { // /usr/bin/time -v → { wall, cpu, rssGb }
  const text = fs.readFileSync(path.join(work, `${label}.time`), 'utf8');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(text);
  const user = /User time \(seconds\): ([\d.]+)/.exec(text);
  const system = /System time \(seconds\): ([\d.]+)/.exec(text);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  if (!wall || !rss) throw new Error(`could not read /usr/bin/time output of ${label}:\n${text.slice(-2000)}`);
  return {
    wall: Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    cpu: Number(user[1]) + Number(system[1]),
    rssGb: Number(rss[1]) / 1024 / 1024,
  };
}
function snapshotSummary(dir) { // the import summary, from the World snapshot's JSON header (src/core/snapshot.ts)
  const fd = fs.openSync(path.join(dir, 'world.snapshot'), 'r');
  const head = Buffer.alloc(12);
  fs.readSync(fd, head, 0, 12, 0);
  if (head.toString('latin1', 0, 8) !== 'SWSNAP1\n') throw new Error(`${dir}/world.snapshot: not a snapshot`);
  const header = Buffer.alloc(head.readUInt32LE(8));
  fs.readSync(fd, header, 0, header.length, 12);
  fs.closeSync(fd);
  return JSON.parse(header.toString('utf8')).summary;
}
function sweep(label) {
  const dir = path.join(work, `out-${label}`);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  const summary = snapshotSummary(dir);
  const inputRows = report.sweep.input_files.reduce((a, f) => a + f.rows_read, 0);
  const exchanges = report.sweep.input_files.find((f) => f.file === 'exchanges.csv');
  return { ...time(label), report, summary, inputRows, exchanges };
}

const w = sweep('with');
const o = sweep('without');
const checks = [];
if (w.exchanges.rows_read !== o.exchanges.rows_read) checks.push(`exchange rows read differ: ${w.exchanges.rows_read} vs ${o.exchanges.rows_read}`);
if (w.exchanges.rows_loaded !== o.exchanges.rows_loaded) checks.push(`exchange rows loaded differ: ${w.exchanges.rows_loaded} vs ${o.exchanges.rows_loaded}`);
if (w.report.totals.exchanges !== o.report.totals.exchanges) checks.push(`exchanges differ: ${w.report.totals.exchanges} vs ${o.report.totals.exchanges}`);
let peer = null;
try { peer = JSON.parse(fs.readFileSync(path.join(work, 'peer.json'), 'utf8')); } catch { /* killed before writing */ }
const peerTime = time('peer');
const peerOut = fs.readFileSync(path.join(work, 'peer.out'), 'utf8').trim();
const peerOk = peerStatus === '0' && peer && peer.status === 'ok';
const peerFailure = peerOk ? null : (peerOut.split('\n').find((l) => l.startsWith('peer: failed')) || `peer: failed (exit ${peerStatus})`);

const n = (x) => Math.round(x).toLocaleString('en-US');
const s = (x) => `${x.toFixed(1)} s`;
const gb = (x) => `${x.toFixed(2)} GB`;
const signed = (x, f) => `${x >= 0 ? '+' : '−'}${f(Math.abs(x))}`;
const stageNames = ['import', 'detect', 'profile', 'save', 'render', 'total'];
const high = (r) => r.clusters.filter((c) => c.tier === 'high').length;
const sync = (x) => x.summary.exchanges.synchrony;
const res = (x) => Object.entries(x.summary.exchanges.rows_by_resolution).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`).join(', ');
const exRows = w.exchanges.rows_read;
const worldBytes = fs.statSync(path.join(world, 'exchanges.csv')).size;
const peerCell = (f) => (peerOk ? f() : '—');

const lines = [
  `## swarmscope sweep with and without behaviour, and a DuckDB SynchroTrap-style pair count`,
  '',
  `- date ${dateStart}–${dateEnd} UTC · commit ${commit} · ${require('os').cpus().length} cores · load average before ${loadBefore}, after ${loadAfter}`,
  `- world: ${generated ? `generated in ${s(time('generate').wall)} (peak RSS ${gb(time('generate').rssGb)}), --accounts ${generated} --behaviour --seed 1, deleted afterwards` : `${world} (kept)`}; ` +
    `${n(w.report.totals.accounts)} accounts; exchanges.csv ${n(exRows)} rows, ${n(worldBytes / 1e6)} MB; all five files ${n(w.inputRows)} rows`,
  `- without behaviour: exchanges.csv rewritten by ${prepTool} in ${Number(prepSeconds).toFixed(1)} s (not counted): timestamp cut to its date, ` +
    `template and client dropped — ${n(o.exchanges.rows_read)} rows (${o.exchanges.rows_read === exRows ? 'same count ✓' : 'DIFFERENT ✗'}), ${n(Number(oldBytes) / 1e6)} MB; other files hard-linked`,
  `- peer: bench/behaviour_sync_peer.py, DuckDB ${duckdbVersion}, threads 2, memory_limit ${peerMemory}: DISTINCT (account, template, 2-minute window) cells; ` +
    `windows with 2..${peerCap} accounts (a window of n accounts costs n(n−1)/2 pairs: SynchroTrap-style matching bounds per-window pair work, ` +
    `so bigger windows are skipped, not paired); pairs sharing a (template, window) on ≥ ${peer ? peer.min_days : 3} distinct days`,
  '',
  `| | sweep with behaviour | sweep without behaviour | behaviour adds | peer: DuckDB pair count |`,
  `|---|---|---|---|---|`,
  `| wall | ${s(w.wall)} | ${s(o.wall)} | ${signed(w.wall - o.wall, s)} | ${s(peerTime.wall)}${peerOk ? '' : ' (failed)'} |`,
  `| CPU (user + sys) | ${s(w.cpu)} | ${s(o.cpu)} | ${signed(w.cpu - o.cpu, s)} | ${s(peerTime.cpu)} |`,
  `| peak RSS | ${gb(w.rssGb)} | ${gb(o.rssGb)} | ${signed(w.rssGb - o.rssGb, gb)} | ${gb(peerTime.rssGb)} |`,
  `| input rows / wall s (all five files) | ${n(w.inputRows / w.wall)} | ${n(o.inputRows / o.wall)} | | |`,
  `| input rows / CPU s | ${n(w.inputRows / w.cpu)} | ${n(o.inputRows / o.cpu)} | | |`,
  `| exchange rows / wall s | ${n(exRows / w.wall)} | ${n(o.exchanges.rows_read / o.wall)} | | ${peerCell(() => n(exRows / peerTime.wall))} |`,
  ...stageNames.map((k) => `| stage ${k} (report.json) | ${s(w.report.sweep.stages[k])} | ${s(o.report.sweep.stages[k])} | ${signed(w.report.sweep.stages[k] - o.report.sweep.stages[k], s)} | |`),
  `| exchange rows by resolution | ${res(w)} | ${res(o)} | | |`,
  `| activity cells | ${n(w.summary.exchanges.activity_cells)} | ${n(o.summary.exchanges.activity_cells)} | | ${peer && peer.cells !== undefined ? `${n(peer.cells)} (2-minute cells)` : '—'} |`,
  `| synchrony windows / spikes | ${n(sync(w).windows)} / ${n(sync(w).spikes)} | ${n(sync(o).windows)} / ${n(sync(o).spikes)} | | ${peer && peer.windows_kept !== undefined ? `${n(peer.windows_kept + peer.windows_over_cap)} windows of ≥ 2 accounts: ${n(peer.windows_kept)} kept, ${n(peer.windows_over_cap)} over the cap (${n(peer.cells_in_windows_over_cap)} cells)` : '—'} |`,
  `| account pairs formed | none (synchrony is counting sorts over cells) | | | ${peer && peer.pair_windows !== undefined ? `${n(peer.pair_windows)} pair-windows (${n(peer.pair_windows_over_cap_skipped)} more over the cap, skipped)` : '—'} |`,
  `| synchrony groups / accounts in step | ${n(sync(w).groups)} / ${n(sync(w).accounts_in_step)} | ${n(sync(o).groups)} / ${n(sync(o).accounts_in_step)} | | ${peerCell(() => `${n(peer.pairs)} pairs on ≥ ${peer.min_days} days / ${n(peer.accounts)} accounts`)} |`,
  `| clusters (high risk) | ${n(w.report.totals.clusters)} (${high(w.report)}) | ${n(o.report.totals.clusters)} (${high(o.report)}) | ${signed(w.report.totals.clusters - o.report.totals.clusters, n)} | |`,
  `| clustered accounts | ${n(w.report.totals.clustered_accounts)} | ${n(o.report.totals.clustered_accounts)} | ${signed(w.report.totals.clustered_accounts - o.report.totals.clustered_accounts, n)} | |`,
  '',
  `behaviour adds ${(w.wall - o.wall).toFixed(1)} s wall and ${(w.rssGb - o.rssGb).toFixed(2)} GB peak RSS` +
    (exRows >= 50e6
      ? ` — target (≤ 120 s, ≤ 4 GB peak): ${w.wall - o.wall <= 120 ? 'time ✓' : 'time ✗'}, ${w.rssGb <= 4 ? 'peak ✓' : 'peak ✗'}`
      : ` (the target — ≤ 120 s, ≤ 4 GB — is for a world of ≥ 50M exchange rows; this one has ${n(exRows)})`),
];
if (peerOk) lines.push(`peer steps (s): ${Object.entries(peer.steps).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
else lines.push(peerFailure);
if (checks.length) lines.push('', ...checks.map((c) => `CHECK FAILED: ${c}`));
process.stdout.write(`${lines.join('\n')}\n`);
if (checks.length) process.exitCode = 1;
JS

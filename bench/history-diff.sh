#!/usr/bin/env bash
# `swarmscope diff` between two saved sweeps shaped like the 1M-account world's (300,000 clustered accounts,
# a 25,000-account swarm growing 20%), against the same lineage rule in plain Python from the same run.
# Prints wall seconds and peak RSS of both, and their ratio. Run `npx tsc -p tsconfig.json` first.
# Usage: bench/history-diff.sh [clustered-accounts=300000] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTERED=${1:-300000}
RUNS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
node bench/history-make-sweeps.js "$WORK" "$CLUSTERED"

measure() { # label, command… → prints "seconds rss_kb"
  local log="$WORK/time.log"
  /usr/bin/time -v "${@}" >"$WORK/out.txt" 2>"$log"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  echo "$wall $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours=(); peer=(); ours_rss=0; peer_rss=0
for _ in $(seq "$RUNS"); do
  read -r s r < <(measure node dist/cli/main.js diff "$WORK/A" "$WORK/B" --json); ours+=("$s"); ours_rss=$((r > ours_rss ? r : ours_rss))
  node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const c=d.counts;console.log(`swarmscope: new ${c.new} continued ${d.events.length-c.new-c.dormant} dormant ${c.dormant}; swarm: ${d.events[0].cluster_id} ${d.events[0].event} ${d.events[0].accounts_before} -> ${d.events[0].accounts_after}`)' "$WORK/out.txt"
  read -r s r < <(measure /usr/bin/python3 bench/history_peer.py "$WORK/A" "$WORK/B"); peer+=("$s"); peer_rss=$((r > peer_rss ? r : peer_rss))
  echo "python peer: $(cat "$WORK/out.txt")"
done
o=$(printf '%s\n' "${ours[@]}" | median); p=$(printf '%s\n' "${peer[@]}" | median)
echo "diff of $CLUSTERED clustered accounts, median of $RUNS runs:"
printf '  swarmscope diff --json   %6.2f s   peak RSS %5d MB\n' "$o" $((ours_rss / 1024))
printf '  python peer (csv+sets)   %6.2f s   peak RSS %5d MB\n' "$p" $((peer_rss / 1024))
awk -v o="$o" -v p="$p" 'BEGIN { printf "  ratio swarmscope/peer    %6.2f\n", o / p }'
echo "  load: $(uptime | sed 's/.*load average: //')"

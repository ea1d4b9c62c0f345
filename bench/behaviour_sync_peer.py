#!/usr/bin/env python3
"""Peer for bench/behaviour-sweep.sh: a SynchroTrap-style pair count in DuckDB SQL on a minute-level exchanges.csv.

SynchroTrap (Cao et al., CCS 2014) compares accounts pairwise: two accounts that act on the same object in the
same short time window, on many distinct days, are a suspicious pair. Here the object is the request template:

  cells   = DISTINCT (account, template, 2-minute window), the window numbered from 1970-01-01 UTC, so its day is
            window // 720; rows without a template or without a time of day (a date alone) take no part
  windows = (template, window) with between 2 and CAP accounts; a window of n accounts costs n(n-1)/2 pairs, so
            per-window pair work is bounded as SynchroTrap-style pair matching must be: bigger windows (a public
            SDK's busy minute, a big swarm firing at once) are skipped and counted, not paired
  pairs   = accounts a < b sharing a kept (template, window) on >= MIN_DAYS distinct UTC days

It prints the number of such pairs and of distinct accounts in them, with the pair work (pair-windows) before
the day filter. It does not cluster, score, judge how common a template is, or model a baseline: it is the
pair count, the expensive core of pairwise synchrony, and nothing else.

Reads the generated file's timestamp shape (YYYY-MM-DDTHH:MM...Z, UTC): day and minute are cut from the text.
Account ids and templates are replaced by their 64-bit DuckDB hash() to keep the tables narrow (a collision
among 1M accounts has probability about 3e-8).

DuckDB runs with `threads` and `memory_limit` set, and may spill to TEMP_DIR up to MAX_TEMP; if the pair table
does not fit, DuckDB raises an error: the peer prints "peer: failed (reason)" and exits 3.

usage: behaviour_sync_peer.py EXCHANGES.csv [--cap 200] [--min-days 3] [--threads 2] [--memory-limit 8GB]
                              [--temp-dir DIR] [--max-temp 10GB] [--json OUT.json]
"""
import argparse
import json
import sys
import time

import duckdb

parser = argparse.ArgumentParser()
parser.add_argument('exchanges')
parser.add_argument('--cap', type=int, default=200)
parser.add_argument('--min-days', type=int, default=3)
parser.add_argument('--threads', type=int, default=2)
parser.add_argument('--memory-limit', default='8GB')
parser.add_argument('--temp-dir', default=None, help='where DuckDB may spill; without it, spilling is off')
parser.add_argument('--max-temp', default='10GB')
parser.add_argument('--json', default=None, help='also write the figures here as JSON')
args = parser.parse_args()

result = {
    'cap': args.cap, 'min_days': args.min_days, 'threads': args.threads, 'memory_limit': args.memory_limit,
    'duckdb': duckdb.__version__,
}
steps = {}


def done(status):
    result['status'] = status
    result['steps'] = steps
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump(result, handle)


def timed(name, sql):
    started = time.monotonic()
    rows = con.execute(sql).fetchall()
    steps[name] = round(time.monotonic() - started, 2)
    return rows


try:
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute("SET enable_progress_bar = false")
    con.execute("SET preserve_insertion_order = false")
    if args.temp_dir:
        con.execute(f"SET temp_directory = '{args.temp_dir}'")
        con.execute(f"SET max_temp_directory_size = '{args.max_temp}'")
    else:
        con.execute("SET temp_directory = ''")
    path = args.exchanges.replace("'", "''")

    timed('cells', f"""
        CREATE TEMP TABLE cells AS
        SELECT DISTINCT hash(account_id) AS a, hash(template) AS t,
               (CAST(substr(timestamp, 1, 10) AS DATE) - DATE '1970-01-01') * 720
               + (CAST(substr(timestamp, 12, 2) AS INTEGER) * 60 + CAST(substr(timestamp, 15, 2) AS INTEGER)) // 2 AS w
        FROM read_csv('{path}', header = true, all_varchar = true)
        WHERE template IS NOT NULL AND template <> '' AND length(timestamp) >= 16""")
    result['cells'] = con.execute("SELECT count(*) FROM cells").fetchone()[0]

    timed('windows', f"""
        CREATE TEMP TABLE windows AS
        SELECT t, w, count(*) AS n FROM cells GROUP BY t, w HAVING count(*) >= 2""")
    kept, kept_cells, pair_windows, over, over_cells, over_pairs = con.execute(f"""
        SELECT count(*) FILTER (n <= {args.cap}), coalesce(sum(n) FILTER (n <= {args.cap}), 0),
               coalesce(sum(n * (n - 1) // 2) FILTER (n <= {args.cap}), 0),
               count(*) FILTER (n > {args.cap}), coalesce(sum(n) FILTER (n > {args.cap}), 0),
               coalesce(sum(n * (n - 1) // 2) FILTER (n > {args.cap}), 0)
        FROM windows""").fetchone()
    result.update({
        'windows_kept': kept, 'cells_in_kept_windows': int(kept_cells), 'pair_windows': int(pair_windows),
        'windows_over_cap': over, 'cells_in_windows_over_cap': int(over_cells),
        'pair_windows_over_cap_skipped': int(over_pairs),
    })
    print(f"peer: {result['cells']:,} cells; {kept:,} windows of 2..{args.cap} accounts -> {int(pair_windows):,} "
          f"pair-windows to count; {over:,} windows over the cap ({int(over_cells):,} cells, "
          f"{int(over_pairs):,} pairs) skipped", flush=True)

    timed('kept', f"""
        CREATE TEMP TABLE kept AS
        SELECT c.a, c.t, c.w FROM cells c JOIN windows k ON c.t = k.t AND c.w = k.w WHERE k.n <= {args.cap}""")
    con.execute("DROP TABLE cells")
    timed('pairs', f"""
        CREATE TEMP TABLE pairs AS
        SELECT x.a AS a1, y.a AS a2, count(DISTINCT x.w // 720) AS days
        FROM kept x JOIN kept y ON x.t = y.t AND x.w = y.w AND x.a < y.a
        GROUP BY x.a, y.a
        HAVING count(DISTINCT x.w // 720) >= {args.min_days}""")
    pairs, accounts = timed('count', """
        SELECT (SELECT count(*) FROM pairs),
               (SELECT count(*) FROM (SELECT a1 FROM pairs UNION SELECT a2 FROM pairs))""")[0]
    result.update({'pairs': pairs, 'accounts': accounts})
    print(f"peer: {pairs:,} pairs sharing a (template, 2-minute window) on >= {args.min_days} days; "
          f"{accounts:,} accounts in them")
    done('ok')
except (duckdb.Error, MemoryError) as error:
    reason = ' '.join(str(error).split())[:300]
    result['reason'] = reason
    print(f"peer: failed ({type(error).__name__}: {reason})")
    done('failed')
    sys.exit(3)

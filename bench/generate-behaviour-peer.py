#!/usr/bin/env python3
"""Peer for bench/generate-behaviour.sh: the naive way to write a minute-level exchanges.csv of the same size.

Writes exchanges.csv with Python's csv module and the random module: exactly the row count the generator
reported (read from its JSON summary), in the behaviour format (minute timestamps, a 16-hex template, a
client), cells of the same shapes but no model (no sittings, time zones, dispatchers or truth). The other four
files are left to bench/generate-peer.py; exchanges.csv is nearly all of a behaviour world's rows and bytes.

usage: generate-behaviour-peer.py SUMMARY.json OUT_DIR
"""
import csv, json, os, random, sys

summary = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
rows = summary['files']['exchanges.csv']['rows']
accounts = summary['accounts']
rnd = random.Random(1)
ids = ['acct_%08x' % rnd.getrandbits(32) for _ in range(accounts)]
clients = ['python-sdk/1.42.0', 'typescript-sdk/4.9.0', 'web-console/2026.09', 'agent-framework/0.14.0']
capabilities = ['software_engineering', 'agentic_reasoning', 'chat', 'writing']

with open(os.path.join(out, 'exchanges.csv'), 'w', newline='') as handle:
    writer = csv.writer(handle, lineterminator='\n')
    writer.writerow(['account_id', 'timestamp', 'capability', 'count', 'input_tokens', 'output_tokens', 'template', 'client'])
    for _ in range(rows):
        writer.writerow([
            ids[rnd.randrange(accounts)],
            '2026-%02d-%02dT%02d:%02d:00Z' % (rnd.randint(9, 10), rnd.randint(1, 28), rnd.randint(0, 23), rnd.randint(0, 59)),
            capabilities[rnd.randrange(4)], 1, rnd.randint(100, 9000), rnd.randint(100, 3000),
            '%016x' % rnd.getrandbits(64), clients[rnd.randrange(4)],
        ])

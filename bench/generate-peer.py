#!/usr/bin/env python3
"""Peer for bench/generate.sh: the naive way to make a synthetic world of the same size.

Writes the five contract files with Python's csv module and the random module, with exactly the row
counts `swarmscope generate` reported (read from its --json summary), cells of the same shapes (ids, ISO
timestamps, hex tokens, IPs) but no model at all: no households, hubs, swarms or truth. It is the floor
a data scientist's quick script would reach, not a competitor that does the same work.

usage: generate-peer.py SUMMARY.json OUT_DIR
"""
import csv, json, os, random, sys

summary = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
rows = {name: stats['rows'] for name, stats in summary['files'].items()}
accounts = rows['accounts.csv']
rnd = random.Random(1)
ids = ['acct_%08x' % rnd.getrandbits(32) for _ in range(accounts)]

def ts():
    return '2026-%02d-%02dT%02d:%02d:%02dZ' % (rnd.randint(8, 10), rnd.randint(1, 28), rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59))

def write(name, header, make):
    with open(os.path.join(out, name), 'w', newline='') as handle:
        writer = csv.writer(handle, lineterminator='\n')
        writer.writerow(header)
        for i in range(rows[name]):
            writer.writerow(make(i))

write('accounts.csv', ['account_id', 'created_at', 'email_domain', 'country', 'status'],
      lambda i: [ids[i], ts(), 'gmail.com', 'US', 'active'])
write('payment_instruments.csv', ['account_id', 'instrument_id', 'kind', 'first_seen', 'last_seen'],
      lambda i: [ids[rnd.randrange(accounts)], '%016x' % rnd.getrandbits(64), 'card', ts(), ts()])
write('ip_addresses.csv', ['account_id', 'ip', 'first_seen', 'last_seen', 'requests', 'asn', 'is_proxy'],
      lambda i: [ids[rnd.randrange(accounts)], '%d.%d.%d.%d' % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(0, 255)), ts(), ts(), rnd.randint(1, 500), 'AS7922', 'false'])
write('fingerprints.csv', ['account_id', 'fingerprint', 'kind', 'first_seen', 'last_seen'],
      lambda i: [ids[rnd.randrange(accounts)], '%032x' % rnd.getrandbits(128), 'tls', ts(), ts()])
write('exchanges.csv', ['account_id', 'timestamp', 'capability', 'count', 'input_tokens', 'output_tokens'],
      lambda i: [ids[rnd.randrange(accounts)], '2026-09-%02d' % rnd.randint(1, 28), 'software_engineering', rnd.randint(1, 30), rnd.randint(100, 90000), rnd.randint(100, 30000)])

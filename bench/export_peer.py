#!/usr/bin/python3
"""Peer for bench/export.js: Python's standard csv.writer writing the same rows as a swarmscope neo4j-admin bundle.

Reads every CSV of BUNDLE into memory first (untimed), then times writing them all to OUT with csv.writer
(QUOTE_MINIMAL, the same RFC 4180 rules), and prints the write seconds. Usage: export_peer.py BUNDLE OUT
"""
import csv
import os
import sys
import time

bundle, out = sys.argv[1], sys.argv[2]
tables = []
for folder in ("nodes", "relationships"):
    for name in sorted(os.listdir(os.path.join(bundle, folder))):
        with open(os.path.join(bundle, folder, name), newline="", encoding="utf-8") as f:
            tables.append((folder, name, list(csv.reader(f))))
started = time.perf_counter()
for folder, name, rows in tables:
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    with open(os.path.join(out, folder, name), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
print(f"{time.perf_counter() - started:.3f}")

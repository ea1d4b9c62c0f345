#!/usr/bin/python3
"""Peer for bench/history-diff.sh: the same lineage rule in plain Python (csv + dicts + sets).

For every pair of clusters sharing accounts: link when shared >= 2 and shared / min(|P|, |C|) >= 0.5; greedy
one-to-one id hand-down by (shared desc, Jaccard desc); counts of new / continued / dormant. Prints the counts
so the run can be checked against swarmscope's."""
import csv
import sys
from collections import Counter, defaultdict


def members(path):
    clusters = defaultdict(set)
    with open(path, newline='') as handle:
        for row in csv.DictReader(handle):
            clusters[row['cluster_id']].add(row['account_id'])
    return clusters


before = members(sys.argv[1] + '/members.csv')
after = members(sys.argv[2] + '/members.csv')
cluster_of = {}
for cid, accounts in before.items():
    for account in accounts:
        cluster_of[account] = cid
links = []
for cid, accounts in after.items():
    shared = Counter(cluster_of[a] for a in accounts if a in cluster_of)
    for pid, count in shared.items():
        p, c = len(before[pid]), len(accounts)
        if count >= 2 and count / min(p, c) >= 0.5:
            links.append((-count, -count / (p + c - count), pid, cid))
links.sort()
heir, parent = {}, {}
for _, _, pid, cid in links:
    if pid not in heir and cid not in parent:
        heir[pid] = cid
        parent[cid] = pid
linked_previous = {pid for _, _, pid, _ in links}
linked_current = {cid for _, _, _, cid in links}
print(f"new {sum(1 for c in after if c not in linked_current)} continued {len(parent)} dormant {sum(1 for p in before if p not in linked_previous)}")

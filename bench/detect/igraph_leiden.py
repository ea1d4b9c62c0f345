#!/usr/bin/python3
"""Peer for bench/detect.js: igraph's community_leiden(objective_function="modularity") on an edge list
(source,target,weight with a header); default n_iterations (2), as a user would call it. Prints one JSON line."""
import json
import sys
import time

import igraph as ig

path = sys.argv[1]
started = time.perf_counter()
names = {}
edges = []
weights = []
with open(path) as handle:
    next(handle)
    for line in handle:
        source, target, weight = line.rstrip('\n').split(',')
        s = names.setdefault(source, len(names))
        t = names.setdefault(target, len(names))
        edges.append((s, t))
        weights.append(float(weight))
graph = ig.Graph(n=len(names), edges=edges, directed=False)
graph.es['weight'] = weights
del edges
built = time.perf_counter()
cpu_started = time.process_time()
partition = graph.community_leiden(objective_function='modularity', weights='weight')
done = time.perf_counter()
cpu = time.process_time() - cpu_started
print(json.dumps({
    'tool': 'igraph community_leiden (modularity) ' + ig.__version__,
    'nodes': graph.vcount(), 'edges': graph.ecount(),
    'modularity': graph.modularity(partition.membership, weights='weight'),
    'communities': len(partition),
    'buildSeconds': built - started, 'seconds': done - built, 'cpuSeconds': cpu,
}))

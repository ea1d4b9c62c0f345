/** Checks on a Partition that several detection test files share. */
import type { Partition } from '../../src/core/partition';
import { IDENTIFIER_KINDS, type World } from '../../src/core/world';
import { buildAccountGraph } from '../../src/graph/account-graph';

export function memberSets(world: World, partition: Partition): Set<string>[] {
  return partition.clusters.map((c) => new Set(Array.from(c.accounts, (a) => world.accounts.ids[a])));
}

/**
 * Every cluster is connected through identifiers that two or more of its members share (checked from the World's
 * links, less those the graph lets go of — an exit's users from before a co-arrival wave, src/graph/arrival.ts —
 * which are not evidence and which a cluster's identifier counts leave out).
 */
export function assertConnectedThroughSharedIdentifiers(world: World, partition: Partition): void {
  const { leftOut } = buildAccountGraph(world);
  const byIdentifier = new Map<string, number[]>();
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    const mask = leftOut?.[kind] ?? null;
    for (let l = 0; l < links.size; l++) {
      if (mask !== null && mask[l] === 1) continue;
      const key = `${kind}:${links.identifier[l]}`;
      if (!byIdentifier.has(key)) byIdentifier.set(key, []);
      (byIdentifier.get(key) as number[]).push(links.account[l]);
    }
  }
  partition.clusters.forEach((cluster, index) => {
    const parent = new Map<number, number>(Array.from(cluster.accounts, (a) => [a, a]));
    const find = (a: number): number => {
      while (parent.get(a) !== a) a = parent.get(a) as number;
      return a;
    };
    for (const shared of cluster.identifiers) {
      const members = (byIdentifier.get(`${shared.kind}:${shared.identifier}`) ?? []).filter((a) => partition.accountCluster[a] === index);
      expect(members.length).toBe(shared.members);
      for (const a of members.slice(1)) parent.set(find(a), find(members[0]));
    }
    const roots = new Set(Array.from(cluster.accounts, find));
    expect(roots.size).toBe(1);
  });
}

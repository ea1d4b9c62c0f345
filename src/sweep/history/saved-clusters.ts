/** A saved sweep's clusters as lineage sees them: ids, members (from members.csv), risk and tier. */
import type { SavedSweep } from '../load';
import type { LineageCluster } from './lineage';
import { readSavedMemberships } from './members-file';

export interface SavedClusters {
  clusters: LineageCluster[];
  membersById: Map<string, string[]>;
}

export function savedClusters(saved: SavedSweep): SavedClusters {
  const membersById = new Map<string, string[]>();
  for (const cluster of saved.report.clusters) membersById.set(cluster.cluster_id, []);
  const { accounts, clusterIds } = readSavedMemberships(saved);
  for (let row = 0; row < accounts.length; row++) {
    let members = membersById.get(clusterIds[row]);
    if (!members) {
      // members.csv names a cluster report.json does not list: keep it, lineage should still see those accounts.
      members = [];
      membersById.set(clusterIds[row], members);
    }
    members.push(accounts[row]);
  }
  const figures = new Map(saved.report.clusters.map((cluster) => [cluster.cluster_id, cluster]));
  const clusters: LineageCluster[] = [];
  for (const [clusterId, accounts] of membersById) {
    const profile = figures.get(clusterId);
    clusters.push({ cluster_id: clusterId, accounts, risk: profile?.risk ?? null, tier: profile?.tier ?? null });
  }
  return { clusters, membersById };
}

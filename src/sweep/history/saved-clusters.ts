/** A saved sweep's clusters as lineage sees them: ids, members (from members.csv), risk and tier. */
import type { SavedSweep } from '../load';
import type { LineageCluster } from './lineage';

export interface SavedClusters {
  clusters: LineageCluster[];
  membersById: Map<string, string[]>;
}

export function savedClusters(saved: SavedSweep): SavedClusters {
  const membersById = new Map<string, string[]>();
  for (const cluster of saved.report.clusters) membersById.set(cluster.cluster_id, []);
  for (const row of saved.members()) {
    let members = membersById.get(row.cluster_id);
    if (!members) {
      // members.csv names a cluster report.json does not list: keep it, lineage should still see those accounts.
      members = [];
      membersById.set(row.cluster_id, members);
    }
    members.push(row.account_id);
  }
  const figures = new Map(saved.report.clusters.map((cluster) => [cluster.cluster_id, cluster]));
  const clusters: LineageCluster[] = [];
  for (const [clusterId, accounts] of membersById) {
    const profile = figures.get(clusterId);
    clusters.push({ cluster_id: clusterId, accounts, risk: profile?.risk ?? null, tier: profile?.tier ?? null });
  }
  return { clusters, membersById };
}

import { detectClusters } from '../../src/detect/detect-clusters';
import { jaccard, syntheticWorld } from './synthetic-world';

describe('detectClusters on a synthetic world with a swarm and its traps', () => {
  const fixture = syntheticWorld({ swarm: 1500, legit: 3000, seed: 7 });
  const partition = detectClusters(fixture.world);
  const ids = fixture.world.accounts.ids;
  const clusterSets = partition.clusters.map((c) => new Set(Array.from(c.accounts, (a) => ids[a])));

  it('reports the swarm whole, as one cluster', () => {
    const best = Math.max(...clusterSets.map((s) => jaccard(s, fixture.swarm)));
    expect(best).toBeGreaterThanOrEqual(0.95);
  });
});

/**
 * Modularity of a partition, computed independently of the optimisers (the invariant tests compare the value
 * Leiden reports with this one).
 *
 *   Q = 1/(2m) · Σ_ij [ A_ij − γ · k_i k_j / (2m) ] · δ(c_i, c_j)
 *     = Σ_c [ 2·in_c / (2m) − γ · (K_c / 2m)² ]
 *
 * A_ij the edge weight (A_ii = 2 × loop weight), k_i the strength, m the total edge weight, γ the resolution,
 * in_c the weight of edges inside community c, K_c the summed strength of c.
 * Newman & Girvan 2004, doi:10.1103/PhysRevE.69.026113; resolution γ: Reichardt & Bornholdt 2006,
 * doi:10.1103/PhysRevE.74.016110.
 */
import type { CsrGraph } from '../graph/csr';

export function modularity(graph: CsrGraph, membership: Int32Array, resolution = 1): number {
  const { nodeCount, offsets, targets, weights, loops, strength, totalWeight } = graph;
  if (totalWeight === 0) return 0;
  const twoM = 2 * totalWeight;
  let communityCount = 0;
  for (let v = 0; v < nodeCount; v++) if (membership[v] + 1 > communityCount) communityCount = membership[v] + 1;
  const communityStrength = new Float64Array(communityCount);
  let inside = 0;
  for (let v = 0; v < nodeCount; v++) {
    const c = membership[v];
    communityStrength[c] += strength[v];
    inside += 2 * loops[v];
    for (let e = offsets[v]; e < offsets[v + 1]; e++) if (membership[targets[e]] === c) inside += weights[e];
  }
  let expected = 0;
  for (let c = 0; c < communityCount; c++) expected += communityStrength[c] * communityStrength[c];
  return inside / twoM - (resolution * expected) / (twoM * twoM);
}

/**
 * The seeded generator and the two visit orders Leiden draws from it.
 */
import { blockPermutation, randomPermutation, seededRandom } from '../../src/detect/random';

describe('visit orders', () => {
  it('a block permutation holds every node once, keeps each block together, and differs by seed', () => {
    const n = 1000;
    const order = blockPermutation(n, 64, seededRandom(7));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    // Runs of one block: 16 blocks (the last one short), each contiguous in the order.
    const blockAt = [...order].map((v) => Math.floor(v / 64));
    let runs = 1;
    for (let i = 1; i < n; i++) if (blockAt[i] !== blockAt[i - 1]) runs++;
    expect(runs).toBe(16);
    expect(blockAt.slice(0, 64).every((b) => b === blockAt[0])).toBe(true);
    expect(blockPermutation(n, 64, seededRandom(7))).toEqual(order);
    expect(blockPermutation(n, 64, seededRandom(8))).not.toEqual(order);
  });

  it('is the uniformly random permutation when the graph fits in one block', () => {
    for (const n of [1, 2, 34, 64]) {
      expect(blockPermutation(n, 64, seededRandom(3))).toEqual(randomPermutation(n, seededRandom(3)));
    }
  });
});

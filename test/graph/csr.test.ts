import { csrFromEdges } from '../../src/graph/csr';

describe('CSR graph', () => {
  const graph = csrFromEdges(4, {
    sources: Int32Array.from([0, 1, 1, 2, 3]),
    targets: Int32Array.from([1, 0, 2, 2, 0]),
    weights: Float64Array.from([1, 2, 0.5, 4, 1]),
    size: 5,
  });

  it('sums parallel edges given in either direction (how GDS counts parallel relationships)', () => {
    const neighbours = (v: number) =>
      Array.from(graph.targets.subarray(graph.offsets[v], graph.offsets[v + 1])).map((u, i) => [u, graph.weights[graph.offsets[v] + i]]);
    expect(neighbours(0)).toEqual([[1, 3], [3, 1]]);
    expect(neighbours(1)).toEqual([[0, 3], [2, 0.5]]);
    expect(graph.targets.length).toBe(6);
  });

  it('keeps self-loops apart, counts them twice in strength and once in the total weight', () => {
    expect(Array.from(graph.loops)).toEqual([0, 0, 4, 0]);
    expect(Array.from(graph.strength)).toEqual([4, 3.5, 8.5, 1]);
    expect(graph.totalWeight).toBe(8.5);
    expect(graph.strength.reduce((a, b) => a + b, 0)).toBe(2 * graph.totalWeight);
  });

  it('rejects negative weights and out-of-range nodes', () => {
    const one = (s: number, t: number, w: number) =>
      csrFromEdges(2, { sources: Int32Array.of(s), targets: Int32Array.of(t), weights: Float64Array.of(w), size: 1 });
    expect(() => one(0, 1, -1)).toThrow('edge 0 has weight -1');
    expect(() => one(0, 5, 1)).toThrow('edge 0 joins node 0 and 5, outside 0..1');
  });
});

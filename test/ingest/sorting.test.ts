import { arrange, orderByTwoKeys } from '../../src/ingest/sorting';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Distinct (major, minor) pairs, in an order shaped by `layout`. */
function rows(n: number, layout: 'sorted' | 'runs' | 'shuffled' | 'long-run', seed: number) {
  const next = random(seed);
  const pairs: Array<[number, number]> = [];
  for (let major = 0; pairs.length < n; major++) {
    const run = layout === 'long-run' && major === 3 ? 200 : 1 + Math.floor(next() * 5);
    for (let minor = 0; minor < run && pairs.length < n; minor++) pairs.push([major, minor * 3 + (major % 2)]);
  }
  if (layout === 'runs' || layout === 'long-run') {
    // Shuffle minor keys within each major run only.
    for (let i = 0; i < pairs.length; ) {
      let j = i;
      while (j < pairs.length && pairs[j][0] === pairs[i][0]) j++;
      const minors = pairs.slice(i, j).map((p) => p[1]).sort(() => next() - 0.5);
      for (let k = i; k < j; k++) pairs[k][1] = minors[k - i];
      i = j;
    }
  }
  if (layout === 'shuffled') pairs.sort(() => next() - 0.5);
  return { major: Int32Array.from(pairs.map((p) => p[0])), minor: Int32Array.from(pairs.map((p) => p[1])) };
}

describe('orderByTwoKeys', () => {
  it.each(['sorted', 'runs', 'shuffled', 'long-run'] as const)('sorts %s input like a comparison sort', (layout) => {
    const n = 2000;
    const { major, minor } = rows(n, layout, 11);
    const order = orderByTwoKeys(n, major, 2000, minor, 0, 600);
    if (layout === 'sorted') expect(order).toBeNull();
    const sortedMajor = arrange(major, n, order);
    const sortedMinor = arrange(minor, n, order);
    const expected = Array.from({ length: n }, (_, i) => [major[i], minor[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(Array.from(sortedMajor)).toEqual(expected.map((p) => p[0]));
    expect(Array.from(sortedMinor)).toEqual(expected.map((p) => p[1]));
  });
});

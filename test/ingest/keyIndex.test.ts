import { KeyIndex } from '../../src/ingest/keyIndex';

describe('KeyIndex', () => {
  it.each([2, 3] as const)('agrees with a Map on 50,000 keys of width %i while growing from 16 slots', (width) => {
    const index = new KeyIndex(width, 4);
    const reference = new Map<string, number>();
    const mismatches: string[] = [];
    let state = 12345;
    for (let i = 0; i < 200_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const k0 = state % 5000;
      const k1 = (state >>> 8) % 10 - 5; // negative components (days before 1970) too
      const k2 = width === 3 ? (state >>> 16) % 3 : 0;
      const entry = index.lookup(k0, k1, k2);
      const name = `${k0},${k1},${k2}`;
      const known = reference.get(name);
      if (known === undefined) {
        if (!index.added || entry !== reference.size) mismatches.push(`new ${name} → ${entry}`);
        reference.set(name, entry);
      } else if (index.added || entry !== known) {
        mismatches.push(`${name} → ${entry}, expected ${known}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(index.size).toBe(reference.size);
    const first = Array.from(index.column(0));
    const second = Array.from(index.column(1));
    const third = width === 3 ? Array.from(index.column(2)) : null;
    const stored = [...reference].filter(([name, entry]) => `${first[entry]},${second[entry]},${third ? third[entry] : 0}` !== name);
    expect(stored).toEqual([]);
  });

  it('reserve keeps existing entries', () => {
    const index = new KeyIndex(2, 4);
    for (let i = 0; i < 100; i++) index.lookup(i, -i, 0);
    index.reserve(100_000);
    for (let i = 0; i < 100; i++) expect(index.lookup(i, -i, 0)).toBe(i);
    expect(index.added).toBe(false);
  });
});

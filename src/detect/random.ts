/**
 * Seeded pseudo-random numbers for deterministic detection: mulberry32 (Tommy Ettinger's 32-bit generator,
 * public domain). Fast, one 32-bit state, good enough for shuffling visit orders and refinement choices;
 * not for anything cryptographic.
 */
export type RandomSource = () => number;

/** Returns a generator of floats in [0, 1) fully determined by the seed. */
export function seededRandom(seed: number): RandomSource {
  let state = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of values[from..to) in place. */
export function shuffleRange(values: Int32Array, from: number, to: number, random: RandomSource): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + Math.floor(random() * (i - from + 1));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}

/** Fisher–Yates shuffle of 0..n-1 into a new Int32Array. */
export function randomPermutation(n: number, random: RandomSource): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleRange(order, 0, n, random);
  return order;
}

/**
 * A random order of 0..n-1 that keeps locality: the blocks [0, b), [b, 2b), … in random order, the numbers in
 * each block in random order. Every number appears once; for n ≤ b it is a uniformly random permutation.
 */
export function blockPermutation(n: number, block: number, random: RandomSource): Int32Array {
  const blocks = Math.ceil(n / block);
  const blockOrder = randomPermutation(blocks, random);
  const order = new Int32Array(n);
  let at = 0;
  for (let b = 0; b < blocks; b++) {
    const start = blockOrder[b] * block;
    const end = Math.min(n, start + block);
    const from = at;
    for (let v = start; v < end; v++) order[at++] = v;
    shuffleRange(order, from, at, random);
  }
  return order;
}

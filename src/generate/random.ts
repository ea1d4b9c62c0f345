/**
 * Seeded randomness for the generator. Every draw comes from a generator seeded by hashing the world seed
 * with where the draw is used (an account's slot, a household, a group), never from one global stream,
 * so an account's rows depend only on (seed, slot) and week 2 regenerates every continuing account
 * identically.
 *
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state, period 2^32, passes gjrand/PractRand up to
 * a few GB — plenty for the few hundred draws one account makes. Identifiers are made unique by
 * construction with lowbias32 (Chris Wellons, "Prospecting for Hash Functions", 2018), a bijection on
 * 32-bit integers: distinct inputs give distinct, random-looking outputs, so no id can collide.
 */

/** lowbias32: xorshift–multiply–xorshift rounds, each invertible, so the whole map is a bijection on uint32. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of several integers (seed, purpose, index…) into one 32-bit seed. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) h = mix32((h ^ mix32(part >>> 0)) + 0x6d2b79f5);
  return h;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [low, high] inclusive. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space sigma (heavy right tail). */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.gaussian());
  }

  /** Poisson(mean): Knuth's product method for small means, a rounded normal approximation above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gaussian()));
    const limit = Math.exp(-mean);
    let product = this.next();
    let k = 0;
    while (product > limit) {
      k++;
      product *= this.next();
    }
    return k;
  }
}

/** Index drawn from cumulative weights (ascending, last = total). */
export function pickWeighted(rng: Rng, cumulative: Float64Array): number {
  const target = rng.next() * cumulative[cumulative.length - 1];
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

export function cumulativeOf(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = total += weights[i];
  return cumulative;
}

/**
 * A seeded bijection on [0, size): a keyed permutation of 2^bits by invertible rounds, restricted to
 * [0, size) by cycle walking (apply again until the value falls inside). Used to write accounts in an
 * order that says nothing about which group made them, without holding a shuffled array.
 */
export class IndexPermutation {
  private readonly mask: number;
  private readonly keys: number[];

  constructor(readonly size: number, seed: number) {
    let bits = 1;
    while (2 ** bits < size) bits++;
    this.mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
    this.keys = [hash32(seed, 1), hash32(seed, 2), hash32(seed, 3)];
  }

  private round(value: number): number {
    let x = value;
    const shift = Math.max(1, Math.floor(Math.log2(this.mask + 1) / 2));
    for (const key of this.keys) {
      x = (x + key) & this.mask;
      x = Math.imul(x, (key | 1) >>> 0) & this.mask;
      x = (x ^ (x >>> shift)) & this.mask;
    }
    return x >>> 0;
  }

  at(index: number): number {
    let x = this.round(index);
    while (x >= this.size) x = this.round(x);
    return x;
  }
}

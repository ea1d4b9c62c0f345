/**
 * Stable counting sort on small integer keys, used as the passes of an LSD radix sort: sorting by the
 * least significant key first, then by each more significant key, gives the lexicographic order in O(n)
 * per pass (Knuth, TAOCP vol. 3, §5.2.5).
 */

/** Reorders `order` (indexes into the key array) stably by key[order[i]] − minKey, keys in [minKey, minKey + range). */
export function countingSortPass(order: Int32Array, key: ArrayLike<number>, minKey: number, range: number): Int32Array {
  const counts = new Int32Array(range + 1);
  for (let i = 0; i < order.length; i++) counts[key[order[i]] - minKey + 1]++;
  for (let k = 0; k < range; k++) counts[k + 1] += counts[k];
  const sorted = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) sorted[counts[key[order[i]] - minKey]++] = order[i];
  return sorted;
}

export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Returns source[order[i]] for each i, in a new array of the same type. */
export function gather<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(source: T, order: Int32Array): T {
  const target = new (source.constructor as new (n: number) => T)(order.length);
  for (let i = 0; i < order.length; i++) target[i] = source[order[i]];
  return target;
}

/** Runs of equal major key up to this length are put in order by insertion sort; longer ones fall back to radix passes. */
const SHORT_RUN = 64;

/**
 * The order that sorts rows 0..n−1 by (major, minor), or null when they are sorted already. Exports are often
 * ordered by account: then the rows need no sort, or only short runs of one account need their minor keys
 * ordered, and the two O(n + range) counting passes (with their random writes) are skipped.
 */
export function orderByTwoKeys(
  n: number,
  major: Int32Array,
  majorRange: number,
  minor: Int32Array,
  minorMin: number,
  minorRange: number,
): Int32Array | null {
  let majorSorted = true;
  let fullySorted = true;
  let longestRun = 0;
  let runStart = 0;
  for (let i = 1; i < n && majorSorted; i++) {
    if (major[i] !== major[i - 1]) {
      if (major[i] < major[i - 1]) majorSorted = false;
      longestRun = Math.max(longestRun, i - runStart);
      runStart = i;
    } else if (minor[i] < minor[i - 1]) {
      fullySorted = false;
    }
  }
  longestRun = Math.max(longestRun, n - runStart);
  if (majorSorted && fullySorted) return null;
  if (majorSorted && longestRun <= SHORT_RUN) {
    const order = identityOrder(n);
    let start = 0;
    for (let i = 1; i <= n; i++) {
      if (i < n && major[i] === major[start]) continue;
      for (let k = start + 1; k < i; k++) {
        const row = order[k];
        const key = minor[row];
        let j = k - 1;
        while (j >= start && minor[order[j]] > key) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = row;
      }
      start = i;
    }
    return order;
  }
  let order = identityOrder(n);
  order = countingSortPass(order, minor, minorMin, minorRange);
  return countingSortPass(order, major, 0, majorRange);
}

/** The first n elements of source in `order` (or as they are when order is null), in a new array of the same type. */
export function arrange<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(source: T, n: number, order: Int32Array | null): T {
  return order === null ? (source.slice(0, n) as T) : gather(source, order);
}

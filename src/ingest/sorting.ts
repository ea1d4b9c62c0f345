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

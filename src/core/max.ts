/**
 * The largest of `values`, or `floor` when there are none or all are smaller. A loop, never
 * `Math.max(...values)`: spreading an array passes every element as an argument, and a long series (a daily
 * chart over years of a mistyped date) overflows the call stack.
 */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

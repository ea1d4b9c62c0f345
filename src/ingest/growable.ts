/** Typed arrays that grow by doubling: per-account and per-link storage while the size is not yet known. */

type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array | Int8Array;

export class Growable<T extends TypedArray> {
  length = 0;
  constructor(
    public data: T,
    private readonly fill = 0,
  ) {
    if (fill !== 0) data.fill(fill);
  }

  private grow(minimum: number, exact = false): void {
    let capacity = exact ? minimum : Math.max(16, this.data.length * 2);
    while (capacity < minimum) capacity *= 2;
    const grown = new (this.data.constructor as new (n: number) => T)(capacity);
    grown.set(this.data);
    if (this.fill !== 0) grown.fill(this.fill, this.data.length);
    this.data = grown;
  }

  /** Makes room for `capacity` elements in all. */
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.grow(capacity, true);
  }

  push(value: number): number {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length] = value;
    return this.length++;
  }

  /** Lets the storage go (the array is then empty): for tables copied out once and never appended to again. */
  release(): void {
    this.data = new (this.data.constructor as new (n: number) => T)(0);
    this.length = 0;
  }

  /** A copy of exactly `length` elements. */
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export const growF64 = (capacity = 1024) => new Growable(new Float64Array(capacity));
export const growF32 = (capacity = 1024) => new Growable(new Float32Array(capacity));
export const growI32 = (capacity = 1024) => new Growable(new Int32Array(capacity));
export const growU8 = (capacity = 1024) => new Growable(new Uint8Array(capacity));
export const growI8 = (capacity = 1024) => new Growable(new Int8Array(capacity));

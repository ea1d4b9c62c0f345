/**
 * An open-addressing hash index (linear probing, load ≤ 1/2) from fixed-width integer keys — (account,
 * identifier) for links, (account, day, capability) for exchange cells — to dense entry numbers. Keys are
 * stored interleaved (one cache line per key); each slot holds the entry number + 1 (0 = empty) beside
 * the key's 32-bit hash, so a probe reads one cache line and only an equal hash leads to a key comparison.
 * Memory is 4·width bytes per entry plus 8 bytes per slot: it grows with distinct keys, never with rows.
 */

/** Final avalanche of MurmurHash3 (Appleby): cheap, and spreads sequential ids over the table. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class KeyIndex {
  /** Pairs [entry + 1, hash] per slot. */
  private slots: Int32Array;
  private mask: number;
  /** `width` integers per entry, in entry order. */
  keys: Int32Array;
  size = 0;
  /** Whether the last lookup added its key. */
  added = false;

  constructor(
    readonly width: 2 | 3,
    capacity = 1024,
  ) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots * 2);
    this.mask = slots - 1;
    this.keys = new Int32Array(capacity * width);
  }

  /** Makes room for `entries` entries in all without growing step by step. */
  reserve(entries: number): void {
    if (entries * this.width > this.keys.length) {
      const keys = new Int32Array(entries * this.width);
      keys.set(this.keys.subarray(0, this.size * this.width));
      this.keys = keys;
    }
    let slots = this.mask + 1;
    while (slots < entries * 2) slots *= 2;
    if (slots > this.mask + 1) this.resize(slots);
  }

  private resize(slotCount: number): void {
    const old = this.slots;
    const slots = new Int32Array(slotCount * 2);
    const mask = slotCount - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s] === 0) continue;
      let slot = old[s + 1] & mask;
      while (slots[slot << 1] !== 0) slot = (slot + 1) & mask;
      slots[slot << 1] = old[s];
      slots[(slot << 1) + 1] = old[s + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Entry number of the key (k2 ignored for width 2), adding it when absent (then `added` is true). */
  lookup(k0: number, k1: number, k2: number): number {
    const width = this.width;
    const hash = mix(Math.imul(k0, 0x9e3779b1) ^ Math.imul(k1 + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(k2 + 0x27d4eb2f, 0xc2b2ae3d));
    const slots = this.slots;
    const keys = this.keys;
    let slot = hash & this.mask;
    for (;;) {
      const at = slot << 1;
      const stored = slots[at];
      if (stored === 0) break;
      if (slots[at + 1] === hash) {
        const key = (stored - 1) * width;
        if (keys[key] === k0 && keys[key + 1] === k1 && (width === 2 || keys[key + 2] === k2)) {
          this.added = false;
          return stored - 1;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    const entry = this.size++;
    if ((entry + 1) * width > this.keys.length) {
      const grown = new Int32Array(Math.max(this.keys.length * 2, width * 16));
      grown.set(this.keys);
      this.keys = grown;
    }
    const key = entry * width;
    this.keys[key] = k0;
    this.keys[key + 1] = k1;
    if (width === 3) this.keys[key + 2] = k2;
    slots[slot << 1] = entry + 1;
    slots[(slot << 1) + 1] = hash;
    if (this.size * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    this.added = true;
    return entry;
  }

  /** Component `component` of every key, as its own array (entry order). */
  column(component: number): Int32Array {
    const column = new Int32Array(this.size);
    for (let entry = 0, at = component; entry < this.size; entry++, at += this.width) column[entry] = this.keys[at];
    return column;
  }

  /** Frees the slot table once no more keys will be added. */
  freeze(): void {
    this.slots = new Int32Array(2);
    this.mask = 0;
  }
}

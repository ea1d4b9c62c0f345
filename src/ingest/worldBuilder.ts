/**
 * Builds the World in the main thread from parsed batches, in file order: interns strings once into global
 * ids, merges links per (account, identifier) and aggregates exchanges per (account, UTC day, capability)
 * in open-addressing hash tables over typed arrays, so memory grows with distinct cells, never with rows.
 * finish() sorts into the layout World documents (links by account then identifier; exchanges by account,
 * day, capability with a CSR index).
 */
import {
  IDENTIFIER_KINDS,
  type Accounts,
  type Exchanges,
  type IdentifierKind,
  type IdentifierTable,
  type LinkTable,
} from '../core/world';
import { MAX_CAPABILITIES } from '../contract/columns';
import { Growable, growF64, growI32, growU8 } from './growable';
import { arrange, countingSortPass, identityOrder, orderByTwoKeys } from './sorting';
import type { AccountsBatch, ExchangesBatch, LinksBatch } from './types';

/**
 * A copy of `text` that does not keep a larger string alive. A substring of a chunk's text can be a V8
 * "sliced string" pointing into the whole chunk; interning it would retain every chunk it came from.
 */
function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1); // V8 copies substrings shorter than 13 characters
}

class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  /** `detach`: strings come from this thread's chunk text (main-thread parsing), not from a worker message. */
  constructor(private readonly detach: boolean) {}
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      const copy = this.detach ? detached(value) : value;
      this.ids.set(copy, id);
      this.values.push(copy);
    }
    return id;
  }
}

/** Final avalanche of MurmurHash3 (Appleby) over a combined key: cheap and spreads sequential ids. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class AccountsBuilder {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  readonly registered = growU8();
  readonly createdAt = growF64();
  readonly emailDomain = growI32();
  readonly country = growI32();
  readonly status = growU8();
  readonly emailDomains: Interner;
  readonly countries: Interner;

  constructor(readonly detach: boolean) {
    this.emailDomains = new Interner(detach);
    this.countries = new Interner(detach);
  }

  /** Global number of an account seen in links or exchanges; new ones are unregistered. */
  intern(id: string): number {
    let number = this.index.get(id);
    if (number === undefined) number = this.add(id, 0, NaN, -1, -1, 0);
    return number;
  }

  private add(text: string, registered: number, createdAt: number, emailDomain: number, country: number, status: number): number {
    const number = this.ids.length;
    const id = this.detach ? detached(text) : text;
    this.index.set(id, number);
    this.ids.push(id);
    this.registered.push(registered);
    this.createdAt.push(createdAt);
    this.emailDomain.push(emailDomain);
    this.country.push(country);
    this.status.push(status);
    return number;
  }

  /** Adds the batch's accounts; returns the batch rows whose account_id was already registered (duplicates). */
  addBatch(batch: AccountsBatch): number[] {
    const domains = batch.emailDomains.map((domain) => this.emailDomains.id(domain));
    const countries = batch.countries.map((country) => this.countries.id(country));
    const duplicates: number[] = [];
    for (let row = 0; row < batch.ids.length; row++) {
      const id = batch.ids[row];
      if (this.index.has(id)) {
        duplicates.push(row);
        continue;
      }
      const domain = batch.emailDomain[row];
      const country = batch.country[row];
      this.add(id, 1, batch.createdAt[row], domain < 0 ? -1 : domains[domain], country < 0 ? -1 : countries[country], batch.status[row]);
    }
    return duplicates;
  }

  finish(): Accounts {
    return {
      size: this.ids.length,
      ids: this.ids,
      registered: this.registered.done(),
      createdAt: this.createdAt.done(),
      emailDomain: this.emailDomain.done(),
      emailDomains: this.emailDomains.values,
      country: this.country.done(),
      countries: this.countries.values,
      status: this.status.done(),
    };
  }
}

/** Largest hash table reserved ahead from a row estimate (slots); beyond it tables grow as they fill. */
const MAX_RESERVED_SLOTS = 1 << 26;

interface HashTable {
  table: Int32Array;
  rehash(size: number): void;
}

/** Grows a hash table to keep load ≤ 1/2 for `rows` more entries, and the dense arrays to hold them. */
function reserve(target: HashTable, rows: number, columns: Array<Growable<Float64Array | Int32Array | Uint8Array | Int8Array>>): void {
  const entries = columns[0].length + rows;
  let size = target.table.length;
  while (size < entries * 2 && size < MAX_RESERVED_SLOTS) size *= 2;
  if (size > target.table.length) target.rehash(size);
  for (const column of columns) column.reserve(Math.min(entries, MAX_RESERVED_SLOTS >> 1));
}

/** Identifiers of one kind, and the merged account–identifier links of that kind. */
export class LinksBuilder {
  private readonly identifiers: Interner;
  private readonly subkind = growU8();
  private readonly asn = growI32();
  private readonly proxy = new Growable(new Int8Array(1024));
  private readonly asns: Interner;
  // Links: dense arrays indexed by link number, plus an open-addressing table of link numbers.
  private readonly account = growI32();
  private readonly identifier = growI32();
  private readonly firstSeen = growF64();
  private readonly lastSeen = growF64();
  private readonly count = growF64();
  private readonly rows = growI32();
  table = new Int32Array(1 << 12).fill(-1);
  mask = (1 << 12) - 1;

  constructor(
    readonly kind: IdentifierKind,
    private readonly accounts: AccountsBuilder,
  ) {
    this.identifiers = new Interner(accounts.detach);
    this.asns = new Interner(accounts.detach);
  }

  /** Sizes the link table for about `rows` more rows, so it does not grow step by step. */
  expect(rows: number): void {
    reserve(this, rows, [this.account, this.identifier, this.firstSeen, this.lastSeen, this.count, this.rows]);
  }

  private hash(account: number, identifier: number): number {
    return mix(Math.imul(account, 0x9e3779b1) ^ (identifier + 0x7f4a7c15)) & this.mask;
  }

  rehash(size = this.table.length * 2): void {
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    const accounts = this.account.data;
    const identifiers = this.identifier.data;
    for (let link = 0; link < this.account.length; link++) {
      let slot = this.hash(accounts[link], identifiers[link]);
      while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
      this.table[slot] = link;
    }
  }

  addBatch(batch: LinksBatch): void {
    const accountIds = batch.accounts.map((id) => this.accounts.intern(id));
    const identifierIds = new Int32Array(batch.identifiers.length);
    for (let local = 0; local < batch.identifiers.length; local++) {
      const before = this.identifiers.values.length;
      const id = this.identifiers.id(batch.identifiers[local]);
      identifierIds[local] = id;
      if (id === before) {
        this.subkind.push(255);
        this.asn.push(-1);
        this.proxy.push(-1);
      }
    }
    const asnIds = batch.asns.map((asn) => this.asns.id(asn));
    for (let row = 0; row < batch.account.length; row++) {
      const account = accountIds[batch.account[row]];
      const identifier = identifierIds[batch.identifier[row]];
      // Identifier attributes: the first row decides the sub-kind and the ASN; any row flagging a proxy wins.
      if (this.subkind.data[identifier] === 255) this.subkind.data[identifier] = batch.subkind[row];
      if (this.asn.data[identifier] === -1 && batch.asn[row] !== -1) this.asn.data[identifier] = asnIds[batch.asn[row]];
      if (batch.proxy[row] > this.proxy.data[identifier]) this.proxy.data[identifier] = batch.proxy[row];
      this.addLink(account, identifier, batch.firstSeen[row], batch.lastSeen[row], batch.count[row]);
    }
  }

  private addLink(account: number, identifier: number, first: number, last: number, count: number): void {
    let slot = this.hash(account, identifier);
    for (;;) {
      const link = this.table[slot];
      if (link === -1) break;
      if (this.account.data[link] === account && this.identifier.data[link] === identifier) {
        // Merge: counts add, the seen window widens (NaN = unknown never narrows it).
        const firstSeen = this.firstSeen.data[link];
        if (!(first >= firstSeen)) this.firstSeen.data[link] = Number.isNaN(first) ? firstSeen : first;
        const lastSeen = this.lastSeen.data[link];
        if (!(last <= lastSeen)) this.lastSeen.data[link] = Number.isNaN(last) ? lastSeen : last;
        this.count.data[link] += count;
        this.rows.data[link] += 1;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const link = this.account.push(account);
    this.identifier.push(identifier);
    this.firstSeen.push(first);
    this.lastSeen.push(last);
    this.count.push(count);
    this.rows.push(1);
    this.table[slot] = link;
    if (this.account.length * 2 > this.table.length) this.rehash();
  }

  finishIdentifiers(): IdentifierTable {
    const size = this.identifiers.values.length;
    const isIp = this.kind === 'ip';
    return {
      kind: this.kind,
      size,
      ids: this.identifiers.values,
      subkind: this.subkind.done(),
      asn: isIp ? this.asn.done() : new Int32Array(0),
      asns: isIp ? this.asns.values : [],
      proxy: isIp ? this.proxy.done() : new Int8Array(0),
    };
  }

  finishLinks(accountCount: number): LinkTable {
    const size = this.account.length;
    const order = orderByTwoKeys(size, this.account.data, accountCount, this.identifier.data, 0, this.identifiers.values.length);
    this.table = new Int32Array(0);
    return {
      kind: this.kind,
      size,
      account: arrange(this.account.data, size, order),
      identifier: arrange(this.identifier.data, size, order),
      firstSeen: arrange(this.firstSeen.data, size, order),
      lastSeen: arrange(this.lastSeen.data, size, order),
      count: arrange(this.count.data, size, order),
      rows: arrange(this.rows.data, size, order),
    };
  }
}

/** Exchanges aggregated per (account, UTC day, capability) in an open-addressing hash over typed arrays. */
export class ExchangesBuilder {
  private readonly capabilities: Interner;
  private readonly account = growI32();
  private readonly day = growI32();
  private readonly capability = growI32();
  private readonly count = growF64();
  private readonly inputTokens = growF64();
  private readonly outputTokens = growF64();
  table = new Int32Array(1 << 12).fill(-1);
  mask = (1 << 12) - 1;
  rows = 0;

  constructor(private readonly accounts: AccountsBuilder) {
    this.capabilities = new Interner(accounts.detach);
  }

  /** Sizes the cell table for about `rows` more rows, so it does not grow step by step. */
  expect(rows: number): void {
    reserve(this, rows, [this.account, this.day, this.capability, this.count, this.inputTokens, this.outputTokens]);
  }

  private hash(account: number, day: number, capability: number): number {
    return mix(Math.imul(account, 0x9e3779b1) ^ Math.imul(day, 0x85ebca77) ^ (capability + 0x27d4eb2f)) & this.mask;
  }

  rehash(size = this.table.length * 2): void {
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let cell = 0; cell < this.account.length; cell++) {
      let slot = this.hash(this.account.data[cell], this.day.data[cell], this.capability.data[cell]);
      while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
      this.table[slot] = cell;
    }
  }

  /** Adds a batch; returns the batch rows refused because they would exceed MAX_CAPABILITIES. */
  addBatch(batch: ExchangesBatch): number[] {
    const accountIds = batch.accounts.map((id) => this.accounts.intern(id));
    const capabilityIds = batch.capabilities.map((tag) =>
      this.capabilities.ids.has(tag) || this.capabilities.values.length < MAX_CAPABILITIES ? this.capabilities.id(tag) : -1,
    );
    const refused: number[] = [];
    const accounts = batch.account;
    const days = batch.day;
    const capabilities = batch.capability;
    for (let row = 0; row < accounts.length; row++) {
      const capability = capabilityIds[capabilities[row]];
      if (capability < 0) {
        refused.push(row);
        continue;
      }
      this.add(accountIds[accounts[row]], days[row], capability, batch.count[row], batch.inputTokens[row], batch.outputTokens[row]);
    }
    return refused;
  }

  private add(account: number, day: number, capability: number, count: number, input: number, output: number): void {
    this.rows++;
    let slot = this.hash(account, day, capability);
    const table = this.table;
    for (;;) {
      const cell = table[slot];
      if (cell === -1) break;
      if (this.account.data[cell] === account && this.day.data[cell] === day && this.capability.data[cell] === capability) {
        this.count.data[cell] += count;
        this.inputTokens.data[cell] += input;
        this.outputTokens.data[cell] += output;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const cell = this.account.push(account);
    this.day.push(day);
    this.capability.push(capability);
    this.count.push(count);
    this.inputTokens.push(input);
    this.outputTokens.push(output);
    table[slot] = cell;
    if (this.account.length * 2 > table.length) this.rehash();
  }

  finish(accountCount: number): Exchanges {
    const cells = this.account.length;
    // Capabilities are reported in name order, whatever order the rows came in.
    const names = this.capabilities.values;
    const byName = names.map((_name, id) => id).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const rank = new Int32Array(names.length);
    byName.forEach((id, position) => (rank[id] = position));
    const capability = new Uint16Array(cells);
    for (let cell = 0; cell < cells; cell++) capability[cell] = rank[this.capability.data[cell]];
    let minDay = 0;
    let maxDay = -1;
    for (let cell = 0; cell < cells; cell++) {
      const day = this.day.data[cell];
      if (cell === 0 || day < minDay) minDay = day;
      if (cell === 0 || day > maxDay) maxDay = day;
    }
    // One combined (day, capability) key: its range is small (weeks × a few tags) unless dates are far apart.
    const days = maxDay - minDay + 1;
    let order: Int32Array | null;
    if (days * names.length <= 1 << 24) {
      const dayCapability = new Int32Array(cells);
      for (let cell = 0; cell < cells; cell++) dayCapability[cell] = (this.day.data[cell] - minDay) * names.length + capability[cell];
      order = orderByTwoKeys(cells, this.account.data, accountCount, dayCapability, 0, days * names.length);
    } else {
      let byDay = countingSortPass(identityOrder(cells), capability, 0, names.length);
      byDay = countingSortPass(byDay, this.day.data, minDay, days);
      order = countingSortPass(byDay, this.account.data, 0, accountCount);
    }
    this.table = new Int32Array(0);
    const account = arrange(this.account.data, cells, order);
    const accountOffsets = new Int32Array(accountCount + 1);
    for (let cell = 0; cell < cells; cell++) accountOffsets[account[cell] + 1]++;
    for (let a = 0; a < accountCount; a++) accountOffsets[a + 1] += accountOffsets[a];
    const count = arrange(this.count.data, cells, order);
    const inputTokens = arrange(this.inputTokens.data, cells, order);
    const outputTokens = arrange(this.outputTokens.data, cells, order);
    let exchanges = 0;
    let input = 0;
    let output = 0;
    for (let cell = 0; cell < cells; cell++) {
      exchanges += count[cell];
      input += inputTokens[cell];
      output += outputTokens[cell];
    }
    return {
      capabilities: byName.map((id) => names[id]),
      cells,
      account,
      day: arrange(this.day.data, cells, order),
      capability: arrange(capability, cells, order),
      count,
      inputTokens,
      outputTokens,
      accountOffsets,
      totals: { rows: this.rows, exchanges, inputTokens: input, outputTokens: output },
    };
  }
}

export function emptyIdentifierKinds<T>(make: (kind: IdentifierKind) => T): Record<IdentifierKind, T> {
  return Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, make(kind)])) as Record<IdentifierKind, T>;
}

/**
 * Builds the World in the main thread from parsed batches, in file order: interns strings once into global
 * ids, merges links per (account, identifier) and aggregates exchanges per (account, UTC day, capability)
 * in open-addressing hash tables over typed arrays, so memory grows with distinct cells, never with rows.
 * finish() sorts into the layout World documents (links by account then identifier; exchanges by account,
 * day, capability with a CSR index).
 *
 * Exact sums: counts and tokens are integers kept in float64, exact up to 2^53 − 1. Every sum the World holds (a
 * cell, a link, a file's total) is a partial sum of one file's column, so keeping each file's running total of
 * each summed column within Number.MAX_SAFE_INTEGER keeps all of them exact; a row that would pass it is refused
 * (REJECT_REASONS.totalTooLarge) with its line, in file order, like any rejected row.
 */
import {
  IDENTIFIER_KINDS,
  MS_PER_MINUTE,
  TIME_RESOLUTIONS,
  type Accounts,
  type Activity,
  type TimeResolution,
  type Exchanges,
  type IdentifierKind,
  type IdentifierTable,
  type LinkTable,
} from '../core/world';
import { MAX_CAPABILITIES } from '../contract/columns';
import { Growable, growF32, growF64, growI32, growU8 } from './growable';
import { KeyIndex } from './keyIndex';
import { arrange, countingSortPass, identityOrder, orderByTwoKeys } from './sorting';
import { REJECT_REASONS } from '../contract/cells';
import type { AccountsBatch, ExchangesBatch, LinksBatch, RefusedRow } from './types';

/** Whether adding `value` keeps a running total exact (see the header comment). */
function fits(total: number, value: number): boolean {
  return total + value <= Number.MAX_SAFE_INTEGER;
}

function tooLarge(column: number, value: number, total: number): RefusedRow {
  return { row: -1, column, reason: `${REJECT_REASONS.totalTooLarge}: ${value} on top of ${total}` };
}

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

/** Largest number of entries reserved ahead from a row estimate; beyond it tables grow as they fill. */
const MAX_RESERVED_ENTRIES = 1 << 25;

/** Makes room for about `rows` more entries in an index and its value columns. */
function reserve(index: KeyIndex, rows: number, columns: Array<Growable<Float64Array | Int32Array>>): void {
  const entries = Math.min(index.size + rows, MAX_RESERVED_ENTRIES);
  index.reserve(entries);
  for (const column of columns) column.reserve(entries);
}

/** Identifiers of one kind, and the merged account–identifier links of that kind. */
export class LinksBuilder {
  private readonly identifiers: Interner;
  private readonly subkind = growU8();
  private readonly asn = growI32();
  private readonly proxy = new Growable(new Int8Array(1024));
  private readonly asns: Interner;
  // Links: (account, identifier) keys in a hash index; values in dense arrays indexed by link number.
  private readonly index = new KeyIndex(2);
  private readonly firstSeen = growF64();
  private readonly lastSeen = growF64();
  private readonly count = growF64();
  private readonly rows = growI32();
  constructor(
    readonly kind: IdentifierKind,
    private readonly accounts: AccountsBuilder,
  ) {
    this.identifiers = new Interner(accounts.detach);
    this.asns = new Interner(accounts.detach);
  }

  /** Sizes the link table for about `rows` more rows, so it does not grow step by step. */
  expect(rows: number): void {
    reserve(this.index, rows, [this.firstSeen, this.lastSeen, this.count, this.rows]);
  }

  /** The file's running total of the count column (ip_addresses.csv's requests), kept exact. */
  private countTotal = 0;

  /** Adds the batch's links; returns the rows refused because the file's total count would stop being exact. */
  addBatch(batch: LinksBatch, countColumn: number): RefusedRow[] {
    const refused: RefusedRow[] = [];
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
      const rowCount = batch.count[row];
      if (!fits(this.countTotal, rowCount)) {
        refused.push({ ...tooLarge(countColumn, rowCount, this.countTotal), row });
        continue;
      }
      this.countTotal += rowCount;
      const account = accountIds[batch.account[row]];
      const identifier = identifierIds[batch.identifier[row]];
      // Identifier attributes: the first row decides the sub-kind and the ASN; any row flagging a proxy wins.
      if (this.subkind.data[identifier] === 255) this.subkind.data[identifier] = batch.subkind[row];
      if (this.asn.data[identifier] === -1 && batch.asn[row] !== -1) this.asn.data[identifier] = asnIds[batch.asn[row]];
      if (batch.proxy[row] > this.proxy.data[identifier]) this.proxy.data[identifier] = batch.proxy[row];
      this.addLink(account, identifier, batch.firstSeen[row], batch.lastSeen[row], rowCount);
    }
    return refused;
  }

  /**
   * Global numbers for identifiers named in another file's rows (exchanges.csv's template and client cells), and
   * their one sub-kind.
   */
  internDerived(texts: string[]): Int32Array {
    const ids = new Int32Array(texts.length);
    for (let local = 0; local < texts.length; local++) {
      const before = this.identifiers.values.length;
      ids[local] = this.identifiers.id(texts[local]);
      if (ids[local] === before) {
        this.subkind.push(0);
        this.asn.push(-1);
        this.proxy.push(-1);
      }
    }
    return ids;
  }

  addLink(account: number, identifier: number, first: number, last: number, count: number): void {
    const link = this.index.lookup(account, identifier, 0);
    if (this.index.added) {
      this.firstSeen.push(first);
      this.lastSeen.push(last);
      this.count.push(count);
      this.rows.push(1);
      return;
    }
    // Merge: counts add, the seen window widens (NaN = unknown never narrows it).
    const firstSeen = this.firstSeen.data[link];
    if (!(first >= firstSeen)) this.firstSeen.data[link] = Number.isNaN(first) ? firstSeen : first;
    const lastSeen = this.lastSeen.data[link];
    if (!(last <= lastSeen)) this.lastSeen.data[link] = Number.isNaN(last) ? lastSeen : last;
    this.count.data[link] += count;
    this.rows.data[link] += 1;
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
    const size = this.index.size;
    const accounts = this.index.column(0);
    const identifiers = this.index.column(1);
    this.index.freeze();
    const order = orderByTwoKeys(size, accounts, accountCount, identifiers, 0, this.identifiers.values.length);
    return {
      kind: this.kind,
      size,
      account: arrange(accounts, size, order),
      identifier: arrange(identifiers, size, order),
      firstSeen: arrange(this.firstSeen.data, size, order),
      lastSeen: arrange(this.lastSeen.data, size, order),
      count: arrange(this.count.data, size, order),
      rows: arrange(this.rows.data, size, order),
    };
  }
}

/**
 * Exchanges aggregated per (account, UTC day, capability) in an open-addressing hash over typed arrays; rows
 * timed to the minute also go to the activity table, and template and client cells become links of those kinds.
 */
export class ExchangesBuilder {
  private readonly capabilities: Interner;
  // Cells: (account, day, capability) keys in a hash index; sums in dense arrays indexed by cell number.
  private readonly index = new KeyIndex(3);
  private readonly count = growF64();
  private readonly inputTokens = growF64();
  private readonly outputTokens = growF64();
  // Minute-level activity, appended row by row (distinct cells are merged when finish() sorts them).
  private readonly activityAccount = growI32();
  private readonly activityMinute = growI32();
  private readonly activityTemplate = growI32();
  // Float32 like the activity table's count column it is merged into (4 bytes a row less at 54M rows).
  private readonly activityCount = growF32();
  rows = 0;
  // Rows per parsed resolution: a date, a time on the hour, any other time. Whether the on-the-hour rows are hourly
  // buckets or minutes that happen to fall on :00 is known only for the whole file (rowsByResolution()).
  private readonly parsedResolution = new Float64Array(TIME_RESOLUTIONS.length);

  constructor(
    private readonly accounts: AccountsBuilder,
    private readonly templates: LinksBuilder,
    private readonly clients: LinksBuilder,
  ) {
    this.capabilities = new Interner(accounts.detach);
  }

  /** Sizes the cell table for about `rows` more rows, so it does not grow step by step. */
  expect(rows: number): void {
    reserve(this.index, rows, [this.count, this.inputTokens, this.outputTokens]);
  }

  /** Running totals of the count, input_tokens and output_tokens columns, kept exact. */
  private readonly totals = [0, 0, 0];

  /**
   * Adds a batch; returns the rows refused: past MAX_CAPABILITIES, or making a column's total inexact.
   * `columns`: contract column indexes of capability, count, input_tokens, output_tokens.
   */
  addBatch(batch: ExchangesBatch, columns: { capability: number; count: number; inputTokens: number; outputTokens: number }): RefusedRow[] {
    const accountIds = batch.accounts.map((id) => this.accounts.intern(id));
    const capabilityIds = batch.capabilities.map((tag) =>
      this.capabilities.ids.has(tag) || this.capabilities.values.length < MAX_CAPABILITIES ? this.capabilities.id(tag) : -1,
    );
    const templateIds = this.templates.internDerived(batch.templates);
    const clientIds = this.clients.internDerived(batch.clients);
    const refused: RefusedRow[] = [];
    const totals = this.totals;
    const summed = [columns.count, columns.inputTokens, columns.outputTokens];
    const accounts = batch.account;
    const days = batch.day;
    const capabilities = batch.capability;
    const dayResolution = TIME_RESOLUTIONS.indexOf('day');
    for (let row = 0; row < accounts.length; row++) {
      const capability = capabilityIds[capabilities[row]];
      if (capability < 0) {
        refused.push({ row, column: columns.capability, reason: `${REJECT_REASONS.tooManyCapabilities}: "${batch.capabilities[capabilities[row]]}"` });
        continue;
      }
      const count = batch.count[row];
      const input = batch.inputTokens[row];
      const output = batch.outputTokens[row];
      const over = !fits(totals[0], count) ? 0 : !fits(totals[1], input) ? 1 : !fits(totals[2], output) ? 2 : -1;
      if (over !== -1) {
        refused.push({ ...tooLarge(summed[over], [count, input, output][over], totals[over]), row });
        continue;
      }
      totals[0] += count;
      totals[1] += input;
      totals[2] += output;
      const account = accountIds[accounts[row]];
      const at = batch.at[row];
      this.add(account, days[row], capability, count, input, output);
      this.parsedResolution[batch.resolution[row]]++;
      const template = batch.template[row] < 0 ? -1 : templateIds[batch.template[row]];
      if (template >= 0) this.templates.addLink(account, template, at, at, count);
      if (batch.client[row] >= 0) this.clients.addLink(account, clientIds[batch.client[row]], at, at, count);
      // Every timed row is kept; finishActivity drops them all if the file turns out to hold hourly buckets.
      if (batch.resolution[row] !== dayResolution) {
        this.activityAccount.push(account);
        this.activityMinute.push(Math.floor(at / MS_PER_MINUTE));
        this.activityTemplate.push(template);
        this.activityCount.push(count);
      }
    }
    return refused;
  }

  /**
   * The activity table: rows timed to the minute merged per (account, minute, template), sorted by account, then
   * minute, then template. Cells are sorted, not hashed: rows are far more numerous than in any other table, and
   * sorting typed arrays costs a few bytes per row where a hash index costs tens.
   */
  /**
   * Rows by what they stand for. A time on the hour is an hourly bucket only in a file whose timed rows are all on
   * the hour; in a file with any other time it is a minute that fell on :00 (one in sixty of them).
   */
  rowsByResolution(): Record<TimeResolution, number> {
    const [minute, hour, day] = TIME_RESOLUTIONS.map((_, r) => this.parsedResolution[r]);
    return minute > 0 ? { minute: minute + hour, hour: 0, day } : { minute: 0, hour, day };
  }

  finishActivity(accountCount: number, templateCount: number): Activity {
    // A file of hourly buckets has no minute-level activity.
    const rows = this.rowsByResolution().minute > 0 ? this.activityAccount.length : 0;
    const { order, starts, cells } = this.activityOrder(rows, accountCount, templateCount);
    // Column by column, each row column let go as soon as it is copied: the peak holds the rows, the order and
    // one column of the table — not the rows and the whole table, nor a second copy of the table at its exact size
    // (at 1M accounts, 54.6M rows, about 1.7 GB less than copying all four columns and then slicing them).
    const gather = (column: Growable<Int32Array>): Int32Array => {
      const data = column.data;
      const out = new Int32Array(cells);
      let cell = -1;
      for (let i = 0; i < rows; i++) if (starts[i] === 1) out[++cell] = data[order[i]];
      column.release();
      return out;
    };
    const account = gather(this.activityAccount);
    const minute = gather(this.activityMinute);
    const template = gather(this.activityTemplate);
    const countData = this.activityCount.data;
    const count = new Float32Array(cells);
    let cell = -1;
    for (let i = 0; i < rows; i++) {
      if (starts[i] === 1) cell++;
      count[cell] += countData[order[i]];
    }
    this.activityCount.release();
    const accountOffsets = new Int32Array(accountCount + 1);
    for (let c = 0; c < cells; c++) accountOffsets[account[c] + 1]++;
    for (let a = 0; a < accountCount; a++) accountOffsets[a + 1] += accountOffsets[a];
    return { cells, account, minute, template, count, accountOffsets };
  }

  /**
   * The activity rows in (account, minute, template) order, and where each distinct cell starts in it (1 byte a
   * row). Least significant key first: template (from −1, none), minute, account; minutes far apart (years) would
   * make the counting array too long, and then it is a comparison sort.
   */
  private activityOrder(rows: number, accountCount: number, templateCount: number): { order: Int32Array; starts: Uint8Array; cells: number } {
    const account = this.activityAccount.data;
    const minute = this.activityMinute.data;
    const template = this.activityTemplate.data;
    let minMinute = 0;
    let maxMinute = -1;
    for (let row = 0; row < rows; row++) {
      const m = minute[row];
      if (row === 0 || m < minMinute) minMinute = m;
      if (row === 0 || m > maxMinute) maxMinute = m;
    }
    const minuteRange = maxMinute - minMinute + 1;
    let order: Int32Array;
    if (minuteRange <= 1 << 24) {
      order = countingSortPass(identityOrder(rows), template, -1, templateCount + 1);
      order = countingSortPass(order, minute, minMinute, minuteRange);
      order = countingSortPass(order, account, 0, accountCount);
    } else {
      order = identityOrder(rows).sort((p, q) => account[p] - account[q] || minute[p] - minute[q] || template[p] - template[q]);
    }
    const starts = new Uint8Array(rows);
    let cells = 0;
    for (let i = 0; i < rows; i++) {
      const row = order[i];
      if (i > 0) {
        const previous = order[i - 1];
        if (account[previous] === account[row] && minute[previous] === minute[row] && template[previous] === template[row]) continue;
      }
      starts[i] = 1;
      cells++;
    }
    return { order, starts, cells };
  }

  private add(account: number, day: number, capability: number, count: number, input: number, output: number): void {
    this.rows++;
    const cell = this.index.lookup(account, day, capability);
    if (this.index.added) {
      this.count.push(count);
      this.inputTokens.push(input);
      this.outputTokens.push(output);
      return;
    }
    this.count.data[cell] += count;
    this.inputTokens.data[cell] += input;
    this.outputTokens.data[cell] += output;
  }

  finish(accountCount: number): Exchanges {
    const cells = this.index.size;
    const accounts = this.index.column(0);
    const days = this.index.column(1);
    const tags = this.index.column(2);
    this.index.freeze();
    // Capabilities are reported in name order, whatever order the rows came in.
    const names = this.capabilities.values;
    const byName = names.map((_name, id) => id).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const rank = new Int32Array(names.length);
    byName.forEach((id, position) => (rank[id] = position));
    const capability = new Uint16Array(cells);
    for (let cell = 0; cell < cells; cell++) capability[cell] = rank[tags[cell]];
    let minDay = 0;
    let maxDay = -1;
    for (let cell = 0; cell < cells; cell++) {
      const day = days[cell];
      if (cell === 0 || day < minDay) minDay = day;
      if (cell === 0 || day > maxDay) maxDay = day;
    }
    // One combined (day, capability) key: its range is small (weeks × a few tags) unless dates are far apart.
    const dayRange = maxDay - minDay + 1;
    let order: Int32Array | null;
    if (dayRange * names.length <= 1 << 24) {
      const dayCapability = new Int32Array(cells);
      for (let cell = 0; cell < cells; cell++) dayCapability[cell] = (days[cell] - minDay) * names.length + capability[cell];
      order = orderByTwoKeys(cells, accounts, accountCount, dayCapability, 0, dayRange * names.length);
    } else {
      let byDay = countingSortPass(identityOrder(cells), capability, 0, names.length);
      byDay = countingSortPass(byDay, days, minDay, dayRange);
      order = countingSortPass(byDay, accounts, 0, accountCount);
    }
    const account = arrange(accounts, cells, order);
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
      day: arrange(days, cells, order),
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

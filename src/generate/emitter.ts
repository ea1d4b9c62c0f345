/**
 * Writes one account's rows at a time in the contract's spelling and keeps the per-group tallies the
 * truth file reports. The window clock turns day numbers and milliseconds into ISO strings.
 */
import { csvNumber } from '../core/csv';
import { MS_PER_DAY } from '../core/world';
import { MINUTE_OF_DAY, cell, isoDay, isoTime } from './catalog';
import type { WorldFiles } from './sink';

export class WindowClock {
  readonly startMs: number;
  /** Exclusive end of the window (midnight after the last day). */
  readonly endMs: number;
  private readonly dayStrings: string[];

  constructor(readonly startDay: number, readonly days: number) {
    this.startMs = startDay * MS_PER_DAY;
    this.endMs = (startDay + days) * MS_PER_DAY;
    this.dayStrings = Array.from({ length: days }, (_, d) => isoDay(startDay + d));
  }

  day(index: number): string {
    return this.dayStrings[index];
  }

  /** 0 = Sunday … 6 = Saturday, for window day `index` (1970-01-01 was a Thursday). */
  weekday(index: number): number {
    return (this.startDay + index + 4) % 7;
  }

  /** Window day index of a time, clamped to the window. */
  dayIndexOf(ms: number): number {
    return Math.min(this.days - 1, Math.max(0, Math.floor((ms - this.startMs) / MS_PER_DAY)));
  }
}

export interface GroupTally {
  accounts: number;
  exchanges: number;
  exchangeRows: number;
  inputTokens: number;
  outputTokens: number;
  instrumentLinks: number;
  ipLinks: number;
  fingerprintLinks: number;
}

export function emptyTally(): GroupTally {
  return { accounts: 0, exchanges: 0, exchangeRows: 0, inputTokens: 0, outputTokens: 0, instrumentLinks: 0, ipLinks: 0, fingerprintLinks: 0 };
}

export class AccountEmitter {
  private id = '';
  private tally: GroupTally = emptyTally();

  constructor(private readonly files: WorldFiles, readonly clock: WindowClock) {}

  begin(accountId: string, tally: GroupTally): void {
    this.id = cell(accountId);
    this.tally = tally;
    tally.accounts++;
  }

  account(createdMs: number, emailDomain: string, country: string, status: string): void {
    this.files.accounts.line(`${this.id},${isoTime(createdMs)},${cell(emailDomain)},${cell(country)},${status}\n`);
  }

  member(group: string, kind: string): void {
    this.files.members.line(`${this.id},${cell(group)},${cell(kind)}\n`);
  }

  instrument(instrumentId: string, kind: string, firstMs: number, lastMs: number): void {
    this.tally.instrumentLinks++;
    this.files.instruments.line(`${this.id},${cell(instrumentId)},${kind},${isoTime(firstMs)},${isoTime(lastMs)}\n`);
  }

  ip(address: string, firstMs: number, lastMs: number, requests: number, asn: string, isProxy: boolean): void {
    this.tally.ipLinks++;
    this.files.ips.line(
      `${this.id},${cell(address)},${isoTime(firstMs)},${isoTime(lastMs)},${csvNumber(Math.max(0, Math.round(requests)))},${cell(asn)},${isProxy ? 'true' : 'false'}\n`,
    );
  }

  fingerprint(fingerprint: string, kind: string, firstMs: number, lastMs: number): void {
    this.tally.fingerprintLinks++;
    this.files.fingerprints.line(`${this.id},${cell(fingerprint)},${kind},${isoTime(firstMs)},${isoTime(lastMs)}\n`);
  }

  /** A pre-aggregated row: every exchange of one capability on one window day. */
  exchangeDay(dayIndex: number, capability: string, count: number, inputTokens: number, outputTokens: number): void {
    this.countExchanges(count, inputTokens, outputTokens);
    this.files.exchanges.line(`${this.id},${this.clock.day(dayIndex)},${capability},${count},${inputTokens},${outputTokens}\n`);
  }

  /** A raw row: one exchange at a time of day. */
  exchangeAt(ms: number, capability: string, inputTokens: number, outputTokens: number): void {
    this.countExchanges(1, inputTokens, outputTokens);
    this.files.exchanges.line(`${this.id},${isoTime(ms)},${capability},1,${inputTokens},${outputTokens}\n`);
  }

  /**
   * A minute-level row (behaviour worlds): `count` exchanges in minute `minute` of the window (0 = the first
   * day's 00:00 UTC), with the request's template and client already spelled as cells. Called tens of millions
   * of times at 1M accounts: primitives in, one string out.
   */
  exchangeMinute(minute: number, capability: string, count: number, inputTokens: number, outputTokens: number, template: string, client: string): void {
    this.countExchanges(count, inputTokens, outputTokens);
    const day = Math.floor(minute / 1440);
    this.files.exchanges.line(
      `${this.id},${this.clock.day(day)}${MINUTE_OF_DAY[minute - day * 1440]},${capability},${count},${inputTokens},${outputTokens},${template},${client}\n`,
    );
  }

  private countExchanges(count: number, inputTokens: number, outputTokens: number): void {
    this.tally.exchanges += count;
    this.tally.exchangeRows++;
    this.tally.inputTokens += inputTokens;
    this.tally.outputTokens += outputTokens;
  }
}

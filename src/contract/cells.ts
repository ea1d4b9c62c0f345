/**
 * Cell parsers: one per contract cell type. Each takes the (already trimmed) cell text and returns the
 * parsed value, or a sentinel (NaN, -1, null) for "invalid" so the caller can write a reject row with the
 * reason from REJECT_REASONS. They run once per input cell, so they avoid regular expressions and
 * allocations on the common path.
 */
import { COUNTRY_CODES } from './countries';

/** Every reason a row can be rejected for; the rejects CSV `reason` column holds these texts. */
export const REJECT_REASONS = {
  missingCell: 'missing required cell',
  badDate: 'bad date (expected ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)',
  badIp: 'bad IP address (expected IPv4 or IPv6)',
  badCount: 'bad count (expected an integer ≥ 1)',
  badInteger: 'bad integer (expected an integer ≥ 0)',
  badBoolean: 'unknown boolean value (expected true or false)',
  badCountry: 'bad country code (expected ISO 3166-1 alpha-2, e.g. US)',
  badEnum: 'unknown enum value',
  duplicateAccount: 'duplicate account_id (the first row with this account_id was kept)',
  wrongColumnCount: 'wrong column count',
  seenOrder: 'first_seen is after last_seen',
  tooManyCapabilities: 'too many distinct capabilities (limit 65535)',
  implausibleDate: 'date outside 1990-01-01 … 2099-12-31 (a mistyped year?)',
  totalTooLarge: 'total too large (with this row the file\'s total of this column would pass 2^53 − 1 = 9007199254740991, beyond which sums are not exact)',
  tooLong: 'cell too long (a template is a hash of the request scaffold, a client an SDK name and version: at most 128 characters)',
} as const;

const MS_PER_DAY = 86_400_000;

/**
 * Timestamps a platform's export can hold: nothing before 1990 or after 2099. Outside that a date is a typo
 * (`0026-10-01`) or a sentinel (`9999-12-31`), and one such row would stretch every daily series over centuries;
 * it is rejected with its line like any bad cell.
 */
export const PLAUSIBLE_TIME_MS = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2100, 0, 1) } as const;

function digit(text: string, at: number): number {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) {
    const d = digit(text, at + i);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * ISO 8601 calendar date or date-time → ms since the epoch (UTC); NaN when invalid.
 * Accepted: YYYY-MM-DD, then optionally T (or a space) HH:MM[:SS[.fraction]], then optionally Z or an
 * offset ±HH:MM / ±HHMM / ±HH. A date-time without an offset is read as UTC. A date alone is its UTC midnight.
 */
export function parseTimestamp(text: string): number {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (length === 10) return ms;
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 116 && separator !== 32) return NaN; // T, t, space
  if (length < 16 || text.charCodeAt(13) !== 58) return NaN;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  ms += hour * 3_600_000 + minute * 60_000;
  let at = 16;
  if (at < length && text.charCodeAt(at) === 58) {
    const second = digits(text, at + 1, 2);
    if (second < 0 || second > 60) return NaN; // 60: a leap second, folded into the next minute
    ms += second * 1000;
    at += 3;
    if (at < length && (text.charCodeAt(at) === 46 || text.charCodeAt(at) === 44)) {
      at++;
      let scale = 100;
      const fractionStart = at;
      while (at < length && digit(text, at) >= 0) {
        ms += digit(text, at) * scale;
        scale /= 10;
        at++;
      }
      if (at === fractionStart) return NaN;
      ms = Math.floor(ms);
    }
  }
  if (at === length) return ms;
  const zone = text.charCodeAt(at);
  if ((zone === 90 || zone === 122) && at + 1 === length) return ms; // Z, z
  if (zone !== 43 && zone !== 45) return NaN; // +, -
  const rest = length - at - 1;
  const offsetHour = digits(text, at + 1, 2);
  let offsetMinute = 0;
  if (rest === 5 && text.charCodeAt(at + 3) === 58) offsetMinute = digits(text, at + 4, 2);
  else if (rest === 4) offsetMinute = digits(text, at + 3, 2);
  else if (rest !== 2) return NaN;
  if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return NaN;
  const offset = (offsetHour * 60 + offsetMinute) * 60_000;
  return zone === 43 ? ms - offset : ms + offset;
}

/** Whole UTC days since the epoch of a ms timestamp (World.exchanges.day). */
export function utcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Non-negative integer (digits only, at most 2^53 − 1); -1 when invalid. */
export function parseNonNegativeInteger(text: string): number {
  const length = text.length;
  if (length === 0 || length > 16) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const d = digit(text, i);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : -1;
}

/** true|false|1|0 (case-insensitive) → 1 or 0; -1 when invalid. */
export function parseBoolean(text: string): number {
  switch (text.toLowerCase()) {
    case 'true':
    case '1':
      return 1;
    case 'false':
    case '0':
      return 0;
    default:
      return -1;
  }
}

/** ISO 3166-1 alpha-2 code (case-insensitive) → upper case; null when not an assigned code. */
export function parseCountry(text: string): string | null {
  if (text.length !== 2) return null;
  const upper = text.toUpperCase();
  return COUNTRY_CODES.has(upper) ? upper : null;
}

/** Dotted-quad IPv4 with no leading zeros (010.0.0.1 is ambiguous: octal to some tools); the text itself is canonical. */
function isIpv4(text: string): boolean {
  let parts = 0;
  let value = 0;
  let partDigits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      if (partDigits === 0 || value > 255) return false;
      parts++;
      value = 0;
      partDigits = 0;
      continue;
    }
    const d = code - 48;
    if (d < 0 || d > 9) return false;
    if (partDigits === 1 && value === 0) return false; // leading zero
    value = value * 10 + d;
    partDigits++;
    if (partDigits > 3) return false;
  }
  return parts === 4;
}

/** Parses an IPv6 address into its eight 16-bit groups; null when invalid (zone ids and prefixes are invalid). */
function ipv6Groups(text: string): number[] | null {
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return null;
  const parseSide = (side: string): number[] | null => {
    if (side === '') return [];
    const groups: number[] = [];
    const pieces = side.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        if (!isIpv4(piece)) return null;
        const octets = piece.split('.').map(Number);
        groups.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
        continue;
      }
      if (piece.length === 0 || piece.length > 4 || !/^[0-9a-fA-F]+$/.test(piece)) return null;
      groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  if (doubleColon === -1) {
    const groups = parseSide(text);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = parseSide(text.slice(0, doubleColon));
  const tail = parseSide(text.slice(doubleColon + 2));
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952 text form: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::", the first run on a tie. */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

export interface ParsedIp {
  /** Canonical text: IPv4 dotted quad, IPv6 per RFC 5952. IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes the IPv4 address. */
  text: string;
  version: 4 | 6;
}

/** IPv4 or IPv6 → canonical form; null when invalid. */
export function parseIp(text: string): ParsedIp | null {
  if (text.indexOf(':') === -1) return isIpv4(text) ? { text, version: 4 } : null;
  const groups = ipv6Groups(text);
  if (!groups) return null;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return { text: `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`, version: 4 };
  }
  return { text: formatIpv6(groups), version: 6 };
}

/** Index of `text` (case-insensitive) in an enumeration; -1 when not a member. */
export function parseEnum(text: string, values: readonly string[]): number {
  const index = values.indexOf(text);
  return index !== -1 ? index : values.indexOf(text.toLowerCase());
}

import {
  FILE_CONTRACTS,
  parseBoolean,
  parseCountry,
  parseEnum,
  parseIp,
  parseNonNegativeInteger,
  parseTimestamp,
  daysFromCivil,
  utcDay,
} from '../../src/contract';
import { ACCOUNT_STATUSES } from '../../src/core/world';

describe('parseTimestamp (ISO 8601 → ms UTC)', () => {
  it.each([
    ['2026-01-31', Date.UTC(2026, 0, 31)],
    ['2026-01-31T12:34', Date.UTC(2026, 0, 31, 12, 34)],
    ['2026-01-31T12:34:56Z', Date.UTC(2026, 0, 31, 12, 34, 56)],
    ['2026-01-31 12:34:56', Date.UTC(2026, 0, 31, 12, 34, 56)],
    ['2026-01-31T12:34:56.789Z', Date.UTC(2026, 0, 31, 12, 34, 56, 789)],
    ['2026-01-31T12:34:56.7891234Z', Date.UTC(2026, 0, 31, 12, 34, 56, 789)],
    ['2026-01-31T12:34:56+02:00', Date.UTC(2026, 0, 31, 10, 34, 56)],
    ['2026-01-31T00:30:00-0130', Date.UTC(2026, 0, 31, 2, 0, 0)],
    ['2026-01-31T12:00:00+05', Date.UTC(2026, 0, 31, 7)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['1969-12-31T23:59:59Z', Date.UTC(1969, 11, 31, 23, 59, 59)],
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '', '2026', '2026-1-31', '2026-13-01', '2026-02-30', '2025-02-29', '2026-01-31T24:00', '2026-01-31T12:60',
    '2026-01-31T12:00:00Q', '2026-01-31X12:00', '31/01/2026', '2026-01-31T12:00:00.', '2026-01-31T12:00+2:00', 'yesterday',
  ])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });

  it('agrees with Date.UTC on every day of a leap cycle', () => {
    for (let year = 1999; year <= 2004; year++) {
      for (let month = 1; month <= 12; month++) {
        expect(daysFromCivil(year, month, 1) * 86_400_000).toBe(Date.UTC(year, month - 1, 1));
      }
    }
    expect(utcDay(Date.UTC(2026, 0, 1, 23, 59))).toBe(daysFromCivil(2026, 1, 1));
    expect(utcDay(Date.UTC(1969, 11, 31, 12))).toBe(-1);
  });
});

describe('parseIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1', 4],
    ['0.0.0.0', '0.0.0.0', 4],
    ['255.255.255.255', '255.255.255.255', 4],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', 6],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1', 6],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 6],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 6],
    ['::', '::', 6],
    ['::1', '::1', 6],
    ['fe80::', 'fe80::', 6],
    ['::ffff:192.0.2.1', '192.0.2.1', 4],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221', 6],
  ])('%s → %s', (text, canonical, version) => {
    expect(parseIp(text)).toEqual({ text: canonical, version });
  });

  it.each(['', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4/24', '2001:db8::1::2', '2001:db8:::1', '12345::', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', 'g::1', 'localhost'])(
    'rejects %j',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe('small cell parsers', () => {
  it('non-negative integers: digits only, up to 2^53 − 1', () => {
    expect(parseNonNegativeInteger('0')).toBe(0);
    expect(parseNonNegativeInteger('28800000')).toBe(28_800_000);
    expect(parseNonNegativeInteger('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['', '-1', '1.0', '1e3', '+5', ' 5', '9007199254740992', 'two']) expect(parseNonNegativeInteger(bad)).toBe(-1);
  });

  it('booleans', () => {
    expect([parseBoolean('true'), parseBoolean('FALSE'), parseBoolean('1'), parseBoolean('0'), parseBoolean('maybe')]).toEqual([1, 0, 1, 0, -1]);
  });

  it('countries: assigned ISO 3166-1 alpha-2 codes, upper-cased', () => {
    expect(parseCountry('us')).toBe('US');
    expect(parseCountry('GB')).toBe('GB');
    expect(parseCountry('ZZ')).toBeNull();
    expect(parseCountry('UK')).toBeNull(); // not assigned: the code for the United Kingdom is GB
    expect(parseCountry('USA')).toBeNull();
  });

  it('enumerations are case-insensitive', () => {
    expect(parseEnum('Suspended', ACCOUNT_STATUSES)).toBe(1);
    expect(parseEnum('banned', ACCOUNT_STATUSES)).toBe(-1);
  });
});

describe('contract table', () => {
  // The chunk parser reads cells by position in these lists; this pins the order it relies on.
  it('keeps the column order the parser uses', () => {
    const names = (file: keyof typeof FILE_CONTRACTS) => FILE_CONTRACTS[file].columns.map((c) => c.name);
    expect(names('accounts.csv')).toEqual(['account_id', 'created_at', 'email_domain', 'country', 'status']);
    expect(names('payment_instruments.csv')).toEqual(['account_id', 'instrument_id', 'kind', 'first_seen', 'last_seen']);
    expect(names('ip_addresses.csv')).toEqual(['account_id', 'ip', 'first_seen', 'last_seen', 'requests', 'asn', 'is_proxy']);
    expect(names('fingerprints.csv')).toEqual(['account_id', 'fingerprint', 'kind', 'first_seen', 'last_seen']);
    expect(names('exchanges.csv')).toEqual(['account_id', 'timestamp', 'capability', 'count', 'input_tokens', 'output_tokens', 'template', 'client']);
  });

  it('marks only accounts.csv as a required file', () => {
    expect(Object.values(FILE_CONTRACTS).filter((f) => f.required).map((f) => f.file)).toEqual(['accounts.csv']);
  });
});

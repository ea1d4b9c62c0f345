import { compact, int, num, pct } from '../../src/score/format';
import { ramp } from '../../src/score/risk';

test('int groups thousands exactly as en-US toLocaleString does', () => {
  for (const value of [0, 7, 999, 1000, 12_345, -1_234_567, 28_757_490, 136_214_650_697, 2.5]) {
    expect(int(value)).toBe(Math.round(value).toLocaleString('en-US'));
  }
  expect(int(Number.NaN)).toBe('–');
  expect(int(-0.4)).toBe('0');
});

test('num, pct and compact read the way the reason texts quote them', () => {
  expect([num(1.0234), num(13.8), num(1800.4)]).toEqual(['1.02', '13.8', '1,800']);
  expect([pct(0.138), pct(0.0153), pct(0), pct(1)]).toEqual(['14%', '1.5%', '0%', '100%']);
  expect([compact(950), compact(1500), compact(28_800_000)]).toEqual(['950', '1.5k', '28.8M']);
});

test('ramp is 0 at or below low, 1 at or above high, linear between, and 0 for NaN', () => {
  expect([ramp(0.1, 0.1, 0.5), ramp(0.5, 0.1, 0.5), ramp(9, 0.1, 0.5), ramp(Number.NaN, 0, 1)]).toEqual([0, 1, 1, 0]);
  expect(ramp(0.3, 0.1, 0.5)).toBeCloseTo(0.5, 12);
});

/** Knob validation and the documented default scaling (docs/generator.md), in process. */
import { GENERATE_DEFAULTS, resolveOptions } from '../../src/generate';
import { isSwarmscopeError } from '../../src/core/errors';

function rejection(options: Parameters<typeof resolveOptions>[0]): string {
  try {
    resolveOptions(options);
  } catch (error) {
    if (isSwarmscopeError(error)) return `${error.exitCode} ${error.message}`;
    throw error;
  }
  return 'accepted';
}

test('defaults scale with --accounts as documented', () => {
  const small = resolveOptions({ out: 'x' });
  expect(small.accounts).toBe(100_000);
  expect(small.swarmSize).toBe(2500);
  expect(small.swarmCards).toBe(180);
  expect(small.datacenterSwarmSize).toBe(1000);
  expect(small.paymentRingSize).toBe(150);
  expect(small.enterpriseTeams).toBe(7);
  const big = resolveOptions({ out: 'x', accounts: 1_000_000 });
  expect(big.swarmSize).toBe(25_000);
  expect(big.swarmCards).toBe(1800);
  expect(big.swarmDailyExchanges * big.swarmSize * big.days).toBeCloseTo(28_800_000, 0);
  expect(big.swarmExits).toBe(4000);
  expect(big.datacenterSwarmSize).toBe(2000);
  expect(big.days).toBe(GENERATE_DEFAULTS.windowDays);
  const week2 = resolveOptions({ out: 'x', accounts: 1_000_000, week: 2 });
  expect(week2.swarmSizeNow).toBe(30_000);
  expect(week2.newSwarmSizeNow).toBe(1200);
  expect(week2.days).toBe(52);
});

test('a tactic world plants no classic swarm and turns the decoys on; a classic world keeps them off', () => {
  const tactic = resolveOptions({ out: 'x', accounts: 20_000, tactics: ['fresh-card', 'tiny+mega-card'] });
  expect(tactic.tactics).toEqual(['fresh-card', 'mega-card+tiny']);
  expect(tactic.swarms).toBe(2);
  expect([tactic.swarmSize, tactic.datacenterSwarmSize, tactic.paymentRingSize, tactic.newSwarmSize, tactic.bystanderHouseholds]).toEqual([0, 0, 0, 0, 0]);
  expect([tactic.resellers, tactic.sdkShare, tactic.largestTeam, tactic.enterpriseTeams]).toEqual([3, 0.25, 400, 3]);
  expect(resolveOptions({ out: 'x', tactics: 'random' }).swarms).toBe(3);
  expect(resolveOptions({ out: 'x', tactics: 'random', swarmSize: 500 }).swarmSize).toBe(500);
  const classic = resolveOptions({ out: 'x', accounts: 20_000 });
  expect([classic.tactics, classic.swarms, classic.resellers, classic.sdkShare, classic.largestTeam]).toEqual([null, 0, 0, 0, 0]);
});

test.each([
  [{ accounts: 50 }, '--accounts must be an integer from 200 to 2000000, got 50'],
  [{ accounts: 1000.5 }, '--accounts must be an integer from 200 to 2000000, got 1000.5'],
  [{ week: 3 }, '--week must be an integer from 1 to 2, got 3'],
  [{ vpnShare: 1.5 }, '--vpn-share must be a number from 0 to 1, got 1.5'],
  [{ startDate: '2026-13-45' }, '--start-date must be a date like 2026-09-01, got 2026-13-45'],
  [{ startDate: '2026-02-30' }, '--start-date must be a date like 2026-09-01, got 2026-02-30'],
  [{ swarmDailyExchanges: 0 }, '--swarm-daily-exchanges must be a number above 0 and at most 10000, got 0'],
  [{ accounts: 1000, swarmSize: 251 }, '--swarm-size must be an integer from 0 to 250, got 251'],
])('%j is bad input (exit 2) with a message that carries the number', (options, message) => {
  expect(rejection({ out: 'x', ...options })).toBe(`2 ${message}`);
});

test('--out is required', () => {
  expect(rejection({ out: '' })).toMatch(/^2 --out is required/);
});

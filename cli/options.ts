/**
 * The one parser for numeric command-line options. Every numeric option of every command goes through
 * `integerOption` or `numberOption` with its documented range, so an absurd value (`--workers 99999999999999999999`,
 * `-1`, `NaN`, `1e309`, `0x10`, an empty string) is one line and exit 2 naming the option and what it accepts —
 * never a value that reaches the program and traps V8, allocates an array of 10^20 workers or wraps a timer.
 *
 * Integers are decimal digits only (no sign, exponent, fraction or hex) and must lie in [min, max]; numbers are
 * finite decimals (`0.5`, `1e-3`) in their range. The ranges of every command's options are in RANGES below,
 * which the error message quotes. The one exception is `generate`, whose knobs' ranges depend on each other (a
 * swarm at most a quarter of the accounts): `decimalOption` checks their syntax here and src/generate/options.ts
 * their ranges, in the same one-line form.
 */
import { swarmscopeError } from '../src/core/errors';

export interface IntegerRange {
  min: number;
  max: number;
}

export interface NumberRange {
  min: number;
  max: number;
  /** The minimum itself is not allowed (a resolution must be above 0). */
  aboveMin?: boolean;
}

/** The largest seed: seeds are used as 32-bit unsigned integers, so a larger one would repeat a smaller one. */
const MAX_SEED = 4_294_967_295;
/** Counts of things (accounts, clusters, rows): what an Int32Array index can hold. */
const MAX_COUNT = 2_147_483_647;
/** Seconds to wait for a lock: one day (timers above ~24.8 days overflow and fire at once). */
const MAX_WAIT_SECONDS = 86_400;

/** Every numeric option and its range, by command. */
export const RANGES = {
  seed: { min: 0, max: MAX_SEED },
  workers: { min: 0, max: 64 },
  maxIterations: { min: 1, max: 1_000_000 },
  resolution: { min: 0, max: 1_000_000, aboveMin: true },
  hubLimit: { min: 1, max: MAX_COUNT },
  minClusterSize: { min: 2, max: MAX_COUNT },
  top: { min: 1, max: MAX_COUNT },
  members: { min: 0, max: MAX_COUNT },
  batchSize: { min: 1, max: 1_000_000 },
  waitSeconds: { min: 0, max: MAX_WAIT_SECONDS },
  demoAccounts: { min: 1000, max: 10_000_000 },
  linkThreshold: { min: 0, max: 1, aboveMin: true },
  minOverlap: { min: 1, max: MAX_COUNT },
  growthRatio: { min: 0, max: 1_000_000 },
  growthMin: { min: 1, max: MAX_COUNT },
  dormantSweeps: { min: 0, max: 10_000 },
  neo4jTimeout: { min: 0, max: MAX_WAIT_SECONDS, aboveMin: true },
} as const satisfies Record<string, IntegerRange | NumberRange>;

const DIGITS = /^\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** A whole number in [min, max], or undefined when the option was not given. */
export function integerOption(flag: string, value: string | undefined, range: IntegerRange): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const parsed = DIGITS.test(text) ? Number(text) : NaN;
  if (!(parsed >= range.min && parsed <= range.max)) {
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `${flag} must be a whole number from ${range.min.toLocaleString('en-US')} to ${range.max.toLocaleString('en-US')}, got ${shown(value)}`,
      { flag, value, ...range },
    );
  }
  return parsed;
}

/** A finite decimal number, range checked by the caller (generate's knobs); `0x10`, `Infinity`, `` are refused. */
export function decimalOption(flag: string, value: string): number {
  const text = value.trim();
  const parsed = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(parsed)) throw swarmscopeError('BAD_ARGUMENT', `${flag} must be a number, got ${shown(value)}`, { flag, value });
  return parsed;
}

/** A finite decimal number in its range, or undefined when the option was not given. */
export function numberOption(flag: string, value: string | undefined, range: NumberRange): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const parsed = DECIMAL.test(text) ? Number(text) : NaN;
  const aboveMin = range.aboveMin ? parsed > range.min : parsed >= range.min;
  if (!(Number.isFinite(parsed) && aboveMin && parsed <= range.max)) {
    const max = range.max.toLocaleString('en-US');
    const allowed = range.aboveMin ? `above ${range.min} and at most ${max}` : `from ${range.min} to ${max}`;
    throw swarmscopeError('BAD_ARGUMENT', `${flag} must be a number ${allowed}, got ${shown(value)}`, {
      flag,
      value,
      ...range,
    });
  }
  return parsed;
}

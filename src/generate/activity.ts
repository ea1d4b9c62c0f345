/**
 * Exchange activity: which days an account is active and how many exchanges of which capability it makes.
 *
 * Model: on window day d the account is active with probability p·w(weekday); when active, each of its
 * capabilities c gets Poisson(μ · m(d) · s_c) exchanges, where μ is the account's daily mean, s_c its
 * capability shares (summing to 1) and m(d) a day multiplier — shared by all members of a swarm (the
 * operator's schedule: synchronised activity), 1 for everyone else. Legitimate active days have at least
 * one exchange. A cell of ≤ 3 exchanges is written one row per exchange with a time of day with
 * probability rawExchangeShare, otherwise as one pre-aggregated row per (account, day, capability) —
 * real exports mix both, and the contract's `count` column takes both.
 * Token counts per exchange follow TOKENS_PER_EXCHANGE with log-normal noise; harvesting swarms ask for
 * long answers (outputScale > 1).
 */
import { TOKENS_PER_EXCHANGE, type Capability } from './catalog';
import type { AccountEmitter } from './emitter';
import type { Rng } from './random';

export type HourPattern = 'evening' | 'business' | 'uniform';

export interface ActivityProfile {
  /** Window day indexes, inclusive. No activity when firstDay > lastDay. */
  firstDay: number;
  lastDay: number;
  dayProbability: number;
  /** Activity factor per weekday (0 = Sunday); omit for every day alike. */
  weekdayFactor?: readonly number[];
  dailyMean: number;
  capabilities: readonly Capability[];
  shares: readonly number[];
  hours: HourPattern;
  outputScale: number;
  /** Shared per-day multiplier (swarm schedule), indexed by window day. */
  dayMultiplier?: Float64Array;
  /** Legitimate users' active days have at least one exchange. */
  atLeastOne: boolean;
}

const MS_PER_HOUR = 3_600_000;

function hourOf(rng: Rng, pattern: HourPattern): number {
  if (pattern === 'uniform') return rng.next() * 24;
  if (pattern === 'business') return 8.5 + rng.next() * 9.5;
  // Evenings and weekends: a broad bump around 20:00, some daytime use.
  return rng.chance(0.6) ? 17 + rng.next() * 6.5 : 7 + rng.next() * 10;
}

export function emitActivity(rng: Rng, profile: ActivityProfile, rawExchangeShare: number, out: AccountEmitter): void {
  const { capabilities, shares } = profile;
  const counts = new Int32Array(capabilities.length);
  for (let day = Math.max(0, profile.firstDay); day <= profile.lastDay; day++) {
    const factor = profile.weekdayFactor ? profile.weekdayFactor[out.clock.weekday(day)] : 1;
    if (!rng.chance(profile.dayProbability * factor)) continue;
    const mean = profile.dailyMean * (profile.dayMultiplier ? profile.dayMultiplier[day] : 1);
    let total = 0;
    for (let c = 0; c < capabilities.length; c++) total += counts[c] = rng.poisson(mean * shares[c]);
    if (total === 0 && profile.atLeastOne) counts[0] = 1;
    for (let c = 0; c < capabilities.length; c++) {
      if (counts[c] > 0) emitCell(rng, out, day, capabilities[c], counts[c], profile, rawExchangeShare);
    }
  }
}

function emitCell(
  rng: Rng, out: AccountEmitter, day: number, capability: Capability, count: number, profile: ActivityProfile,
  rawExchangeShare: number,
): void {
  const [inputMean, outputMean] = TOKENS_PER_EXCHANGE[capability];
  if (count <= 3 && rng.chance(rawExchangeShare)) {
    const dayStart = out.clock.startMs + day * 24 * MS_PER_HOUR;
    for (let i = 0; i < count; i++) {
      const at = dayStart + hourOf(rng, profile.hours) * MS_PER_HOUR;
      out.exchangeAt(at, capability, Math.round(rng.lognormal(inputMean, 0.6)), Math.round(rng.lognormal(outputMean * profile.outputScale, 0.5)));
    }
    return;
  }
  out.exchangeDay(
    day, capability, count,
    Math.round(count * rng.lognormal(inputMean, 0.25)),
    Math.round(count * rng.lognormal(outputMean * profile.outputScale, 0.2)),
  );
}

/** Capability shares drawn for an ordinary user: a main use, often a second and sometimes a third. */
export function organicCapabilities(rng: Rng, pickCapability: () => Capability): { capabilities: Capability[]; shares: number[] } {
  const main = pickCapability();
  const capabilities: Capability[] = [main];
  const extra = rng.chance(0.55) ? (rng.chance(0.35) ? 2 : 1) : 0;
  for (let i = 0; i < extra; i++) {
    const next = pickCapability();
    if (!capabilities.includes(next)) capabilities.push(next);
  }
  const shares = capabilities.length === 1 ? [1] : capabilities.length === 2 ? [0.7, 0.3] : [0.6, 0.28, 0.12];
  return { capabilities, shares };
}

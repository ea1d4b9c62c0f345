/** A planted group: how many accounts it has, and how to write the rows of its member of rank r. */
import type { WorldModel } from '../model';
import type { Rng } from '../random';

export interface GroupGenerator {
  name: string;
  /** Truth kind: organic (with households, vpn_users, bystander inside), campus, enterprise_team, swarm. */
  kind: string;
  legitimate: boolean;
  tactic: string;
  /** Members in week 1 (ranks [0, baseSize) continue in week 2 with the same slots). */
  baseSize: number;
  /** Members now (≥ baseSize in week 2 for growing groups). */
  size: number;
  emit(rank: number, slot: number, rng: Rng, model: WorldModel): void;
}

export const DAY_MS = 86_400_000;

/** first/last seen of a link inside [fromMs, toMs]: starts near fromMs, ends near toMs. */
export function seenWithin(rng: Rng, fromMs: number, toMs: number): [number, number] {
  const span = Math.max(0, toMs - fromMs);
  const first = fromMs + rng.next() * Math.min(span * 0.2, 3 * DAY_MS);
  const last = Math.max(first, toMs - rng.next() * Math.min(span * 0.2, 2 * DAY_MS));
  return [first, last];
}

export const STATUS_LEGIT = (rng: Rng): string => (rng.chance(0.993) ? 'active' : rng.chance(0.7) ? 'suspended' : 'terminated');

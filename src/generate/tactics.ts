/**
 * The tactic catalogue: named ways a distillation operator changes one dimension of the BASE swarm
 * (groups/tactic-swarm.ts) to slip past a detector tuned on the classic three swarms. A swarm carries one
 * tactic per dimension at most (a card cannot be both fresh per account and shared by all), so a mixture
 * is a set of tactics from distinct dimensions. docs/generator.md ("Tactic catalogue") says what each one
 * does to the graph and why an operator would use it.
 *
 * Planning is a pure function of (seed, options): swarm i's mixture and size come from a generator seeded
 * with hash(seed, tactics, i), so the same seed plants the same swarms.
 *
 * Behaviour tactics (perfect-hygiene, framework-template) act on what exchanges.csv's template and client
 * columns and minute timestamps show, so they turn --behaviour on; `random` draws them only in behaviour
 * worlds, which keeps every identifier-only random world as it was. perfect-hygiene takes the payment, exit,
 * fingerprint and structure dimensions at once (it decides all of them: nothing shared).
 */
import { swarmscopeError } from '../core/errors';
import { STREAM } from './model';
import type { ResolvedOptions } from './options';
import { Rng, hash32 } from './random';

export type TacticDimension = 'payment' | 'exits' | 'fingerprints' | 'signup' | 'mix' | 'structure' | 'size' | 'identifiers' | 'templates';

interface TacticEntry {
  name: string;
  dimension: TacticDimension;
  summary: string;
  /** Dimensions the tactic decides besides its own (a mixture may not take another tactic in them). */
  alsoCovers?: readonly TacticDimension[];
  /** Acts on templates, clients and minute timing: implies --behaviour. */
  behaviour?: boolean;
}

export const TACTIC_CATALOGUE = [
  { name: 'fresh-card', dimension: 'payment', summary: 'a fresh card per account: nothing shared to pay' },
  { name: 'mega-card', dimension: 'payment', summary: '1–3 cards pay for every account (a card on more than 2% of the platform when the swarm is big)' },
  { name: 'private-exits', dimension: 'exits', summary: 'exits nobody else uses: hosting IPs or a private proxy pool (≈ size/10 exits, 1–3 per account, 90% is_proxy)' },
  { name: 'shared-residential', dimension: 'exits', summary: 'a commercial residential pool whose exits are also households\' home lines and ordinary proxy users\' exits' },
  { name: 'fingerprint-rotation', dimension: 'fingerprints', summary: 'a large pool of device and TLS fingerprints, each on 2–6 accounts; no common browser TLS' },
  { name: 'client-builds', dimension: 'fingerprints', summary: '3–6 client builds, each account on exactly one: a few fingerprints on hundreds of accounts each' },
  { name: 'sdk-default', dimension: 'fingerprints', summary: 'the public SDK\'s default fingerprint instead of custom tooling: the same hub as many developers' },
  { name: 'slow-drip', dimension: 'signup', summary: 'accounts created one by one over 3–9 months, active from creation' },
  { name: 'recycled', dimension: 'signup', summary: 'old accounts (1–3 years) with consumer email bought back from suspension; many suspended again at export' },
  { name: 'mimic-mix', dimension: 'mix', summary: 'capability mix drawn like the organic population\'s, at harvesting volume' },
  { name: 'sub-operators', dimension: 'structure', summary: '3–6 crews with their own cards, exits and fingerprints, joined only by one shared tool fingerprint' },
  { name: 'tiny', dimension: 'size', summary: '20–50 accounts' },
  {
    name: 'perfect-hygiene', dimension: 'identifiers', alsoCovers: ['payment', 'exits', 'fingerprints', 'structure'], behaviour: true,
    summary: 'a fresh card, home-ISP line and device per account: no identifier shared; private templates and synchrony only (implies --behaviour)',
  },
  {
    name: 'framework-template', dimension: 'templates', behaviour: true,
    summary: 'the public agent framework\'s default template and client, shared with thousands of its users: synchrony only (implies --behaviour)',
  },
] as const satisfies ReadonlyArray<TacticEntry>;

export type TacticName = (typeof TACTIC_CATALOGUE)[number]['name'];
const ENTRIES: ReadonlyArray<TacticEntry & { name: TacticName }> = TACTIC_CATALOGUE;
/** The identifier tactics: every catalogue tactic that needs no --behaviour (what identifier-graph detection is measured on). */
export const TACTIC_NAMES: TacticName[] = ENTRIES.filter((entry) => !entry.behaviour).map((entry) => entry.name);
/** The behaviour tactics: they imply --behaviour (templates, clients, minute timing). */
export const BEHAVIOUR_TACTIC_NAMES: TacticName[] = ENTRIES.filter((entry) => entry.behaviour).map((entry) => entry.name);
const ALL_NAMES = ENTRIES.map((entry) => entry.name);
const ORDER = new Map<string, number>(ALL_NAMES.map((name, index) => [name, index]));

function coveredBy(entry: TacticEntry): TacticDimension[] {
  return [entry.dimension, ...(entry.alsoCovers ?? [])];
}

/** Does any tactic of this --tactics value need --behaviour? ('random' draws behaviour tactics only when it is on.) */
export function tacticsNeedBehaviour(tactics: string[] | 'random' | null): boolean {
  if (tactics === null || tactics === 'random') return false;
  return tactics.some((item) => item.split('+').some((name) => ENTRIES.find((entry) => entry.name === name)?.behaviour === true));
}

/**
 * Drawn tactic-swarm sizes are log-uniform in [min, max], tiny ones uniform in [tinyMin, tinyMax]; a fixed
 * size may be at most `fixedMax` (exit pools and fingerprint ranges are planned for it).
 */
export const TACTIC_SWARM_SIZE = { min: 20, max: 30_000, tinyMin: 20, tinyMax: 50, fixedMax: 100_000 } as const;
/** Planted groups (everything but the organic population) may take at most this share of accounts. */
export const PLANTED_SHARE = 0.6;

export interface TacticSwarmPlan {
  /** 0-based position; the truth name is swarm_NN_… with NN = index + 1. */
  index: number;
  name: string;
  tactics: TacticName[];
  size: number;
}

/** One --tactics item ("fresh-card" or "fresh-card+private-exits"): its tactics in catalogue order. */
export function parseTacticItem(item: string): TacticName[] {
  const names = item.split('+').map((name) => name.trim());
  const seen = new Map<TacticDimension, string>();
  for (const name of names) {
    const entry = ENTRIES.find((tactic) => tactic.name === name);
    if (!entry) throw swarmscopeError('BAD_ARGUMENT', `--tactics: unknown tactic "${name}"; known: ${ALL_NAMES.join(', ')}, or random`);
    for (const dimension of coveredBy(entry)) {
      const other = seen.get(dimension);
      if (other !== undefined) {
        throw swarmscopeError('BAD_ARGUMENT', `--tactics: "${other}" and "${name}" both change the swarm's ${dimension}; a mixture takes one tactic per dimension`);
      }
      seen.set(dimension, name);
    }
  }
  return (names as TacticName[]).sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);
}

/**
 * A random mixture: 1–3 tactics, drawn one at a time among those none of whose dimensions is taken yet;
 * behaviour tactics only in a behaviour world.
 */
function drawMixture(rng: Rng, behaviour: boolean): TacticName[] {
  const count = rng.int(1, 3);
  const candidates = ENTRIES.filter((tactic) => behaviour || !tactic.behaviour);
  const chosen: typeof candidates = [];
  for (let k = 0; k < count; k++) {
    const taken = new Set(chosen.flatMap(coveredBy));
    const free = candidates.filter((tactic) => !coveredBy(tactic).some((dimension) => taken.has(dimension)));
    if (free.length === 0) break;
    chosen.push(free[Math.floor(rng.next() * free.length)]);
  }
  return chosen.map((tactic) => tactic.name).sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);
}

/**
 * The tactic swarms of a world: options.swarms swarms, swarm i taking list item i (cycling) or a random
 * mixture, each with a size drawn from the seed (log-uniform 20–30,000; tiny 20–50) or the fixed
 * tacticSwarmSize. `budget` is the accounts left for them under the planted-groups cap: drawn sizes above
 * it are scaled down together (never below 20); fixed sizes that do not fit are bad input.
 */
export function planTacticSwarms(options: ResolvedOptions, budget: number): TacticSwarmPlan[] {
  const { tactics } = options;
  if (tactics === null) return [];
  const plans = Array.from({ length: options.swarms }, (_, index): TacticSwarmPlan => {
    const rng = new Rng(hash32(options.seed, STREAM.tactics, index));
    const logPosition = rng.next();
    const mixture = tactics === 'random' ? drawMixture(rng, options.behaviour) : parseTacticItem(tactics[index % tactics.length]);
    const tinySize = rng.int(TACTIC_SWARM_SIZE.tinyMin, TACTIC_SWARM_SIZE.tinyMax);
    const drawn = Math.round(TACTIC_SWARM_SIZE.min * (TACTIC_SWARM_SIZE.max / TACTIC_SWARM_SIZE.min) ** logPosition);
    const size = mixture.includes('tiny') ? tinySize : options.tacticSwarmSize || drawn;
    return { index, name: `swarm_${String(index + 1).padStart(2, '0')}_${mixture.join('+')}`, tactics: mixture, size };
  });
  const scalable = options.tacticSwarmSize === 0 ? plans.filter((plan) => !plan.tactics.includes('tiny')) : [];
  const fixed = plans.reduce((sum, plan) => sum + plan.size, 0) - scalable.reduce((sum, plan) => sum + plan.size, 0);
  const scalableTotal = scalable.reduce((sum, plan) => sum + plan.size, 0);
  if (fixed + scalableTotal > budget && scalableTotal > 0) {
    const factor = Math.max(0, budget - fixed) / scalableTotal;
    for (const plan of scalable) plan.size = Math.max(TACTIC_SWARM_SIZE.min, Math.floor(plan.size * factor));
  }
  const total = plans.reduce((sum, plan) => sum + plan.size, 0);
  if (total > budget) {
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `the ${plans.length} tactic swarms need ${total} accounts but the other planted groups leave ${Math.max(0, budget)} ` +
        `(planted groups may take at most ${Math.round(100 * PLANTED_SHARE)}% of ${options.accounts}); lower --swarms or --tactic-swarm-size, or raise --accounts`,
    );
  }
  return plans;
}

/**
 * generateWorld: a synthetic world in the data contract with the planted truth beside it.
 *
 * Every account has a slot (its position in the plan: organic, campus, teams, swarms, then week-2
 * additions); its id and all its random draws derive from (seed, slot), so the same seed gives
 * byte-identical files and week 2 reproduces every continuing account. Accounts are written in a seeded
 * permutation of slots, so row order says nothing about groups. See docs/generator.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { SOFTWARE } from '../core/version';
import type { ContractFile } from '../core/world';
import { csvRow } from '../core/csv';
import { householdGroup, layoutResellers, organicGroup } from './groups/organic';
import { campusGroup, enterpriseTeamGroup, layoutTeams } from './groups/institutions';
import { datacenterSwarm, paymentRingSwarm, residentialProxySwarm, virtualCardFarmSwarm } from './groups/swarms';
import { tacticSwarm } from './groups/tactic-swarm';
import type { GroupGenerator } from './groups/group';
import { PopulationHabits } from './habits';
import { WorldModel } from './model';
import { GENERATE_DEFAULTS, LATER_KNOBS_OFF, TACTIC_KNOBS_OFF, resolveOptions, type GenerateOptions, type ResolvedOptions } from './options';
import { IndexPermutation, hash32 } from './random';
import { WorldFiles } from './sink';
import { PLANTED_SHARE, planTacticSwarms } from './tactics';

export { GENERATE_DEFAULTS, resolveOptions } from './options';
export type { GenerateOptions, ResolvedOptions } from './options';
export { BEHAVIOUR_TACTIC_NAMES, TACTIC_CATALOGUE, TACTIC_NAMES } from './tactics';
export type { TacticName } from './tactics';

/** An identifier shared by at least this many accounts is listed in truth.json's `hubs`. */
export const PLANTED_HUB_DEGREE = 500;

export interface GeneratedGroup {
  name: string;
  kind: string;
  legitimate: boolean;
  tactic: string;
  /** A tactic swarm's catalogue tactics (classic swarms and legitimate groups have none). */
  tactics?: string[];
  size: number;
  exchanges: number;
  exchange_rows: number;
  input_tokens: number;
  output_tokens: number;
  links: { instrument: number; ip: number; fingerprint: number };
  facts: Record<string, unknown>;
}

export interface GenerateSummary {
  out: string;
  seed: number;
  week: number;
  accounts: number;
  window: { start: string; end: string; days: number };
  files: Record<ContractFile, { rows: number; bytes: number }>;
  link_rows: number;
  exchanges: number;
  groups: GeneratedGroup[];
  truth: { summary: string; members: string; dense_groups: string };
  seconds: number;
}

interface Segment { group: GroupGenerator; firstRank: number; firstSlot: number; count: number }

function planSegments(groups: Array<{ group: GroupGenerator; firstRank: number; count: number }>): Segment[] {
  const segments: Segment[] = [];
  let slot = 0;
  for (const { group, firstRank, count } of groups) {
    if (count <= 0) continue;
    segments.push({ group, firstRank, firstSlot: slot, count });
    slot += count;
  }
  return segments;
}

function segmentOf(segments: Segment[], slot: number): Segment {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (segments[middle].firstSlot <= slot) low = middle;
    else high = middle - 1;
  }
  return segments[low];
}

function buildGroups(model: WorldModel, options: ResolvedOptions): Segment[] {
  const teamSizes = layoutTeams(options.seed, options.enterpriseTeams, options.largestTeam);
  const teamTotal = teamSizes.reduce((sum, size) => sum + size, 0);
  const classicPlanted = options.swarmSize + options.datacenterSwarmSize + options.paymentRingSize + options.campusSize + teamTotal;
  const tacticPlans = planTacticSwarms(options, Math.floor(options.accounts * PLANTED_SHARE) - classicPlanted);
  const tacticTotal = tacticPlans.reduce((sum, plan) => sum + plan.size, 0);
  const planted = classicPlanted + tacticTotal;
  const organic = options.accounts - planted;
  if (organic < options.accounts * (1 - PLANTED_SHARE)) {
    const parts = tacticPlans.length > 0 ? `enterprise teams ${teamTotal}, tactic swarms ${tacticTotal}` : `enterprise teams ${teamTotal}`;
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `the planted groups (${planted} accounts, of which ${parts}) leave ${organic} of ${options.accounts} accounts ` +
        'for the organic population; it must be at least 40% — lower the group sizes or raise --accounts',
    );
  }
  const signups = options.week > 1 ? Math.round(organic * GENERATE_DEFAULTS.weeklySignups) : 0;
  model.layoutHouseholds(organic, signups);
  const gatewayIps = Math.max(2, Math.round(options.enterpriseTeams * 0.1));
  // Tactic swarms register their exit pools; then households take their second roles (pool home lines,
  // resellers' clients) before the organic population reads them.
  const tacticGenerators = tacticPlans.map((plan) => tacticSwarm(model, plan));
  model.assignHouseholdRoles(layoutResellers(model));
  model.habits?.layoutClasses();
  for (const pool of model.exitPools) {
    if (pool && pool.hostsWanted > 0) model.tallies.get(pool.swarm)!.facts.household_exits = pool.hosts.length;
  }
  const organicGenerator = organicGroup(model, organic, signups);
  const bigSwarm = residentialProxySwarm(model);
  const week1 = [
    { group: organicGenerator, firstRank: 0, count: organic },
    { group: campusGroup(model, options.campusSize), firstRank: 0, count: options.campusSize },
    ...teamSizes.map((size, team) => ({ group: enterpriseTeamGroup(model, team, size, gatewayIps), firstRank: 0, count: size })),
    { group: bigSwarm, firstRank: 0, count: options.swarmSize },
    { group: datacenterSwarm(model), firstRank: 0, count: options.datacenterSwarmSize },
    { group: paymentRingSwarm(model), firstRank: 0, count: options.paymentRingSize },
    ...tacticGenerators.map((group) => ({ group, firstRank: 0, count: group.size })),
  ];
  const later = options.week > 1
    ? [
      { group: bigSwarm, firstRank: options.swarmSize, count: options.swarmSizeNow - options.swarmSize },
      { group: virtualCardFarmSwarm(model), firstRank: 0, count: options.newSwarmSizeNow },
      { group: organicGenerator, firstRank: organic, count: signups },
    ]
    : [];
  return planSegments([...week1, ...later]);
}

const YIELD_EVERY = 20_000;
/** File-system failures a user can fix (full disk, read-only or forbidden folder): exit 2 with one line, not a stack. */
const USER_FIXABLE_WRITE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS']);

function asWriteError(error: unknown, out: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && USER_FIXABLE_WRITE_ERRORS.has(code)) {
    return swarmscopeError('BAD_ARGUMENT', `--out ${out}: writing the world failed (${code}); free disk space or choose another folder`);
  }
  return error;
}

export async function generateWorld(options: GenerateOptions): Promise<GenerateSummary> {
  const started = process.hrtime.bigint();
  const resolved = resolveOptions(options);
  const out = path.resolve(resolved.out);
  try {
    fs.mkdirSync(out, { recursive: true });
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `--out ${out}: cannot create the folder (${(error as Error).message})`);
  }
  let files: WorldFiles;
  try {
    files = new WorldFiles(out, { gzip: resolved.gzip, behaviour: resolved.behaviour });
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `--out ${out}: cannot write the world files there (${(error as Error).message})`);
  }
  const model = new WorldModel(resolved, files);
  if (resolved.behaviour) model.habits = new PopulationHabits(model);
  let total = 0;
  try {
    const segments = buildGroups(model, resolved);
    total = segments.reduce((sum, segment) => sum + segment.count, 0);
    const order = new IndexPermutation(total, hash32(resolved.seed, 0x0de7));
    for (let j = 0; j < total; j++) {
      const slot = order.at(j);
      const segment = segmentOf(segments, slot);
      model.startAccount();
      segment.group.emit(segment.firstRank + slot - segment.firstSlot, slot, model.accountRng(slot), model);
      if ((j + 1) % YIELD_EVERY === 0) {
        resolved.progress?.(j + 1, total);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    resolved.progress?.(total, total);
  } catch (error) {
    files.abandon();
    throw asWriteError(error, out);
  }
  try {
    files.close();
  } catch (error) {
    throw asWriteError(error, out);
  }
  const summary = summarise(model, files, resolved, out, total, started);
  writeTruth(model, summary, resolved);
  return summary;
}

function summarise(model: WorldModel, files: WorldFiles, options: ResolvedOptions, out: string, total: number, started: bigint): GenerateSummary {
  const fileStats = Object.fromEntries(files.contractFiles().map(([name, file]) => [name, { rows: file.rows, bytes: file.bytes }])) as GenerateSummary['files'];
  const groups: GeneratedGroup[] = [...model.tallies.values()].filter((entry) => entry.tally.accounts > 0).map(({ name, kind, legitimate, tactic, tactics, tally, facts }) => ({
    name, kind, legitimate, tactic,
    ...(tactics ? { tactics } : {}),
    size: tally.accounts,
    exchanges: tally.exchanges,
    exchange_rows: tally.exchangeRows,
    input_tokens: tally.inputTokens,
    output_tokens: tally.outputTokens,
    links: { instrument: tally.instrumentLinks, ip: tally.ipLinks, fingerprint: tally.fingerprintLinks },
    facts,
  }));
  groups.sort((a, b) => Number(a.legitimate) - Number(b.legitimate) || b.size - a.size || (a.name < b.name ? -1 : 1));
  const clock = model.clock;
  return {
    out,
    seed: options.seed,
    week: options.week,
    accounts: total,
    window: { start: clock.day(0), end: clock.day(clock.days - 1), days: clock.days },
    files: fileStats,
    link_rows: fileStats['payment_instruments.csv'].rows + fileStats['ip_addresses.csv'].rows + fileStats['fingerprints.csv'].rows,
    exchanges: groups.reduce((sum, group) => sum + group.exchanges, 0),
    groups,
    truth: {
      summary: path.join(out, 'truth', 'truth.json'),
      members: path.join(out, 'truth', 'members.csv'),
      dense_groups: path.join(out, 'truth', 'dense_groups.csv'),
    },
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

function writeTruth(model: WorldModel, summary: GenerateSummary, options: ResolvedOptions): void {
  const shared = [...model.shared.values()]
    .filter((entry) => entry.accounts >= 2)
    .sort((a, b) => b.accounts - a.accounts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const truth = {
    format: 'swarmscope-truth/1',
    warning: 'Planted truth for evaluation only. Detection must never read this folder.',
    generator: { software: SOFTWARE.name, version: SOFTWARE.version },
    seed: summary.seed,
    week: summary.week,
    accounts: summary.accounts,
    window: summary.window,
    options: truthKnobs(options),
    files: summary.files,
    groups: summary.groups,
    ...(model.habits ? { behaviour: model.habits.facts() } : {}),
    hub_degree: PLANTED_HUB_DEGREE,
    hubs: shared.filter((entry) => entry.accounts >= PLANTED_HUB_DEGREE),
    shared_identifiers: shared.filter((entry) => entry.accounts < PLANTED_HUB_DEGREE),
  };
  fs.writeFileSync(summary.truth.summary, `${JSON.stringify(truth, null, 2)}\n`);
  fs.writeFileSync(summary.truth.dense_groups, denseGroupsCsv(model));
}

/** Every resolved knob, less the tactic catalogue's knobs that are off in a classic world (see TACTIC_KNOBS_OFF). */
function truthKnobs(options: ResolvedOptions): Record<string, unknown> {
  const { out: _out, progress: _progress, ...knobs } = options;
  const off: Record<string, unknown> = options.tactics === null ? { ...TACTIC_KNOBS_OFF, ...LATER_KNOBS_OFF } : { ...LATER_KNOBS_OFF };
  return Object.fromEntries(Object.entries(knobs).filter(([key, value]) => !(key in off && off[key] === value)));
}

/** Kinds of the legitimate dense groups, in the order truth/dense_groups.csv lists them. */
const DENSE_KINDS = ['enterprise_team', 'reseller', 'family', 'class'] as const;

/**
 * truth/dense_groups.csv (`group,kind,accounts`): the legitimate groups whose accounts share a non-hub
 * identifier on purpose — enterprise teams (a corporate card, a device image), resellers (one card for
 * all clients), families (multi-person households with a family card, at least two accounts in the
 * household's truth group) and, in behaviour worlds, classes (a homework template, the same hour on class
 * days). `accounts` is how many rows of members.csv carry that group.
 */
function denseGroupsCsv(model: WorldModel): string {
  const rows: Array<[string, (typeof DENSE_KINDS)[number], number]> = [];
  for (const entry of model.tallies.values()) {
    if ((entry.kind === 'enterprise_team' || entry.kind === 'reseller' || entry.kind === 'class') && entry.tally.accounts > 0) rows.push([entry.name, entry.kind, entry.tally.accounts]);
  }
  for (const [h, accounts] of model.familyAccounts) if (accounts >= 2) rows.push([householdGroup(h), 'family', accounts]);
  rows.sort((a, b) => DENSE_KINDS.indexOf(a[1]) - DENSE_KINDS.indexOf(b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return [csvRow(['group', 'kind', 'accounts']), ...rows.map((row) => csvRow(row))].join('');
}

/**
 * Worlds with rows timed to the minute, built by hand for the behaviour profile's tests. A timed row counts in the
 * day cells (as the importer counts it) and also fills World.activity and the template identifiers and links,
 * exactly as the World contract (src/core/world.ts) describes them: one activity cell per (account, minute,
 * template), sorted by account, minute, template; one template link per (account, template) with its exchanges.
 */
import type { World } from '../../src/core/world';
import { buildWorld, rng, DAY0, type WorldRows } from './fixtures';

export const MINUTES_PER_DAY = 1440;
/** Minute 0 of the fixtures' first exchange day. */
export const MINUTE0 = DAY0 * MINUTES_PER_DAY;

export interface TimedRow {
  account: string;
  /** Minutes since the Unix epoch. */
  minute: number;
  template?: string;
  capability?: string;
  count?: number;
  output?: number;
}

export function buildTimedWorld(rows: WorldRows, timed: TimedRow[]): World {
  const dayRows = timed.map((row) => ({
    account: row.account,
    day: Math.floor(row.minute / MINUTES_PER_DAY),
    capability: row.capability ?? 'software_engineering',
    count: row.count ?? 1,
    output: row.output ?? 0,
  }));
  const world = buildWorld({ ...rows, exchanges: [...(rows.exchanges ?? []), ...dayRows] });
  const accountOf = new Map(world.accounts.ids.map((id, a) => [id, a]));

  const templateIds: string[] = [];
  const templateOf = new Map<string, number>();
  const links = new Map<string, { account: number; template: number; count: number; rows: number }>();
  const cells = new Map<string, { account: number; minute: number; template: number; count: number }>();
  for (const row of timed) {
    const a = accountOf.get(row.account)!;
    let t = -1;
    if (row.template !== undefined) {
      t = templateOf.get(row.template) ?? -1;
      if (t < 0) {
        t = templateIds.push(row.template) - 1;
        templateOf.set(row.template, t);
      }
      const link = links.get(`${a}:${t}`) ?? { account: a, template: t, count: 0, rows: 0 };
      link.count += row.count ?? 1;
      link.rows++;
      links.set(`${a}:${t}`, link);
    }
    const cell = cells.get(`${a}:${row.minute}:${t}`) ?? { account: a, minute: row.minute, template: t, count: 0 };
    cell.count += row.count ?? 1;
    cells.set(`${a}:${row.minute}:${t}`, cell);
  }

  const sortedLinks = [...links.values()].sort((x, y) => x.account - y.account || x.template - y.template);
  world.identifiers.template = {
    kind: 'template', size: templateIds.length, ids: templateIds, subkind: new Uint8Array(templateIds.length),
    asn: new Int32Array(0), asns: [], proxy: new Int8Array(0),
  };
  world.links.template = {
    kind: 'template',
    size: sortedLinks.length,
    account: Int32Array.from(sortedLinks, (l) => l.account),
    identifier: Int32Array.from(sortedLinks, (l) => l.template),
    firstSeen: new Float64Array(sortedLinks.length).fill(NaN),
    lastSeen: new Float64Array(sortedLinks.length).fill(NaN),
    count: Float64Array.from(sortedLinks, (l) => l.count),
    rows: Int32Array.from(sortedLinks, (l) => l.rows),
  };

  const sortedCells = [...cells.values()].sort((x, y) => x.account - y.account || x.minute - y.minute || x.template - y.template);
  const accountOffsets = new Int32Array(world.accounts.size + 1);
  for (const cell of sortedCells) accountOffsets[cell.account + 1]++;
  for (let a = 0; a < world.accounts.size; a++) accountOffsets[a + 1] += accountOffsets[a];
  world.activity = {
    cells: sortedCells.length,
    account: Int32Array.from(sortedCells, (c) => c.account),
    minute: Int32Array.from(sortedCells, (c) => c.minute),
    template: Int32Array.from(sortedCells, (c) => c.template),
    count: Float32Array.from(sortedCells, (c) => c.count),
    accountOffsets,
  };
  world.summary.identifiers.template = templateIds.length;
  world.summary.links.template = sortedLinks.length;
  world.summary.exchanges.rows_by_resolution = { minute: timed.length, hour: 0, day: rows.exchanges?.length ?? 0 };
  world.summary.exchanges.activity_cells = sortedCells.length;
  return world;
}

/** A log-normal draw with the given mean and log-space sigma (Box–Muller). */
function logNormal(random: () => number, mean: number, sigma: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return mean * Math.exp(sigma * gaussian - (sigma * sigma) / 2);
}

/**
 * A person's rows: on each of `days` days (from `firstDay`, skipping a day now and then), two or three sittings
 * starting between 08:00 and 20:00 at their UTC offset, each a few exchanges a minute or a few apart (now and then
 * two in one minute), on one of their templates; output tokens vary a lot from answer to answer.
 */
export function personRows(
  account: string,
  options: { seed: number; days: number; firstDay?: number; utcOffsetMinutes?: number; templates: string[]; templateWeights?: number[] },
): TimedRow[] {
  const random = rng(options.seed);
  const rows: TimedRow[] = [];
  const weights = options.templateWeights ?? options.templates.map(() => 1);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const pickTemplate = (): string => {
    let pick = random() * totalWeight;
    for (let i = 0; i < weights.length; i++) if ((pick -= weights[i]) < 0) return options.templates[i];
    return options.templates[options.templates.length - 1];
  };
  for (let d = 0; d < options.days; d++) {
    if (random() < 0.2) continue;
    const sittings = 2 + Math.floor(random() * 2);
    for (let s = 0; s < sittings; s++) {
      const template = pickTemplate();
      const localStart = 8 * 60 + Math.floor(random() * 12 * 60);
      let minute = MINUTE0 + ((options.firstDay ?? 0) + d) * MINUTES_PER_DAY + localStart - (options.utcOffsetMinutes ?? 0);
      const length = 3 + Math.floor(random() * 6);
      for (let i = 0; i < length; i++) {
        if (i > 0 && random() > 0.15) minute += 1 + Math.floor(random() * 5);
        rows.push({ account, minute, template, output: Math.round(logNormal(random, 800, 0.6)) });
      }
    }
  }
  return rows;
}

/**
 * A worker calling every `every` minutes from `from` (minutes since the epoch) for `calls` calls on one template;
 * answers cycle through `answers` (capability and output tokens, fixed per capability; default one capability, 1,000 tokens).
 */
export function fixedRateRows(
  account: string,
  options: { from: number; every: number; calls: number; template: string; answers?: { capability: string; output: number }[] },
): TimedRow[] {
  const answers = options.answers ?? [{ capability: 'software_engineering', output: 1000 }];
  const rows: TimedRow[] = [];
  for (let i = 0; i < options.calls; i++) {
    const answer = answers[i % answers.length];
    rows.push({ account, minute: options.from + i * options.every, template: options.template, capability: answer.capability, output: answer.output });
  }
  return rows;
}

/**
 * measureSynchrony on activity built by hand, where who should be in step is known: operators' dispatcher rounds
 * on a public template that hundreds of people also use are found, the people are not; busy hours, an always-on
 * load and a public event's burst are not spikes (the time-shifted null); fewer than minDays days is not enough.
 */
import type { Activity } from '../../src/core/world';
import { logPoissonTail, measureSynchrony, SYNCHRONY_DEFAULTS } from '../../src/graph/synchrony';

const DAY = 1440;
const START = Math.floor(Date.parse('2026-09-01T00:00:00Z') / 60_000);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** An Activity table from (account, minute, template) events: merged per cell, sorted as the importer sorts. */
function activityOf(events: Array<[number, number, number]>, accountCount: number): Activity {
  const key = (e: [number, number, number]) => `${e[0]}:${e[1]}:${e[2]}`;
  const merged = new Map<string, { e: [number, number, number]; count: number }>();
  for (const e of events) {
    const entry = merged.get(key(e));
    if (entry) entry.count++;
    else merged.set(key(e), { e, count: 1 });
  }
  const cells = [...merged.values()].sort((p, q) => p.e[0] - q.e[0] || p.e[1] - q.e[1] || p.e[2] - q.e[2]);
  const accountOffsets = new Int32Array(accountCount + 1);
  for (const { e } of cells) accountOffsets[e[0] + 1]++;
  for (let a = 0; a < accountCount; a++) accountOffsets[a + 1] += accountOffsets[a];
  return {
    cells: cells.length,
    account: Int32Array.from(cells, (c) => c.e[0]),
    minute: Int32Array.from(cells, (c) => c.e[1]),
    template: Int32Array.from(cells, (c) => c.e[2]),
    count: Float32Array.from(cells, (c) => c.count),
    accountOffsets,
  };
}

const PUBLIC = 0;
const OTHER = 1;
const THIRD = 2;
const TEMPLATES = ['framework-default', 'homework-7'];

describe('measureSynchrony', () => {
  const next = random(11);
  const events: Array<[number, number, number]> = [];
  const operators = Array.from({ length: 40 }, (_, i) => i);
  const people = Array.from({ length: 400 }, (_, i) => 40 + i);
  const alwaysOn = Array.from({ length: 20 }, (_, i) => 440 + i);
  const fewDays = Array.from({ length: 10 }, (_, i) => 460 + i);
  const accountCount = 470;
  const roundWindows = new Set<number>();
  for (let day = 0; day < 20; day++) {
    const base = START + day * DAY;
    // A dispatcher: 60 rounds a day at jittered times; each operator account takes about a third of them.
    for (let round = 0; round < 60; round++) {
      const at = base + Math.floor(round * 24 + next() * 8);
      // The round's windows: a round whose late callers cross a window boundary acts in two.
      roundWindows.add(Math.floor(at / SYNCHRONY_DEFAULTS.windowMinutes)).add(Math.floor((at + 1) / SYNCHRONY_DEFAULTS.windowMinutes));
      for (const a of operators) if (next() < 0.35) events.push([a, at + (next() < 0.2 ? 1 : 0), PUBLIC]);
    }
    // People on the same public template: sittings at daytime hours, a call every few minutes; busier 12:00–14:00.
    for (const a of people) {
      if (next() < 0.4) continue;
      const sittings = 1 + Math.floor(next() * 3);
      for (let s = 0; s < sittings; s++) {
        let at = base + Math.floor((next() < 0.5 ? 720 + next() * 120 : 480 + next() * 720));
        for (let k = 0; k < 4 + next() * 8; k++, at += 1 + Math.floor(next() * 5)) events.push([a, at, PUBLIC]);
      }
    }
    // An always-on load on the other template: every account in every window from 00:00 to 06:00.
    for (let m = 0; m < 360; m += 2) for (const a of alwaysOn) events.push([a, base + m, OTHER]);
    // A public event on day 5: 300 people, 15:00–19:00, evenly spread.
    if (day === 5) for (const a of people.slice(0, 300)) for (let k = 0; k < 6; k++) events.push([a, base + 900 + Math.floor(next() * 240), PUBLIC]);
    // Operators active on only two days (below minDays) in their own dispatcher on the other template.
    if (day < 2) for (let round = 0; round < 30; round++) for (const a of fewDays) events.push([a, base + 400 + round * 30, OTHER]);
  }
  const activity = activityOf(events, accountCount);
  const result = measureSynchrony(activity, TEMPLATES);
  const inStep = (identifier: string) => {
    const id = result.identifiers.ids.indexOf(identifier);
    return new Set(Array.from({ length: result.links.size }, (_, l) => l).filter((l) => result.links.identifier[l] === id).map((l) => result.links.account[l]));
  };

  test('every operator on the dispatcher is in step on the public template', () => {
    const members = inStep('sync:framework-default');
    for (const a of operators) expect(members.has(a)).toBe(true);
  });

  test('no one else is: people on the same template, busy hours, a public event, an always-on load, two days only', () => {
    const everyone = new Set(result.links.account);
    expect([...people, ...alwaysOn, ...fewDays].filter((a) => everyone.has(a))).toEqual([]);
    expect(result.identifiers.ids).toEqual(['sync:framework-default']);
  });

  test('links say when and how much: first and last spike, exchanges in spikes', () => {
    for (let l = 0; l < result.links.size; l++) {
      expect(result.links.firstSeen[l]).toBeGreaterThanOrEqual(START * 60_000);
      expect(result.links.lastSeen[l]).toBeGreaterThan(result.links.firstSeen[l]);
      expect(result.links.count[l]).toBeGreaterThanOrEqual(SYNCHRONY_DEFAULTS.minDays);
    }
    // Most of the 1,200 rounds are spikes (some daytime rounds drown in the people's traffic), and hardly any
    // window is a spike that no round explains: at most the windows the rounds act in, the two-day operators' 60
    // rounds on the other template, and 20 more (10⁻³ per window over ~12,000 windows gives about 12 by chance).
    expect(result.spikes).toBeGreaterThanOrEqual(20 * 60 * 0.8);
    expect(result.spikes).toBeLessThanOrEqual(roundWindows.size + 60 + 20);
  });

  test('activity without templates, or none at all, gives no synchrony', () => {
    const untemplated = activityOf(events.map(([a, m]) => [a, m, -1]), accountCount);
    expect(measureSynchrony(untemplated, TEMPLATES).links.size).toBe(0);
    expect(measureSynchrony(activityOf([], accountCount), TEMPLATES).identifiers.size).toBe(0);
  });
});

test('two dispatchers on one public template are two synchrony identifiers, not one', () => {
  const next = random(5);
  const events: Array<[number, number, number]> = [];
  const first = Array.from({ length: 30 }, (_, i) => i);
  const second = Array.from({ length: 30 }, (_, i) => 30 + i);
  for (let day = 0; day < 15; day++) {
    const base = START + day * DAY;
    // Two timetables: rounds every 30 minutes, the second dispatcher 13 minutes later — and once a day both fire
    // in the same minute.
    for (let round = 0; round < 48; round++) {
      const at = base + round * 30 + Math.floor(next() * 3);
      for (const a of first) if (next() < 0.5) events.push([a, at, PUBLIC]);
      const other = round === 20 ? at : at + 13;
      for (const a of second) if (next() < 0.5) events.push([a, other, PUBLIC]);
    }
    // The template is public: 300 people use it too, in daytime sittings.
    for (let a = 60; a < 360; a++) {
      if (next() < 0.5) continue;
      let at = base + Math.floor(480 + next() * 720);
      for (let k = 0; k < 3 + next() * 6; k++, at += 1 + Math.floor(next() * 4)) events.push([a, at, PUBLIC]);
    }
  }
  const result = measureSynchrony(activityOf(events, 360), TEMPLATES);
  expect(result.identifiers.size).toBe(2);
  const groupOf = new Map(Array.from({ length: result.links.size }, (_, l) => [result.links.account[l], result.links.identifier[l]]));
  expect(new Set(first.map((a) => groupOf.get(a))).size).toBe(1);
  expect(new Set(second.map((a) => groupOf.get(a))).size).toBe(1);
  expect(groupOf.get(first[0])).not.toBe(groupOf.get(second[0]));
  expect(result.identifiers.ids.every((id) => id.startsWith('sync:framework-default#'))).toBe(true);
});

test('logPoissonTail matches the exact tail sum', () => {
  const exact = (n: number, lambda: number) => {
    let term = Math.exp(-lambda);
    let below = 0;
    for (let k = 0; k < n; k++) {
      below += term;
      term *= lambda / (k + 1);
    }
    return Math.log(1 - below);
  };
  for (const [n, lambda] of [[5, 1], [10, 2.5], [20, 3]] as const) {
    // The geometric bound is an upper bound on the tail, within a few percent here.
    expect(logPoissonTail(n, lambda)).toBeGreaterThanOrEqual(exact(n, lambda) - 1e-9);
    expect(logPoissonTail(n, lambda) - exact(n, lambda)).toBeLessThan(0.05);
  }
  expect(logPoissonTail(3, 0)).toBe(-Infinity);
});

/** Daytime sittings of `count` people from account `from` on `template`, every day: the public traffic of a template. */
function peopleOn(events: Array<[number, number, number]>, next: () => number, from: number, count: number, template: number, days: number): void {
  for (let day = 0; day < days; day++) {
    for (let a = from; a < from + count; a++) {
      if (next() < 0.5) continue;
      let at = START + day * DAY + Math.floor(480 + next() * 720);
      for (let k = 0; k < 3 + next() * 6; k++, at += 1 + Math.floor(next() * 4)) events.push([a, at, template]);
    }
  }
}

/** The accounts linked to each synchrony identifier, by id. */
function membersById(result: ReturnType<typeof measureSynchrony>): Map<string, Set<number>> {
  const members = new Map<string, Set<number>>();
  for (let l = 0; l < result.links.size; l++) {
    const id = result.identifiers.ids[result.links.identifier[l]];
    if (!members.has(id)) members.set(id, new Set());
    members.get(id)!.add(result.links.account[l]);
  }
  return members;
}

test('a small dispatcher between a big one\'s rounds on the same public template is in step: other spikes are not its null', () => {
  // A big operator fires a round of ~150 accounts every 6 minutes; a small one, ~20 accounts every 16 minutes, in
  // the windows between. Counted in the small one's null, the big rounds (≈ 9 of its 28 neighbours) make λ ≈ 50 and
  // none of its rounds is a spike; left out, λ is the people's traffic and every one is.
  const next = random(5);
  const events: Array<[number, number, number]> = [];
  const big = Array.from({ length: 300 }, (_, i) => i);
  const small = Array.from({ length: 40 }, (_, i) => 300 + i);
  for (let day = 0; day < 10; day++) {
    const base = START + day * DAY;
    for (let m = 0; m < DAY; m += 6) for (const a of big) if (next() < 0.5) events.push([a, base + m, PUBLIC]);
    for (let m = 3; m < DAY; m += 16) {
      const at = m % 6 === 0 ? m + 2 : m; // never in a big round's window
      for (const a of small) if (next() < 0.5) events.push([a, base + at, PUBLIC]);
    }
  }
  peopleOn(events, next, 340, 300, PUBLIC, 10);
  const members = membersById(measureSynchrony(activityOf(events, 640), TEMPLATES));
  const holding = [...members.values()].filter((set) => small.some((a) => set.has(a)));
  expect(holding).toHaveLength(1);
  expect(small.every((a) => holding[0].has(a))).toBe(true);
  expect(big.some((a) => holding[0].has(a))).toBe(false);
  expect([...members.values()].some((set) => [...set].some((a) => a >= 340))).toBe(false);
});

test('two shifts of one dispatcher are one identifier; operators on other hours or the same hours are not joined to them', () => {
  // One dispatcher round every 20 minutes, all day; accounts 0–19 work 08:00–20:00, accounts 20–39 20:00–08:00.
  // They never act in the same window, yet each day one shift stops where the other starts.
  // Another operator (40–59) works 14:00–17:00 on its own rounds: inside the day shift's hours, not a handover.
  // On the other template, two operators work 01:00–05:00 (60–79) and 13:00–17:00 (80–99): hours apart.
  // (Accounts 100–699 and 780–1079 are people; the operators that are not shifts are described below.)
  const next = random(9);
  const events: Array<[number, number, number]> = [];
  const dayShift = Array.from({ length: 20 }, (_, i) => i);
  const nightShift = Array.from({ length: 20 }, (_, i) => 20 + i);
  const afternoon = Array.from({ length: 20 }, (_, i) => 40 + i);
  const early = Array.from({ length: 20 }, (_, i) => 60 + i);
  const late = Array.from({ length: 20 }, (_, i) => 80 + i);
  const rounds = (base: number, from: number, to: number, every: number, offset: number, accounts: number[], template: number) => {
    for (let m = from + offset; m < to; m += every) {
      const at = base + (m % DAY) + Math.floor(next() * 4);
      for (const a of accounts) if (next() < 0.6) events.push([a, at, template]);
    }
  };
  for (let day = 0; day < 12; day++) {
    const base = START + day * DAY;
    rounds(base, 480, 1200, 20, 0, dayShift, PUBLIC);
    rounds(base, 1200, 1920, 20, 0, nightShift, PUBLIC);
    rounds(base, 840, 1020, 15, 7, afternoon, PUBLIC);
    rounds(base, 60, 300, 20, 0, early, OTHER);
    rounds(base, 780, 1020, 20, 0, late, OTHER);
  }
  // Not shifts: on the other template an operator (700–719) that runs 08:00–08:40 and 20:00–20:40 — two blocks
  // with eleven idle hours between, not one shift that could hand over to anyone; on a third template two
  // operators on the same hours (720–739 and 740–759, 08:00–12:00, rounds ten minutes apart) that both stop where
  // a third (760–779, 12:00–16:00) starts: the third may join one of them, never both.
  const twice = Array.from({ length: 20 }, (_, i) => 700 + i);
  const [morningA, morningB, noon] = [720, 740, 760].map((from) => Array.from({ length: 20 }, (_, i) => from + i));
  for (let day = 0; day < 12; day++) {
    const base = START + day * DAY;
    rounds(base, 480, 520, 10, 0, twice, OTHER);
    rounds(base, 1200, 1240, 10, 0, twice, OTHER);
    rounds(base, 480, 720, 20, 0, morningA, THIRD);
    rounds(base, 480, 720, 20, 10, morningB, THIRD);
    rounds(base, 720, 960, 20, 0, noon, THIRD);
  }
  peopleOn(events, next, 100, 300, PUBLIC, 12);
  peopleOn(events, next, 400, 300, OTHER, 12);
  peopleOn(events, next, 780, 300, THIRD, 12);
  const members = membersById(measureSynchrony(activityOf(events, 1080), [...TEMPLATES, 'third']));
  const holder = (accounts: number[]) => {
    const ids = [...members].filter(([, set]) => accounts.some((a) => set.has(a)));
    expect(ids).toHaveLength(1);
    expect(accounts.every((a) => ids[0][1].has(a))).toBe(true);
    return ids[0][0];
  };
  const shifts = holder(dayShift);
  expect(holder(nightShift)).toBe(shifts);
  expect(holder(afternoon)).not.toBe(shifts);
  expect(holder(early)).not.toBe(holder(late));
  expect([holder(early), holder(late)]).not.toContain(holder(twice));
  expect(holder(morningA)).not.toBe(holder(morningB));
  const people = (a: number) => (a >= 100 && a < 700) || a >= 780;
  expect([...members.values()].some((set) => [...set].some(people))).toBe(false);
});

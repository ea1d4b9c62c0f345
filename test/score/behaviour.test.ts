import { profileClusters, DEFAULTS } from '../../src/score';
import type { ClusterProfile } from '../../src/score';
import { buildWorld, partitionOf, scenarioRows, DAY0 } from './fixtures';
import { buildTimedWorld, fixedRateRows, personRows, MINUTE0, MINUTES_PER_DAY, type TimedRow } from './timed-fixtures';

const BEHAVIOUR_CODES = ['TEMPLATE_CONCENTRATION', 'EVENLY_SPACED_CALLS', 'HANDOFFS', 'ROUND_THE_CLOCK', 'UNIFORM_TOKEN_SIZES'];
const behaviourReasons = (c: ClusterProfile) => c.reasons.filter((r) => BEHAVIOUR_CODES.includes(r.code));
const reason = (c: ClusterProfile, code: string) => c.reasons.find((r) => r.code === code);

/**
 * Independent of src/score/behaviour.ts: sessions and hand-offs from the timed rows by all pairs, the way
 * docs/risk-model.md words them (a working session — two or more active minutes — ends one mean gap after its last
 * minute; a hand-off is another member's session starting 0–2 minutes after that; the null is the same count 3–14
 * minutes after, per 3-minute window).
 */
function handoffsByAllPairs(rows: TimedRow[], members: string[]): { sessions: number; perSession: number; expectedPerSession: number } {
  const sessions: { member: string; start: number; stop: number | null }[] = [];
  for (const member of members) {
    const minutes = [...new Set(rows.filter((r) => r.account === member).map((r) => r.minute))].sort((x, y) => x - y);
    let first = 0;
    for (let i = 0; i < minutes.length; i++) {
      if (i === 0 || minutes[i] - minutes[i - 1] > 15) first = i;
      if (i === minutes.length - 1 || minutes[i + 1] - minutes[i] > 15) {
        const calls = i - first + 1;
        const meanGap = calls > 1 ? (minutes[i] - minutes[first]) / (calls - 1) : 0;
        sessions.push({ member, start: minutes[first], stop: calls > 1 ? minutes[i] + Math.round(meanGap) : null });
      }
    }
  }
  let observed = 0;
  let flanks = 0;
  for (const started of sessions) {
    for (const ended of sessions) {
      if (started.member === ended.member || ended.stop === null) continue;
      const lag = started.start - ended.stop;
      if (lag >= 0 && lag <= 2) observed++;
      else if (lag >= 3 && lag <= 14) flanks++;
    }
  }
  return { sessions: sessions.length, perSession: observed / sessions.length, expectedPerSession: flanks / 4 / sessions.length };
}

/** Median over members (with ≥ 8 same-day gaps) of the CV of gaps between distinct active minutes, from the rows. */
function medianGapCv(rows: TimedRow[], members: string[]): number {
  const cvs: number[] = [];
  for (const member of members) {
    const minutes = [...new Set(rows.filter((r) => r.account === member).map((r) => r.minute))].sort((x, y) => x - y);
    const gaps: number[] = [];
    for (let i = 1; i < minutes.length; i++) {
      if (Math.floor(minutes[i] / MINUTES_PER_DAY) === Math.floor(minutes[i - 1] / MINUTES_PER_DAY)) gaps.push(minutes[i] - minutes[i - 1]);
    }
    if (gaps.length < 8) continue;
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    cvs.push(sd / mean);
  }
  cvs.sort((x, y) => x - y);
  const middle = cvs.length >> 1;
  return cvs.length % 2 ? cvs[middle] : (cvs[middle - 1] + cvs[middle]) / 2;
}

describe('behaviour profile: fixed-rate workers, a relay, people, a class, and accounts without minute data', () => {
  const timed: TimedRow[] = [];
  const group = (prefix: string, size: number) => Array.from({ length: size }, (_, i) => `${prefix}-${i}`);
  const ordinary = group('user', 40);
  const bots = group('bot', 12);
  const relay = group('relay', 8);
  const team = group('dev', 15);
  const students = group('student', 20);
  const legacy = group('old', 6);
  // People packed into two days: their active minutes are dense in their time span, so hand-offs are counted per minute.
  const busy = group('busy', 40);
  const offsets = [-300, 0, 60, 330, 540];
  ordinary.forEach((id, i) => {
    timed.push(...personRows(id, { seed: 100 + i, days: 10, utcOffsetMinutes: offsets[i % offsets.length], templates: [`${id}-a`, `${id}-b`, 'popular-agent'], templateWeights: [3, 2, 1] }));
  });
  // Every 3 minutes around the clock for 5 days, one template; phases 0–2 minutes. Answers alternate between two
  // capabilities of fixed but different sizes (uniform within each).
  const answers = [{ capability: 'software_engineering', output: 1000 }, { capability: 'agentic_reasoning', output: 3000 }];
  bots.forEach((id, i) => timed.push(...fixedRateRows(id, { from: MINUTE0 + (i % 3), every: 3, calls: 5 * 480, template: 'harness-1', answers })));
  // A relay: each account works one 3-hour turn a day, every 3 minutes; the next account's first call comes when
  // the previous one's next call would have.
  relay.forEach((id, i) => {
    for (let d = 0; d < 5; d++) timed.push(...fixedRateRows(id, { from: MINUTE0 + d * MINUTES_PER_DAY + i * 180, every: 3, calls: 60, template: 'relay-job' }));
  });
  team.forEach((id, i) => {
    timed.push(...personRows(id, { seed: 200 + i, days: 10, utcOffsetMinutes: 60, templates: [`${id}-a`, `${id}-b`, `${id}-c`, 'team-review'], templateWeights: [2, 2, 2, 1] }));
  });
  busy.forEach((id, i) => timed.push(...personRows(id, { seed: 400 + i, days: 2, templates: [`${id}-a`, `${id}-b`] })));
  // A class: on 5 days at 09:00 UTC every student works the teacher's template for a while, and otherwise lives their own life.
  students.forEach((id, i) => {
    timed.push(...personRows(id, { seed: 300 + i, days: 10, utcOffsetMinutes: 0, templates: [`${id}-own`] }));
    for (let d = 0; d < 5; d++) {
      let minute = MINUTE0 + d * MINUTES_PER_DAY + 9 * 60 + ((i * 7 + d * 3) % 11);
      for (let k = 0; k < 3 + ((i + d) % 6); k++) {
        timed.push({ account: id, minute, template: 'homework-7', output: 600 + ((i * 37 + k * 101) % 500) });
        minute += 1 + ((i + k) % 3);
      }
    }
  });
  const world = buildTimedWorld(
    {
      accounts: [...ordinary, ...bots, ...relay, ...team, ...students, ...legacy, ...busy].map((id) => ({ id })),
      // The old-style accounts' exchanges are dates only: no minute, no template.
      exchanges: legacy.flatMap((id) => Array.from({ length: 10 }, (_, d) => ({ account: id, day: DAY0 + d, capability: 'software_engineering', count: 5, output: 4000 }))),
    },
    timed,
  );
  const partition = partitionOf(world, [bots, relay, team, students, legacy, busy]);
  const { clusters, baseline } = profileClusters(world, partition);
  const byId = Object.fromEntries(clusters.map((c) => [c.cluster_id, c]));
  const [fixedRate, relayed, people, classroom, old, packed] = ['C0001', 'C0002', 'C0003', 'C0004', 'C0005', 'C0006'].map((id) => byId[id]);

  test('fixed-rate workers: evenly spaced (CV 0), one template, round the clock (a flat day puts 6/24 in any 6 hours), answer sizes fixed per capability', () => {
    const b = fixedRate.behaviour;
    expect(b.active_members).toBe(12);
    expect(b.active_minutes).toBe(12 * 2400);
    expect(b.interarrival_cv).toBe(0);
    expect(b.rhythm_members).toBe(12);
    expect(b.templates).toBe(1);
    expect(b.top_template_share).toBe(1);
    expect(b.templated_exchanges).toBe(12 * 2400);
    expect(b.quiet_hours_share).toBe(0.25);
    // Spread is measured within a capability: 1,000 and 3,000 tokens for two kinds of task is no spread at all.
    expect(b.output_token_cv).toBe(0);
    expect(b.token_cells).toBe(12 * 5 * 2);
    // Each worker's calls run on across midnight: one session each, too few to read hand-offs from.
    expect(b.sessions).toBe(12);
  });

  test('people: bursty gaps, several templates, a day with nights, answers of every size', () => {
    const b = people.behaviour;
    expect(b.interarrival_cv!).toBeGreaterThan(1);
    expect(b.interarrival_cv).toBeCloseTo(medianGapCv(timed, team), 12);
    expect(b.top_template_share!).toBeLessThan(0.4);
    expect(b.templates).toBe(15 * 3 + 1);
    expect(b.quiet_hours_share).toBe(0);
    expect(b.output_token_cv!).toBeGreaterThan(0.4);
    expect(behaviourReasons(people)).toEqual([]);
  });

  test('the baseline describes ordinary accounts with minute-level activity', () => {
    const b = baseline.behaviour;
    // Pass 2 leaves out the medium/high clusters (the workers and the relay); the people, the class and the old-style accounts stay in.
    const flagged = clusters.filter((c) => c.tier !== 'low').map((c) => c.cluster_id);
    expect(flagged.sort()).toEqual(['C0001', 'C0002']);
    const inFlagged = new Set([...bots, ...relay]);
    expect(b.accounts).toBe(new Set(timed.filter((r) => !inFlagged.has(r.account)).map((r) => r.account)).size);
    expect(b.interarrival_cv!).toBeGreaterThan(1);
    expect(b.quiet_hours_share).toBe(0);
    expect(b.top_template_share!).toBeLessThan(0.3);
    expect(b.output_token_cv!).toBeGreaterThan(0.4);
  });

  test('the fixed-rate cluster gets each behaviour reason with its number beside the platform figure, capped together at 20 points', () => {
    const concentration = reason(fixedRate, 'TEMPLATE_CONCENTRATION')!;
    expect(concentration).toMatchObject({ value: 1, baseline: baseline.behaviour.top_template_share });
    expect(concentration.text).toMatch(/^100% of the cluster's templated exchanges use its top 3 of 1 request templates vs \d+% on the platform's top 3 for ordinary accounts$/);
    const spacing = reason(fixedRate, 'EVENLY_SPACED_CALLS')!;
    expect(spacing).toMatchObject({ value: 0, baseline: baseline.behaviour.interarrival_cv });
    expect(spacing.text).toMatch(/is 0\.00 over 12 accounts .* vs \d\.\d\d for ordinary accounts$/);
    expect(reason(fixedRate, 'ROUND_THE_CLOCK')).toMatchObject({ value: 0.25, baseline: 0 });
    expect(reason(fixedRate, 'UNIFORM_TOKEN_SIZES')).toMatchObject({ value: 0, baseline: baseline.behaviour.output_token_cv });
    expect(reason(fixedRate, 'HANDOFFS')).toBeUndefined();
    // Full strength on all four: 8 + 8 + 6 + 5 = 27, scaled to the cap.
    const points = behaviourReasons(fixedRate).map((r) => r.points);
    expect(points).toEqual([5.9, 5.9, 4.4, 3.7]);
    expect(fixedRate.risk).toBe(Math.round(fixedRate.reasons.reduce((s, r) => s + r.points, 0)));
  });

  test('the relay: one account takes over as the previous one stops, far above the same sessions at 3–14 minutes', () => {
    const b = relayed.behaviour;
    // 8 turns × 5 days; every turn but the very first starts as the previous turn (same day, or the last of the day before) ends.
    expect(b.sessions).toBe(40);
    expect(b.handoffs_per_session).toBe(39 / 40);
    expect(b.expected_handoffs_per_session).toBe(0);
    expect(b.quiet_hours_share).toBe(0);
    const handoffs = reason(relayed, 'HANDOFFS')!;
    expect(handoffs).toMatchObject({ value: 39 / 40, baseline: 0 });
    expect(handoffs.text).toBe(
      "members take over from one another: 0.97 hand-offs per session (a session starting 0–2 minutes after another member's stopped, when its next call was due) vs 0.00 expected from the same 40 sessions 3–14 minutes apart",
    );
    // 8 members on templates: fewer than the 10 a template concentration needs.
    expect(reason(relayed, 'TEMPLATE_CONCENTRATION')).toBeUndefined();
    expect(behaviourReasons(relayed).map((r) => r.code).sort()).toEqual(['EVENLY_SPACED_CALLS', 'HANDOFFS', 'UNIFORM_TOKEN_SIZES']);
  });

  test('hand-offs and their null model agree with an all-pairs count: sparse clusters (sorted ends) and dense ones (ends per minute)', () => {
    const span = (members: string[]) => {
      const minutes = timed.filter((r) => members.includes(r.account)).map((r) => r.minute);
      return Math.max(...minutes) + 15 - Math.min(...minutes) + 1;
    };
    // Which way each is counted: dense when the span is at most 4× the active minutes.
    expect([people, classroom, relayed, packed].map((c, i) => span([team, students, relay, busy][i]) <= 4 * c.behaviour.active_minutes)).toEqual([false, false, true, true]);
    for (const [cluster, members] of [[people, team], [classroom, students], [relayed, relay], [packed, busy]] as const) {
      const expected = handoffsByAllPairs(timed, members);
      expect(cluster.behaviour.sessions).toBe(expected.sessions);
      expect(cluster.behaviour.handoffs_per_session).toBeCloseTo(expected.perSession, 12);
      expect(cluster.behaviour.expected_handoffs_per_session).toBeCloseTo(expected.expectedPerSession, 12);
    }
  });

  test('a class on the teacher\'s template at the same hour stays low risk: at most the template reason', () => {
    expect(classroom.tier).toBe('low');
    expect(behaviourReasons(classroom).map((r) => r.code).filter((code) => code !== 'TEMPLATE_CONCENTRATION')).toEqual([]);
    expect(reason(classroom, 'HANDOFFS')).toBeUndefined();
  });

  test('accounts whose exchanges are dates only get null measures and no behaviour reasons', () => {
    expect(old.behaviour).toEqual({
      active_members: 0, active_minutes: 0, templated_members: 0, templated_exchanges: 0, templates: 0, top_template_share: null,
      rhythm_members: 0, interarrival_cv: null, sessions: 0, handoffs_per_session: null, expected_handoffs_per_session: null,
      quiet_hours_share: null, token_cells: 0, output_token_cv: null,
    });
    expect(behaviourReasons(old)).toEqual([]);
  });

  test('no cluster collects more than the behaviour cap', () => {
    for (const c of clusters) {
      expect(behaviourReasons(c).reduce((s, r) => s + r.points, 0)).toBeLessThanOrEqual(DEFAULTS.behaviour.maxPoints + 0.1);
    }
  });
});

describe('an export without minute-level activity scores as before the behaviour profile existed', () => {
  const { rows, groups } = scenarioRows();
  const world = buildWorld(rows);
  const { clusters, baseline } = profileClusters(world, partitionOf(world, [groups.swarm, groups.enterprise, groups.campus]));

  test('every behaviour measure is null and the baseline has no behaviour accounts', () => {
    expect(baseline.behaviour).toEqual({ accounts: 0, top_template_share: null, interarrival_cv: null, quiet_hours_share: null, output_token_cv: null });
    for (const c of clusters) {
      expect(c.behaviour.active_members).toBe(0);
      expect(Object.values(c.behaviour).filter((v) => v !== null && v !== 0)).toEqual([]);
    }
  });

  // Pinned from the scoring before behaviour; re-pinned when capability targeting began to discount the distance a
  // random group of the same effective size shows by chance, and DECLARED_ORGANISATION began to discount what one
  // organisation explains (risks unchanged: 100, 0, 0). No behaviour reason may appear here.
  test('risks and reasons are those of the scoring before behaviour (pinned from it)', () => {
    expect(clusters.map((c) => [c.cluster_id, c.risk, c.reasons.map((r) => `${r.code} ${r.points}`)])).toEqual([
      ['C0001', 100, ['SHARED_PREPAID_CARDS 25', 'AUTOMATION_FINGERPRINTS 20', 'PROXY_EXITS 15', 'BURST_CREATION 15', 'CAPABILITY_TARGETING 15', 'HEAVY_USE 10', 'LARGE_VOLUME_SHARE 10', 'SYNCHRONISED_ACTIVITY 5']],
      ['C0002', 0, ['CAPABILITY_TARGETING 8.7', 'LARGE_VOLUME_SHARE 5.8', 'SYNCHRONISED_ACTIVITY 4.3', 'CORPORATE_CARD -20', 'ORGANIC_CREATION_SPREAD -15', 'SINGLE_NETWORK_NO_PROXY -10', 'ORGANISATION_EMAIL_DOMAIN -10', 'DECLARED_ORGANISATION -2.1']],
      ['C0003', 0, ['CAPABILITY_TARGETING 13.5', 'LARGE_VOLUME_SHARE 0.5', 'ORGANIC_CREATION_SPREAD -15', 'SINGLE_NETWORK_NO_PROXY -10']],
    ]);
  });
});

describe('hand-off counting with lone calls and own earlier sessions inside the null windows', () => {
  // Each poller: six calls 10 minutes apart (a working session ending at minute 60 of its cycle), a lone call at
  // minute 71 (its own previous end 11 minutes before it, inside a null window), then the next cycle at minute 100.
  // Pollers are 7 minutes out of phase, on their own templates.
  const pollerRows = (count: number, cycles: number): TimedRow[] => {
    const rows: TimedRow[] = [];
    for (let i = 0; i < count; i++) {
      for (let cycle = 0; cycle < cycles; cycle++) {
        const at = MINUTE0 + 7 * i + 100 * cycle;
        for (const offset of [0, 10, 20, 30, 40, 50, 71]) rows.push({ account: `poller-${i}`, minute: at + offset, template: `poll-${i}`, output: 500 + 37 * offset });
      }
    }
    return rows;
  };
  const pollers = Array.from({ length: 10 }, (_, i) => `poller-${i}`);

  test.each([
    ['per minute (dense: the pollers fill one day)', pollerRows(10, 14)],
    // One call a month later stretches the span past 4× the active minutes: the sorted path.
    ['sorted (sparse)', [...pollerRows(10, 14), { account: 'poller-0', minute: MINUTE0 + 30 * MINUTES_PER_DAY, template: 'poll-0' }]],
  ])('counted %s, as the all-pairs count gives', (_path, rows) => {
    const people = Array.from({ length: 8 }, (_, i) => `user-${i}`);
    const timed = [...rows, ...people.flatMap((id, i) => personRows(id, { seed: 50 + i, days: 5, templates: [`${id}-t`] }))];
    const world = buildTimedWorld({ accounts: [...pollers, ...people].map((id) => ({ id })) }, timed);
    const [cluster] = profileClusters(world, partitionOf(world, [pollers])).clusters;
    const expected = handoffsByAllPairs(timed, pollers);
    expect(cluster.behaviour.sessions).toBe(expected.sessions);
    expect(cluster.behaviour.handoffs_per_session).toBeCloseTo(expected.perSession, 12);
    expect(cluster.behaviour.expected_handoffs_per_session).toBeCloseTo(expected.expectedPerSession, 12);
    // A round-robin with no take-over: hand-offs at 0–2 minutes are no likelier than at 3–14.
    expect(cluster.behaviour.handoffs_per_session!).toBeLessThan(cluster.behaviour.expected_handoffs_per_session! + 0.15);
  });
});

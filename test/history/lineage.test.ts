import { counterAllocator, traceLineage, type DormantCluster, type LineageCluster } from '../../src/sweep/history/lineage';

/** Accounts prefix0 … prefix(n-1), zero-padded so string order is numeric order. */
function accounts(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${prefix}${String(i).padStart(5, '0')}`);
  return out;
}

function previousCluster(id: string, members: string[], risk = 50): LineageCluster {
  return { cluster_id: id, accounts: members, risk, tier: 'medium' };
}

function currentCluster(members: string[], risk = 50): LineageCluster {
  return { cluster_id: '', accounts: members, risk, tier: 'medium' };
}

function byId(result: ReturnType<typeof traceLineage>, id: string) {
  const event = result.events.find((candidate) => candidate.cluster_id === id);
  if (!event) throw new Error(`no event for ${id}: ${JSON.stringify(result.events.map((e) => e.cluster_id))}`);
  return event;
}

describe('lineage between two sweeps', () => {
  it('keeps the id of a cluster that grew by 20% and calls it grown, with the joined count', () => {
    const before = [previousCluster('C0001', accounts('s', 0, 1000))];
    const after = [currentCluster(accounts('s', 0, 1200))];
    const result = traceLineage(before, after, counterAllocator(2));
    expect(result.ids).toEqual(['C0001']);
    expect(result.events[0]).toMatchObject({ event: 'grown', accounts_before: 1000, accounts_after: 1200, joined: 200, left: 0, previous_id: 'C0001' });
    expect(result.events[0].jaccard).toBeCloseTo(1000 / 1200, 10);
  });

  it('calls a cluster that lost more than the threshold shrunk, and small churn unchanged', () => {
    const before = [previousCluster('C0001', accounts('a', 0, 100)), previousCluster('C0002', accounts('b', 0, 100))];
    // a: 100 → 80 (−20%): shrunk. b: 5 leave, 5 join (size 100, |Δ| = 0): unchanged, churn still reported.
    const after = [currentCluster(accounts('a', 0, 80)), currentCluster([...accounts('b', 5, 100), ...accounts('b', 100, 105)])];
    const result = traceLineage(before, after, counterAllocator(3));
    expect(result.ids).toEqual(['C0001', 'C0002']);
    expect(byId(result, 'C0001')).toMatchObject({ event: 'shrunk', left: 20, joined: 0 });
    expect(byId(result, 'C0002')).toMatchObject({ event: 'unchanged', left: 5, joined: 5 });
  });

  it('gives a new cluster a fresh id past every id handed out before, and lists a vanished one as dormant', () => {
    const before = [previousCluster('C0001', accounts('a', 0, 50)), previousCluster('C0007', accounts('b', 0, 40))];
    const after = [currentCluster(accounts('a', 0, 50)), currentCluster(accounts('n', 0, 30))];
    // The state's counter is at 9: C0008 was handed out once and retired; it must not come back.
    const result = traceLineage(before, after, counterAllocator(9));
    expect(result.ids).toEqual(['C0001', 'C0009']);
    expect(byId(result, 'C0001').event).toBe('unchanged');
    expect(byId(result, 'C0009')).toMatchObject({ event: 'new', accounts_before: 0, joined: 30, previous_id: null });
    expect(byId(result, 'C0007')).toMatchObject({ event: 'dormant', accounts_before: 40, accounts_after: 0, left: 40 });
    expect(result.events.map((event) => event.cluster_id)).toEqual(['C0001', 'C0009', 'C0007']);
  });

  it('hands a dormant id back to a cluster that links to nothing in the previous sweep but to a dormant cluster', () => {
    const before = [previousCluster('C0002', accounts('a', 0, 50))];
    const pool: DormantCluster[] = [
      { cluster_id: 'C0001', accounts: accounts('s', 0, 100), risk: 80, tier: 'high', last_seen_sweep: 'W1' },
      { cluster_id: 'C0003', accounts: accounts('x', 0, 10), risk: 10, tier: 'low', last_seen_sweep: 'W2' },
    ];
    // s returns (90 of its 100 plus 5 new); a continues; x's accounts are in a's continuation, not a cluster of their own.
    const after = [currentCluster([...accounts('s', 10, 100), ...accounts('s', 200, 205)]), currentCluster(accounts('a', 0, 50))];
    const result = traceLineage(before, after, counterAllocator(4), {}, pool);
    expect(result.ids).toEqual(['C0001', 'C0002']);
    expect(byId(result, 'C0001')).toMatchObject({
      event: 'returned',
      previous_id: 'C0001',
      last_seen_sweep: 'W1',
      accounts_before: 100,
      accounts_after: 95,
      joined: 5,
      left: 10,
      risk_before: 80,
      parents: [{ cluster_id: 'C0001', shared: 90 }],
    });
    expect(byId(result, 'C0002').event).toBe('unchanged');
    // A cluster linked to the previous sweep never takes a dormant id, and the pool is ignored at dormantSweeps 0.
    const linked = traceLineage([previousCluster('C0005', accounts('s', 0, 100))], [currentCluster(accounts('s', 0, 100))], counterAllocator(6), {}, pool);
    expect(linked.ids).toEqual(['C0005']);
    const off = traceLineage(before, after, counterAllocator(4), { dormantSweeps: 0 }, pool);
    expect(off.ids).toEqual(['C0004', 'C0002']);
    expect(byId(off, 'C0004').event).toBe('new');
  });

  it('counts an account for every dormant cluster that held it (the pool mixes sweeps, so clusters may overlap)', () => {
    const a = accounts('x', 0, 10);
    const b = [...accounts('x', 0, 4), ...accounts('y', 0, 6)];
    // B was last seen after A (newest first in the pool) and shares 4 of A's accounts.
    const pool: DormantCluster[] = [
      { cluster_id: 'C0009', accounts: b, risk: 50, tier: 'medium', last_seen_sweep: 'W4' },
      { cluster_id: 'C0001', accounts: a, risk: 90, tier: 'high', last_seen_sweep: 'W2' },
    ];
    const whole = traceLineage([], [currentCluster(a)], counterAllocator(10), {}, pool);
    expect(whole.ids).toEqual(['C0001']);
    expect(whole.events[0]).toMatchObject({ event: 'returned', joined: 0, left: 0, jaccard: 1, parents: [{ cluster_id: 'C0001', shared: 10 }] });
    const part = traceLineage([], [currentCluster(accounts('x', 0, 6))], counterAllocator(10), {}, pool);
    expect(part.ids).toEqual(['C0001']);
    expect(part.events[0]).toMatchObject({ event: 'returned', parents: [{ cluster_id: 'C0001', shared: 6 }] });
  });

  it('merges two clusters under the id of the parent that contributed the most members', () => {
    const before = [previousCluster('C0001', accounts('small', 0, 60)), previousCluster('C0002', accounts('big', 0, 300))];
    const after = [currentCluster([...accounts('small', 0, 60), ...accounts('big', 0, 300)])];
    const result = traceLineage(before, after, counterAllocator(3));
    expect(result.ids).toEqual(['C0002']);
    const event = byId(result, 'C0002');
    expect(event.event).toBe('merged');
    expect(event.parents).toEqual([
      { cluster_id: 'C0002', shared: 300 },
      { cluster_id: 'C0001', shared: 60 },
    ]);
    // The absorbed id is retired, not dormant: its accounts live on in C0002.
    expect(result.retired).toEqual(['C0001']);
    expect(result.events.some((candidate) => candidate.event === 'dormant')).toBe(false);
  });

  it('recognises a small cluster swallowed by a huge one as a merge, although their Jaccard is tiny', () => {
    const before = [previousCluster('C0001', accounts('huge', 0, 20000)), previousCluster('C0002', accounts('tiny', 0, 20))];
    const after = [currentCluster([...accounts('huge', 0, 20000), ...accounts('tiny', 0, 20)])];
    const result = traceLineage(before, after, counterAllocator(3));
    expect(result.ids).toEqual(['C0001']);
    expect(byId(result, 'C0001').event).toBe('merged');
    expect(result.retired).toEqual(['C0002']);
  });

  it('splits a cluster: the child holding the most members keeps the id, the others are new ids with event split', () => {
    const before = [previousCluster('C0004', accounts('x', 0, 300))];
    const after = [currentCluster(accounts('x', 200, 300)), currentCluster(accounts('x', 0, 180))];
    const result = traceLineage(before, after, counterAllocator(5));
    expect(result.ids).toEqual(['C0005', 'C0004']);
    expect(byId(result, 'C0004')).toMatchObject({ event: 'split', accounts_before: 300, accounts_after: 180, left: 120 });
    expect(byId(result, 'C0005')).toMatchObject({ event: 'split', parents: [{ cluster_id: 'C0004', shared: 100 }], previous_id: null });
  });

  it('breaks an exact tie deterministically (older id first; child with the smaller first account), whatever the input order', () => {
    const left = accounts('p', 0, 50);
    const right = accounts('q', 0, 50);
    const before = [previousCluster('C0010', [...left, ...right])];
    const forward = traceLineage(before, [currentCluster(left), currentCluster(right)], counterAllocator(11));
    const backward = traceLineage(before, [currentCluster(right), currentCluster(left)], counterAllocator(11));
    expect(forward.ids).toEqual(['C0010', 'C0011']);
    expect(backward.ids).toEqual(['C0011', 'C0010']);
  });

  it('does not link clusters that share less than the threshold of the smaller one', () => {
    // 10 of 100 shared (10%) < 50%: the old cluster is dormant and the new one is new.
    const before = [previousCluster('C0001', accounts('a', 0, 100))];
    const after = [currentCluster([...accounts('a', 0, 10), ...accounts('z', 0, 90)])];
    const result = traceLineage(before, after, counterAllocator(2));
    expect(result.ids).toEqual(['C0002']);
    expect(byId(result, 'C0002').event).toBe('new');
    expect(byId(result, 'C0001').event).toBe('dormant');
  });

  it('honours the growth threshold parameters and records them', () => {
    const before = [previousCluster('C0001', accounts('a', 0, 100))];
    const after = [currentCluster(accounts('a', 0, 115))];
    expect(traceLineage(before, after, counterAllocator(2)).events[0].event).toBe('grown');
    const strict = traceLineage(before, after, counterAllocator(2), { growthRatio: 0.2 });
    expect(strict.events[0].event).toBe('unchanged');
    expect(strict.parameters.growthRatio).toBe(0.2);
  });

  it('hands every previous id to at most one cluster and never repeats an id (property, random merges/splits/churn)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let linkedRounds = 0;
    for (let round = 0; round < 40; round++) {
      const before = Array.from({ length: 8 }, (_, index) =>
        previousCluster(`C${String(index + 1).padStart(4, '0')}`, accounts(`r${index}-`, 0, 20 + Math.floor(random() * 80))),
      );
      // Next week: each cluster is kept, split in two, merged into the following one, or vanishes; 10% churn.
      const after: string[][] = [];
      for (let i = 0; i < before.length; i++) {
        const members = before[i].accounts.filter(() => random() > 0.1);
        const fate = random();
        if (fate < 0.4) after.push(members);
        else if (fate < 0.6) after.push(members.slice(0, members.length >> 1), members.slice(members.length >> 1));
        else if (fate < 0.8 && i + 1 < before.length) after.push([...members, ...before[++i].accounts]);
      }
      after.push(accounts(`fresh${round}-`, 0, 30));
      const result = traceLineage(before, after.map((members) => currentCluster(members)), counterAllocator(before.length + 1));
      expect(new Set(result.ids).size).toBe(result.ids.length);
      const previousIds = new Set(before.map((cluster) => cluster.cluster_id));
      for (const id of result.ids) if (!previousIds.has(id)) expect(Number(id.slice(1))).toBeGreaterThan(before.length);
      // Every previous id is exactly one of: handed down, retired, dormant.
      const dormant = result.events.filter((event) => event.event === 'dormant').map((event) => event.cluster_id);
      const kept = result.ids.filter((id) => previousIds.has(id));
      if (kept.length > 0) linkedRounds++;
      expect([...kept, ...result.retired, ...dormant].sort()).toEqual([...previousIds].sort());
      expect(result.events[result.ids.length - 1].event).toBe('new');
    }
    expect(linkedRounds).toBe(40);
  });
});

/** Strong identifiers per cluster (hubs left out), the identifiers.csv round trip, and link ranking. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Hub } from '../../src/core/partition';
import type { World } from '../../src/core/world';
import {
  clusterIdentifiers,
  identifierLinks,
  identifiersFileText,
  indexKnownIdentifiers,
  readIdentifiersFile,
} from '../../src/sweep/history/identifier-links';

/** Accounts 0..5; instruments and fingerprints linked as given ([account, identifier name] pairs). */
function worldOf(instruments: [number, string][], fingerprints: [number, string][]): World {
  const table = (pairs: [number, string][]) => {
    const ids = [...new Set(pairs.map(([, name]) => name))];
    return {
      table: { size: ids.length, ids },
      links: { size: pairs.length, account: Int32Array.from(pairs.map(([a]) => a)), identifier: Int32Array.from(pairs.map(([, name]) => ids.indexOf(name))) },
    };
  };
  const i = table(instruments);
  const f = table(fingerprints);
  return {
    accounts: { size: 6, ids: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'] },
    identifiers: { instrument: i.table, fingerprint: f.table, ip: { size: 0, ids: [] } },
    links: { instrument: i.links, fingerprint: f.links, ip: { size: 0, account: new Int32Array(0), identifier: new Int32Array(0) } },
  } as unknown as World;
}

describe('identifier links', () => {
  it('collects each cluster\'s instruments and fingerprints, leaving the sweep\'s hubs out', () => {
    const world = worldOf(
      [[0, 'card-1'], [1, 'card-1'], [1, 'card-2'], [3, 'card-9']],
      [[0, 'chrome-tls'], [3, 'chrome-tls'], [1, 'bot-fp']],
    );
    const hubs: Hub[] = [{ kind: 'fingerprint', identifier: 0, id: 'chrome-tls', degree: 30000 }];
    const [first, second] = clusterIdentifiers(world, [{ cluster_id: 'C0001', accounts: [0, 1, 2] }, { cluster_id: 'C0002', accounts: [3] }], hubs);
    expect([...first.instrument].sort()).toEqual(['card-1', 'card-2']);
    expect([...first.fingerprint]).toEqual(['bot-fp']);
    expect([...second.instrument]).toEqual(['card-9']);
    expect(second.fingerprint.size).toBe(0);
  });

  it('writes and reads identifiers.csv exactly, even for identifiers with commas, quotes or a formula start', () => {
    const odd = ['plain', 'with,comma', 'say "hi"', '=cmd|calc', "'=quoted", 'line\nbreak'];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'identifiers-')), 'identifiers.csv');
    fs.writeFileSync(file, identifiersFileText([{ cluster_id: 'C0007', instrument: new Set(odd), fingerprint: new Set(['fp']) }]));
    const read = readIdentifiersFile(file).get('C0007');
    expect([...(read?.instrument ?? [])].sort()).toEqual([...odd].sort());
    expect([...(read?.fingerprint ?? [])]).toEqual(['fp']);
  });

  it('ranks known clusters by shared identifiers, keeps those at or above the threshold, at most three', () => {
    const known = (id: string, cards: string[]) => ({ cluster_id: id, instrument: new Set(cards), fingerprint: new Set<string>() });
    const index = indexKnownIdentifiers([
      { sweep_id: 'W2', clusters: [known('C0005', ['c1', 'c2', 'c3', 'c4']), known('C0002', ['c1', 'c2'])] },
      { sweep_id: 'W1', clusters: [known('C0003', ['c1', 'c2', 'c3', 'c4']), known('C0005', ['c9']), known('C0004', ['c1', 'c2', 'c3'])] },
    ]);
    const fresh = { cluster_id: 'C0010', instrument: new Set(['c1', 'c2', 'c3', 'c4', 'c9']), fingerprint: new Set<string>() };
    // C0005 counts once, with its newest record (W2, which has no c9); ties go to the older id; C0002 (2) is below 3.
    expect(identifierLinks(fresh, index, 3)).toEqual([
      { cluster_id: 'C0003', sweep_id: 'W1', shared_instruments: 4, shared_fingerprints: 0 },
      { cluster_id: 'C0005', sweep_id: 'W2', shared_instruments: 4, shared_fingerprints: 0 },
      { cluster_id: 'C0004', sweep_id: 'W1', shared_instruments: 3, shared_fingerprints: 0 },
    ]);
  });
});

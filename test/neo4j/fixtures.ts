/**
 * A generated World for the Neo4j tests: `rings` swarms of `ringSize` accounts, each ring sharing one card,
 * one proxy fingerprint and two IPs, plus `loners` ordinary accounts with their own card and IP, and one IP
 * shared by everybody (a hub, e.g. a carrier NAT). The sweep reports one cluster per ring (the first half
 * high risk, the rest medium), so a reader can predict every node and relationship the exporters write.
 */
import { emptyActivity, type IdentifierKind, type IdentifierTable, type LinkTable, type World } from '../../src/core/world';
import type { SweepExport } from '../../src/neo4j/sweepInput';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

interface LinkDraft { account: number; identifier: number; firstSeen: number; lastSeen: number; count: number }

function identifierTable(kind: IdentifierKind, ids: string[], subkind: number): IdentifierTable {
  return {
    kind, size: ids.length, ids, subkind: new Uint8Array(ids.length).fill(subkind),
    asn: kind === 'ip' ? new Int32Array(ids.length).fill(0) : new Int32Array(0),
    asns: kind === 'ip' ? ['AS64500'] : [],
    proxy: kind === 'ip' ? new Int8Array(ids.length).fill(-1) : new Int8Array(0),
  };
}

function linkTable(kind: IdentifierKind, drafts: LinkDraft[]): LinkTable {
  drafts.sort((a, b) => a.account - b.account || a.identifier - b.identifier);
  const n = drafts.length;
  const table: LinkTable = {
    kind, size: n, account: new Int32Array(n), identifier: new Int32Array(n), firstSeen: new Float64Array(n),
    lastSeen: new Float64Array(n), count: new Float64Array(n), rows: new Int32Array(n),
  };
  drafts.forEach((d, i) => {
    table.account[i] = d.account;
    table.identifier[i] = d.identifier;
    table.firstSeen[i] = d.firstSeen;
    table.lastSeen[i] = d.lastSeen;
    table.count[i] = d.count;
    table.rows[i] = 1;
  });
  return table;
}

export function generatedWorld(rings = 3, ringSize = 5, loners = 6): World {
  const accountIds: string[] = [];
  const ids: Record<IdentifierKind, string[]> = { instrument: [], ip: ['10.0.0.1'], fingerprint: [], template: [], client: [], synchrony: [] };
  const drafts: Record<IdentifierKind, LinkDraft[]> = { instrument: [], ip: [], fingerprint: [], template: [], client: [], synchrony: [] };
  const link = (kind: IdentifierKind, account: number, identifier: number, day: number, count = 1) =>
    drafts[kind].push({ account, identifier, firstSeen: T0 + day * DAY, lastSeen: T0 + (day + 3) * DAY, count });
  for (let r = 0; r < rings; r++) {
    const card = ids.instrument.push(`card-ring${r}`) - 1;
    const proxy = ids.fingerprint.push(`fp-proxy${r}`) - 1;
    const ipA = ids.ip.push(`203.0.113.${r * 2 + 1}`) - 1;
    const ipB = ids.ip.push(`203.0.113.${r * 2 + 2}`) - 1;
    for (let k = 0; k < ringSize; k++) {
      const account = accountIds.push(`acct-r${r}-${k}`) - 1;
      link('instrument', account, card, k);
      link('fingerprint', account, proxy, k);
      link('ip', account, k % 2 === 0 ? ipA : ipB, k, 40 + k);
      link('ip', account, 0, k, 3);
    }
  }
  for (let l = 0; l < loners; l++) {
    const account = accountIds.push(l === 0 ? '=cmd|calc' : `acct-loner${l}`) - 1;
    link('instrument', account, ids.instrument.push(`card-loner${l}`) - 1, l);
    link('ip', account, ids.ip.push(`198.51.100.${l + 1}`) - 1, l, 7);
    link('ip', account, 0, l, 2);
  }
  const n = accountIds.length;
  const createdAt = new Float64Array(n).map((_, i) => T0 - (i + 1) * DAY);
  createdAt[n - 1] = NaN;
  const world: World = {
    accounts: {
      size: n, ids: accountIds, registered: new Uint8Array(n).fill(1), createdAt,
      emailDomain: new Int32Array(n).map((_, i) => (i % 3 === 0 ? -1 : i % 2)), emailDomains: ['mail.example', 'proton.example'],
      country: new Int32Array(n).fill(0), countries: ['DE'], status: new Uint8Array(n),
    },
    identifiers: {
      instrument: identifierTable('instrument', ids.instrument, 2),
      ip: identifierTable('ip', ids.ip, 0),
      fingerprint: identifierTable('fingerprint', ids.fingerprint, 0),
      template: identifierTable('template', ids.template, 0),
      client: identifierTable('client', ids.client, 0),
      synchrony: identifierTable('synchrony', ids.synchrony, 0),
    },
    links: {
      instrument: linkTable('instrument', drafts.instrument),
      ip: linkTable('ip', drafts.ip),
      fingerprint: linkTable('fingerprint', drafts.fingerprint),
      template: linkTable('template', drafts.template),
      client: linkTable('client', drafts.client),
      synchrony: linkTable('synchrony', drafts.synchrony),
    },
    exchanges: {
      capabilities: [], cells: 0, account: new Int32Array(0), day: new Int32Array(0), capability: new Uint16Array(0), count: new Float64Array(0),
      inputTokens: new Float64Array(0), outputTokens: new Float64Array(0), accountOffsets: new Int32Array(n + 1),
      totals: { rows: 0, exchanges: 0, inputTokens: 0, outputTokens: 0 },
    },
    activity: emptyActivity(n),
    summary: {} as World['summary'],
  };
  return world;
}

export function generatedSweep(sweepId = 'sweep-1', rings = 3, ringSize = 5, loners = 6): SweepExport {
  const world = generatedWorld(rings, ringSize, loners);
  const clusters = [];
  const members = [];
  for (let r = 0; r < rings; r++) {
    clusters.push({
      id: `C${r + 1}`, accounts: ringSize, exchanges: 1000 * (r + 1), inputTokens: 5e6, outputTokens: 9e6,
      risk: 90 - r * 20, tier: r < rings / 2 ? 'high' : 'medium',
      reasons: [`${ringSize} accounts share card-ring${r}`], reasonsJson: JSON.stringify([`${ringSize} accounts share card-ring${r}`]),
      capabilities: ['coding', 'agentic'], capabilityShares: [0.7, 0.3], capabilityMixJson: '{"coding":0.7,"agentic":0.3}',
      // The first ring is new this week and reuses the cards of an earlier cluster C0099; the others continue.
      event: r === 0 ? 'new' : 'unchanged', previousId: r === 0 ? null : `C${r + 1}`, identifiersOf: r === 0 ? ['C0099'] : [],
    });
    for (let k = 0; k < ringSize; k++) {
      members.push({ account: `acct-r${r}-${k}`, cluster: `C${r + 1}`, role: k === 0 ? 'core' : 'member', evidence: `shares card-ring${r} with ${ringSize - 1} members`, line: members.length + 2 });
    }
  }
  // 10.0.0.1 links every account: a hub under an IP hub limit of 20 (as the sweep's detection parameters record).
  return { sweepId, world, clusters, members, hubs: [{ kind: 'ip', id: '10.0.0.1' }], detectionParameters: { hubLimit: { ip: 20 } } };
}

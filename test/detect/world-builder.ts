/**
 * Builds small Worlds for detection tests, filling every field of the World type the way the importer does
 * (links merged per (account, identifier) and sorted by account then identifier).
 */
import {
  IDENTIFIER_KINDS,
  SUBKINDS,
  type ContractFile,
  type FileSummary,
  type IdentifierKind,
  type World,
} from '../../src/core/world';

interface IdentifierSpec {
  subkind: string;
  proxy?: boolean;
}

export class WorldBuilder {
  private readonly accountIds: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  private readonly identifiers: Record<IdentifierKind, { ids: string[]; index: Map<string, number>; specs: IdentifierSpec[] }> = {
    instrument: { ids: [], index: new Map(), specs: [] },
    ip: { ids: [], index: new Map(), specs: [] },
    fingerprint: { ids: [], index: new Map(), specs: [] },
    template: { ids: [], index: new Map(), specs: [] },
    client: { ids: [], index: new Map(), specs: [] },
    synchrony: { ids: [], index: new Map(), specs: [] },
  };
  private readonly links: Record<IdentifierKind, Set<string>> = {
    instrument: new Set(), ip: new Set(), fingerprint: new Set(), template: new Set(), client: new Set(), synchrony: new Set(),
  };

  account(id: string): number {
    let index = this.accountIndex.get(id);
    if (index === undefined) {
      index = this.accountIds.length;
      this.accountIds.push(id);
      this.accountIndex.set(id, index);
    }
    return index;
  }

  identifier(kind: IdentifierKind, id: string, spec: IdentifierSpec): number {
    const table = this.identifiers[kind];
    let index = table.index.get(id);
    if (index === undefined) {
      if (!SUBKINDS[kind].includes(spec.subkind)) throw new Error(`unknown ${kind} subkind ${spec.subkind}`);
      index = table.ids.length;
      table.ids.push(id);
      table.index.set(id, index);
      table.specs.push(spec);
    }
    return index;
  }

  link(accountId: string, kind: IdentifierKind, identifierId: string, spec: IdentifierSpec): this {
    const a = this.account(accountId);
    const i = this.identifier(kind, identifierId, spec);
    this.links[kind].add(`${a}:${i}`);
    return this;
  }

  card(accountIds: string[], id: string, subkind = 'card'): this {
    for (const a of accountIds) this.link(a, 'instrument', id, { subkind });
    return this;
  }

  ip(accountIds: string[], id: string, proxy = false): this {
    for (const a of accountIds) this.link(a, 'ip', id, { subkind: 'ipv4', proxy });
    return this;
  }

  fingerprint(accountIds: string[], id: string, subkind = 'proxy'): this {
    for (const a of accountIds) this.link(a, 'fingerprint', id, { subkind });
    return this;
  }

  build(): World {
    const n = this.accountIds.length;
    const identifiers = {} as World['identifiers'];
    const links = {} as World['links'];
    for (const kind of IDENTIFIER_KINDS) {
      const table = this.identifiers[kind];
      identifiers[kind] = {
        kind,
        size: table.ids.length,
        ids: table.ids.slice(),
        subkind: Uint8Array.from(table.specs.map((s) => SUBKINDS[kind].indexOf(s.subkind))),
        asn: kind === 'ip' ? new Int32Array(table.ids.length).fill(-1) : new Int32Array(0),
        asns: [],
        proxy: kind === 'ip' ? Int8Array.from(table.specs.map((s) => (s.proxy ? 1 : 0))) : new Int8Array(0),
      };
      const pairs = [...this.links[kind]].map((p) => p.split(':').map(Number)).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      links[kind] = {
        kind,
        size: pairs.length,
        account: Int32Array.from(pairs.map((p) => p[0])),
        identifier: Int32Array.from(pairs.map((p) => p[1])),
        firstSeen: new Float64Array(pairs.length).fill(Date.UTC(2026, 0, 1)),
        lastSeen: new Float64Array(pairs.length).fill(Date.UTC(2026, 1, 1)),
        count: new Float64Array(pairs.length).fill(1),
        rows: new Int32Array(pairs.length).fill(1),
      };
    }
    const fileSummary = (file: ContractFile): FileSummary => ({
      file, present: false, path: null, bytes: 0, sha256: null, rows_read: 0, rows_loaded: 0, rows_rejected: 0, unknown_columns: [],
    });
    return {
      accounts: {
        size: n,
        ids: this.accountIds.slice(),
        registered: new Uint8Array(n).fill(1),
        createdAt: new Float64Array(n).fill(Date.UTC(2025, 11, 1)),
        emailDomain: new Int32Array(n).fill(-1),
        emailDomains: [],
        country: new Int32Array(n).fill(-1),
        countries: [],
        status: new Uint8Array(n),
      },
      identifiers,
      links,
      exchanges: {
        capabilities: [],
        cells: 0,
        account: new Int32Array(0),
        day: new Int32Array(0),
        capability: new Uint16Array(0),
        count: new Float64Array(0),
        inputTokens: new Float64Array(0),
        outputTokens: new Float64Array(0),
        accountOffsets: new Int32Array(n + 1),
        totals: { rows: 0, exchanges: 0, inputTokens: 0, outputTokens: 0 },
      },
      activity: {
        cells: 0, account: new Int32Array(0), minute: new Int32Array(0), template: new Int32Array(0), count: new Float32Array(0),
        accountOffsets: new Int32Array(n + 1),
      },
      summary: {
        input_dir: '(test)',
        files: {
          'accounts.csv': fileSummary('accounts.csv'),
          'payment_instruments.csv': fileSummary('payment_instruments.csv'),
          'ip_addresses.csv': fileSummary('ip_addresses.csv'),
          'fingerprints.csv': fileSummary('fingerprints.csv'),
          'exchanges.csv': fileSummary('exchanges.csv'),
        },
        accounts: n,
        registered_accounts: n,
        unregistered_accounts: 0,
        identifiers: Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, this.identifiers[kind].ids.length])) as Record<IdentifierKind, number>,
        links: Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, this.links[kind].size])) as Record<IdentifierKind, number>,
        exchanges: {
          rows: 0, exchanges: 0, input_tokens: 0, output_tokens: 0, capabilities: [], rows_by_resolution: { minute: 0, hour: 0, day: 0 }, activity_cells: 0,
          synchrony: { windows: 0, spikes: 0, groups: 0, accounts_in_step: 0 },
        },
        rows_read: 0,
        rows_loaded: 0,
        rows_rejected: 0,
        rejects_path: null,
        seconds: 0,
      },
    };
  }
}

/** Ids "prefix0".."prefix{n-1}". */
export function names(prefix: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);
}

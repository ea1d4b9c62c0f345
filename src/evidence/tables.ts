/**
 * The pack's CSV tables. Every cell goes through src/core/csv.ts, which neutralises values a spreadsheet
 * would run as formulas — legal opens these in Excel. Identifiers pass through the pseudonymizer first.
 *
 * Large tables (exchanges of a 25,000-account swarm run to millions of rows) are built as a list of ~1 MB
 * Buffer chunks rather than one string, so their size is not bounded by V8's maximum string length.
 */
import { csvNumber, csvRow, csvText } from '../core/csv';
import { ACCOUNT_STATUSES, IDENTIFIER_KINDS, SUBKINDS, type World } from '../core/world';
import { type ClusterFacts, isoDay, isoTime } from './cluster-facts';
import type { Pseudonymizer } from './pseudonymize';
import type { EvidenceInput } from './types';

const CHUNK_CHARS = 1 << 20;
const SMALL_INTEGER_CACHE = 4096;

class CsvBuilder {
  private readonly chunks: Buffer[] = [];
  private pending = '';

  constructor(header: readonly string[]) {
    this.pending = csvRow(header);
  }

  /** Appends an already-encoded line (cells made with csvText/csvNumber, ending in \n). */
  line(encoded: string): void {
    this.pending += encoded;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    this.chunks.push(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
  }

  done(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}

export function pseudonymizedAccountId(world: World, account: number, pseudonymizer: Pseudonymizer): string {
  return pseudonymizer.value('account', world.accounts.ids[account]);
}

export function pseudonymizedIdentifier(world: World, kind: (typeof IDENTIFIER_KINDS)[number], identifier: number, pseudonymizer: Pseudonymizer): string {
  return pseudonymizer.value(kind, world.identifiers[kind].ids[identifier]);
}

export const MEMBERS_HEADER = [
  'account_id', 'cluster_id', 'role', 'registered', 'created_at', 'email_domain', 'country', 'status',
  'exchanges', 'input_tokens', 'output_tokens', 'first_active_day', 'last_active_day', 'evidence',
] as const;

export function membersCsv(input: EvidenceInput, facts: ClusterFacts, pseudonymizer: Pseudonymizer): Buffer {
  const { world } = input;
  const accounts = world.accounts;
  const table = new CsvBuilder(MEMBERS_HEADER);
  const clusterCell = csvText(input.cluster.cluster_id);
  for (let m = 0; m < input.members.length; m++) {
    const member = input.members[m];
    const account = member.account;
    const domainIndex = accounts.emailDomain[account];
    const countryIndex = accounts.country[account];
    table.line(
      [
        csvText(pseudonymizedAccountId(world, account, pseudonymizer)),
        clusterCell,
        csvText(member.role),
        accounts.registered[account] ? 'true' : 'false',
        csvText(isoTime(accounts.createdAt[account])),
        csvText(domainIndex >= 0 ? pseudonymizer.value('email_domain', accounts.emailDomains[domainIndex]) : ''),
        csvText(countryIndex >= 0 ? accounts.countries[countryIndex] : ''),
        csvText(ACCOUNT_STATUSES[accounts.status[account]] ?? ''),
        csvNumber(facts.memberExchanges[m]),
        csvNumber(facts.memberInputTokens[m]),
        csvNumber(facts.memberOutputTokens[m]),
        facts.memberFirstDay[m] >= 0 ? isoDay(facts.memberFirstDay[m]) : '',
        facts.memberLastDay[m] >= 0 ? isoDay(facts.memberLastDay[m]) : '',
        csvText(pseudonymizer.text(member.evidence)),
      ].join(',') + '\n',
    );
  }
  return table.done();
}

export const LINKS_HEADER = [
  'account_id', 'identifier_kind', 'identifier_subkind', 'identifier', 'first_seen', 'last_seen', 'count', 'rows', 'identifier_members',
] as const;

export function linksCsv(input: EvidenceInput, facts: ClusterFacts, pseudonymizer: Pseudonymizer): Buffer {
  const { world } = input;
  const table = new CsvBuilder(LINKS_HEADER);
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    const identifiers = world.identifiers[kind];
    const membersOf = new Map<number, number>();
    for (const fact of facts.identifiers[kind]) membersOf.set(fact.identifier, fact.members);
    for (const link of facts.tyingLinks[kind]) {
      const identifier = links.identifier[link];
      table.line(
        [
          csvText(pseudonymizedAccountId(world, links.account[link], pseudonymizer)),
          kind,
          csvText(SUBKINDS[kind][identifiers.subkind[identifier]] ?? ''),
          csvText(pseudonymizedIdentifier(world, kind, identifier, pseudonymizer)),
          csvText(isoTime(links.firstSeen[link])),
          csvText(isoTime(links.lastSeen[link])),
          csvNumber(links.count[link]),
          csvNumber(links.rows[link]),
          csvNumber(membersOf.get(identifier) ?? 0),
        ].join(',') + '\n',
      );
    }
  }
  return table.done();
}

export const IDENTIFIERS_HEADER = [
  'identifier_kind', 'identifier', 'subkind', 'asn', 'proxy', 'member_accounts', 'platform_accounts', 'shared_by_members', 'hub', 'first_seen', 'last_seen',
] as const;

export function identifiersCsv(input: EvidenceInput, facts: ClusterFacts, pseudonymizer: Pseudonymizer): Buffer {
  const { world } = input;
  const table = new CsvBuilder(IDENTIFIERS_HEADER);
  for (const kind of IDENTIFIER_KINDS) {
    const identifiers = world.identifiers[kind];
    for (const fact of facts.identifiers[kind]) {
      const id = fact.identifier;
      const asnIndex = identifiers.asn.length > 0 ? identifiers.asn[id] : -1;
      const proxy = identifiers.proxy.length > 0 ? identifiers.proxy[id] : -1;
      table.line(
        [
          kind,
          csvText(pseudonymizedIdentifier(world, kind, id, pseudonymizer)),
          csvText(SUBKINDS[kind][identifiers.subkind[id]] ?? ''),
          csvText(asnIndex >= 0 ? identifiers.asns[asnIndex] : ''),
          proxy === 1 ? 'true' : proxy === 0 ? 'false' : '',
          csvNumber(fact.members),
          csvNumber(fact.platformAccounts),
          fact.members >= 2 ? 'true' : 'false',
          facts.hubs[kind][id] ? 'true' : 'false',
          csvText(isoTime(fact.firstSeen)),
          csvText(isoTime(fact.lastSeen)),
        ].join(',') + '\n',
      );
    }
  }
  return table.done();
}

export const EXCHANGES_HEADER = ['account_id', 'day', 'capability', 'exchanges', 'input_tokens', 'output_tokens'] as const;

export function exchangesCsv(input: EvidenceInput, pseudonymizer: Pseudonymizer): Buffer {
  const { world } = input;
  const ex = world.exchanges;
  const capabilityCells = ex.capabilities.map((capability) => csvText(capability));
  const dayCells = new Map<number, string>();
  // Exchange counts are small integers; their text is looked up rather than formatted millions of times.
  const smallIntegers = Array.from({ length: SMALL_INTEGER_CACHE }, (_, i) => String(i));
  const countCell = (count: number) => (Number.isInteger(count) && count >= 0 && count < SMALL_INTEGER_CACHE ? smallIntegers[count] : csvNumber(count));
  const table = new CsvBuilder(EXCHANGES_HEADER);
  for (const member of input.members) {
    const account = member.account;
    const accountCell = csvText(pseudonymizedAccountId(world, account, pseudonymizer));
    for (let cell = ex.accountOffsets[account]; cell < ex.accountOffsets[account + 1]; cell++) {
      const day = ex.day[cell];
      let dayCell = dayCells.get(day);
      if (dayCell === undefined) {
        dayCell = isoDay(day);
        dayCells.set(day, dayCell);
      }
      table.line(
        `${accountCell},${dayCell},${capabilityCells[ex.capability[cell]]},${countCell(ex.count[cell])},${csvNumber(ex.inputTokens[cell])},${csvNumber(ex.outputTokens[cell])}\n`,
      );
    }
  }
  return table.done();
}

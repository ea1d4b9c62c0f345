/**
 * Per-world lookups that every cluster profile needs, built once in O(accounts + links + exchange cells +
 * activity cells): each link kind as a CSR index by account (the LinkTables are sorted by account), each
 * identifier's platform degree (distinct accounts linked), the world's day range, every account's behaviour
 * figures (src/score/behaviour.ts), and scratch arrays reused across clusters so profiling a cluster allocates
 * nothing per member.
 */
import { FINGERPRINT_KINDS, IDENTIFIER_KINDS, INSTRUMENT_KINDS, type IdentifierKind, type World } from '../core/world';
import { measureAccountBehaviour, type AccountBehaviour, type BehaviourOptions } from './behaviour';
import { DEFAULTS } from './risk';

export interface WorldIndex {
  world: World;
  /** Per kind: account a's links are [linkOffsets[kind][a], linkOffsets[kind][a + 1]). */
  linkOffsets: Record<IdentifierKind, Int32Array>;
  /** Per kind: number of distinct accounts linked to each identifier. */
  identifierDegree: Record<IdentifierKind, Int32Array>;
  /** Smallest and largest exchange day in the world (days since epoch); firstDay > lastDay when there are no exchanges. */
  firstDay: number;
  lastDay: number;
  /** Registered accounts per email domain (index into accounts.emailDomains). */
  domainAccounts: Int32Array;
  /** Instrument subkind → is it a prepaid or virtual card. */
  prepaidOrVirtual: Uint8Array;
  /** Instrument subkind → can it be a corporate payment method (a regular card or a bank account). */
  corporateKind: Uint8Array;
  /** Fingerprint subkind → is it an automation fingerprint kind (proxy, tls). */
  automationKind: Uint8Array;
  /** Scratch: per-identifier member counts (all zero between uses). */
  scratchCount: Record<IdentifierKind, Int32Array>;
  /** Scratch: per-ASN link counts (all zero between uses). */
  scratchAsn: Float64Array;
  /** Per-account minute-level figures (active and quiet minutes, inter-arrival and output-token CV). */
  behaviour: AccountBehaviour;
}

export function buildWorldIndex(world: World, options: { behaviour?: BehaviourOptions } = {}): WorldIndex {
  const accounts = world.accounts.size;
  const linkOffsets = {} as Record<IdentifierKind, Int32Array>;
  const identifierDegree = {} as Record<IdentifierKind, Int32Array>;
  const scratchCount = {} as Record<IdentifierKind, Int32Array>;
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    const offsets = new Int32Array(accounts + 1);
    const degree = new Int32Array(world.identifiers[kind].size);
    for (let l = 0; l < links.size; l++) {
      offsets[links.account[l] + 1]++;
      degree[links.identifier[l]]++;
    }
    for (let a = 0; a < accounts; a++) offsets[a + 1] += offsets[a];
    linkOffsets[kind] = offsets;
    identifierDegree[kind] = degree;
    scratchCount[kind] = new Int32Array(world.identifiers[kind].size);
  }
  const days = world.exchanges.day;
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let c = 0; c < world.exchanges.cells; c++) {
    const day = days[c];
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  const domainAccounts = new Int32Array(world.accounts.emailDomains.length);
  for (let a = 0; a < accounts; a++) if (world.accounts.emailDomain[a] >= 0) domainAccounts[world.accounts.emailDomain[a]]++;
  return {
    world,
    domainAccounts,
    linkOffsets,
    identifierDegree,
    firstDay,
    lastDay,
    prepaidOrVirtual: Uint8Array.from(INSTRUMENT_KINDS, (k) => (k === 'prepaid_card' || k === 'virtual_card' ? 1 : 0)),
    corporateKind: Uint8Array.from(INSTRUMENT_KINDS, (k) => (k === 'card' || k === 'bank' ? 1 : 0)),
    automationKind: Uint8Array.from(FINGERPRINT_KINDS, (k) => (k === 'proxy' || k === 'tls' ? 1 : 0)),
    scratchCount,
    scratchAsn: new Float64Array(world.identifiers.ip.asns.length),
    behaviour: measureAccountBehaviour(world, options.behaviour ?? DEFAULTS.behaviour),
  };
}

/** Number of days in the world's exchange range (0 when there are no exchanges). */
export function dayCount(index: WorldIndex): number {
  return index.lastDay >= index.firstDay ? index.lastDay - index.firstDay + 1 : 0;
}

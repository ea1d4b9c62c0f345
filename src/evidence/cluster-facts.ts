/**
 * The facts an evidence pack states about one cluster, recomputed from the saved World so every number in
 * the pack can be traced to input rows: members, the identifiers they share, the links that tie them, and
 * their exchanges by day and capability. One pass over each link table and over the members' exchange cells;
 * per-account and per-identifier values live in typed arrays.
 */
import { IDENTIFIER_KINDS, type IdentifierKind, MS_PER_DAY } from '../core/world';
import type { EvidenceInput } from './types';

export interface SharedIdentifierFact {
  kind: IdentifierKind;
  identifier: number;
  /** Member accounts linked to it. */
  members: number;
  /** All accounts linked to it across the platform (members and non-members). */
  platformAccounts: number;
  firstSeen: number;
  lastSeen: number;
}

export interface ClusterFacts {
  /** Internal account numbers of members, in the order of input.members. */
  accounts: Int32Array;
  /** Per world account: 1 when a member. */
  isMember: Uint8Array;
  /** Every identifier linked to at least one member, per kind, most-shared first. */
  identifiers: Record<IdentifierKind, SharedIdentifierFact[]>;
  /** Per kind: indices into world.links[kind] of member links to identifiers shared by two or more members (and not hubs). */
  tyingLinks: Record<IdentifierKind, Int32Array>;
  /** Per kind, per identifier: 1 when excluded as a hub by the sweep. */
  hubs: Record<IdentifierKind, Uint8Array>;
  exchanges: number;
  inputTokens: number;
  outputTokens: number;
  /** Exchange cells (account, day, capability) of members. */
  exchangeCells: number;
  firstDay: number | null;
  lastDay: number | null;
  /** Exchanges per day from firstDay to lastDay inclusive. */
  exchangesPerDay: Float64Array;
  /** Per capability (index into world.exchanges.capabilities): members' exchanges. */
  exchangesByCapability: Float64Array;
  /** Per capability: exchanges by all accounts outside the cluster (the fallback baseline). */
  outsideByCapability: Float64Array;
  /** Per member (parallel to accounts): exchanges, tokens, first and last active day (-1 when none). */
  memberExchanges: Float64Array;
  memberInputTokens: Float64Array;
  memberOutputTokens: Float64Array;
  memberFirstDay: Int32Array;
  memberLastDay: Int32Array;
  createdFirst: number | null;
  createdLast: number | null;
}

export function computeClusterFacts(input: EvidenceInput): ClusterFacts {
  const { world } = input;
  const accountCount = world.accounts.size;
  const accounts = Int32Array.from(input.members.map((member) => member.account));
  const isMember = new Uint8Array(accountCount);
  for (const account of accounts) isMember[account] = 1;

  const hubs = {} as Record<IdentifierKind, Uint8Array>;
  for (const kind of IDENTIFIER_KINDS) hubs[kind] = new Uint8Array(world.identifiers[kind].size);
  for (const hub of input.hubs) {
    if (hub.identifier >= 0 && hub.identifier < hubs[hub.kind].length) hubs[hub.kind][hub.identifier] = 1;
  }

  const identifiers = {} as Record<IdentifierKind, SharedIdentifierFact[]>;
  const tyingLinks = {} as Record<IdentifierKind, Int32Array>;
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    const size = world.identifiers[kind].size;
    const memberCount = new Int32Array(size);
    const platformCount = new Int32Array(size);
    const firstSeen = new Float64Array(size).fill(Infinity);
    const lastSeen = new Float64Array(size).fill(-Infinity);
    for (let link = 0; link < links.size; link++) {
      const identifier = links.identifier[link];
      platformCount[identifier]++;
      if (!isMember[links.account[link]]) continue;
      memberCount[identifier]++;
      if (links.firstSeen[link] < firstSeen[identifier]) firstSeen[identifier] = links.firstSeen[link];
      if (links.lastSeen[link] > lastSeen[identifier]) lastSeen[identifier] = links.lastSeen[link];
    }
    const facts: SharedIdentifierFact[] = [];
    for (let identifier = 0; identifier < size; identifier++) {
      if (memberCount[identifier] === 0) continue;
      facts.push({
        kind,
        identifier,
        members: memberCount[identifier],
        platformAccounts: platformCount[identifier],
        firstSeen: Number.isFinite(firstSeen[identifier]) ? firstSeen[identifier] : NaN,
        lastSeen: Number.isFinite(lastSeen[identifier]) ? lastSeen[identifier] : NaN,
      });
    }
    const ids = world.identifiers[kind].ids;
    facts.sort((a, b) => b.members - a.members || (ids[a.identifier] < ids[b.identifier] ? -1 : ids[a.identifier] > ids[b.identifier] ? 1 : 0));
    identifiers[kind] = facts;

    const tying: number[] = [];
    for (let link = 0; link < links.size; link++) {
      const identifier = links.identifier[link];
      if (isMember[links.account[link]] && memberCount[identifier] >= 2 && !hubs[kind][identifier]) tying.push(link);
    }
    tyingLinks[kind] = Int32Array.from(tying);
  }

  const ex = world.exchanges;
  const capabilityCount = ex.capabilities.length;
  const exchangesByCapability = new Float64Array(capabilityCount);
  const outsideByCapability = new Float64Array(capabilityCount);
  for (let cell = 0; cell < ex.cells; cell++) {
    if (!isMember[ex.account[cell]]) outsideByCapability[ex.capability[cell]] += ex.count[cell];
  }
  const memberExchanges = new Float64Array(accounts.length);
  const memberInputTokens = new Float64Array(accounts.length);
  const memberOutputTokens = new Float64Array(accounts.length);
  const memberFirstDay = new Int32Array(accounts.length).fill(-1);
  const memberLastDay = new Int32Array(accounts.length).fill(-1);
  let firstDay = Infinity;
  let lastDay = -Infinity;
  let exchanges = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let exchangeCells = 0;
  for (let m = 0; m < accounts.length; m++) {
    const account = accounts[m];
    const start = ex.accountOffsets[account];
    const end = ex.accountOffsets[account + 1];
    exchangeCells += end - start;
    for (let cell = start; cell < end; cell++) {
      const day = ex.day[cell];
      memberExchanges[m] += ex.count[cell];
      memberInputTokens[m] += ex.inputTokens[cell];
      memberOutputTokens[m] += ex.outputTokens[cell];
      exchangesByCapability[ex.capability[cell]] += ex.count[cell];
      if (memberFirstDay[m] < 0 || day < memberFirstDay[m]) memberFirstDay[m] = day;
      if (day > memberLastDay[m]) memberLastDay[m] = day;
    }
    exchanges += memberExchanges[m];
    inputTokens += memberInputTokens[m];
    outputTokens += memberOutputTokens[m];
    if (memberFirstDay[m] >= 0 && memberFirstDay[m] < firstDay) firstDay = memberFirstDay[m];
    if (memberLastDay[m] > lastDay) lastDay = memberLastDay[m];
  }
  const hasActivity = Number.isFinite(firstDay);
  const exchangesPerDay = new Float64Array(hasActivity ? lastDay - firstDay + 1 : 0);
  if (hasActivity) {
    for (const account of accounts) {
      for (let cell = ex.accountOffsets[account]; cell < ex.accountOffsets[account + 1]; cell++) {
        exchangesPerDay[ex.day[cell] - firstDay] += ex.count[cell];
      }
    }
  }

  let createdFirst = Infinity;
  let createdLast = -Infinity;
  for (const account of accounts) {
    const created = world.accounts.createdAt[account];
    if (Number.isNaN(created)) continue;
    if (created < createdFirst) createdFirst = created;
    if (created > createdLast) createdLast = created;
  }

  return {
    accounts,
    isMember,
    identifiers,
    tyingLinks,
    hubs,
    exchanges,
    inputTokens,
    outputTokens,
    exchangeCells,
    firstDay: hasActivity ? firstDay : null,
    lastDay: hasActivity ? lastDay : null,
    exchangesPerDay,
    exchangesByCapability,
    outsideByCapability,
    memberExchanges,
    memberInputTokens,
    memberOutputTokens,
    memberFirstDay,
    memberLastDay,
    createdFirst: Number.isFinite(createdFirst) ? createdFirst : null,
    createdLast: Number.isFinite(createdLast) ? createdLast : null,
  };
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const isoDayCache = new Map<number, string>();

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * ISO 8601 UTC timestamp (as Date.prototype.toISOString writes it), or '' when unknown (NaN). Formatted by
 * hand with the date part cached per day: a 25,000-account pack formats ~350,000 of these, and
 * `new Date(ms).toISOString()` was a visible share of its build time. Dates outside years 0–9999 fall back.
 */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const day = Math.floor(ms / MS_PER_DAY);
  if (day < -719_162 || day > 2_932_896) return new Date(ms).toISOString();
  let date = isoDayCache.get(day);
  if (date === undefined) {
    date = isoDay(day);
    isoDayCache.set(day, date);
  }
  const within = ms - day * MS_PER_DAY;
  const millis = Math.floor(within % 1000);
  const seconds = Math.floor(within / 1000) % 60;
  const minutes = Math.floor(within / 60_000) % 60;
  const hours = Math.floor(within / 3_600_000);
  return `${date}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

/** Shares that sum to 1 (all zero when the total is 0). */
export function shares(values: Float64Array): Float64Array {
  let total = 0;
  for (const value of values) total += value;
  const result = new Float64Array(values.length);
  if (total > 0) for (let i = 0; i < values.length; i++) result[i] = values[i] / total;
  return result;
}

/**
 * Co-arrival: accounts that began using the same identifier within a few days of each other, far more of them
 * than that identifier's own rate of newcomers explains — the lockstep of CopyCatch (Beutel, Xu, Guruswami,
 * Palow & Faloutsos, WWW 2013, doi:10.1145/2488388.2488400: groups acting on the same targets in the same time
 * window), read from the links' first_seen.
 *
 * Why: a commercial residential proxy pool, a campus NAT or a family's home line gathers its users one by one
 * over months; an operator who brings up a campaign brings its accounts onto its exits, cards and devices
 * together. On a pool exit that forty strangers use, the dozen swarm accounts that arrived in the same three days
 * are the swarm's, and the strangers who came before and after are not — however alike their identifiers are.
 * docs/detection.md §5c has the measurements behind each rule.
 *
 * For each identifier x of kind k (cards, IPs, fingerprints: everything with a first_seen) with d distinct
 * accounts, and each window of W days starting at one of its arrivals, the null model is the larger of
 *   - x's own arrivals in the flanks, 1 … nullRadius windows before and 2 … nullRadius + 1 after (inside the
 *     export's arrival span), per window: the time-shifted null of synchrony.ts, so that a fingerprint whose
 *     users grow week by week, or a busy month, is not a burst, and
 *   - x's arrivals spread evenly over the export's arrival span S_k of kind k: d · W / S_k,
 * and a window holding n arrivals is a *burst* when
 *
 *     n ≥ minAccounts   and   P(Poisson(λ) ≥ n) ≤ cohortProbability
 *
 * Overlapping bursts merge into one *wave* (cohort). Each wave becomes an identifier of kind `synchrony`, subkind
 * `arrival_<kind>` (id `arrival:<kind>:<x>:<first day>`), linking its accounts: first/last seen = their first_seen
 * on x, count 1, rows 1. How the graph uses it (account-graph.ts, dispersion.ts, campaigns.ts):
 *   - a wave is in the view of the identifier it arrived on, and the two are one evidence unit
 *     (AccountGraph.unit): arriving at an exit with a swarm is one coincidence, not two;
 *   - a wave on a hub or a public tool (a browser build's release week) ties nothing;
 *   - on an identifier that is evidence and has a wave, the graph lets go of its incumbents — accounts on it more
 *     than W before its first wave — and, when it had any (the public's identifier, a visitor's wave), of later
 *     arrivals that came one by one (incumbentLinkMask). The World keeps every link.
 *
 * Left censoring: an export that starts its logs on one day shows every older link as first seen that day.
 * Arrivals within W of kind k's earliest first_seen are counted in d but never form a wave.
 * Links without a first_seen (the column is optional) count in d and never form a wave.
 *
 * Slow drip defeats this signal by design (arrivals one by one look like the population's).
 *
 * Cost: one counting sort of each kind's links by identifier, one native sort of each identifier's arrival times
 * (Float64Array, time and position packed in one number), a two-pointer scan: O(L log d) time, 16 bytes per link.
 */
import { emptyIdentifierTable, emptyLinkTable, MS_PER_DAY, MS_PER_MINUTE, SUBKINDS, type IdentifierKind, type IdentifierTable, type LinkTable, type World } from '../core/world';
import { logPoissonTail } from './synchrony';

export interface ArrivalOptions {
  /** Width of the arrival window in days. */
  windowDays: number;
  /** Fewest distinct accounts in a cohort. */
  minAccounts: number;
  /** Largest Poisson tail probability of a burst under the null (the larger of the flanks' rate and the even rate). */
  cohortProbability: number;
  /** Windows on either side whose arrivals are the time-shifted null. */
  nullRadius: number;
}

export const ARRIVAL_DEFAULTS: Readonly<ArrivalOptions> = Object.freeze({
  windowDays: 3,
  minAccounts: 3,
  cohortProbability: 1e-6,
  nullRadius: 10,
});

/** The kinds whose links carry a meaningful first_seen (templates, clients and synchrony are derived from exchanges). */
export const ARRIVAL_KINDS: readonly IdentifierKind[] = ['instrument', 'ip', 'fingerprint'];

/** Subkind index in SUBKINDS.synchrony of a cohort that arrived on an identifier of `kind`. */
export function arrivalSubkind(kind: IdentifierKind): number {
  return SUBKINDS.synchrony.indexOf(`arrival_${kind}`);
}

/** The kind a synchrony identifier's cohort arrived on, or null for a template synchrony group. */
export function arrivalSource(subkind: number): IdentifierKind | null {
  const name = SUBKINDS.synchrony[subkind] ?? '';
  return name.startsWith('arrival_') ? (name.slice('arrival_'.length) as IdentifierKind) : null;
}

export interface ArrivalResult {
  /** Identifiers of kind synchrony, subkind arrival_<kind> (appended to the template synchrony groups by the caller). */
  ids: string[];
  subkind: number[];
  /** Links in identifier order: cohort c's accounts with their first/last seen on the identifier. */
  identifier: Int32Array;
  account: Int32Array;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  /** Per kind: cohorts found and accounts in them. */
  byKind: Record<string, { cohorts: number; accounts: number }>;
}

const POSITION_BITS = 2 ** 26;

export function measureArrivals(
  identifiers: Record<IdentifierKind, IdentifierTable>,
  links: Record<IdentifierKind, LinkTable>,
  options: ArrivalOptions = ARRIVAL_DEFAULTS,
): ArrivalResult {
  const ids: string[] = [];
  const subkind: number[] = [];
  const outIdentifier: number[] = [];
  // Per wave link: the kind (index into ARRIVAL_KINDS) and the link it was read from.
  const outKind: number[] = [];
  const outLink: number[] = [];
  const byKind: Record<string, { cohorts: number; accounts: number }> = {};
  const windowMs = options.windowDays * MS_PER_DAY;
  const windowMinutes = options.windowDays * 1440;
  const logP = Math.log(options.cohortProbability);
  for (let kindIndex = 0; kindIndex < ARRIVAL_KINDS.length; kindIndex++) {
    const kind = ARRIVAL_KINDS[kindIndex];
    const table = links[kind];
    const count = { cohorts: 0, accounts: 0 };
    byKind[kind] = count;
    if (!table || table.size === 0) continue;
    let earliest = Infinity;
    let latest = -Infinity;
    for (let l = 0; l < table.size; l++) {
      const t = table.firstSeen[l];
      if (Number.isFinite(t)) {
        if (t < earliest) earliest = t;
        if (t > latest) latest = t;
      }
    }
    const span = latest - earliest;
    if (!(span > windowMs)) continue;
    const censoredBefore = Math.floor((earliest + windowMs) / MS_PER_MINUTE);
    const size = identifiers[kind].size;
    // Links grouped by identifier (counting sort, stable).
    const offsets = new Int32Array(size + 1);
    for (let l = 0; l < table.size; l++) offsets[table.identifier[l] + 1]++;
    for (let i = 0; i < size; i++) offsets[i + 1] += offsets[i];
    const order = new Int32Array(table.size);
    const cursor = offsets.slice(0, size);
    for (let l = 0; l < table.size; l++) order[cursor[table.identifier[l]]++] = l;
    let keys = new Float64Array(64);
    const spanMinutes = span / MS_PER_MINUTE;
    const firstMinute = Math.floor(earliest / MS_PER_MINUTE);
    const lastMinute = Math.floor(latest / MS_PER_MINUTE);
    for (let x = 0; x < size; x++) {
      const from = offsets[x];
      const d = offsets[x + 1] - from;
      if (d < options.minAccounts || d >= POSITION_BITS) continue;
      if (keys.length < d) keys = new Float64Array(Math.max(d, keys.length * 2));
      let timed = 0;
      for (let k = 0; k < d; k++) {
        const t = table.firstSeen[order[from + k]];
        if (!Number.isFinite(t)) continue;
        const minute = Math.floor(t / MS_PER_MINUTE);
        if (minute < censoredBefore) continue;
        keys[timed++] = minute * POSITION_BITS + k;
      }
      if (timed < options.minAccounts) continue;
      const sorted = keys.subarray(0, timed).sort();
      const minuteAt = (k: number): number => Math.floor(sorted[k] / POSITION_BITS);
      /** Arrivals before minute m (binary search). */
      const before = (m: number): number => {
        let lo = 0;
        let hi = timed;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (minuteAt(mid) < m) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const globalLambda = (d * windowMinutes) / spanMinutes;
      // Two pointers: for each arrival i, the arrivals within W after it; a burst marks [i, j]. Overlapping
      // bursts merge into one cohort [cohortStart, cohortEnd].
      let cohortStart = -1;
      let cohortEnd = -1;
      const emit = (): void => {
        const firstDay = new Date(minuteAt(cohortStart) * MS_PER_MINUTE).toISOString().slice(0, 10);
        const c = ids.push(`arrival:${kind}:${identifiers[kind].ids[x]}:${firstDay}`) - 1;
        subkind.push(arrivalSubkind(kind));
        for (let k = cohortStart; k <= cohortEnd; k++) {
          outIdentifier.push(c);
          outKind.push(kindIndex);
          outLink.push(order[from + (sorted[k] % POSITION_BITS)]);
        }
        count.cohorts++;
        count.accounts += cohortEnd - cohortStart + 1;
      };
      let j = 0;
      for (let i = 0; i < timed; i++) {
        const start = minuteAt(i);
        const limit = start + windowMinutes;
        if (j < i) j = i;
        while (j + 1 < timed && minuteAt(j + 1) <= limit) j++;
        const n = j - i + 1;
        if (n < options.minAccounts) continue;
        // The time-shifted null: arrivals in the flanks 1 … nullRadius windows before and after (the window
        // right after is left out, as a burst's tail may spill into it), per window of flank inside the export.
        const radius = options.nullRadius * windowMinutes;
        const leftFrom = Math.max(start - radius, firstMinute);
        const leftTo = start;
        const rightFrom = limit + windowMinutes;
        const rightTo = Math.min(rightFrom + radius, lastMinute);
        const flankMinutes = Math.max(0, leftTo - leftFrom) + Math.max(0, rightTo - rightFrom);
        const flank = before(leftTo) - before(leftFrom) + (rightTo > rightFrom ? before(rightTo + 1) - before(rightFrom) : 0);
        const localLambda = flankMinutes > 0 ? (flank * windowMinutes) / flankMinutes : 0;
        const lambda = Math.max(localLambda, globalLambda);
        if (n <= lambda || !(logPoissonTail(n, lambda) <= logP)) continue;
        if (cohortStart >= 0 && i <= cohortEnd) {
          if (j > cohortEnd) cohortEnd = j;
        } else {
          if (cohortStart >= 0) emit();
          cohortStart = i;
          cohortEnd = j;
        }
      }
      if (cohortStart >= 0) emit();
    }
  }
  const n = outIdentifier.length;
  const result: ArrivalResult = {
    ids,
    subkind,
    identifier: Int32Array.from(outIdentifier),
    account: new Int32Array(n),
    firstSeen: new Float64Array(n),
    lastSeen: new Float64Array(n),
    byKind,
  };
  for (let k = 0; k < n; k++) {
    const kind = ARRIVAL_KINDS[outKind[k]];
    const link = outLink[k];
    result.account[k] = links[kind].account[link];
    result.firstSeen[k] = links[kind].firstSeen[link];
    result.lastSeen[k] = links[kind].firstSeen[link];
  }
  return result;
}

/**
 * The template synchrony groups and the arrival cohorts as one kind: identifiers appended after the synchrony
 * groups, links merged and sorted by account, then identifier (the LinkTable order).
 */
export function appendArrivals(synchrony: { identifiers: IdentifierTable; links: LinkTable }, arrivals: ArrivalResult, accountCount: number): { identifiers: IdentifierTable; links: LinkTable } {
  if (arrivals.ids.length === 0) return synchrony;
  const base = synchrony.identifiers.size;
  const identifiers = emptyIdentifierTable('synchrony');
  identifiers.ids = synchrony.identifiers.ids.concat(arrivals.ids);
  identifiers.size = identifiers.ids.length;
  identifiers.subkind = new Uint8Array(identifiers.size);
  identifiers.subkind.set(synchrony.identifiers.subkind.subarray(0, base));
  identifiers.subkind.set(arrivals.subkind, base);
  const old = synchrony.links;
  const size = old.size + arrivals.identifier.length;
  const links = emptyLinkTable('synchrony');
  links.size = size;
  links.account = new Int32Array(size);
  links.identifier = new Int32Array(size);
  links.firstSeen = new Float64Array(size);
  links.lastSeen = new Float64Array(size);
  links.count = new Float64Array(size);
  links.rows = new Int32Array(size);
  // Counting sort by account; within an account the old links (identifiers < base, already ascending) come first,
  // then the arrivals in ascending identifier order (they were emitted identifier by identifier).
  const start = new Int32Array(accountCount + 1);
  for (let l = 0; l < old.size; l++) start[old.account[l] + 1]++;
  for (let k = 0; k < arrivals.identifier.length; k++) start[arrivals.account[k] + 1]++;
  for (let a = 0; a < accountCount; a++) start[a + 1] += start[a];
  const cursor = start.slice(0, accountCount);
  for (let l = 0; l < old.size; l++) {
    const p = cursor[old.account[l]]++;
    links.account[p] = old.account[l];
    links.identifier[p] = old.identifier[l];
    links.firstSeen[p] = old.firstSeen[l];
    links.lastSeen[p] = old.lastSeen[l];
    links.count[p] = old.count[l];
    links.rows[p] = old.rows[l];
  }
  for (let k = 0; k < arrivals.identifier.length; k++) {
    const p = cursor[arrivals.account[k]]++;
    links.account[p] = arrivals.account[k];
    links.identifier[p] = base + arrivals.identifier[k];
    links.firstSeen[p] = arrivals.firstSeen[k];
    links.lastSeen[p] = arrivals.lastSeen[k];
    links.count[p] = 1;
    links.rows[p] = 1;
  }
  return { identifiers, links };
}

/**
 * Which links of each kind the graph leaves out (1). An identifier with waves keeps the accounts in them and lets
 * go of its *incumbents* — those on it more than a window before its first wave: a household that was on its home
 * line for a year before a swarm rented the line, or a pool's earlier customers, is not tied to the campaign by
 * the line. Accounts that came one by one *after* the first wave go too when there were incumbents (the identifier
 * is the public's, the wave a visitor: a pool's later customers) and stay when the first wave was its first users
 * (an operator's exit or client build: the operator adding accounts one at a time). An identifier without a
 * wave keeps every link (slow drip, a household, a campus NAT). The caller keeps every link of hubs and public
 * tools (account-graph.ts).
 *
 * Read back from the World's arrival identifiers (`arrival:<kind>:<id>:<day>`, links with the first_seen of each
 * member on the identifier) so that a World loaded from a snapshot gives the same graph. Null when there are none.
 */
export function incumbentLinkMask(
  world: Pick<World, 'identifiers' | 'links'>,
  sources: ArrivalSources = arrivalSources(world),
  options: ArrivalOptions = ARRIVAL_DEFAULTS,
): Record<IdentifierKind, Uint8Array | null> | null {
  const windowMs = options.windowDays * MS_PER_DAY;
  const { kindOf, sourceOf } = sources;
  // Per source identifier: the start of its first wave; per source link: whether it is in a wave (its account is
  // found by binary search in the source kind's account-sorted table). One pass over the wave links.
  const firstCohort = {} as Record<IdentifierKind, Float64Array>;
  const inCohort = {} as Record<IdentifierKind, Uint8Array>;
  const links = world.links.synchrony;
  for (let l = 0; l < links.size; l++) {
    const c = links.identifier[l];
    const kind = kindOf[c];
    if (kind === null || sourceOf[c] < 0) continue;
    const starts = (firstCohort[kind] ??= new Float64Array(world.identifiers[kind].size).fill(NaN));
    const t = links.firstSeen[l];
    if (!(starts[sourceOf[c]] <= t)) starts[sourceOf[c]] = t;
    const link = findLink(world.links[kind], links.account[l], sourceOf[c]);
    if (link >= 0) (inCohort[kind] ??= new Uint8Array(world.links[kind].size))[link] = 1;
  }
  if (Object.keys(firstCohort).length === 0) return null;
  const mask = {} as Record<IdentifierKind, Uint8Array | null>;
  for (const kind of Object.keys(world.links) as IdentifierKind[]) {
    const starts = firstCohort[kind];
    if (!starts) {
      mask[kind] = null;
      continue;
    }
    const table = world.links[kind];
    const kindMask = new Uint8Array(table.size);
    // Per identifier: how many accounts were on it before its first wave (incumbents).
    const incumbents = new Int32Array(world.identifiers[kind].size);
    for (let l = 0; l < table.size; l++) if (table.firstSeen[l] < starts[table.identifier[l]] - windowMs) incumbents[table.identifier[l]]++;
    for (let l = 0; l < table.size; l++) {
      const x = table.identifier[l];
      if (Number.isNaN(starts[x]) || inCohort[kind]?.[l] === 1) continue;
      // Incumbents go. So do later arrivals one by one on an identifier that had users before its first wave (the
      // public's: a pool's later customers); on one whose first wave was its first users (an operator's exit or
      // build), later arrivals stay — the operator adding accounts one at a time.
      if (incumbents[x] > 0) kindMask[l] = 1;
    }
    mask[kind] = kindMask;
  }
  return mask;
}

/** A wave's id, `arrival:<kind>:<id>:<first day>`, taken apart; null for any other id (a template synchrony group). */
export function parseArrivalId(id: string): { kind: IdentifierKind; source: string; day: string } | null {
  for (const kind of ARRIVAL_KINDS) {
    const prefix = `arrival:${kind}:`;
    // The source id sits between the prefix and the trailing `:YYYY-MM-DD` (IPv6 addresses hold colons themselves).
    if (id.startsWith(prefix) && id.length > prefix.length + 11) return { kind, source: id.slice(prefix.length, id.length - 11), day: id.slice(id.length - 10) };
  }
  return null;
}

export interface ArrivalSources {
  /** Per synchrony identifier: the kind its wave arrived on, null for a template synchrony group. */
  kindOf: (IdentifierKind | null)[];
  /** Per synchrony identifier: the index of the identifier its wave arrived on, −1 for none. */
  sourceOf: Int32Array;
}

/** For each synchrony identifier: the kind and index of the identifier its co-arrival wave arrived on. */
export function arrivalSources(world: Pick<World, 'identifiers'>): ArrivalSources {
  const sync = world.identifiers.synchrony;
  const kindOf: (IdentifierKind | null)[] = new Array(sync.size).fill(null);
  const sourceOf = new Int32Array(sync.size).fill(-1);
  const wanted = {} as Record<IdentifierKind, Map<string, number[]>>;
  for (let c = 0; c < sync.size; c++) {
    if (arrivalSource(sync.subkind[c]) === null) continue;
    const parsed = parseArrivalId(sync.ids[c]);
    if (parsed === null) continue;
    kindOf[c] = parsed.kind;
    const byId = (wanted[parsed.kind] ??= new Map());
    const list = byId.get(parsed.source);
    if (list) list.push(c);
    else byId.set(parsed.source, [c]);
  }
  for (const kind of Object.keys(wanted) as IdentifierKind[]) {
    const byId = wanted[kind];
    const ids = world.identifiers[kind].ids;
    for (let x = 0; x < ids.length && byId.size > 0; x++) {
      const list = byId.get(ids[x]);
      if (!list) continue;
      for (const c of list) sourceOf[c] = x;
      byId.delete(ids[x]);
    }
  }
  return { kindOf, sourceOf };
}

/** Index of the (account, identifier) link in a LinkTable sorted by account, then identifier; −1 when absent. */
function findLink(table: LinkTable, account: number, identifier: number): number {
  let lo = 0;
  let hi = table.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table.account[mid] < account || (table.account[mid] === account && table.identifier[mid] < identifier)) lo = mid + 1;
    else hi = mid;
  }
  return lo < table.size && table.account[lo] === account && table.identifier[lo] === identifier ? lo : -1;
}

/**
 * The measurements of one cluster, read straight from the World's typed arrays in one pass over its members
 * (their exchange cells and links): O(members + their links + their exchange cells), no per-member objects.
 *
 * Formulas:
 *   burstiness B = (σ − μ) / (σ + μ) of the gaps between consecutive account creations
 *     (Goh & Barabási 2008, "Burstiness and memory in complex systems", EPL 81:48002, doi:10.1209/0295-5075/81/48002):
 *     −1 perfectly periodic, 0 a Poisson process, → 1 bursty.
 *   ASN concentration = Herfindahl–Hirschman index Σ_k s_k² over the shares s_k of member IP links per ASN
 *     (Hirschman 1964, "The paternity of an index", AER 54(5):761).
 *   activity synchrony = Σ_d a_d² / (M · Σ_d a_d), a_d = members active on day d, M = members with any exchange:
 *     the mean, over member-active-days, of the share of members active that same day.
 */
import { IDENTIFIER_KINDS, INSTRUMENT_KINDS, MS_PER_DAY, SUBKINDS, type IdentifierKind } from '../core/world';
import type { DetectedCluster } from '../core/partition';
import { measureClusterBehaviour } from './behaviour';
import type { ClusterBehaviour, ClusterNetwork, ClusterPayment, ClusterTime, TopIdentifier } from './types';
import type { WorldIndex } from './world-index';

const HOUR_MS = 3_600_000;

export interface ClusterMeasures {
  accounts: number;
  registered_accounts: number;
  unregistered_accounts: number;
  core_accounts: number;
  subclusters: number;
  identifiers: Record<IdentifierKind, number>;
  links: number;
  top_identifiers: TopIdentifier[];
  exchanges: number;
  input_tokens: number;
  output_tokens: number;
  /** Exchanges per capability (index into world.exchanges.capabilities). */
  capabilityExchanges: Float64Array;
  /** Kish's effective number of members, (Σ w)² / Σ w² over the members' exchange counts w: how many equally busy members the mix is an average of. */
  effectiveMembers: number;
  memberActiveDays: number;
  time: ClusterTime;
  payment: ClusterPayment;
  network: ClusterNetwork;
  behaviour: ClusterBehaviour;
  daily_exchanges: number[];
}

export interface MeasureOptions {
  /** A fingerprint is automation evidence when this share of its platform accounts are in the cluster. */
  exclusiveShare: number;
  topIdentifiers: number;
  /** A regular card or bank account paying for at least this many members is a corporate card. */
  corporateCardMinMembers: number;
  /** An email domain with at least this many members, half of whose platform accounts are members, is the cluster's own. */
  exclusiveDomainMinMembers: number;
}

export function measureCluster(index: WorldIndex, cluster: DetectedCluster, options: MeasureOptions): ClusterMeasures {
  const { world } = index;
  const members = cluster.accounts;
  const { accounts } = world;
  const ex = world.exchanges;
  const capabilityExchanges = new Float64Array(ex.capabilities.length);
  const days = Math.max(0, index.lastDay - index.firstDay + 1);
  const dailyVolume = new Float64Array(days);
  const dailyActive = new Int32Array(days);

  let registered = 0;
  let exchanges = 0;
  let squaredMemberExchanges = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let activeMembers = 0;
  let memberActiveDays = 0;
  const memberDays = new Int32Array(members.length);
  const created: number[] = [];
  const domainCounts = new Map<number, number>();
  let withDomain = 0;

  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    registered += accounts.registered[a];
    const createdAt = accounts.createdAt[a];
    if (!Number.isNaN(createdAt)) created.push(createdAt);
    const domain = accounts.emailDomain[a];
    if (domain >= 0) {
      withDomain++;
      domainCounts.set(domain, (domainCounts.get(domain) ?? 0) + 1);
    }
    const end = ex.accountOffsets[a + 1];
    let lastDay = -1;
    let any = false;
    const exchangesBefore = exchanges;
    // Cells are sorted by account, then day: a new day value is a new member-active-day.
    for (let c = ex.accountOffsets[a]; c < end; c++) {
      const count = ex.count[c];
      const d = ex.day[c] - index.firstDay;
      exchanges += count;
      inputTokens += ex.inputTokens[c];
      outputTokens += ex.outputTokens[c];
      capabilityExchanges[ex.capability[c]] += count;
      dailyVolume[d] += count;
      if (d !== lastDay) {
        dailyActive[d]++;
        memberActiveDays++;
        lastDay = d;
      }
      any = true;
    }
    if (any) activeMembers++;
    squaredMemberExchanges += (exchanges - exchangesBefore) ** 2;
    // Calendar days from the member's first to its last active day (cells are sorted by day).
    memberDays[m] = any ? ex.day[end - 1] - ex.day[ex.accountOffsets[a]] + 1 : 0;
  }

  // Active window and synchrony.
  let firstActive = -1;
  let lastActive = -1;
  let sumSquares = 0;
  for (let d = 0; d < days; d++) {
    if (dailyActive[d] > 0) {
      if (firstActive < 0) firstActive = d;
      lastActive = d;
      sumSquares += dailyActive[d] * dailyActive[d];
    }
  }
  const activeWindow = firstActive < 0 ? 0 : lastActive - firstActive + 1;
  const daily = firstActive < 0 ? [] : Array.from(dailyVolume.subarray(firstActive, lastActive + 1));

  const identifiers = { instrument: 0, ip: 0, fingerprint: 0 } as Record<IdentifierKind, number>;
  let links = 0;
  for (const kind of IDENTIFIER_KINDS) {
    const distinct = countMemberLinks(index, kind, members);
    identifiers[kind] = distinct.distinct;
    links += distinct.links;
  }
  const inStepDayShare = measureInStep(index, members, memberDays);
  const payment = measurePayment(index, members, options.corporateCardMinMembers);
  const network = measureNetwork(index, members, options, identifiers.ip, withDomain, domainCounts);
  for (const kind of IDENTIFIER_KINDS) clearCounts(index, kind, members);

  let core = 0;
  for (let m = 0; m < cluster.roles.length; m++) if (cluster.roles[m] === 0) core++;

  return {
    accounts: members.length,
    registered_accounts: registered,
    unregistered_accounts: members.length - registered,
    core_accounts: core,
    subclusters: cluster.subclusters,
    identifiers,
    links,
    top_identifiers: cluster.identifiers.slice(0, options.topIdentifiers).map((shared) => ({
      kind: shared.kind,
      subkind: SUBKINDS[shared.kind][world.identifiers[shared.kind].subkind[shared.identifier]] ?? 'other',
      id: world.identifiers[shared.kind].ids[shared.identifier],
      members: shared.members,
      platform_accounts: index.identifierDegree[shared.kind][shared.identifier],
    })),
    exchanges,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    capabilityExchanges,
    effectiveMembers: squaredMemberExchanges > 0 ? (exchanges * exchanges) / squaredMemberExchanges : 0,
    memberActiveDays,
    time: {
      ...measureCreation(created),
      active_first_day: firstActive < 0 ? null : isoDay(index.firstDay + firstActive),
      active_last_day: lastActive < 0 ? null : isoDay(index.firstDay + lastActive),
      active_window_days: activeWindow,
      activity_synchrony: memberActiveDays > 0 ? sumSquares / (activeMembers * memberActiveDays) : 0,
      in_step_day_share: inStepDayShare,
    },
    payment,
    network,
    behaviour: measureClusterBehaviour(index, members),
    daily_exchanges: daily,
  };
}

export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Fills index.scratchCount[kind] with members per identifier; returns distinct identifiers and member links. */
function countMemberLinks(index: WorldIndex, kind: IdentifierKind, members: Int32Array): { distinct: number; links: number } {
  const offsets = index.linkOffsets[kind];
  const identifier = index.world.links[kind].identifier;
  const counts = index.scratchCount[kind];
  let distinct = 0;
  let links = 0;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    for (let l = offsets[a]; l < offsets[a + 1]; l++) {
      if (counts[identifier[l]]++ === 0) distinct++;
      links++;
    }
  }
  return { distinct, links };
}

/**
 * Mean over members of (days in step with other members) / (days from the member's first to its last active day):
 * a synchrony link's rows are the member's days in step; it counts when two or more members share the synchrony
 * identifier (countMemberLinks has filled the counts). A dispatcher's accounts are in step day after day for as
 * long as they work (a slow-drip account from its creation, a recycled one until its suspension); a class only on
 * class days, a few a week — even for a student who uses the platform on class days alone.
 */
function measureInStep(index: WorldIndex, members: Int32Array, memberDays: Int32Array): number {
  const offsets = index.linkOffsets.synchrony;
  const links = index.world.links.synchrony;
  const counts = index.scratchCount.synchrony;
  // Template synchrony groups only (subkind 0, `window`): an arrival cohort (arrival.ts) is one wave, not days in step.
  const subkind = index.world.identifiers.synchrony.subkind;
  if (links.size === 0 || members.length === 0) return 0;
  let sum = 0;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    let days = 0;
    for (let l = offsets[a]; l < offsets[a + 1]; l++) {
      const x = links.identifier[l];
      if (subkind[x] === 0 && counts[x] >= 2 && links.rows[l] > days) days = links.rows[l];
    }
    if (days > 0 && memberDays[m] > 0) sum += Math.min(1, days / memberDays[m]);
  }
  return sum / members.length;
}

function clearCounts(index: WorldIndex, kind: IdentifierKind, members: Int32Array): void {
  const offsets = index.linkOffsets[kind];
  const identifier = index.world.links[kind].identifier;
  const counts = index.scratchCount[kind];
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    for (let l = offsets[a]; l < offsets[a + 1]; l++) counts[identifier[l]] = 0;
  }
}

function measurePayment(index: WorldIndex, members: Int32Array, corporateCardMinMembers: number): ClusterPayment {
  const offsets = index.linkOffsets.instrument;
  const identifier = index.world.links.instrument.identifier;
  const subkind = index.world.identifiers.instrument.subkind;
  const counts = index.scratchCount.instrument;
  let withInstrument = 0;
  let prepaidMembers = 0;
  let sharedPrepaidMembers = 0;
  let corporateMembers = 0;
  let corporateCards = 0;
  let instruments = 0;
  let memberLinks = 0;
  let shared = 0;
  let sharedPrepaid = 0;
  let largest = 0;
  let largestKind: string | null = null;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    const start = offsets[a];
    const end = offsets[a + 1];
    if (end > start) withInstrument++;
    let prepaid = false;
    let onSharedPrepaid = false;
    let onCorporate = false;
    for (let l = start; l < end; l++) {
      const i = identifier[l];
      const membersOnIt = counts[i] & ~0x40000000;
      memberLinks++;
      if (index.prepaidOrVirtual[subkind[i]]) {
        prepaid = true;
        if (membersOnIt >= 2) onSharedPrepaid = true;
      } else if (index.corporateKind[subkind[i]] && membersOnIt >= corporateCardMinMembers) {
        onCorporate = true;
      }
      // counts[] was filled by countMemberLinks; count each instrument once, at its first member.
      if (counts[i] > 0 && !(counts[i] & 0x40000000)) {
        instruments++;
        if (counts[i] >= 2) {
          shared++;
          if (index.prepaidOrVirtual[subkind[i]]) sharedPrepaid++;
        }
        if (index.corporateKind[subkind[i]] && counts[i] >= corporateCardMinMembers) corporateCards++;
        if (counts[i] > largest) {
          largest = counts[i];
          largestKind = INSTRUMENT_KINDS[subkind[i]] ?? 'other';
        }
        counts[i] |= 0x40000000;
      }
    }
    if (prepaid) prepaidMembers++;
    if (onSharedPrepaid) sharedPrepaidMembers++;
    if (onCorporate) corporateMembers++;
  }
  // Drop the "seen" bit so clearCounts / the next reader sees plain counts.
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    for (let l = offsets[a]; l < offsets[a + 1]; l++) counts[identifier[l]] &= ~0x40000000;
  }
  return {
    accounts_with_instrument: withInstrument,
    prepaid_virtual_share: ratio(prepaidMembers, withInstrument),
    instruments,
    accounts_per_instrument: ratio(memberLinks, instruments),
    shared_instruments: shared,
    shared_prepaid_virtual: sharedPrepaid,
    shared_prepaid_virtual_member_share: ratio(sharedPrepaidMembers, withInstrument),
    accounts_per_shared_prepaid_virtual: ratio(sharedPrepaidMembers, sharedPrepaid),
    corporate_cards: corporateCards,
    corporate_card_member_share: ratio(corporateMembers, withInstrument),
    largest_instrument_share: ratio(largest, withInstrument),
    largest_instrument_kind: largestKind,
  };
}

function measureNetwork(
  index: WorldIndex,
  members: Int32Array,
  options: MeasureOptions,
  distinctIps: number,
  withDomain: number,
  domainCounts: Map<number, number>,
): ClusterNetwork {
  const { world } = index;
  const ipOffsets = index.linkOffsets.ip;
  const ipOf = world.links.ip.identifier;
  const ips = world.identifiers.ip;
  const asnCounts = index.scratchAsn;
  let withIp = 0;
  let proxyMembers = 0;
  let asnLinks = 0;
  let distinctAsns = 0;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    const start = ipOffsets[a];
    const end = ipOffsets[a + 1];
    if (end > start) withIp++;
    let proxy = false;
    for (let l = start; l < end; l++) {
      const ip = ipOf[l];
      if (ips.proxy.length > 0 && ips.proxy[ip] === 1) proxy = true;
      const asn = ips.asn.length > 0 ? ips.asn[ip] : -1;
      if (asn >= 0) {
        if (asnCounts[asn]++ === 0) distinctAsns++;
        asnLinks++;
      }
    }
    if (proxy) proxyMembers++;
  }
  let hhi = 0;
  let topAsn = -1;
  let topAsnLinks = 0;
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    for (let l = ipOffsets[a]; l < ipOffsets[a + 1]; l++) {
      const asn = ips.asn.length > 0 ? ips.asn[ipOf[l]] : -1;
      if (asn < 0 || asnCounts[asn] === 0) continue;
      const share = asnCounts[asn] / asnLinks;
      hhi += share * share;
      if (asnCounts[asn] > topAsnLinks || (asnCounts[asn] === topAsnLinks && asn < topAsn)) {
        topAsnLinks = asnCounts[asn];
        topAsn = asn;
      }
      asnCounts[asn] = 0;
    }
  }

  // Automation fingerprints: proxy/TLS fingerprints shared inside the cluster and rarely outside it.
  const fpOffsets = index.linkOffsets.fingerprint;
  const fpOf = world.links.fingerprint.identifier;
  const fpSubkind = world.identifiers.fingerprint.subkind;
  const fpCounts = index.scratchCount.fingerprint;
  const degree = index.identifierDegree.fingerprint;
  const isAutomation = (fp: number): boolean =>
    index.automationKind[fpSubkind[fp]] === 1 && fpCounts[fp] >= 2 && fpCounts[fp] >= options.exclusiveShare * degree[fp];
  let automationMembers = 0;
  const automation = new Set<number>();
  for (let m = 0; m < members.length; m++) {
    const a = members[m];
    let on = false;
    for (let l = fpOffsets[a]; l < fpOffsets[a + 1]; l++) {
      if (isAutomation(fpOf[l])) {
        on = true;
        automation.add(fpOf[l]);
      }
    }
    if (on) automationMembers++;
  }

  let topDomain = -1;
  let topDomainCount = 0;
  let exclusiveMembers = 0;
  let exclusiveDomains = 0;
  for (const [domain, count] of domainCounts) {
    if (count >= options.exclusiveDomainMinMembers && count >= 0.5 * index.domainAccounts[domain]) {
      exclusiveMembers += count;
      exclusiveDomains++;
    }
    if (count > topDomainCount || (count === topDomainCount && domain < topDomain)) {
      topDomain = domain;
      topDomainCount = count;
    }
  }
  return {
    accounts_with_ip: withIp,
    proxy_share: ratio(proxyMembers, withIp),
    distinct_ips: distinctIps,
    distinct_asns: distinctAsns,
    asn_hhi: hhi,
    top_asn: topAsn >= 0 ? ips.asns[topAsn] : null,
    top_asn_share: ratio(topAsnLinks, asnLinks),
    automation_fingerprints: automation.size,
    automation_fingerprint_share: ratio(automationMembers, members.length),
    top_email_domain: topDomain >= 0 ? world.accounts.emailDomains[topDomain] : null,
    top_email_domain_share: ratio(topDomainCount, withDomain),
    top_email_domain_exclusivity: topDomain >= 0 ? ratio(topDomainCount, index.domainAccounts[topDomain]) : 0,
    exclusive_domains: exclusiveDomains,
    exclusive_domain_share: ratio(exclusiveMembers, withDomain),
  };
}

function measureCreation(created: number[]): Pick<
  ClusterTime,
  'created_first' | 'created_last' | 'creation_span_days' | 'busiest_24h_share' | 'busiest_1h_share' | 'creation_burstiness'
> {
  if (created.length === 0) {
    return { created_first: null, created_last: null, creation_span_days: 0, busiest_24h_share: 0, busiest_1h_share: 0, creation_burstiness: 0 };
  }
  const times = Float64Array.from(created).sort();
  const n = times.length;
  let gapSum = 0;
  let gapSquares = 0;
  for (let i = 1; i < n; i++) {
    const gap = times[i] - times[i - 1];
    gapSum += gap;
    gapSquares += gap * gap;
  }
  let burstiness = 0;
  if (n >= 3) {
    const mean = gapSum / (n - 1);
    const sd = Math.sqrt(Math.max(0, gapSquares / (n - 1) - mean * mean));
    burstiness = mean + sd > 0 ? (sd - mean) / (sd + mean) : 1; // all created at the same instant: maximally bursty
  }
  return {
    created_first: new Date(times[0]).toISOString(),
    created_last: new Date(times[n - 1]).toISOString(),
    creation_span_days: (times[n - 1] - times[0]) / MS_PER_DAY,
    busiest_24h_share: busiestWindow(times, MS_PER_DAY) / n,
    busiest_1h_share: busiestWindow(times, HOUR_MS) / n,
    creation_burstiness: burstiness,
  };
}

/** Most sorted times within any window [t, t + width): two pointers, linear. */
function busiestWindow(times: Float64Array, width: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= width) start++;
    if (end - start + 1 > best) best = end - start + 1;
  }
  return best;
}

export function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/**
 * What the summary says, as data: the HTML and the PDF render this one model, so they cannot disagree.
 * Wording is for a reader who has never used the tool: every number has a label in words.
 */
import { IDENTIFIER_KINDS, kindsOf, type World } from '../core/world';
import { type ClusterFacts, isoDay, isoTime, shares } from './cluster-facts';
import type { MixRow } from './pictures';
import type { Pseudonymizer } from './pseudonymize';
import { sharedIdentifiersPhrase } from '../sweep/history/identifier-links';
import type { EvidenceHistory, EvidenceInput } from './types';

export interface KeyNumber {
  label: string;
  value: string;
}

export interface SummaryReason {
  code: string;
  text: string;
  /** The reason's number formatted for a reader ("10.4", "98.7%"), or "—" when it has none. */
  value: string;
  /** The baseline it is compared with, or "—" when there is none or it means nothing (an index whose baseline is 0 by definition). */
  baseline: string;
  /** Risk points it adds or removes ("+15 points"), or "—". */
  points: string;
  /** value, baseline and points in one line, for the PDF. */
  numbers: string;
}

export interface SummaryModel {
  title: string;
  subtitle: string;
  finding: string[];
  keyNumbers: KeyNumber[];
  reasons: SummaryReason[];
  mix: MixRow[];
  mixBaselineLabel: string;
  method: string[];
  /** The parameters that decide the grouping (algorithm, resolution, seed, hub limits, minimum cluster size). */
  parameters: KeyNumber[];
  /** Every parameter the sweep recorded, as dotted labels (the HTML lists them; the PDF points to provenance.json). */
  allParameters: KeyNumber[];
  /** Where the full parameter list is. */
  parametersNote: string;
  inputFiles: Array<{ file: string; bytes: string; rows: string; sha256: string }>;
  /** A few members with their own evidence, core members first, so a reader sees what one account's ties look like. */
  memberExamples: Array<{ account: string; role: string; created: string; exchanges: string; evidence: string }>;
  memberExamplesNote: string;
  pseudonymisation: string | null;
  /** Who reviewed the finding and the case-book decisions on the cluster (filled in by the pack builder). */
  review: string[];
  limits: string[];
}

/** Members shown by name in the summary. */
const MEMBER_EXAMPLES = 10;
const KIND_PLURAL = {
  instrument: 'payment instruments',
  ip: 'IP addresses',
  fingerprint: 'device/network fingerprints',
  template: 'prompt templates',
  client: 'clients (SDK versions)',
  synchrony: 'synchrony groups (same minutes on one template day after day, or arriving on one card, exit or device together)',
} as const;
const KIND_SINGULAR = {
  instrument: 'payment instrument',
  ip: 'IP address',
  fingerprint: 'device/network fingerprint',
  template: 'prompt template',
  client: 'client (SDK version)',
  synchrony: 'synchrony group (same minutes on one template day after day, or arriving on one card, exit or device together)',
} as const;

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 2 : 1)}%`;
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? formatCount(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function describeMethod(sweep: EvidenceInput['sweep']): string[] {
  const parameters: Record<string, unknown> = { ...(sweep.parameters.detection as Record<string, unknown> | undefined), ...sweep.parameters, ...sweep.detection };
  const algorithm = String(parameters.algorithm ?? parameters.engine ?? 'unknown');
  const names: Record<string, string> = {
    leiden: 'Leiden community detection (Traag, Waltman & van Eck 2019) on the weighted account–identifier graph',
    louvain: 'Louvain community detection (Blondel et al. 2008) on the weighted account–identifier graph',
    'gds-leiden': 'Leiden community detection run by Neo4j Graph Data Science on the account–identifier graph',
  };
  const lines = [
    `Accounts were connected through the identifiers they share: payment instruments, IP addresses and device/network fingerprints. ` +
      `Identifiers whose accounts lie in many separate groups that share nothing else (carrier NATs, public proxies, common browser builds, a reseller's card) say nothing about coordination and were set aside as "hubs".`,
    `Groups were found with ${names[algorithm] ?? `the "${algorithm}" algorithm`}` +
      (parameters.resolution !== undefined ? `, resolution ${valueText(parameters.resolution)}` : '') +
      (parameters.seed !== undefined ? `, random seed ${valueText(parameters.seed)} (the same data and seed always give the same groups)` : '') +
      (typeof parameters.modularity === 'number' ? `; the grouping's modularity (how much more tightly the groups are linked inside than chance would give, 0 to 1) was ${parameters.modularity.toFixed(3)}` : '') +
      '.',
    'Each group was then profiled (volume, capability mix, timing, payment and network traits) and scored 0–100 for risk; the reasons listed above under "Why this cluster was flagged" are the facts that drove the score.',
  ];
  return lines;
}

/** One sentence on what the weekly history knew of this cluster ('' when nothing worth saying, or no history). */
export function historySentence(history: EvidenceHistory | null): string {
  if (!history) return '';
  const accounts = (n: number) => `${formatCount(n)} account${n === 1 ? '' : 's'}`;
  if (history.event === 'returned') {
    return (
      `The same group was reported before as cluster ${history.previous_id}, last seen in sweep ${history.last_seen_sweep ?? '(unknown)'}; ` +
      `it was absent from the sweep after that and is back in this one with ${accounts(history.accounts_after)}, ${formatCount(history.joined)} of them not in it when last seen.`
    );
  }
  const link = history.identifier_links?.[0];
  if (history.event === 'new' && link) {
    const what = sharedIdentifiersPhrase(link, { instrument: KIND_SINGULAR.instrument, fingerprint: KIND_SINGULAR.fingerprint });
    const confirmed = history.case_status === 'confirmed' && history.case_cluster_id === link.cluster_id ? ', which an investigator had confirmed as a campaign when this sweep ran' : '';
    return (
      `None of these accounts was in a reported cluster in the previous sweep (${history.previous_sweep_id}), but they use ${what} ` +
      `recorded for cluster ${link.cluster_id} in sweep ${link.sweep_id}${confirmed}: the same operator may be behind both on fresh accounts.`
    );
  }
  if (history.event === 'new') return `This cluster is new since the previous sweep (${history.previous_sweep_id}).`;
  if (history.event === 'unchanged') return '';
  const change: Record<string, string> = { grown: 'grew', shrunk: 'shrank', merged: 'merged with other clusters', split: 'is one part of a cluster that split' };
  return (
    `Compared with the previous sweep (${history.previous_sweep_id}), this cluster ${change[history.event] ?? history.event}: ` +
    `${history.previous_id ?? 'its predecessor'} had ${accounts(history.accounts_before)} then, and ${formatCount(history.joined)} of today's ${accounts(history.accounts_after)} are new to it.`
  );
}

export function buildSummaryModel(input: EvidenceInput, facts: ClusterFacts, pseudonymizer: Pseudonymizer, organisation: string | null): SummaryModel {
  const { world, cluster, sweep } = input;
  const memberCount = facts.accounts.length;
  let registered = 0;
  for (const account of facts.accounts) registered += world.accounts.registered[account];

  const sharedByKind = {} as Record<(typeof IDENTIFIER_KINDS)[number], number>;
  for (const kind of IDENTIFIER_KINDS) {
    sharedByKind[kind] = facts.identifiers[kind].filter((fact) => fact.members >= 2 && !facts.hubs[kind][fact.identifier]).length;
  }
  let tyingLinks = 0;
  for (const kind of IDENTIFIER_KINDS) tyingLinks += facts.tyingLinks[kind].length;
  const shownKinds = kindsOf(world);
  // Identifiers the members share that detection set aside as hubs: counted apart and explained, never dropped silently.
  const hubReason = new Map(input.hubs.map((hub) => [`${hub.kind}:${hub.identifier}`, hub]));
  const setAside = IDENTIFIER_KINDS.flatMap((kind) =>
    facts.identifiers[kind]
      .filter((fact) => fact.members >= 2 && facts.hubs[kind][fact.identifier])
      .map((fact) => ({ kind, fact, hub: hubReason.get(`${kind}:${fact.identifier}`) })),
  );

  const mix = capabilityMix(world, facts, cluster.baseline_mix);
  const mixBaselineLabel = cluster.baseline_mix
    ? `baseline recorded by the sweep (${cluster.baseline_definition ?? 'ordinary accounts'})`
    : 'baseline: all accounts outside this cluster, recomputed from the sweep\'s data';
  const top = mix[0];
  const platformExchanges = world.exchanges.totals.exchanges;
  const window = facts.firstDay !== null && facts.lastDay !== null
    ? `${isoDay(facts.firstDay)} to ${isoDay(facts.lastDay)} (${formatCount(facts.lastDay - facts.firstDay + 1)} days)`
    : 'no recorded activity';

  const finding: string[] = [
    `${formatCount(memberCount)} accounts that each look ordinary on their own are tied together by what they share: ` +
      shownKinds.map((kind) => `${formatCount(sharedByKind[kind])} ${(sharedByKind[kind] === 1 ? KIND_SINGULAR : KIND_PLURAL)[kind]}`).join(', ') +
      `, each used by two or more of these accounts (${formatCount(tyingLinks)} account–identifier links in all).`,
    facts.firstDay !== null
      ? `From ${window} they made ${formatCount(facts.exchanges)} exchanges with the API ` +
        `(${formatCount(facts.inputTokens)} input and ${formatCount(facts.outputTokens)} output tokens)` +
        (platformExchanges > 0 ? `, ${percent(facts.exchanges / platformExchanges)} of all exchanges in the data analysed.` : '.')
      : 'No exchanges are recorded for these accounts.',
    top && top.cluster > 0
      ? `"${top.capability}" made up ${percent(top.cluster)} of their exchanges, against ${percent(top.baseline)} in the baseline` +
        (top.baseline > 0 ? ` (${(top.cluster / top.baseline).toFixed(1)} times as much).` : '.')
      : '',
    historySentence(cluster.history ?? null),
    `swarmscope rated this cluster ${valueText(cluster.risk)} out of 100 (${cluster.tier} risk). The reasons, with the numbers behind them, are listed below.`,
  ].filter((line) => line !== '');

  const keyNumbers: KeyNumber[] = [
    { label: 'Member accounts', value: `${formatCount(memberCount)} (${formatCount(registered)} registered, ${formatCount(memberCount - registered)} seen only in activity or links)` },
    ...shownKinds.map((kind) => ({ label: `Shared ${KIND_PLURAL[kind]}`, value: formatCount(sharedByKind[kind]) })),
    ...IDENTIFIER_KINDS.filter((kind) => setAside.some((entry) => entry.kind === kind)).map((kind) => ({
      label: `Shared ${KIND_PLURAL[kind]} set aside as hubs (not counted above)`,
      value: formatCount(setAside.filter((entry) => entry.kind === kind).length),
    })),
    { label: 'Account–identifier links tying members', value: formatCount(tyingLinks) },
    { label: 'Exchanges', value: formatCount(facts.exchanges) + (platformExchanges > 0 ? ` (${percent(facts.exchanges / platformExchanges)} of the platform's ${formatCount(platformExchanges)})` : '') },
    { label: 'Input tokens', value: formatCount(facts.inputTokens) },
    { label: 'Output tokens', value: formatCount(facts.outputTokens) },
    { label: 'Active window (UTC)', value: window },
    {
      label: 'Accounts created',
      value: facts.createdFirst !== null && facts.createdLast !== null ? `${isoTime(facts.createdFirst).slice(0, 10)} to ${isoTime(facts.createdLast).slice(0, 10)}` : 'unknown',
    },
    { label: 'Risk', value: `${valueText(cluster.risk)} / 100 (${cluster.tier})` },
    { label: 'Cluster id', value: cluster.cluster_id },
    { label: 'Sweep', value: `${sweep.id}, started ${sweep.started_at}` },
  ];

  const reasons: SummaryReason[] = cluster.reasons.map((reason) => {
    const numbers = reasonNumbers(reason);
    return {
      code: reason.code,
      text: pseudonymizer.text(reason.text),
      value: pseudonymizer.text(numbers.value),
      baseline: pseudonymizer.text(numbers.baseline),
      points: numbers.points,
      numbers: pseudonymizer.text(
        [numbers.value !== NONE ? numbers.value : '', numbers.baseline !== NONE ? `baseline ${numbers.baseline}` : '', numbers.points !== NONE ? numbers.points : '']
          .filter((part) => part !== '')
          .join(', '),
      ),
    };
  });

  const allParameters: KeyNumber[] = flattenParameters(sweep.parameters).map(([label, value]) => ({ label, value: pseudonymizer.text(valueText(value)) }));
  const parameters: KeyNumber[] = decisiveParameters(sweep.parameters).map(([label, value]) => ({ label, value: pseudonymizer.text(value) }));
  const parametersNote =
    `The ${formatCount(parameters.length)} parameters above decide which accounts are grouped. All ${formatCount(allParameters.length)} parameters the sweep recorded ` +
    '(identifier weights, scoring thresholds and the rest) are in provenance.json under "parameters".';

  const exampleOrder = input.members.map((_, m) => m).sort((a, b) => Number(input.members[a].role !== 'core') - Number(input.members[b].role !== 'core') || a - b);
  const memberExamples = exampleOrder.slice(0, MEMBER_EXAMPLES).map((m) => {
    const account = input.members[m].account;
    return {
      account: pseudonymizer.value('account', world.accounts.ids[account]),
      role: input.members[m].role,
      created: isoTime(world.accounts.createdAt[account]).slice(0, 10),
      exchanges: formatCount(facts.memberExchanges[m]),
      evidence: pseudonymizer.text(input.members[m].evidence),
    };
  });
  const memberExamplesNote = `The first ${formatCount(memberExamples.length)} of ${formatCount(memberCount)} members (core members first, in the sweep's order); every member is in members.csv.`;

  const inputFiles = sweep.input_files.map((file) => ({
    file: file.file,
    bytes: formatCount(file.bytes),
    rows: `${formatCount(file.rows)} read, ${formatCount(file.rows_loaded)} loaded, ${formatCount(file.rows_rejected)} rejected`,
    sha256: file.sha256 ?? '(file absent)',
  }));

  return {
    title: `Evidence pack: cluster ${cluster.cluster_id}`,
    subtitle: `${organisation ? `${organisation} · ` : ''}sweep ${sweep.id} · ${sweep.software.name} ${sweep.software.version}`,
    finding,
    keyNumbers,
    reasons,
    mix,
    mixBaselineLabel,
    method: describeMethod(sweep),
    parameters,
    allParameters,
    parametersNote,
    inputFiles,
    memberExamples,
    memberExamplesNote,
    pseudonymisation: pseudonymizer.active
      ? `Account ids, email domains, IP addresses, payment instrument ids and fingerprints in this pack are replaced by keyed tokens ` +
        `(HMAC-SHA256, key id ${pseudonymizer.keyId}). The same value always has the same token throughout the pack, so the tables still join; ` +
        'only the holder of the key can tell which real value a token stands for. The key is not in the pack.'
      : null,
    review: [],
    limits: [
      'A cluster is a statistical finding about a group: each member\'s own ties are in members.csv (evidence column) and links.csv; judge individual accounts on those.',
      'Identifiers set aside as hubs are not counted as ties. Numbers are recomputed from the sweep\'s saved data when the pack is built.',
      ...setAside.slice(0, 10).map(
        ({ kind, fact, hub }) =>
          `The ${KIND_SINGULAR[kind]} ${pseudonymizer.value(kind, world.identifiers[kind].ids[fact.identifier])} is used by ${formatCount(fact.members)} members ` +
          `and ${formatCount(hub?.degree ?? fact.members)} accounts in all; it was set aside as a hub` + (hub?.reason ? `: ${hub.reason}.` : '.'),
      ),
      'Every file in this pack is listed with its SHA-256 and SHA-512 checksum in manifest-sha256.txt and manifest-sha512.txt. To check that nothing was changed: `swarmscope evidence verify <pack.zip>`, any BagIt validator, or, without special software, `sha256sum -c manifest-sha256.txt` run in the unzipped pack folder.',
      'Checksums show that nothing was changed by accident; they do not show who made the pack, since anyone who changes a file can recompute every checksum. Only a signature (tagmanifest-sha256.txt.sig, checked with the signer\'s public key as README.txt says) shows that; nothing in the pack shows when it was made unless a trusted timestamp (RFC 3161) is kept beside it.',
    ],
  };
}

const NONE = '—';

/** Reasons whose number is a share of accounts, exchanges or connections (0 to 1), shown as a percentage. */
const SHARE_REASONS = new Set([
  'AUTOMATION_FINGERPRINTS',
  'PROXY_EXITS',
  'LARGE_VOLUME_SHARE',
  'SYNCHRONISED_ACTIVITY',
  'CORPORATE_CARD',
  'SINGLE_NETWORK_NO_PROXY',
  'ORGANISATION_EMAIL_DOMAIN',
]);
/** Reasons whose number is an index with no meaningful baseline (the scorer records 0): mix distance, creation burstiness. */
const NO_BASELINE_REASONS = new Set(['CAPABILITY_TARGETING']);

/** A number for a reader: thousands separated, one decimal from 10 up, two below. */
export function readableNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || Number.isInteger(value)) return formatCount(value);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A reason's value, baseline and points, each formatted for a reader, "—" where there is none or it means nothing. */
function reasonNumbers(reason: EvidenceInput['cluster']['reasons'][number]): { value: string; baseline: string; points: string } {
  // BURST_CREATION carries either the share created in the busiest 24 hours (no baseline) or a burstiness index (baseline 0, meaningless).
  const indexWithoutBaseline = NO_BASELINE_REASONS.has(reason.code) || (reason.code === 'BURST_CREATION' && reason.baseline !== undefined && reason.baseline !== null);
  const share = SHARE_REASONS.has(reason.code) || (reason.code === 'BURST_CREATION' && !indexWithoutBaseline);
  const format = (value: unknown): string => {
    if (value === undefined || value === null) return NONE;
    if (typeof value !== 'number') return valueText(value);
    return share ? percent(value) : readableNumber(value);
  };
  return {
    value: format(reason.value),
    baseline: indexWithoutBaseline ? NONE : format(reason.baseline),
    // The scorer rounds points to 0.1.
    points: typeof reason.points === 'number' ? `${reason.points >= 0 ? '+' : '−'}${Number.isInteger(reason.points) ? formatCount(Math.abs(reason.points)) : Math.abs(reason.points).toFixed(1)} points` : NONE,
  };
}

/** Parameter names (compared without case and underscores) that decide the grouping. */
const DECISIVE_PARAMETERS = ['algorithm', 'engine', 'resolution', 'seed', 'hublimit', 'hubminimum', 'hubshare', 'spreadgroups', 'concentration', 'minclustersize'];

/** The decisive parameters wherever they sit (usually under "detection"), an object value (per-kind hub limits) on one line. */
function decisiveParameters(parameters: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (const key of Object.keys(parameters).sort((a, b) => decisiveRank(a) - decisiveRank(b) || (a < b ? -1 : a > b ? 1 : 0))) {
    const value = parameters[key];
    const label = prefix ? `${prefix}.${key}` : key;
    if (decisiveRank(key) < DECISIVE_PARAMETERS.length) {
      const text = value && typeof value === 'object' && !Array.isArray(value)
        ? flattenParameters(value as Record<string, unknown>).map(([name, inner]) => `${name} ${valueText(inner)}`).join(', ')
        : valueText(value);
      result.push([label, text]);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      result.push(...decisiveParameters(value as Record<string, unknown>, label));
    }
  }
  return result;
}

function decisiveRank(key: string): number {
  const rank = DECISIVE_PARAMETERS.indexOf(key.replace(/_/g, '').toLowerCase());
  return rank < 0 ? DECISIVE_PARAMETERS.length : rank;
}

/** Nested parameter objects as dotted labels ("detection.resolution"), sorted, so every parameter is listed. */
function flattenParameters(parameters: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  const result: Array<[string, unknown]> = [];
  for (const key of Object.keys(parameters).sort()) {
    const value = parameters[key];
    const label = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) result.push(...flattenParameters(value as Record<string, unknown>, label));
    else result.push([label, value]);
  }
  return result;
}

/** Capability shares of the cluster and the baseline, most-used-by-the-cluster first. */
function capabilityMix(world: World, facts: ClusterFacts, recordedBaseline: Record<string, number> | undefined): MixRow[] {
  const capabilities = world.exchanges.capabilities;
  const clusterShares = shares(facts.exchangesByCapability);
  const baselineShares = shares(facts.outsideByCapability);
  const rows = capabilities.map((capability, i) => ({
    capability,
    cluster: clusterShares[i],
    baseline: recordedBaseline ? Number(recordedBaseline[capability] ?? 0) : baselineShares[i],
  }));
  rows.sort((a, b) => b.cluster - a.cluster || b.baseline - a.baseline || (a.capability < b.capability ? -1 : 1));
  return rows.filter((row) => row.cluster > 0 || row.baseline > 0);
}

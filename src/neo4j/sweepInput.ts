/**
 * What an export needs from a saved sweep: the World (from world.snapshot), the clusters and hubs (from
 * report.json) and the memberships (from members.csv), normalised into plain typed rows.
 *
 * Neo4j properties cannot hold maps, so two report fields are flattened here, once, for every exporter:
 * - capability_mix {capability: share} → parallel arrays `capabilities` / `capability_shares` (sorted by
 *   share, descending; queryable with `ANY(c IN n.capabilities WHERE …)`) plus `top_capability`, and the
 *   original map as the JSON string `capability_mix`.
 * - reasons (strings, or objects with a text) → a string list `reasons`, and the original as `reasons_json`.
 * With a weekly history (sweep --state), each cluster also gets its change since the previous sweep from
 * report.json's since_last_sweep: `event`, `previous_id` and `identifiers_of` (the known clusters whose
 * instruments or fingerprints a new cluster reuses); all null/empty for a stand-alone sweep.
 */
import { swarmscopeError } from '../core/errors';
import { eventsByCluster } from '../sweep/history/since-last-sweep';
import { loadSweep } from '../sweep/load';
import { IDENTIFIER_KINDS, type IdentifierKind, type World } from '../core/world';

export interface ExportCluster {
  /** The sweep's own cluster id, as text. */
  id: string;
  accounts: number;
  exchanges: number;
  inputTokens: number;
  outputTokens: number;
  /** Risk as the sweep reported it (a number; integers stay integers). */
  risk: number;
  tier: string;
  reasons: string[];
  reasonsJson: string;
  capabilities: string[];
  capabilityShares: number[];
  capabilityMixJson: string;
  /** Since the previous sweep (sweeps with --state): new, returned, grown, …; null without a history. */
  event: string | null;
  /** The previous cluster it continues (its own id when it kept it); null for new clusters or no history. */
  previousId: string | null;
  /** Known clusters whose payment instruments or fingerprints it reuses (new clusters only). */
  identifiersOf: string[];
}

export interface ExportMember {
  account: string;
  cluster: string;
  role: string;
  evidence: string;
  /** 1-based line in members.csv, for error messages. */
  line: number;
}

export interface ExportHub {
  kind: IdentifierKind;
  id: string;
}

/** Everything the Neo4j exporters read from a sweep. */
export interface SweepExport {
  sweepId: string;
  world: World;
  clusters: ExportCluster[];
  members: ExportMember[];
  hubs: ExportHub[];
  /** The sweep's detection parameters (report.json sweep.parameters.detection): link weights are rebuilt from them. */
  detectionParameters?: Record<string, unknown>;
}

function numberOf(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}

function reasonText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason && typeof reason === 'object') {
    const r = reason as Record<string, unknown>;
    for (const key of ['text', 'message', 'reason', 'summary', 'code']) if (typeof r[key] === 'string') return r[key] as string;
  }
  return JSON.stringify(reason);
}

/** Accepts {capability: share} or [{capability, share|count|exchanges}]; returns pairs sorted by share descending. */
function capabilityPairs(mix: unknown): Array<[string, number]> {
  const pairs: Array<[string, number]> = [];
  if (Array.isArray(mix)) {
    for (const entry of mix) {
      if (!entry || typeof entry !== 'object') continue;
      const e = entry as Record<string, unknown>;
      const name = e.capability ?? e.name;
      if (typeof name === 'string') pairs.push([name, numberOf(e.share ?? e.fraction ?? e.exchanges ?? e.count)]);
    }
  } else if (mix && typeof mix === 'object') {
    for (const [name, value] of Object.entries(mix as Record<string, unknown>)) {
      pairs.push([name, numberOf(typeof value === 'object' && value ? (value as Record<string, unknown>).share ?? (value as Record<string, unknown>).exchanges : value)]);
    }
  }
  return pairs.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function normaliseCluster(raw: Record<string, unknown>, where: string): ExportCluster {
  const id = raw.cluster_id ?? raw.id;
  if (id === undefined || id === null || String(id) === '') {
    throw swarmscopeError('BAD_SWEEP', `${where}: cluster without cluster_id`);
  }
  const reasons = Array.isArray(raw.reasons) ? raw.reasons : raw.reasons === undefined ? [] : [raw.reasons];
  const pairs = capabilityPairs(raw.capability_mix);
  return {
    id: String(id),
    accounts: numberOf(raw.accounts ?? raw.size),
    exchanges: numberOf(raw.exchanges),
    inputTokens: numberOf(raw.input_tokens),
    outputTokens: numberOf(raw.output_tokens),
    risk: numberOf(raw.risk),
    tier: typeof raw.tier === 'string' ? raw.tier : '',
    reasons: reasons.map(reasonText),
    reasonsJson: JSON.stringify(reasons),
    capabilities: pairs.map((p) => p[0]),
    capabilityShares: pairs.map((p) => p[1]),
    capabilityMixJson: JSON.stringify(raw.capability_mix ?? {}),
    event: null,
    previousId: null,
    identifiersOf: [],
  };
}

/** Adds each cluster's since-last-sweep event (in place); a sweep without a history leaves them null/empty. */
function withHistory(clusters: ExportCluster[], section: unknown): ExportCluster[] {
  const byId = eventsByCluster(section);
  for (const cluster of clusters) {
    const event = byId.get(cluster.id);
    if (!event) continue;
    cluster.event = typeof event.event === 'string' ? event.event : null;
    cluster.previousId = typeof event.previous_id === 'string' ? event.previous_id : null;
    cluster.identifiersOf = Array.isArray(event.identifier_links) ? event.identifier_links.map((link) => String(link.cluster_id)) : [];
  }
  return clusters;
}

const KIND_ALIASES: Record<string, IdentifierKind> = {
  instrument: 'instrument', payment_instrument: 'instrument', card: 'instrument', payment: 'instrument',
  ip: 'ip', ip_address: 'ip',
  fingerprint: 'fingerprint',
  template: 'template', prompt_template: 'template',
  client: 'client', sdk: 'client',
  synchrony: 'synchrony', sync: 'synchrony',
};

function normaliseHubs(raw: unknown, where: string): ExportHub[] {
  if (!Array.isArray(raw)) return [];
  const hubs: ExportHub[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const kind = KIND_ALIASES[String(e.kind ?? '')];
    const id = e.id ?? e.identifier_id ?? e.identifier;
    if (!kind || (typeof id !== 'string' && typeof id !== 'number')) {
      throw swarmscopeError('BAD_SWEEP', `${where}: hub entry ${JSON.stringify(entry)} needs kind (${IDENTIFIER_KINDS.join('|')}) and id`);
    }
    hubs.push({ kind, id: String(id) });
  }
  return hubs;
}

/**
 * Reads a saved sweep folder through the sweep module's loadSweep (report.json schema check, members.csv with
 * formula-neutralised ids restored). Checks that every member's account is in the World and every member's
 * cluster is in report.json, so no exporter can write a dangling MEMBER_OF.
 */
export function readSweepForExport(dir: string): SweepExport {
  const saved = loadSweep(dir);
  const reportFile = saved.file('report');
  const clusters = withHistory(
    (saved.report.clusters as unknown as Record<string, unknown>[]).map((c, i) => normaliseCluster(c, `${reportFile}: clusters[${i}]`)),
    saved.report.since_last_sweep,
  );
  const members: ExportMember[] = saved.members().map((m, i) => ({
    account: m.account_id, cluster: m.cluster_id, role: m.role, evidence: m.evidence, line: i + 2,
  }));
  return checkedSweepExport(
    {
      sweepId: saved.report.sweep.id, world: saved.world(), clusters, members,
      hubs: normaliseHubs(saved.report.hubs, reportFile), detectionParameters: saved.report.sweep.parameters?.detection,
    },
    saved.file('members'),
  );
}

/** Validates references between the parts of a SweepExport (used for in-memory inputs too). */
export function checkedSweepExport(input: SweepExport, membersFile = 'members'): SweepExport {
  const clusterIds = new Set<string>();
  for (const c of input.clusters) {
    if (clusterIds.has(c.id)) throw swarmscopeError('BAD_SWEEP', `cluster ${c.id} appears twice in report.json`);
    clusterIds.add(c.id);
  }
  // Check members against the World by scanning its ids once against the (much smaller) set of member ids,
  // rather than hashing a million account ids.
  const memberAccounts = new Set(input.members.map((m) => m.account));
  const inWorld = new Set<string>();
  for (const id of input.world.accounts.ids) if (memberAccounts.has(id)) inWorld.add(id);
  const seen = new Set<string>();
  for (const m of input.members) {
    if (!inWorld.has(m.account)) throw swarmscopeError('BAD_SWEEP', `${membersFile}: line ${m.line}: account ${m.account} is not in the sweep's world snapshot`);
    if (!clusterIds.has(m.cluster)) throw swarmscopeError('BAD_SWEEP', `${membersFile}: line ${m.line}: cluster ${m.cluster} is not in report.json`);
    const key = `${m.account}\u0000${m.cluster}`;
    if (seen.has(key)) throw swarmscopeError('BAD_SWEEP', `${membersFile}: line ${m.line}: account ${m.account} listed twice for cluster ${m.cluster}`);
    seen.add(key);
  }
  return input;
}

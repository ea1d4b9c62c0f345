/**
 * What an export needs from a saved sweep: the World (from world.snapshot), the clusters and hubs (from
 * report.json) and the memberships (from members.csv), normalised into plain typed rows.
 *
 * Neo4j properties cannot hold maps, so two report fields are flattened here, once, for every exporter:
 * - capability_mix {capability: share} → parallel arrays `capabilities` / `capability_shares` (sorted by
 *   share, descending; queryable with `ANY(c IN n.capabilities WHERE …)`) plus `top_capability`, and the
 *   original map as the JSON string `capability_mix`.
 * - reasons (strings, or objects with a text) → a string list `reasons`, and the original as `reasons_json`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { swarmscopeError } from '../core/errors';
import { loadWorld } from '../core/snapshot';
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
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw swarmscopeError('BAD_SWEEP', `${file}: cannot read; is this a saved sweep folder?`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw swarmscopeError('BAD_SWEEP', `${file}: not valid JSON (${(error as Error).message})`);
  }
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
  };
}

const KIND_ALIASES: Record<string, IdentifierKind> = {
  instrument: 'instrument', payment_instrument: 'instrument', card: 'instrument', payment: 'instrument',
  ip: 'ip', ip_address: 'ip',
  fingerprint: 'fingerprint',
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

export function readMembersCsv(file: string): ExportMember[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw swarmscopeError('BAD_SWEEP', `${file}: cannot read members.csv; re-run the sweep`);
  }
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw swarmscopeError('BAD_SWEEP', `${file}: ${(error as Error).message}`);
  }
  const header = records[0] ?? [];
  const col = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw swarmscopeError('BAD_SWEEP', `${file}: line 1: missing column ${name} (have: ${header.join(', ')})`);
    return index;
  };
  const account = col('account_id');
  const cluster = col('cluster_id');
  const role = col('role');
  const evidence = header.indexOf('evidence');
  const members: ExportMember[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    if (!r[account] || !r[cluster]) throw swarmscopeError('BAD_SWEEP', `${file}: line ${i + 1}: empty account_id or cluster_id`);
    members.push({ account: r[account], cluster: r[cluster], role: r[role] ?? '', evidence: evidence >= 0 ? r[evidence] : '', line: i + 1 });
  }
  return members;
}

/**
 * Reads a saved sweep folder. Checks that every member's account is in the World and every member's cluster
 * is in report.json, so no exporter can write a dangling MEMBER_OF.
 */
export function readSweepForExport(dir: string): SweepExport {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw swarmscopeError('INPUT_NOT_FOUND', `${dir}: sweep folder not found`);
  }
  const reportFile = path.join(dir, 'report.json');
  const report = readJson(reportFile);
  const sweep = (report.sweep ?? {}) as Record<string, unknown>;
  const sweepId = sweep.id ?? report.sweep_id;
  if (typeof sweepId !== 'string' && typeof sweepId !== 'number') {
    throw swarmscopeError('BAD_SWEEP', `${reportFile}: missing sweep.id`);
  }
  const rawClusters = Array.isArray(report.clusters) ? (report.clusters as Record<string, unknown>[]) : [];
  const clusters = rawClusters.map((c, i) => normaliseCluster(c, `${reportFile}: clusters[${i}]`));
  const world = loadWorld(path.join(dir, 'world.snapshot'));
  const members = readMembersCsv(path.join(dir, 'members.csv'));
  return checkedSweepExport({ sweepId: String(sweepId), world, clusters, members, hubs: normaliseHubs(report.hubs, reportFile) }, path.join(dir, 'members.csv'));
}

/** Validates references between the parts of a SweepExport (used for in-memory inputs too). */
export function checkedSweepExport(input: SweepExport, membersFile = 'members'): SweepExport {
  const clusterIds = new Set<string>();
  for (const c of input.clusters) {
    if (clusterIds.has(c.id)) throw swarmscopeError('BAD_SWEEP', `cluster ${c.id} appears twice in report.json`);
    clusterIds.add(c.id);
  }
  const accountIds = new Set(input.world.accounts.ids);
  const seen = new Set<string>();
  for (const m of input.members) {
    if (!accountIds.has(m.account)) throw swarmscopeError('BAD_SWEEP', `${membersFile}: line ${m.line}: account ${m.account} is not in the sweep's world snapshot`);
    if (!clusterIds.has(m.cluster)) throw swarmscopeError('BAD_SWEEP', `${membersFile}: line ${m.line}: cluster ${m.cluster} is not in report.json`);
    const key = `${m.account}\u0000${m.cluster}`;
    if (seen.has(key)) throw swarmscopeError('BAD_SWEEP', `${membersFile}: line ${m.line}: account ${m.account} listed twice for cluster ${m.cluster}`);
    seen.add(key);
  }
  return input;
}

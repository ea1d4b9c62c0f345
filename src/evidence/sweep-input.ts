/**
 * Reads what a pack needs from a saved sweep directory (report.json, members.csv, world.snapshot) through
 * the sweep module's loadSweep, and checks that the three agree: every member account must exist in the
 * World, or the pack would state numbers the data cannot back.
 */
import { swarmscopeError } from '../core/errors';
import { IDENTIFIER_KINDS } from '../core/world';
import { loadSweep } from '../sweep/load';
import { eventsByCluster, type SinceLastSweep } from '../sweep/history/since-last-sweep';
import type { EvidenceHistory, EvidenceHub, EvidenceInput } from './types';

/** How many cluster ids an UNKNOWN_CLUSTER message suggests. */
const SUGGESTED_CLUSTERS = 8;

export function loadEvidenceInput(sweepDir: string, clusterId: string): EvidenceInput {
  const saved = loadSweep(sweepDir);
  const { report } = saved;
  const profile = report.clusters.find((cluster) => cluster.cluster_id === clusterId);
  if (!profile) {
    const known = report.clusters.slice(0, SUGGESTED_CLUSTERS).map((cluster) => cluster.cluster_id);
    throw swarmscopeError(
      'UNKNOWN_CLUSTER',
      `${sweepDir}: no cluster ${JSON.stringify(clusterId)} in this sweep (${report.clusters.length} clusters${known.length ? `; highest risk: ${known.join(', ')}` : ''})`,
    );
  }
  const world = saved.world();
  const accountNumber = new Map<string, number>();
  const ids = world.accounts.ids;
  for (let account = 0; account < ids.length; account++) accountNumber.set(ids[account], account);
  const rows = saved.members(clusterId);
  const members = rows.map((row, i) => {
    const account = accountNumber.get(row.account_id);
    if (account === undefined) {
      throw swarmscopeError('BAD_SWEEP', `${saved.file('members')}: member ${JSON.stringify(row.account_id)} of cluster ${clusterId} (row ${i + 1} of the cluster) is not in world.snapshot; the sweep is inconsistent, re-run it`);
    }
    return { account, role: row.role, evidence: row.evidence };
  });
  if (members.length !== profile.accounts) {
    throw swarmscopeError('BAD_SWEEP', `${saved.file('members')}: cluster ${clusterId} has ${members.length} member rows but report.json says ${profile.accounts} accounts; re-run the sweep`);
  }

  const hubs: EvidenceHub[] = [];
  for (const kind of IDENTIFIER_KINDS) {
    const ofKind = report.hubs.filter((hub) => hub.kind === kind);
    if (ofKind.length === 0) continue;
    const number = new Map<string, number>();
    world.identifiers[kind].ids.forEach((id, i) => number.set(id, i));
    for (const hub of ofKind) hubs.push({ kind, identifier: number.get(hub.id) ?? -1, id: hub.id, degree: hub.degree, ...(hub.reason ? { reason: hub.reason } : {}) });
  }

  const { sweep } = report;
  return {
    world,
    sweep: {
      id: sweep.id,
      started_at: sweep.started_at,
      input_files: sweep.input_files.map((file) => ({
        file: file.file,
        path: file.path,
        bytes: file.bytes,
        rows: file.rows_read,
        rows_loaded: file.rows_loaded,
        rows_rejected: file.rows_rejected,
        sha256: file.sha256,
      })),
      parameters: sweep.parameters as unknown as Record<string, unknown>,
      software: sweep.software,
      detection: { algorithm: report.detection.algorithm, resolution: report.detection.resolution, seed: report.detection.seed, modularity: report.detection.modularity },
    },
    cluster: {
      cluster_id: profile.cluster_id,
      risk: profile.risk,
      tier: profile.tier,
      reasons: profile.reasons.map((reason) => ({ ...reason })),
      capability_mix: profile.capability_mix,
      baseline_mix: report.baseline.capability_mix,
      baseline_definition: report.baseline.definition,
      report: profile as unknown as Record<string, unknown>,
      history: historyOf(report.since_last_sweep, profile.cluster_id),
    },
    members,
    hubs,
  };
}

/** The cluster's event and the alert weighed against the case book, from since_last_sweep (null without one). */
function historyOf(section: Record<string, unknown> | null | undefined, clusterId: string): EvidenceHistory | null {
  const since = section as Partial<SinceLastSweep> | null | undefined;
  const event = eventsByCluster(section).get(clusterId);
  if (!since?.previous_sweep || !event) return null;
  const alert = since.alerts?.find((candidate) => candidate.cluster_id === clusterId);
  return {
    previous_sweep_id: since.previous_sweep.sweep_id,
    event: event.event,
    previous_id: event.previous_id,
    accounts_before: event.accounts_before,
    accounts_after: event.accounts_after,
    joined: event.joined,
    ...(event.last_seen_sweep ? { last_seen_sweep: event.last_seen_sweep } : {}),
    ...(event.identifier_links?.length ? { identifier_links: event.identifier_links.map((link) => ({ ...link })) } : {}),
    case_status: alert?.case_status ?? null,
    case_cluster_id: alert?.case_cluster_id ?? null,
  };
}

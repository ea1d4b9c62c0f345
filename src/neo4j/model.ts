/**
 * The graph model in Neo4j, shared by the driver export, the neo4j-admin bundle, the Browser kit and the
 * GDS engine (docs/neo4j.md has the picture):
 *
 *   (:Account {id, created_at, email_domain, country, status, registered})
 *     -[:USED_CARD|USED_IP|USED_FINGERPRINT {first_seen, last_seen, count, weight}]->
 *   (:PaymentInstrument|:IP|:Fingerprint {id, kind, degree, hub})
 *   (:Account)-[:MEMBER_OF {role, evidence, sweep}]->(:Cluster {key, id, sweep, accounts, exchanges, …, risk, tier, reasons})
 *
 * Accounts and clusters also carry a tier label (:HighRisk, :MediumRisk) because Browser colours by label only.
 */
import type { IdentifierKind, World } from '../core/world';

export const IDENTIFIER_LABEL: Record<IdentifierKind, string> = {
  instrument: 'PaymentInstrument',
  ip: 'IP',
  fingerprint: 'Fingerprint',
  template: 'Template',
  client: 'Client',
  synchrony: 'SyncGroup',
};

export const LINK_TYPE: Record<IdentifierKind, string> = {
  instrument: 'USED_CARD',
  ip: 'USED_IP',
  fingerprint: 'USED_FINGERPRINT',
  template: 'USED_TEMPLATE',
  client: 'USED_CLIENT',
  synchrony: 'IN_STEP',
};

export const TIER_LABELS = ['HighRisk', 'MediumRisk'] as const;
export type TierLabel = (typeof TIER_LABELS)[number];

/** The Browser label for a sweep tier ("high" → HighRisk, "medium" → MediumRisk, anything else → none). */
export function tierLabel(tier: string): TierLabel | null {
  const t = tier.trim().toLowerCase();
  if (t === 'high' || t === 'highrisk' || t === 'critical') return 'HighRisk';
  if (t === 'medium' || t === 'mediumrisk') return 'MediumRisk';
  return null;
}

/** A Cluster node's key: sweep ids and cluster ids are only unique together. */
export function clusterKey(sweepId: string, clusterId: string): string {
  return `${sweepId}/${clusterId}`;
}

/** Accounts linked to each identifier (distinct accounts: links are one per account–identifier pair). */
export function identifierDegrees(world: World, kind: IdentifierKind): Int32Array {
  const degree = new Int32Array(world.identifiers[kind].size);
  const links = world.links[kind];
  for (let i = 0; i < links.size; i++) degree[links.identifier[i]]++;
  return degree;
}

/** Per identifier: 1 when the sweep named it a hub (too many accounts to be evidence). */
export function hubFlags(world: World, kind: IdentifierKind, hubIds: Iterable<string>): Uint8Array {
  const flags = new Uint8Array(world.identifiers[kind].size);
  const wanted = new Set(hubIds);
  if (wanted.size === 0) return flags;
  const ids = world.identifiers[kind].ids;
  for (let i = 0; i < ids.length; i++) if (wanted.has(ids[i])) flags[i] = 1;
  return flags;
}

/**
 * Identifier links across sweeps: a campaign whose accounts are banned usually comes back on fresh accounts
 * but the same payment instruments and automation fingerprints. Lineage matches accounts, so that cluster
 * is `new`; this module finds the known cluster whose strong identifiers it reuses.
 *
 * At commit, each cluster in a triage tier (high, medium) has its strong identifiers — every payment
 * instrument and fingerprint linked to one of its members, except the sweep's hubs (a browser's common TLS
 * fingerprint, held by thousands, says nothing); IPs are left out, proxy exits are shared by strangers — recorded in `history/<sweep>/identifiers.csv` (cluster_id, kind, identifier). At the next sweep
 * each `new` cluster's strong identifiers are compared with those of the previous sweep's recorded clusters and
 * of the dormant pool's; a known cluster sharing at least `minShared` of them is listed on the event as an
 * identifier link (largest first, at most `MAX_LINKS`). The cluster keeps its new id: sharing cards is
 * evidence for an investigator, not identity.
 */
import * as fs from 'fs';
import { parse } from 'csv-parse/sync';
import { csvRow, unneutraliseCsvText } from '../../core/csv';
import { swarmscopeError } from '../../core/errors';
import type { Hub } from '../../core/partition';
import type { World } from '../../core/world';
import { compareIds } from './lineage';

export const IDENTIFIERS_FILE = 'identifiers.csv';
export const LINKED_KINDS = ['instrument', 'fingerprint'] as const;
export type LinkedKind = (typeof LINKED_KINDS)[number];
/** Identifier links listed per event. */
export const MAX_LINKS = 3;

export interface ClusterIdentifiers {
  cluster_id: string;
  instrument: Set<string>;
  fingerprint: Set<string>;
}

/** A known cluster whose strong identifiers a new cluster reuses. */
export interface IdentifierLink {
  cluster_id: string;
  /** The sweep the known cluster's identifiers were recorded in. */
  sweep_id: string;
  shared_instruments: number;
  shared_fingerprints: number;
}

/** "3 payment instruments and 2 fingerprints": a link's shared counts in the caller's (singular) nouns. */
export function sharedIdentifiersPhrase(
  link: Pick<IdentifierLink, 'shared_instruments' | 'shared_fingerprints'>,
  nouns: { instrument: string; fingerprint: string },
): string {
  const part = (count: number, noun: string) => (count ? `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}` : '');
  return [part(link.shared_instruments, nouns.instrument), part(link.shared_fingerprints, nouns.fingerprint)].filter(Boolean).join(' and ');
}

/**
 * Strong identifiers of the given clusters (external identifier strings per kind), in one pass over the
 * instrument and fingerprint links; `hubs` (the sweep's Partition.hubs) are left out. `clusters[i].accounts`
 * are internal account numbers of `world`.
 */
export function clusterIdentifiers(
  world: World,
  clusters: readonly { cluster_id: string; accounts: ArrayLike<number> }[],
  hubs: readonly Hub[] = [],
): ClusterIdentifiers[] {
  const out = clusters.map((cluster) => ({ cluster_id: cluster.cluster_id, instrument: new Set<string>(), fingerprint: new Set<string>() }));
  if (out.length === 0) return out;
  const clusterOf = new Int32Array(world.accounts.size).fill(-1);
  clusters.forEach((cluster, index) => {
    for (let i = 0; i < cluster.accounts.length; i++) clusterOf[cluster.accounts[i]] = index;
  });
  for (const kind of LINKED_KINDS) {
    const links = world.links?.[kind];
    if (!links) continue;
    const names = world.identifiers[kind].ids;
    const hub = new Set(hubs.filter((candidate) => candidate.kind === kind).map((candidate) => candidate.identifier));
    for (let e = 0; e < links.size; e++) {
      const c = clusterOf[links.account[e]];
      if (c >= 0 && !hub.has(links.identifier[e])) out[c][kind].add(names[links.identifier[e]]);
    }
  }
  return out;
}

export function identifiersFileText(clusters: readonly ClusterIdentifiers[]): string {
  let text = csvRow(['cluster_id', 'kind', 'identifier']);
  for (const cluster of clusters) {
    for (const kind of LINKED_KINDS) for (const identifier of [...cluster[kind]].sort()) text += csvRow([cluster.cluster_id, kind, identifier]);
  }
  return text;
}

/** Reads identifiers.csv (written by identifiersFileText: quoted cells only where needed). */
export function readIdentifiersFile(file: string): Map<string, ClusterIdentifiers> {
  const text = fs.readFileSync(file, 'utf8');
  const out = new Map<string, ClusterIdentifiers>();
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false }) as string[][];
  } catch (error) {
    throw swarmscopeError('STATE_DAMAGED', `${file}: ${(error as Error).message}`);
  }
  for (let r = 1; r < records.length; r++) {
    const [clusterId, kind, identifier] = records[r];
    if (kind !== 'instrument' && kind !== 'fingerprint') throw swarmscopeError('STATE_DAMAGED', `${file}: line ${r + 1}: unknown kind '${kind}'`);
    let entry = out.get(clusterId);
    if (!entry) out.set(clusterId, (entry = { cluster_id: clusterId, instrument: new Set(), fingerprint: new Set() }));
    entry[kind].add(unneutraliseCsvText(identifier));
  }
  return out;
}

/**
 * Known clusters sharing at least `minShared` strong identifiers with `cluster`, most shared first (ties: older
 * id first), at most MAX_LINKS. `known` maps each identifier (`kind:identifier`) to the known clusters holding it.
 */
export function identifierLinks(
  cluster: ClusterIdentifiers,
  known: ReadonlyMap<string, readonly { cluster_id: string; sweep_id: string }[]>,
  minShared: number,
): IdentifierLink[] {
  const counts = new Map<string, IdentifierLink>();
  for (const kind of LINKED_KINDS) {
    for (const identifier of cluster[kind]) {
      for (const holder of known.get(`${kind}:${identifier}`) ?? []) {
        let link = counts.get(holder.cluster_id);
        if (!link) counts.set(holder.cluster_id, (link = { cluster_id: holder.cluster_id, sweep_id: holder.sweep_id, shared_instruments: 0, shared_fingerprints: 0 }));
        if (kind === 'instrument') link.shared_instruments++;
        else link.shared_fingerprints++;
      }
    }
  }
  return [...counts.values()]
    .filter((link) => link.shared_instruments + link.shared_fingerprints >= minShared)
    .sort((a, b) => b.shared_instruments + b.shared_fingerprints - (a.shared_instruments + a.shared_fingerprints) || compareIds(a.cluster_id, b.cluster_id))
    .slice(0, MAX_LINKS);
}

/** The inverted index identifierLinks reads: `kind:identifier` → the known clusters holding it. */
export function indexKnownIdentifiers(
  known: readonly { sweep_id: string; clusters: Iterable<ClusterIdentifiers> }[],
): Map<string, { cluster_id: string; sweep_id: string }[]> {
  const index = new Map<string, { cluster_id: string; sweep_id: string }[]>();
  const seen = new Set<string>();
  for (const { sweep_id, clusters } of known) {
    for (const cluster of clusters) {
      // A cluster recorded in several sweeps counts once, with its newest record (listed first).
      if (seen.has(cluster.cluster_id)) continue;
      seen.add(cluster.cluster_id);
      for (const kind of LINKED_KINDS) {
        for (const identifier of cluster[kind]) {
          const key = `${kind}:${identifier}`;
          let holders = index.get(key);
          if (!holders) index.set(key, (holders = []));
          holders.push({ cluster_id: cluster.cluster_id, sweep_id });
        }
      }
    }
  }
  return index;
}

/**
 * What detection hands to scoring and reporting: which accounts form which cluster, and why.
 * Plain data, no I/O. Produced by src/detect (embedded engine) or src/neo4j (GDS engine).
 */
import type { IdentifierKind, World } from './world';

export const MEMBER_ROLES = ['core', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** An identifier that ties members of a cluster together. */
export interface SharedIdentifier {
  kind: IdentifierKind;
  /** Identifier number within its kind (index into world.identifiers[kind]). */
  identifier: number;
  /** How many of the cluster's accounts link to it. */
  members: number;
}

export interface DetectedCluster {
  /** Internal account numbers, ascending. */
  accounts: Int32Array;
  /** Parallel to accounts: index into MEMBER_ROLES. */
  roles: Uint8Array;
  /** Parallel to accounts: why this account is a member, in words with the identifiers and numbers behind it. */
  evidence: string[];
  /** Identifiers linking two or more members, most-shared first. */
  identifiers: SharedIdentifier[];
  /** Account–identifier links among members' shared identifiers. */
  links: number;
  /** Second-level communities (Leiden modules) merged into this top-level cluster. */
  subclusters: number;
}

/** An identifier above the hub limit: it links too many accounts to be evidence, so it links none. */
export interface Hub {
  kind: IdentifierKind;
  identifier: number;
  id: string;
  degree: number;
  /** Why it is set aside, as a sentence ("its accounts lie in about 1,204 separate groups and …"). */
  reason?: string;
  /** Effective number of separate groups its accounts lie in (absent for an explicit limit). */
  groups?: number;
  /** Share of its accounts' group-mates that also share it, 0 … 1 (absent for an explicit limit). */
  mates?: number;
}

export interface Partition {
  algorithm: 'leiden' | 'louvain' | 'gds-leiden' | 'gds-louvain';
  resolution: number;
  seed: number;
  /** Modularity of the community partition on the weighted account–identifier graph. */
  modularity: number;
  /** Per account: index into clusters, or -1 when the account is in no reported cluster. */
  accountCluster: Int32Array;
  /** Sorted deterministically: by size descending, then by the smallest member's external id. */
  clusters: DetectedCluster[];
  hubs: Hub[];
  /** Every parameter that shaped the result (weights, hub limits, minimum size, resolution, seed…), as written to the sweep. */
  parameters: Record<string, unknown>;
  stats: { seconds: number; components: number; communities: number; levels: number; iterations: number };
}

/**
 * A detection engine: the embedded one (src/detect) or Neo4j GDS (src/neo4j). The sweep calls whichever
 * the user chose; both return the same Partition shape.
 */
export type DetectionEngine = (world: World, options: Record<string, unknown>) => Promise<Partition>;

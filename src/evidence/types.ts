/**
 * What the evidence pack needs from a saved sweep, kept small so the pack can be built from a sweep
 * directory (see sweep-input.ts) or from a World and report assembled in memory (tests, other tools).
 */
import type { IdentifierKind, World } from '../core/world';

/** One input file as the sweep recorded it. */
export interface EvidenceInputFile {
  /** Contract name, e.g. "accounts.csv". */
  file: string;
  /** Path the sweep read, as recorded (may be absent or null). */
  path: string | null;
  bytes: number;
  /** Data rows read (loaded + rejected). */
  rows: number;
  rows_loaded: number;
  rows_rejected: number;
  sha256: string | null;
}

export interface EvidenceSweep {
  id: string;
  /** ISO 8601; the pack's Bagging-Date is its date part, so rebuilding later gives the same bytes. */
  started_at: string;
  input_files: EvidenceInputFile[];
  /** Every parameter the sweep recorded (detection algorithm, resolution, seed, hub limit, …). */
  parameters: Record<string, unknown>;
  software: { name: string; version: string };
  /** The detection run's headline settings and result, when the sweep recorded them. */
  detection?: { algorithm: string; resolution: number; seed: number; modularity?: number };
}

export interface EvidenceReason {
  code: string;
  text: string;
  value?: unknown;
  [more: string]: unknown;
}

export interface EvidenceCluster {
  cluster_id: string;
  risk: number;
  tier: string;
  reasons: EvidenceReason[];
  /** Capability → share of the cluster's exchanges, as the sweep reported it (optional). */
  capability_mix?: Record<string, number>;
  /** Capability → share in the sweep's baseline (accounts outside flagged clusters), when the sweep recorded it. */
  baseline_mix?: Record<string, number>;
  /** Which accounts the baseline describes, in words (from the sweep). */
  baseline_definition?: string;
  /** The cluster's whole entry from report.json, copied into provenance.json. */
  report: Record<string, unknown>;
  /** What the weekly history said about it (sweeps run with --state); null for a stand-alone sweep. */
  history?: EvidenceHistory | null;
}

/** The cluster's change since the previous sweep, from report.json's since_last_sweep. */
export interface EvidenceHistory {
  previous_sweep_id: string;
  event: string;
  previous_id: string | null;
  accounts_before: number;
  accounts_after: number;
  joined: number;
  last_seen_sweep?: string;
  identifier_links?: { cluster_id: string; sweep_id: string; shared_instruments: number; shared_fingerprints: number }[];
  /** The case decision the sweep weighed the change against, when one applied (e.g. the confirmed campaign whose cards it reuses). */
  case_status: string | null;
  case_cluster_id: string | null;
}

export interface EvidenceMember {
  /** Internal account number (index into world.accounts). */
  account: number;
  role: string;
  evidence: string;
}

export interface EvidenceHub {
  kind: IdentifierKind;
  /** Identifier number within its kind; -1 when the sweep's hub id is not in the World. */
  identifier: number;
  id: string;
  degree: number;
  /** Why detection set it aside, when the sweep says. */
  reason?: string;
}

export interface EvidenceInput {
  world: World;
  sweep: EvidenceSweep;
  cluster: EvidenceCluster;
  /** Every member of the cluster, in the sweep's order. */
  members: EvidenceMember[];
  /** Identifiers the sweep excluded as hubs (linking too many accounts to be evidence). */
  hubs: EvidenceHub[];
}

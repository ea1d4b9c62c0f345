/**
 * The saved sweep's report.json (schema_version 1, documented in docs/report-schema.md) and the options of
 * one sweep run. The history, Neo4j and evidence modules read saved sweeps through these types; keep them stable.
 */
import type { Hub, Partition, DetectionEngine } from '../core/partition';
import type { FileSummary, IdentifierKind, World } from '../core/world';
import type { Baseline, ClusterProfile } from '../score/types';

export const SWEEP_SCHEMA_VERSION = 1;

/** Files in a saved sweep directory. */
export const SWEEP_FILES = {
  report: 'report.json',
  clusters: 'clusters.csv',
  members: 'members.csv',
  markdown: 'report.md',
  html: 'report.html',
  rejects: 'rejects.csv',
  world: 'world.snapshot',
  /** SHA-256 of every other file, written last (src/sweep/checksums.ts). */
  checksums: 'checksums.sha256',
} as const;

/** One input file as report.json records it: the importer's FileSummary without the import-only fields. */
export type SweepInputFile = Pick<FileSummary, 'path' | 'bytes' | 'sha256' | 'rows_read' | 'rows_loaded' | 'rows_rejected'> & { file: string };

/** Seconds spent in each stage of the sweep. */
export interface SweepStages {
  import: number;
  detect: number;
  profile: number;
  render: number;
  save: number;
  total: number;
}

export interface SweepHub {
  kind: IdentifierKind;
  id: string;
  degree: number;
  /** Why detection set it aside (absent in sweeps written before 0.2). */
  reason?: string;
}

/** First and last UTC day with exchanges in a sweep's input. */
export interface DataWindow {
  first_day: string;
  last_day: string;
}

export interface SweepReport {
  schema_version: typeof SWEEP_SCHEMA_VERSION;
  sweep: {
    id: string;
    started_at: string;
    input_dir: string;
    input_files: SweepInputFile[];
    /** Every parameter that shaped the result: import, detection (the Partition's) and scoring (DEFAULTS). */
    parameters: { import: Record<string, unknown>; detection: Record<string, unknown>; scoring: Record<string, unknown> };
    software: { name: string; version: string };
    rejects: { rows: number; file: string | null };
    stages: SweepStages;
    /**
     * The days the input's exchanges span (UTC, YYYY-MM-DD), null when it has none; absent in sweeps written
     * before it was recorded. A history refuses a sweep whose window ends before the newest committed one's.
     */
    data_window?: DataWindow | null;
  };
  totals: {
    accounts: number;
    registered_accounts: number;
    unregistered_accounts: number;
    exchanges: number;
    input_tokens: number;
    output_tokens: number;
    clusters: number;
    clustered_accounts: number;
    clustered_exchanges: number;
    unclustered_exchanges: number;
  };
  detection: {
    algorithm: Partition['algorithm'];
    resolution: number;
    seed: number;
    modularity: number;
    stats: Partition['stats'];
  };
  baseline: Baseline;
  /** Sorted by risk descending, then cluster_id. */
  clusters: ClusterProfile[];
  hubs: SweepHub[];
  /** Filled by the weekly history (src/sweep/history) when --state is given; null for a stand-alone sweep. */
  since_last_sweep: Record<string, unknown> | null;
}

/** One row of members.csv. */
export interface MemberRow {
  account_id: string;
  cluster_id: string;
  role: string;
  evidence: string;
}

/**
 * Chooses the cluster_id of each of the Partition's clusters (parallel to partition.clusters).
 * The default numbers them C0001… in the Partition's deterministic order; the weekly history replaces it
 * to keep ids stable across sweeps.
 */
export type ClusterIdAssigner = (context: { world: World; partition: Partition }) => string[] | Promise<string[]>;

export interface SweepOptions {
  inputDir: string;
  outDir: string;
  mapPath?: string;
  /** Where to write rejected rows; default rejects.csv inside the sweep dir. */
  rejectsPath?: string;
  algorithm?: 'leiden' | 'louvain';
  resolution?: number;
  seed?: number;
  hubLimit?: number;
  minClusterSize?: number;
  /** Detection engine; default the embedded one (src/detect). The Neo4j GDS engine plugs in here. */
  engine?: DetectionEngine;
  /** Seam for the weekly history: stable ids across sweeps. */
  assignClusterIds?: ClusterIdAssigner;
  /** Seam for the weekly history: fills report.since_last_sweep before rendering. */
  sinceLastSweep?: (report: SweepReport, context: { world: World; partition: Partition }) => Promise<Record<string, unknown> | null> | Record<string, unknown> | null;
  progress?: boolean;
  /** Clock, for reproducible tests. */
  now?: () => Date;
}

export interface SweepResult {
  dir: string;
  report: SweepReport;
  world: World;
  partition: Partition;
  /** Number of rejected input rows (exit code 1 when > 0). */
  rejectedRows: number;
}

export type { Hub, FileSummary };

/** Public API: the pipeline's entry functions and the types passed between stages. */
export * from './core/errors';
export * from './core/world';
export * from './core/partition';
export { SOFTWARE } from './core/version';
export * from './core/csv';
export * from './core/terminal';
export { saveWorld, loadWorld } from './core/snapshot';
export * from './score/types';
export * from './sweep/types';
export { loadSweep, type SavedSweep } from './sweep/load';
export * from './graph';
export * from './detect';
export { runSweep, assignClusterIds, dataWindow, idParameters, sweepId } from './sweep/run';
export { profileClusters, defaultClusterIds, DEFAULTS as RISK_MODEL_DEFAULTS, scoreCluster, type ProfileOptions, type ProfileResult, type RiskModel } from './score';
export { RENDERERS, CLUSTER_RENDERERS, REPORT_FORMATS, type ReportFormat, type Renderer, type ClusterRenderer, type RenderInput, type ClusterDetailInput } from './report';
export { importWorld, type ImportOptions, defaultRejectsPath, REJECTS_HEADER } from './ingest';
export {
  FILE_CONTRACTS,
  CELL_TYPES,
  IMPORT_ORDER,
  LINK_FILES,
  MAX_CAPABILITIES,
  REJECT_REASONS,
  EMPTY_MAPPING,
  loadMapping,
  validateMapping,
  parseTimestamp,
  parseIp,
  type CellType,
  type ColumnContract,
  type FileContract,
  type Mapping,
  type FileMapping,
} from './contract';
export { BEHAVIOUR_TACTIC_NAMES, generateWorld, GENERATE_DEFAULTS, PLANTED_HUB_DEGREE, TACTIC_CATALOGUE, TACTIC_NAMES } from './generate';
export type { GenerateOptions, GenerateSummary, GeneratedGroup } from './generate';
export * from './evidence';
export * from './sweep/history';
export { exportToNeo4j, writeDryRun, type ExportToNeo4jOptions, type ExportToNeo4jResult, type ExportProgress, type DryRunResult } from './neo4j/export';
export { writeAdminBundle, importCommand, type AdminBundleOptions, type AdminBundleResult, type AdminFile } from './neo4j/admin';
export { writeBrowserKit, SAVED_QUERIES, GRASS_STYLE, type SavedQuery } from './neo4j/browser';
export { gdsEngine, GDS_STATEMENTS, type GdsEngineOptions } from './neo4j/gds';
export { readSweepForExport, type SweepExport, type ExportCluster, type ExportMember, type ExportHub } from './neo4j/sweepInput';
export { buildExportPlan, DEFAULT_BATCH_SIZE as NEO4J_DEFAULT_BATCH_SIZE, type ExportPlan, type ExportStep } from './neo4j/plan';
export { type Neo4jConnection } from './neo4j/connect';

/**
 * runSweep: one investigator's sweep — import, detect, profile, render, save — into a sweep directory.
 *
 * The directory is built as a temporary sibling (`<out>.tmp-<pid>-<random>`) and renamed into place only when
 * every file is written, so a crash or kill never leaves a half sweep at `<out>`: either the previous sweep
 * is still there or the new one is, whole. An interrupt (SIGINT/SIGTERM/SIGHUP, src/sweep/interrupt.ts) removes
 * the temporary sibling before exiting (130/143/129); siblings left by a process that died harder (SIGKILL,
 * power cut) are removed by the next sweep to the same --out once their pid is no longer running.
 * The last file written is checksums.sha256 (src/sweep/checksums.ts): the SHA-256 of every other file, which
 * every command that reads the sweep back checks first (src/sweep/load.ts).
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { pausePointAsync } from './history/atomic';
import { writeChecksums } from './checksums';
import { onInterrupt } from './interrupt';
import { guardedWrite, writeOutputFile } from '../core/output-file';
import { saveWorld } from '../core/snapshot';
import { SOFTWARE } from '../core/version';
import { csvRow } from '../core/csv';
import { CONTRACT_FILES, type World } from '../core/world';
import type { DetectionEngine, Partition } from '../core/partition';
import { embeddedEngine } from '../detect';
import { importWorld, REJECTS_HEADER } from '../ingest';
import { RENDERERS, writeMembersCsv } from '../report';
import { defaultClusterIds, DEFAULTS as SCORING_DEFAULTS, profileClusters } from '../score';
import { type DataWindow, SWEEP_FILES, SWEEP_SCHEMA_VERSION, type SweepOptions, type SweepReport, type SweepResult, type SweepStages } from './types';

/** The default ClusterIdAssigner: C0001… in the Partition's deterministic order (size, then smallest member id). */
export function assignClusterIds({ partition }: { partition: Partition }): string[] {
  return defaultClusterIds(partition.clusters.length);
}

export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const clock = stageClock();
  const outDir = path.resolve(options.outDir);
  const inputDir = path.resolve(options.inputDir);
  checkOutDir(outDir, inputDir);
  validateDetectionOptions(options);

  const tmpDir = `${outDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  removeStaleTempDirs(outDir);
  fs.mkdirSync(tmpDir);
  // SIGINT/SIGTERM/SIGHUP remove the temporary dir and exit 130/143/129. Signals are handled between event-loop
  // turns, so one never lands between moveIntoPlace's two renames: the previous sweep is never damaged.
  const stopWatchingSignals = onInterrupt(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
  try {
    const rejectsInSweep = options.rejectsPath === undefined;
    const rejectsTarget = rejectsInSweep ? path.join(tmpDir, SWEEP_FILES.rejects) : path.resolve(options.rejectsPath!);
    const world = await importWorld({ inputDir, mapPath: options.mapPath, rejectsPath: rejectsTarget, progress: options.progress ?? false });
    if (rejectsInSweep && !fs.existsSync(rejectsTarget)) fs.writeFileSync(rejectsTarget, csvRow(REJECTS_HEADER));
    await pausePointAsync('sweep-imported');
    const importSeconds = clock.lap();

    const engine: DetectionEngine = options.engine ?? embeddedEngine;
    const partition = await engine(world, detectionOptions(options));
    const detectSeconds = clock.lap();

    const context = { world, partition };
    const ids = await (options.assignClusterIds ?? assignClusterIds)(context);
    checkClusterIds(ids, partition);
    const { clusters, baseline } = profileClusters(world, partition, { clusterIds: ids });
    const profileSeconds = clock.lap();

    const rejectedRows = world.summary.rows_rejected;
    const report: SweepReport = {
      schema_version: SWEEP_SCHEMA_VERSION,
      sweep: {
        id: sweepId(started, world, partition),
        started_at: started.toISOString(),
        input_dir: inputDir,
        input_files: CONTRACT_FILES.map((file) => {
          const f = world.summary.files[file];
          return { file, path: f.path, bytes: f.bytes, sha256: f.sha256, rows_read: f.rows_read, rows_loaded: f.rows_loaded, rows_rejected: f.rows_rejected };
        }),
        parameters: {
          import: { map: options.mapPath ? path.resolve(options.mapPath) : null, rejects: rejectsInSweep ? SWEEP_FILES.rejects : rejectsTarget },
          detection: { algorithm: partition.algorithm, resolution: partition.resolution, seed: partition.seed, ...partition.parameters },
          scoring: SCORING_DEFAULTS as unknown as Record<string, unknown>,
        },
        software: { name: SOFTWARE.name, version: SOFTWARE.version },
        rejects: { rows: rejectedRows, file: rejectedRows > 0 ? (rejectsInSweep ? path.join(outDir, SWEEP_FILES.rejects) : rejectsTarget) : null },
        stages: { import: importSeconds, detect: detectSeconds, profile: profileSeconds, render: 0, save: 0, total: 0 },
        data_window: dataWindow(world),
      },
      totals: totals(world, partition, clusters),
      detection: {
        algorithm: partition.algorithm,
        resolution: partition.resolution,
        seed: partition.seed,
        modularity: partition.modularity,
        stats: partition.stats,
      },
      baseline,
      clusters,
      hubs: partition.hubs.map((hub) => ({ kind: hub.kind, id: hub.id, degree: hub.degree, ...(hub.reason ? { reason: hub.reason } : {}) })),
      since_last_sweep: null,
    };
    if (options.sinceLastSweep) report.since_last_sweep = (await options.sinceLastSweep(report, context)) ?? null;

    const worldFile = path.join(tmpDir, SWEEP_FILES.world);
    const worldSha256 = guardedWrite(worldFile, () => saveWorld(world, worldFile));
    const membersFile = path.join(tmpDir, SWEEP_FILES.members);
    guardedWrite(membersFile, () => writeMembersCsv(membersFile, world, partition, report));
    const stages: SweepStages = report.sweep.stages;
    stages.save = clock.lap();
    // The Markdown and HTML show the stages before rendering (their re-render from report.json must be
    // byte-identical); report.json, written last, also has the render time and the total.
    renderDerivedFiles(tmpDir, report);
    stages.render = clock.lap();
    stages.total = Math.round((stages.import + stages.detect + stages.profile + stages.save + stages.render) * 100) / 100;
    writeOutputFile(path.join(tmpDir, SWEEP_FILES.report), RENDERERS.json({ report }));
    writeChecksums(tmpDir, { [SWEEP_FILES.world]: worldSha256 });
    moveIntoPlace(tmpDir, outDir);
    return { dir: outDir, report, world, partition, rejectedRows };
  } catch (error) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  } finally {
    stopWatchingSignals();
  }
}

/**
 * Cleans up after a sweep to the same --out that died harder than an interrupt (SIGKILL, power cut): its
 * `<out>.tmp-<pid>-<hex>` sibling is removed, and a previous sweep it had moved aside (`<out>.old-<pid>-<hex>`,
 * between moveIntoPlace's two renames) is put back when <out> is missing, else removed.
 */
function removeStaleTempDirs(outDir: string): void {
  const pattern = new RegExp(`^${escapeRegExp(path.basename(outDir))}\\.(tmp|old)-(\\d+)-[0-9a-f]+$`);
  const parent = path.dirname(outDir);
  for (const name of fs.readdirSync(parent).sort()) {
    const match = pattern.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || processIsRunning(pid)) continue;
    const sibling = path.join(parent, name);
    if (match[1] === 'old' && !fs.existsSync(outDir)) fs.renameSync(sibling, outDir);
    else fs.rmSync(sibling, { recursive: true, force: true });
  }
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The files a `swarmscope report` re-render reproduces from report.json. */
function renderDerivedFiles(dir: string, report: SweepReport): void {
  writeOutputFile(path.join(dir, SWEEP_FILES.clusters), RENDERERS.csv({ report }));
  writeOutputFile(path.join(dir, SWEEP_FILES.markdown), RENDERERS.md({ report }));
  writeOutputFile(path.join(dir, SWEEP_FILES.html), RENDERERS.html({ report }));
}

function stageClock(): { lap(): number } {
  let last = performance.now();
  return {
    lap() {
      const t = performance.now();
      const seconds = Math.round((t - last) / 10) / 100;
      last = t;
      return seconds;
    },
  };
}

/**
 * Refuse an --out that would replace anything but an earlier sweep: the folder is replaced whole, so it may only
 * be empty or hold exactly what a sweep writes — the sweep files and nothing else, with a report.json that is a
 * swarmscope sweep report (any schema version). A notes file, an evidence pack saved beside the sweep or a
 * folder that merely holds a file called report.json is never deleted.
 */
function checkOutDir(outDir: string, inputDir: string): void {
  if (outDir === inputDir || inputDir.startsWith(`${outDir}${path.sep}`)) {
    throw swarmscopeError('BAD_ARGUMENT', `--out ${outDir}: would replace the input folder; choose another directory`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(outDir);
  } catch {
    return;
  }
  if (!stat.isDirectory()) throw swarmscopeError('BAD_ARGUMENT', `--out ${outDir}: exists and is not a directory`);
  const entries = fs.readdirSync(outDir);
  if (entries.length === 0) return;
  const sweepFiles = new Set<string>(Object.values(SWEEP_FILES));
  const foreign = entries.filter((name) => !sweepFiles.has(name)).sort();
  if (foreign.length > 0) {
    const named = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `--out ${outDir}: exists and holds files a sweep does not write (${named}); a sweep replaces its folder whole, so choose a new or empty directory`,
    );
  }
  if (!isSweepReport(path.join(outDir, SWEEP_FILES.report))) {
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `--out ${outDir}: exists and is not a saved sweep (no swarmscope report.json); a sweep replaces its folder whole, so choose a new or empty directory`,
    );
  }
}

/** A report.json written by a sweep: a JSON object with a schema version and the sweep's id. */
function isSweepReport(file: string): boolean {
  try {
    if (!fs.lstatSync(file).isFile()) return false;
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { schema_version?: unknown; sweep?: { id?: unknown } | null };
    return typeof report.schema_version === 'number' && typeof report.sweep?.id === 'string';
  } catch {
    return false;
  }
}

/** Replace a previous sweep at outDir (if any) by the finished one in tmpDir with renames only. */
function moveIntoPlace(tmpDir: string, outDir: string): void {
  if (!fs.existsSync(outDir)) {
    fs.renameSync(tmpDir, outDir);
    return;
  }
  const previous = `${outDir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.renameSync(outDir, previous);
  fs.renameSync(tmpDir, outDir);
  fs.rmSync(previous, { recursive: true, force: true });
}

function validateDetectionOptions(options: SweepOptions): void {
  if (options.algorithm !== undefined && options.algorithm !== 'leiden' && options.algorithm !== 'louvain') {
    throw swarmscopeError('BAD_ARGUMENT', `--algorithm ${String(options.algorithm)}: use leiden or louvain`);
  }
  const positive = (name: string, value: number | undefined, integer: boolean, min: number) => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw swarmscopeError('BAD_ARGUMENT', `${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${value}`);
    }
  };
  if (options.resolution !== undefined && !(Number.isFinite(options.resolution) && options.resolution > 0)) {
    throw swarmscopeError('BAD_ARGUMENT', `--resolution must be a positive number, got ${options.resolution}`);
  }
  positive('--seed', options.seed, true, 0);
  positive('--hub-limit', options.hubLimit, true, 2);
  positive('--min-cluster-size', options.minClusterSize, true, 2);
}

/** The engine options: only what the user set, so the engine's own defaults (and their record in the Partition) apply otherwise. */
function detectionOptions(options: SweepOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.algorithm !== undefined) out.algorithm = options.algorithm;
  if (options.resolution !== undefined) out.resolution = options.resolution;
  if (options.seed !== undefined) out.seed = options.seed;
  if (options.minClusterSize !== undefined) out.minClusterSize = options.minClusterSize;
  if (options.hubLimit !== undefined) out.hubLimit = { instrument: options.hubLimit, ip: options.hubLimit, fingerprint: options.hubLimit };
  return out;
}

function checkClusterIds(ids: string[], partition: Partition): void {
  if (ids.length !== partition.clusters.length || new Set(ids).size !== ids.length) {
    throw swarmscopeError('INTERNAL', `cluster id assignment returned ${ids.length} ids (${new Set(ids).size} distinct) for ${partition.clusters.length} clusters`);
  }
}

function totals(world: World, partition: Partition, clusters: SweepReport['clusters']): SweepReport['totals'] {
  let clusteredAccounts = 0;
  let clusteredExchanges = 0;
  for (const cluster of clusters) {
    clusteredAccounts += cluster.accounts;
    clusteredExchanges += cluster.exchanges;
  }
  // Counted from the accounts outside every cluster, not as a difference, so the totals can be checked:
  // clustered_exchanges + unclustered_exchanges must equal exchanges.
  let unclusteredExchanges = 0;
  const ex = world.exchanges;
  for (let a = 0; a < world.accounts.size; a++) {
    if (partition.accountCluster[a] >= 0) continue;
    for (let c = ex.accountOffsets[a]; c < ex.accountOffsets[a + 1]; c++) unclusteredExchanges += ex.count[c];
  }
  const t = world.exchanges.totals;
  return {
    accounts: world.accounts.size,
    registered_accounts: world.summary.registered_accounts,
    unregistered_accounts: world.summary.unregistered_accounts,
    exchanges: t.exchanges,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    clusters: partition.clusters.length,
    clustered_accounts: clusteredAccounts,
    clustered_exchanges: clusteredExchanges,
    unclustered_exchanges: unclusteredExchanges,
  };
}

/**
 * The first and last UTC day with exchanges in the input (the data window); null when there are none, or the World
 * was assembled without an exchanges table (a test double, another tool).
 */
export function dataWindow(world: World): DataWindow | null {
  if (!world.exchanges?.day) return null;
  const days = world.exchanges.day;
  let first = Infinity;
  let last = -Infinity;
  for (let cell = 0; cell < world.exchanges.cells; cell++) {
    if (days[cell] < first) first = days[cell];
    if (days[cell] > last) last = days[cell];
  }
  if (first > last) return null;
  const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  return { first_day: iso(first), last_day: iso(last) };
}

/**
 * What the sweep id's hash covers of the detection parameters: every value that shapes the result, never a
 * measurement of the run. Keys named `seconds` (the embedded engine's stage timings, any engine's) are left out
 * at every depth, so two sweeps of the same input with the same parameters get the same hash part.
 */
export function idParameters(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idParameters);
  if (!value || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === 'seconds') continue;
    kept[key] = idParameters((value as Record<string, unknown>)[key]);
  }
  return kept;
}

/**
 * `<UTC start, compact>-<first 8 hex of SHA-256 over the input files' hashes and the detection parameters>`.
 * The hash part depends on nothing else (not the time, the paths or how long detection took): the same input and
 * parameters give the same hash part (test/trust/sweep-id.test.ts).
 */
export function sweepId(started: Date, world: World, partition: Partition): string {
  const hash = createHash('sha256');
  for (const file of CONTRACT_FILES) hash.update(`${file}:${world.summary.files[file].sha256 ?? '-'}\n`);
  hash.update(JSON.stringify(idParameters({ algorithm: partition.algorithm, resolution: partition.resolution, seed: partition.seed, parameters: partition.parameters })));
  const stamp = started.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${hash.digest('hex').slice(0, 8)}`;
}

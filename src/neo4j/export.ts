/**
 * The driver export: a saved sweep into a running Neo4j, in batched `UNWIND $rows … MERGE` transactions.
 *
 * Idempotent by construction: every node and relationship is MERGEd on its key and its properties SET, so
 * re-running the same sweep leaves the graph as it was. Replacement is per sweep: this export's clusters and
 * memberships carry the export's content digest, and afterwards the ones of the same sweep with another
 * digest (a previous export of that sweep) are deleted; other sweeps' clusters are never touched.
 *
 * Resume: after each committed batch a checkpoint file records how far the export got (keyed by server,
 * database, sweep digest and batch size). A re-run after a failure skips the committed batches and completes
 * the rest; because every statement is idempotent, re-sending a batch would be harmless too. The checkpoint
 * is removed when the export completes.
 */
import * as fs from 'fs';
import type { Integer, Session } from 'neo4j-driver';
import { neo4jDriver } from './driver';
import { swarmscopeError } from '../core/errors';
import { displayUri, neo4jError, useNeo4j, type Neo4jConnection } from './connect';
import { buildExportPlan, countTransactions, DEFAULT_BATCH_SIZE, type ExportPlan, type ExportStep, type Row } from './plan';
import type { SweepExport } from './sweepInput';

export interface ExportProgress {
  step: string;
  /** Rows committed so far over all row steps, and the total. */
  rowsDone: number;
  rowsTotal: number;
  transactions: number;
}

export interface ExportToNeo4jOptions {
  sweep: SweepExport;
  connection: Neo4jConnection;
  /** Rows per transaction (default 10,000). */
  batchSize?: number;
  /** Where to record progress for resuming; omit to disable resuming. */
  checkpointFile?: string;
  /** Ignore an existing checkpoint and send everything again. */
  restart?: boolean;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportToNeo4jResult {
  sweepId: string;
  digest: string;
  batchSize: number;
  /** Transactions committed by this run. */
  transactions: number;
  /** Rows sent by this run. */
  rows: number;
  /** Batches skipped because an earlier run had committed them. */
  resumedBatches: number;
  /** From an earlier export of the same sweep: accounts whose outdated memberships were removed, and clusters removed. */
  stale: { accounts: number; clusters: number };
  seconds: number;
}

interface Checkpoint {
  version: 1;
  target: string;
  digest: string;
  batchSize: number;
  /** Per row step: number of batches committed. */
  committed: Record<string, number>;
}

function checkpointTarget(connection: Neo4jConnection): string {
  return `${displayUri(connection.uri)}|${connection.database ?? ''}|${connection.user}`;
}

function readCheckpoint(file: string | undefined, fresh: Checkpoint): Checkpoint {
  if (!file || !fs.existsSync(file)) return fresh;
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
    if (saved.version === 1 && saved.target === fresh.target && saved.digest === fresh.digest && saved.batchSize === fresh.batchSize) {
      return { ...fresh, committed: saved.committed ?? {} };
    }
  } catch {
    // A damaged checkpoint only costs re-sending idempotent batches.
  }
  return fresh;
}

function writeCheckpoint(file: string | undefined, checkpoint: Checkpoint): void {
  if (!file) return;
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

function validBatchSize(batchSize: number | undefined): number {
  const size = batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
    throw swarmscopeError('BAD_ARGUMENT', `--batch-size must be a whole number from 1 to 1000000, got ${batchSize}`);
  }
  return size;
}

async function runRepeat(session: Session, step: ExportStep, params: Record<string, unknown>): Promise<{ transactions: number; affected: number }> {
  let transactions = 0;
  let affected = 0;
  for (;;) {
    const done = await session.executeWrite(async (tx) => {
      const result = await tx.run(step.query, params);
      const value = result.records[0]?.get('done') as Integer | number | undefined;
      return typeof value === 'number' ? value : value ? value.toNumber() : 0;
    });
    transactions++;
    affected += done;
    if (done === 0) return { transactions, affected };
  }
}

export async function exportToNeo4j(options: ExportToNeo4jOptions): Promise<ExportToNeo4jResult> {
  const started = Date.now();
  const batchSize = validBatchSize(options.batchSize);
  const plan = buildExportPlan(options.sweep);
  const { connection } = options;
  const fresh: Checkpoint = { version: 1, target: checkpointTarget(connection), digest: plan.digest, batchSize, committed: {} };
  const checkpoint = options.restart ? fresh : readCheckpoint(options.checkpointFile, fresh);
  const rowsTotal = plan.steps.reduce((sum, s) => sum + (s.kind === 'rows' ? s.total : 0), 0);
  const result: ExportToNeo4jResult = {
    sweepId: plan.sweepId, digest: plan.digest, batchSize, transactions: 0, rows: 0, resumedBatches: 0, stale: { accounts: 0, clusters: 0 }, seconds: 0,
  };
  let rowsDone = 0;
  let current = { step: 'connecting', batch: 0, batches: 0 };
  // LIMIT needs an integer: a JS number would travel as a float and Neo4j would refuse `LIMIT 10000.0`.
  const shared = { sweep: plan.sweepId, digest: plan.digest, limit: neo4jDriver().int(batchSize) };
  await useNeo4j(connection, async ({ session }) => {
    try {
      for (const step of plan.steps) {
        if (step.kind === 'schema') {
          current = { step: step.name, batch: 0, batches: 1 };
          await session.executeWrite((tx) => tx.run(step.query));
          result.transactions++;
        } else if (step.kind === 'repeat') {
          current = { step: step.name, batch: 0, batches: 1 };
          const outcome = await runRepeat(session, step, shared);
          result.transactions += outcome.transactions;
          if (step.name === 'stale clusters') result.stale.clusters += outcome.affected;
          else result.stale.accounts += outcome.affected;
        } else {
          const batches = Math.ceil(step.total / batchSize);
          const alreadyCommitted = checkpoint.committed[step.name] ?? 0;
          let index = 0;
          for (const rows of step.batches(batchSize)) {
            current = { step: step.name, batch: index + 1, batches };
            if (index < alreadyCommitted) {
              result.resumedBatches++;
            } else {
              await session.executeWrite((tx) => tx.run(step.query, { ...shared, rows }));
              result.transactions++;
              result.rows += rows.length;
              checkpoint.committed[step.name] = index + 1;
              writeCheckpoint(options.checkpointFile, checkpoint);
            }
            rowsDone += rows.length;
            index++;
            options.onProgress?.({ step: step.name, rowsDone, rowsTotal, transactions: result.transactions });
          }
        }
      }
    } catch (error) {
      const cause = neo4jError(error, connection, `exporting ${current.step}`);
      throw swarmscopeError(
        cause.code,
        `${cause.message} — stopped at "${current.step}" batch ${current.batch} of ${current.batches}; ` +
          `${rowsDone.toLocaleString('en-US')} of ${rowsTotal.toLocaleString('en-US')} rows committed in ${result.transactions} transactions` +
          `${options.checkpointFile ? '; re-run the same command to resume from there' : '; re-run the same command to complete it (every statement is idempotent)'}`,
        { ...cause.details, step: current.step, batch: current.batch, batches: current.batches, rowsDone, rowsTotal },
      );
    }
  });
  if (options.checkpointFile && fs.existsSync(options.checkpointFile)) fs.unlinkSync(options.checkpointFile);
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

/** A parameter value as JSON: Neo4j integers become JSON numbers (they are whole numbers within 2^53 here). */
function jsonParameter(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'low' in value && 'high' in value && typeof (value as Integer).toNumber === 'function') {
    return (value as Integer).toNumber();
  }
  return value;
}

export interface DryRunResult {
  sweepId: string;
  digest: string;
  batchSize: number;
  /** Distinct statements written to the file. */
  statements: number;
  /** Transactions the export would take (delete rounds counted once: their number depends on the database). */
  transactions: number;
  rows: number;
}

/**
 * Writes, instead of connecting, every distinct statement the export would send, one JSON object per line
 * {"query", "parameters"} with one sample batch (the first) as parameters.
 */
export function writeDryRun(sweep: SweepExport, file: string, options: { batchSize?: number } = {}): DryRunResult {
  const batchSize = validBatchSize(options.batchSize);
  const plan: ExportPlan = buildExportPlan(sweep);
  const shared = { sweep: plan.sweepId, digest: plan.digest, limit: neo4jDriver().int(batchSize) };
  const lines: string[] = [];
  let rows = 0;
  for (const step of plan.steps) {
    let parameters: Record<string, unknown> = {};
    if (step.kind === 'repeat') parameters = shared;
    if (step.kind === 'rows') {
      rows += step.total;
      let sample: Row[] = [];
      for (const batch of step.batches(batchSize)) {
        sample = batch;
        break;
      }
      parameters = { ...shared, rows: sample };
    }
    lines.push(JSON.stringify({ query: step.query, parameters }, jsonParameter));
  }
  try {
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `cannot write --cypher-out ${file}: ${(error as Error).message}`);
  }
  return { sweepId: plan.sweepId, digest: plan.digest, batchSize, statements: lines.length, transactions: countTransactions(plan, batchSize), rows };
}

/**
 * The driver export through the real neo4j-driver against the in-test Bolt server: batching, integer types,
 * transient-error retries, idempotent re-runs, per-sweep replacement, resume after a failure, error mapping.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSwarmscopeError, type SwarmscopeError } from '../../src/core/errors';
import { UPSERT_ACCOUNTS, upsertLinks } from '../../src/neo4j/cypher';
import { exportToNeo4j, writeDryRun, type ExportToNeo4jOptions } from '../../src/neo4j/export';
import type { SweepExport } from '../../src/neo4j/sweepInput';
import { ModelGraph } from './bolt/modelGraph';
import { BoltTestServer, type BoltServerOptions, type InjectedFailure, type RecordedRun } from './bolt/server';
import { generatedSweep } from './fixtures';

const PASSWORD = 'pw-Zq8#never-print';
const FAST_RETRIES = { maxTransactionRetryTime: 5_000 };

async function withServer<T>(
  options: BoltServerOptions & { model?: ModelGraph; port?: number },
  body: (server: BoltTestServer, model: ModelGraph) => Promise<T>,
): Promise<T> {
  const model = options.model ?? new ModelGraph();
  const server = await new BoltTestServer({
    password: PASSWORD,
    answer: (run) => model.answer(run),
    onCommit: (tx) => model.apply(tx),
    ...options,
  }).start(options.port);
  try {
    return await body(server, model);
  } finally {
    await server.stop();
  }
}

function run(server: BoltTestServer, sweep: SweepExport, extra: Partial<ExportToNeo4jOptions> = {}) {
  return exportToNeo4j({
    sweep,
    connection: { uri: server.uri, user: 'neo4j', password: PASSWORD, driverConfig: FAST_RETRIES },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<SwarmscopeError> {
  try {
    await promise;
  } catch (error) {
    if (isSwarmscopeError(error)) return error;
    throw error;
  }
  throw new Error('expected the export to fail');
}

const isUnwind = (r: RecordedRun) => r.query.startsWith('UNWIND $rows');

describe('export neo4j through the real driver', () => {
  test('default batches carry 10,000 rows (≥ 5,000) and whole numbers travel as Neo4j integers', async () => {
    const sweep = generatedSweep('big', 50, 250, 10); // 12,510 accounts, 50,020 links
    await withServer({}, async (server) => {
      const result = await run(server, sweep);
      expect(result.batchSize).toBe(10_000);
      const accountBatches = server.committedRuns.filter((r) => r.query === UPSERT_ACCOUNTS).map((r) => (r.parameters.rows as unknown[]).length);
      expect(accountBatches).toEqual([10_000, 2_510]);
      const ipBatches = server.committedRuns.filter((r) => r.query === upsertLinks('ip')).map((r) => (r.parameters.rows as unknown[]).length);
      expect(ipBatches).toEqual([10_000, 10_000, 5_020]);
      // Every statement but the last batch of a step carries the full batch.
      const link = (server.committedRuns.find((r) => r.query === upsertLinks('ip'))!.parameters.rows as Record<string, unknown>[])[0];
      expect(typeof link.count).toBe('bigint');
      expect(typeof link.first_seen).toBe('bigint');
      expect(typeof link.weight).toBe('number'); // a fraction stays a float
      const account = (server.committedRuns.find((r) => r.query === UPSERT_ACCOUNTS)!.parameters.rows as Record<string, unknown>[])[0];
      expect(typeof account.created_at).toBe('bigint');
      expect(account.registered).toBe(true);
      const cluster = (server.committedRuns.find((r) => r.query.includes('MERGE (c:Cluster'))!.parameters.rows as Record<string, unknown>[])[0];
      expect(typeof cluster.risk).toBe('bigint');
      expect(typeof cluster.exchanges).toBe('bigint');
    });
  });

  test('a transient deadlock fails one transaction; executeWrite retries it and the end state is unchanged', async () => {
    const sweep = generatedSweep();
    const clean = await withServer({}, async (server, model) => {
      await run(server, sweep, { batchSize: 4 });
      return model.snapshot();
    });
    let unwinds = 0;
    const deadlock: InjectedFailure = { code: 'Neo.TransientError.Transaction.DeadlockDetected', message: 'ForsetiClient[1] can not acquire lock' };
    await withServer({ fail: (r) => (isUnwind(r) && ++unwinds === 3 ? deadlock : undefined) }, async (server, model) => {
      const result = await run(server, sweep, { batchSize: 4 });
      const failed = server.transactions.filter((t) => t.outcome === 'failed');
      expect(failed).toHaveLength(1);
      // The failed batch was sent again: same statement, same rows, committed once.
      const again = server.committed.find((t) => JSON.stringify(t.runs[0].parameters.rows, big) === JSON.stringify(failed[0].runs[0].parameters.rows, big));
      expect(again).toBeDefined();
      expect(result.rows).toBe(sweep.world.accounts.size + countIdentifiers(sweep) + countLinks(sweep) + sweep.clusters.length + 2 * sweep.members.length);
      expect(model.snapshot()).toBe(clean);
      expect(model.unmatched).toBe(0);
    });
  });

  test('re-running the same sweep changes nothing', async () => {
    const sweep = generatedSweep();
    await withServer({}, async (server, model) => {
      await run(server, sweep, { batchSize: 7 });
      const first = model.snapshot();
      const again = await run(server, sweep, { batchSize: 7 });
      expect(model.snapshot()).toBe(first);
      expect(again.stale).toEqual({ accounts: 0, clusters: 0 });
      // Every parameter that Cypher needs as an integer (LIMIT $limit) travels as one.
      const deletes = server.committedRuns.filter((r) => r.query.includes('LIMIT $limit'));
      expect(deletes.length).toBeGreaterThan(0);
      for (const r of deletes) expect(r.parameters.limit).toBe(7n);
      const snapshot = JSON.parse(first);
      const accounts = snapshot.nodes.find((n: [string]) => n[0] === 'Account')[1];
      expect(accounts).toHaveLength(sweep.world.accounts.size);
      const highRisk = accounts.filter((a: [string, unknown, string[]]) => a[2].includes('HighRisk')).map((a: [string]) => a[0]);
      expect(highRisk.sort()).toEqual(sweep.members.filter((m) => m.cluster === 'C1' || m.cluster === 'C2').map((m) => m.account).sort());
    });
  });

  test("a sweep's new export replaces that sweep's clusters only", async () => {
    const first = generatedSweep('sweep-1');
    const base = generatedSweep('sweep-2');
    const other: SweepExport = { ...base, clusters: base.clusters.map((c) => ({ ...c, tier: 'medium' })) };
    // Sweep 1 again: only the third ring is a cluster now, upgraded to high, without acct-r2-4.
    const revised: SweepExport = {
      ...first,
      clusters: first.clusters.slice(2, 3).map((c) => ({ ...c, tier: 'high', risk: 95 })),
      members: first.members.filter((m) => m.cluster === 'C3' && m.account !== 'acct-r2-4'),
    };
    await withServer({}, async (server, model) => {
      await run(server, first, { batchSize: 5 });
      // The weekly history travels as properties: the new ring reuses C0099's cards; the others continue.
      expect(model.nodes.get('Cluster')!.get('sweep-1/C1')!.props).toMatchObject({ event: 'new', identifiers_of: ['C0099'] });
      expect(model.nodes.get('Cluster')!.get('sweep-1/C1')!.props).not.toHaveProperty('previous_id'); // SET to null: no property
      expect(model.nodes.get('Cluster')!.get('sweep-1/C2')!.props).toMatchObject({ event: 'unchanged', previous_id: 'C2', identifiers_of: [] });
      await run(server, other, { batchSize: 5 });
      expect(model.nodes.get('Account')!.get('acct-r0-1')!.labels.has('HighRisk')).toBe(true);
      const result = await run(server, revised, { batchSize: 5 });
      const clusters = [...model.nodes.get('Cluster')!.keys()].sort();
      expect(clusters).toEqual(['sweep-1/C3', 'sweep-2/C1', 'sweep-2/C2', 'sweep-2/C3']);
      expect(model.nodes.get('Cluster')!.get('sweep-1/C3')!.labels.has('HighRisk')).toBe(true);
      expect([...model.memberships.keys()].filter((k) => k.includes('sweep-1/'))).toHaveLength(4);
      expect([...model.memberships.keys()].filter((k) => k.includes('sweep-2/'))).toHaveLength(15);
      expect(result.stale).toEqual({ accounts: 11, clusters: 2 }); // C1, C2 gone; r0, r1 and acct-r2-4 lost a sweep-1 membership
      const labels = (account: string) => [...model.nodes.get('Account')!.get(account)!.labels].sort();
      expect(labels('acct-r0-1')).toEqual(['Account', 'MediumRisk']); // lost sweep-1's high C1; sweep-2's C1 is medium
      expect(labels('acct-r2-1')).toEqual(['Account', 'HighRisk']); // sweep-1's C3 is high now
      expect(labels('acct-r2-4')).toEqual(['Account', 'MediumRisk']); // left sweep-1's C3; still in sweep-2's medium C3
      expect(labels('acct-loner1')).toEqual(['Account']);
    });
  });

  test('a failure mid-way reports how far it got; a re-run resumes from the checkpoint and completes', async () => {
    const sweep = generatedSweep();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-neo4j-'));
    const checkpointFile = path.join(dir, 'checkpoint.json');
    const clean = await withServer({}, async (server, model) => {
      await run(server, sweep, { batchSize: 4 });
      return model.snapshot();
    });
    const model = new ModelGraph();
    let ipBatches = 0;
    let port = 0;
    const crash: InjectedFailure = { code: 'Neo.DatabaseError.General.UnknownError', message: 'disk full' };
    const error = await withServer({ model, fail: (r) => (r.query === upsertLinks('ip') && ++ipBatches === 3 ? crash : undefined) }, (server) => {
      port = server.port;
      return failure(run(server, sweep, { batchSize: 4, checkpointFile }));
    });
    expect(error.code).toBe('NEO4J_FAILED');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/stopped at "links:ip" batch 3 of 11/);
    expect(error.message).toMatch(/re-run the same command to resume/);
    expect(error.message).not.toContain(PASSWORD);
    const saved = JSON.parse(fs.readFileSync(checkpointFile, 'utf8'));
    expect(saved.committed['links:ip']).toBe(2);
    expect(saved.committed.accounts).toBe(Math.ceil(sweep.world.accounts.size / 4));
    expect(fs.readFileSync(checkpointFile, 'utf8')).not.toContain(PASSWORD);

    // The same server (same address) after the fault is fixed.
    await withServer({ model, port }, async (server) => {
      const resumed = await run(server, sweep, { batchSize: 4, checkpointFile });
      const skipped = Math.ceil(sweep.world.accounts.size / 4) + 2 + Object.keys(saved.committed).filter((k) => k.startsWith('identifiers:') || k === 'links:instrument').reduce((s, k) => s + saved.committed[k], 0);
      expect(resumed.resumedBatches).toBe(skipped);
      expect(server.committedRuns.some((r) => r.query === UPSERT_ACCOUNTS)).toBe(false);
    });
    expect(model.snapshot()).toBe(clean);
    expect(fs.existsSync(checkpointFile)).toBe(false);
  });

  test.each([
    [[4, 4]],
    [[5, 0]],
    [[5, 4]],
  ] as Array<[[number, number]]>)('works over Bolt %j, with progress reported up to the total', async (version) => {
    const sweep = generatedSweep();
    await withServer({ version }, async (server, model) => {
      const progress: number[] = [];
      const result = await run(server, sweep, { batchSize: 50, onProgress: (p) => progress.push(p.rowsDone / p.rowsTotal) });
      expect(result.transactions).toBe(22);
      expect(model.nodes.get('Account')!.size).toBe(sweep.world.accounts.size);
      expect(progress[progress.length - 1]).toBe(1);
      expect(progress.every((value, i) => i === 0 || value >= progress[i - 1])).toBe(true);
      expect(server.authAttempts.every((a) => a.principal === 'neo4j')).toBe(true);
    });
  });

  test('refused credentials: one line, exit 2, no password', async () => {
    await withServer({ password: 'the-real-one' }, async (server) => {
      const error = await failure(run(server, generatedSweep()));
      expect(error.code).toBe('NEO4J_AUTH');
      expect(error.exitCode).toBe(2);
      expect(error.message).not.toMatch(/\n/);
      expect(error.message).not.toContain(PASSWORD);
      expect(server.transactions).toHaveLength(0);
    });
  });

  test('unreachable server: NEO4J_CONNECTION, exit 2', async () => {
    const server = await new BoltTestServer().start();
    const port = server.port;
    await server.stop();
    const error = await failure(
      exportToNeo4j({ sweep: generatedSweep(), connection: { uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: PASSWORD, timeoutSeconds: 2 } }),
    );
    expect(error.code).toBe('NEO4J_CONNECTION');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`bolt://127.0.0.1:${port}`);
    expect(error.message).not.toContain(PASSWORD);
  });

  test('a URI with user info is refused before connecting, and printed without it', async () => {
    const error = await failure(
      exportToNeo4j({ sweep: generatedSweep(), connection: { uri: `bolt://neo4j:se/${PASSWORD}@127.0.0.1:1`, user: 'neo4j', password: PASSWORD } }),
    );
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('--uri bolt://127.0.0.1:1: remove the user info');
    expect(error.message).not.toContain(PASSWORD);
  });
});

describe('dry run', () => {
  test('writes every distinct statement once with a sample batch, and counts transactions', () => {
    const sweep = generatedSweep('big', 50, 250, 10);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-dry-')), 'statements.jsonl');
    const result = writeDryRun(sweep, file);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { query: string; parameters: Record<string, unknown> });
    expect(lines).toHaveLength(result.statements);
    expect(new Set(lines.map((l) => l.query)).size).toBe(lines.length);
    const accounts = lines.find((l) => l.query === UPSERT_ACCOUNTS)!;
    expect((accounts.parameters.rows as unknown[]).length).toBe(10_000);
    expect(typeof (accounts.parameters.rows as Record<string, unknown>[])[0].created_at).toBe('number');
    // 10 schema + accounts 2 + identifiers (1+1+1) + links (2+3+2) + clusters 1 + members 2 + labels 2 + 2 delete rounds
    expect(result.transactions).toBe(10 + 2 + 3 + 7 + 1 + 2 + 2 + 2);
  });
});

function countIdentifiers(sweep: SweepExport): number {
  const ids = sweep.world.identifiers;
  return ids.instrument.size + ids.ip.size + ids.fingerprint.size;
}

function countLinks(sweep: SweepExport): number {
  const links = sweep.world.links;
  return links.instrument.size + links.ip.size + links.fingerprint.size;
}

function big(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

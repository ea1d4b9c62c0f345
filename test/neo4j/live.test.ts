/**
 * Live tests against a real Neo4j 5 with Open GDS. CI runs them: .ci/run starts a local Neo4j 5.26 + GDS 2.13
 * (`npm run neo4j -- start`, scripts/neo4j.js, versions in neo4j/pom.xml) and exports NEO4J_URI and NEO4J_PASSWORD;
 * with SWARMSCOPE_NEO4J_REQUIRED=1 (set by .ci/run) a missing NEO4J_URI fails instead of skipping. Elsewhere they run
 * only when NEO4J_URI is set. They EMPTY the database first (the GDS checks need a graph that holds only this
 * world): point them at a scratch one.
 *
 *   npm run neo4j -- start          # auth off, or NEO4J_PASSWORD=… for auth on
 *   NEO4J_URI=bolt://127.0.0.1:7687 npx jest test/neo4j/live.test.ts
 *
 * What they hold, on a generated 4,000-account world with three planted swarms, through the built CLI:
 * - `export neo4j`: node and relationship counts per label and type match the sweep; a re-run changes nothing;
 *   an export killed half-way (SIGKILL) and re-run completes from its checkpoint with the same counts; a second
 *   sweep's export adds its own clusters and leaves the first sweep's alone, and a changed export of a sweep
 *   replaces only that sweep's clusters;
 * - `sweep --engine neo4j-gds` finds the embedded engine's campaigns (each planted swarm: Jaccard ≥ 0.95 between
 *   the two engines' clusters for it), and GDS's own Leiden modularity on the projected graph is within 0.005 of
 *   the embedded engine's on the same graph; `--algorithm louvain` runs gds.louvain;
 * - every saved Browser query, with the example parameters its kit file ships, returns rows;
 * - Neo4j Browser, served by that server (SWARMSCOPE_NEO4J_HTTP), in headless chromium driven over CDP: it connects,
 *   takes swarmscope.grass with `:style`, runs the top-clusters query and one cluster's query from the kit, and the
 *   screenshot (test-output/neo4j-browser.png) shows the cluster graph in the style's colours.
 * Optional: NEO4J_USER (default neo4j), NEO4J_DATABASE (default: the server default).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { IDENTIFIER_KINDS } from '../../src/core/world';
import { GRASS_STYLE, SAVED_QUERIES, writeBrowserKit } from '../../src/neo4j/browser';
import type { Neo4jConnection } from '../../src/neo4j/connect';
import { exportToNeo4j } from '../../src/neo4j/export';
import { GDS_DROP, GDS_PROJECT } from '../../src/neo4j/gds';
import { IDENTIFIER_LABEL, LINK_TYPE } from '../../src/neo4j/model';
import { readSweepForExport, type SweepExport } from '../../src/neo4j/sweepInput';
import { CHROMIUM, HeadlessPage } from '../support/cdp';
import { CLI, ensureBuilt, generateSmallWorld, pngInk, readTruth, ROOT, runCli, tempDir } from '../sweep/support';
import { SWARMSCOPE_SCHEMA } from './cypherSchema';
import { generatedSweep } from './fixtures';

const uri = process.env.NEO4J_URI;
const live = uri ? describe : describe.skip;

/** A 4,000-account generated world (three planted swarms) keeps the whole file near half a minute; hubs at 1.5%. */
const ACCOUNTS = 4_000;
const HUB_LIMIT = 60;

if (!uri && process.env.SWARMSCOPE_NEO4J_REQUIRED === '1') {
  test('NEO4J_URI is set (SWARMSCOPE_NEO4J_REQUIRED=1: the live Neo4j tests must run)', () => {
    throw new Error('SWARMSCOPE_NEO4J_REQUIRED=1 but NEO4J_URI is not set: start Neo4j with `npm run neo4j -- start` and export `npm run -s neo4j -- env`');
  });
}

live('live Neo4j (NEO4J_URI)', () => {
  // The CLI needs a password even when the server runs with auth off (any password is accepted then).
  const password = process.env.NEO4J_PASSWORD || 'auth-is-off';
  const connection: Neo4jConnection = { uri: uri ?? '', user: process.env.NEO4J_USER ?? 'neo4j', password, database: process.env.NEO4J_DATABASE };
  const connectionArgs = ['--uri', uri ?? '', '--user', connection.user, ...(connection.database ? ['--database', connection.database] : [])];
  const cliEnv = { ...process.env, NEO4J_PASSWORD: password, SWARMSCOPE_DEBUG: '' };
  let driver: Driver;
  let root: string;
  let worldDir: string;
  let sweepA: string;
  let sweepB: string;
  let exportA: SweepExport;
  let exportB: SweepExport;

  const query = async (text: string, params: Record<string, unknown> = {}) => {
    const result = await driver.executeQuery(text, params, { database: connection.database });
    return result.records.map((r) => r.toObject());
  };
  const count = async (text: string, params: Record<string, unknown> = {}) => neo4j.integer.toNumber((await query(text, params))[0].n as never);
  const cli = (args: string[]) => {
    const result = runCli(args);
    if (result.status !== 0) throw new Error(`swarmscope ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return result;
  };
  const exportCli = (sweepDir: string, extra: string[] = []) => {
    const args = ['export', 'neo4j', sweepDir, ...connectionArgs, ...extra];
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: cliEnv }) as { status: number; stdout: string; stderr: string };
    if (result.status !== 0) throw new Error(`swarmscope ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return result;
  };

  /** Every label's and relationship type's count, and the clusters and memberships of each sweep. */
  const graphCounts = async () => {
    const counts: Record<string, number> = {};
    for (const label of ['Account', ...IDENTIFIER_KINDS.map((k) => IDENTIFIER_LABEL[k]), 'Cluster']) counts[label] = await count(`MATCH (n:${label}) RETURN count(n) AS n`);
    for (const type of [...IDENTIFIER_KINDS.map((k) => LINK_TYPE[k]), 'MEMBER_OF']) counts[type] = await count(`MATCH ()-[r:${type}]->() RETURN count(r) AS n`);
    const weights = await query('MATCH ()-[r:USED_CARD|USED_IP|USED_FINGERPRINT]->() RETURN sum(r.weight) AS w, sum(r.count) AS c');
    counts.weightSum = Number(weights[0].w);
    counts.linkCountSum = neo4j.integer.toNumber(weights[0].c as never);
    return counts;
  };
  const sweepCounts = async (sweep: SweepExport) => ({
    clusters: await count('MATCH (c:Cluster {sweep: $sweep}) RETURN count(c) AS n', { sweep: sweep.sweepId }),
    members: await count('MATCH (:Account)-[m:MEMBER_OF]->(:Cluster {sweep: $sweep}) RETURN count(m) AS n', { sweep: sweep.sweepId }),
  });
  const expectedGraph = (sweep: SweepExport) => {
    const expected: Record<string, number> = { Account: sweep.world.accounts.size };
    for (const kind of IDENTIFIER_KINDS) {
      expected[IDENTIFIER_LABEL[kind]] = sweep.world.identifiers[kind].size;
      expected[LINK_TYPE[kind]] = sweep.world.links[kind].size;
    }
    return expected;
  };

  beforeAll(async () => {
    ensureBuilt();
    driver = neo4j.driver(connection.uri, neo4j.auth.basic(connection.user, password));
    const session = driver.session({ database: connection.database });
    try {
      await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
    root = tempDir('swarmscope-live-');
    worldDir = await generateSmallWorld(path.join(root, 'world'), 3, ACCOUNTS);
    sweepA = path.join(root, 'sweep-a');
    sweepB = path.join(root, 'sweep-b');
    cli(['sweep', worldDir, '--out', sweepA, '--seed', '7', '--hub-limit', String(HUB_LIMIT), '--quiet']);
    cli(['sweep', worldDir, '--out', sweepB, '--seed', '8', '--hub-limit', String(HUB_LIMIT), '--min-cluster-size', '4', '--quiet']);
    exportA = readSweepForExport(sweepA);
    exportB = readSweepForExport(sweepB);
    expect(exportA.sweepId).not.toBe(exportB.sweepId);
  }, 300_000);

  afterAll(async () => {
    await driver?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test("the lint schema's GDS signatures are the server's (argument and YIELD column names)", async () => {
    type Described = { name: string; argumentDescription: { name: string }[]; returnDescription?: { name: string }[] | string };
    const schema = SWARMSCOPE_SCHEMA as unknown as { procedures: Record<string, Record<string, Described>>; functions: Record<string, Record<string, Described>> };
    const names = (columns: { name: string }[] | string | undefined) => (Array.isArray(columns) ? columns.map((c) => c.name) : []);
    const procedures = Object.values(schema.procedures['CYPHER 5']).filter((p) => p.name.startsWith('gds.'));
    const functions = Object.values(schema.functions['CYPHER 5']).filter((f) => f.name.startsWith('gds.'));
    const real = new Map<string, { args: string[]; yields: string[] }>();
    for (const kind of ['PROCEDURES', 'FUNCTIONS']) {
      const rows = await query(`SHOW ${kind} YIELD name, argumentDescription, returnDescription WHERE name STARTS WITH 'gds.' RETURN name, argumentDescription, returnDescription`);
      for (const row of rows) {
        real.set(row.name as string, { args: names(row.argumentDescription as { name: string }[]), yields: names(row.returnDescription as { name: string }[]) });
      }
    }
    for (const p of procedures) expect({ name: p.name, ...real.get(p.name) }).toEqual({ name: p.name, args: names(p.argumentDescription), yields: names(p.returnDescription) });
    // Functions: ours may leave out trailing optional arguments the server has.
    for (const f of functions) expect({ name: f.name, args: real.get(f.name)?.args.slice(0, f.argumentDescription.length) }).toEqual({ name: f.name, args: names(f.argumentDescription) });
  });

  test('export: counts match the sweep, integers stay integers, and a re-run changes nothing', async () => {
    const first = exportCli(sweepA);
    expect(first.stdout).toMatch(/exported sweep/);
    const counts = await graphCounts();
    expect(counts).toMatchObject(expectedGraph(exportA));
    expect(await sweepCounts(exportA)).toEqual({ clusters: exportA.clusters.length, members: exportA.members.length });
    const [cluster] = await query('MATCH (c:Cluster {sweep: $sweep}) RETURN c.accounts AS accounts LIMIT 1', { sweep: exportA.sweepId });
    expect(neo4j.isInt(cluster.accounts)).toBe(true);

    const again = exportCli(sweepA);
    expect(again.stdout).toMatch(/0 clusters removed, 0 accounts' memberships updated/);
    expect(await graphCounts()).toEqual(counts);
  });

  test('an export killed half-way (SIGKILL) and re-run completes from its checkpoint', async () => {
    const checkpoint = path.join(root, 'b.checkpoint.json');
    const child = spawn(process.execPath, [CLI, 'export', 'neo4j', sweepB, ...connectionArgs, '--batch-size', '500', '--checkpoint', checkpoint], { env: cliEnv, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const committed = () => {
      try {
        return Object.values((JSON.parse(fs.readFileSync(checkpoint, 'utf8')) as { committed: Record<string, number> }).committed).reduce((a, b) => a + b, 0);
      } catch {
        return 0;
      }
    };
    const started = Date.now();
    while (committed() < 10 && Date.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    await exited;
    expect(committed()).toBeGreaterThanOrEqual(10);
    expect(fs.existsSync(checkpoint)).toBe(true); // it did not finish

    const rerun = exportCli(sweepB, ['--batch-size', '500', '--checkpoint', checkpoint]);
    expect(rerun.stdout).toMatch(/batches already committed by an earlier run/);
    expect(fs.existsSync(checkpoint)).toBe(false);
    expect(await graphCounts()).toMatchObject(expectedGraph(exportB));
    expect(await sweepCounts(exportB)).toEqual({ clusters: exportB.clusters.length, members: exportB.members.length });
    // The second sweep added its own clusters and left the first sweep's alone.
    expect(await sweepCounts(exportA)).toEqual({ clusters: exportA.clusters.length, members: exportA.members.length });
  });

  test("a changed export of a sweep replaces only that sweep's clusters", async () => {
    const dropped = exportA.clusters[exportA.clusters.length - 1].id;
    const changed: SweepExport = {
      ...exportA,
      clusters: exportA.clusters.filter((c) => c.id !== dropped),
      members: exportA.members.filter((m) => m.cluster !== dropped),
    };
    const result = await exportToNeo4j({ sweep: changed, connection });
    expect(result.stale.clusters).toBe(1);
    expect(await sweepCounts(exportA)).toEqual({ clusters: changed.clusters.length, members: changed.members.length });
    expect(await sweepCounts(exportB)).toEqual({ clusters: exportB.clusters.length, members: exportB.members.length });
  });

  test("sweep --engine neo4j-gds finds the embedded engine's campaigns; GDS's modularity matches ours", async () => {
    const sweepG = path.join(root, 'sweep-gds');
    const result = spawnSync(process.execPath, [CLI, 'sweep', worldDir, '--out', sweepG, '--seed', '7', '--hub-limit', String(HUB_LIMIT),
      '--quiet', '--engine', 'neo4j-gds', ...connectionArgs], { encoding: 'utf8', env: cliEnv }) as { status: number; stderr: string };
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const gds = readSweepForExport(sweepG);
    const reportG = JSON.parse(fs.readFileSync(path.join(sweepG, 'report.json'), 'utf8')) as { detection: { algorithm: string; modularity: number } };
    const reportA = JSON.parse(fs.readFileSync(path.join(sweepA, 'report.json'), 'utf8')) as { detection: { modularity: number; resolution: number } };
    expect(reportG.detection.algorithm).toBe('gds-leiden');

    const clustersOf = (sweep: SweepExport) => {
      const byCluster = new Map<string, Set<string>>();
      for (const m of sweep.members) (byCluster.get(m.cluster) ?? byCluster.set(m.cluster, new Set()).get(m.cluster)!).add(m.account);
      return [...byCluster.values()];
    };
    const jaccard = (a: Set<string>, b: Set<string>) => {
      let both = 0;
      for (const x of a) if (b.has(x)) both++;
      return both / (a.size + b.size - both);
    };
    const best = (clusters: Set<string>[], swarm: Set<string>) => clusters.reduce((top, c) => (jaccard(c, swarm) > jaccard(top, swarm) ? c : top), new Set<string>());
    const truth = readTruth(worldDir);
    const swarms = new Map<string, Set<string>>();
    for (const [account, group] of truth.groupOf) if (truth.legitimate.get(group) === false) (swarms.get(group) ?? swarms.set(group, new Set()).get(group)!).add(account);
    expect(swarms.size).toBe(3);
    for (const [name, swarm] of swarms) {
      const embedded = best(clustersOf(exportA), swarm);
      const viaGds = best(clustersOf(gds), swarm);
      expect({ swarm: name, found: jaccard(embedded, swarm) > 0.5 }).toEqual({ swarm: name, found: true });
      expect({ swarm: name, jaccard: jaccard(embedded, viaGds) >= 0.95 }).toEqual({ swarm: name, jaccard: true });
    }

    // GDS's own modularity for its Leiden partition of the projected (same weighted) graph vs the embedded engine's.
    const graphName = `swarmscope-live-${process.pid}`;
    await query(GDS_DROP, { graphName });
    await query(GDS_PROJECT, { graphName });
    try {
      const [stats] = await query(`CALL gds.leiden.stats($graphName, {relationshipWeightProperty: 'weight', gamma: $gamma, randomSeed: 7, concurrency: 1})
        YIELD modularity RETURN modularity`, { graphName, gamma: reportA.detection.resolution });
      expect(Math.abs(Number(stats.modularity) - reportA.detection.modularity)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(reportG.detection.modularity - reportA.detection.modularity)).toBeLessThanOrEqual(0.005);
    } finally {
      await query(GDS_DROP, { graphName });
    }

    const louvainDir = path.join(root, 'sweep-gds-louvain');
    const louvain = spawnSync(process.execPath, [CLI, 'sweep', worldDir, '--out', louvainDir, '--seed', '7', '--hub-limit', String(HUB_LIMIT),
      '--quiet', '--engine', 'neo4j-gds', '--algorithm', 'louvain', ...connectionArgs], { encoding: 'utf8', env: cliEnv }) as { status: number; stderr: string };
    expect(louvain.stderr).toBe('');
    expect(louvain.status).toBe(0);
    const reportL = JSON.parse(fs.readFileSync(path.join(louvainDir, 'report.json'), 'utf8')) as { detection: { algorithm: string; modularity: number } };
    expect(reportL.detection.algorithm).toBe('gds-louvain');
    expect(Math.abs(reportL.detection.modularity - reportA.detection.modularity)).toBeLessThanOrEqual(0.005);
  });

  /** Runs a kit file as Browser would: its :param lines (Cypher literals, evaluated by the server), then the query. */
  const runKitFile = async (file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    const literals = [...text.matchAll(/^:param (\w+) => (.*);$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    const [row] = await query(`RETURN {${literals.join(', ')}} AS params`);
    const body = text.split('\n').filter((line) => !line.startsWith(':param') && !line.startsWith('//')).join('\n').replace(/;\s*$/, '');
    return query(body, row.params as Record<string, unknown>);
  };

  test('every saved Browser query returns rows with the example parameters its kit file ships', async () => {
    const queries = path.join(sweepA, 'neo4j', 'browser', 'queries');
    for (const saved of SAVED_QUERIES.slice(0, 5)) {
      const rows = await runKitFile(path.join(queries, saved.file));
      expect({ file: saved.file, rows: rows.length > 0 }).toEqual({ file: saved.file, rows: true });
    }
    // Query 6 needs a sweep run with --state in which a campaign came back or reuses known cards: the fixture sweep.
    const fixture = generatedSweep('live-history-sweep');
    await exportToNeo4j({ sweep: fixture, connection });
    const kit = path.join(root, 'fixture-kit');
    writeBrowserKit(kit, fixture);
    for (const saved of SAVED_QUERIES) {
      const rows = await runKitFile(path.join(kit, 'browser', 'queries', saved.file));
      expect({ file: saved.file, rows: rows.length > 0 }).toEqual({ file: saved.file, rows: true });
    }
  });

  const browserTest = CHROMIUM && process.env.SWARMSCOPE_NEO4J_HTTP ? test : test.skip;
  browserTest("Neo4j Browser in headless chromium: connect, apply swarmscope.grass, run the kit's queries, screenshot", async () => {
    const fixture = generatedSweep('live-browser-sweep');
    await exportToNeo4j({ sweep: fixture, connection });
    const kit = path.join(root, 'browser-kit');
    writeBrowserKit(kit, fixture);
    /** A kit file's :param lines and its query. Each is run on its own: a run of several statements shows a summary
     *  list rather than the last result, and :param values set inside such a run do not outlive it. */
    const kitFile = (file: string) => {
      const lines = fs.readFileSync(path.join(kit, 'browser', 'queries', file), 'utf8').split('\n').filter((l) => !l.startsWith('//'));
      return { params: lines.filter((l) => l.startsWith(':param')), query: lines.filter((l) => !l.startsWith(':param')).join('\n').trim() };
    };
    const bolt = new URL(uri!.replace(/^bolt:/, 'http:'));
    const url = `${process.env.SWARMSCOPE_NEO4J_HTTP}/browser/?dbms=${encodeURIComponent(`bolt://${connection.user}@127.0.0.1:${bolt.port}`)}`
      + `&preselectAuthMethod=${process.env.NEO4J_PASSWORD ? 'NATIVE' : 'NO_AUTH'}`;
    const page = await HeadlessPage.open(url, { profileDir: path.join(root, 'chromium-profile'), width: 1400, height: 1000 });
    const outDir = path.join(ROOT, 'test-output');
    fs.mkdirSync(outDir, { recursive: true });
    fs.rmSync(path.join(outDir, 'neo4j-browser-failure.png'), { force: true });
    try {
      // With auth off Browser connects by itself; with auth on it shows the connect form: type the password, connect.
      const connected = 'document.body.innerText.includes("Connected to Neo4j")';
      await page.waitFor(`document.querySelector('[data-testid="connect"]') || ${connected}`, 'the connect form', 90_000);
      if (await page.evaluate<boolean>('Boolean(document.querySelector(\'[data-testid="connect"]\'))')) {
        await page.evaluate('document.querySelector(\'[data-testid="password"]\').focus()');
        await page.insertText(password);
        await page.evaluate('document.querySelector(\'[data-testid="connect"]\').click()');
      }
      await page.waitFor(`${connected} && document.querySelector('[data-testid="activeEditor"] textarea')`, 'the connection', 60_000);
      /** Types a command into the editor and runs it (Ctrl+Enter), waiting until a new frame shows up. */
      const run = async (text: string) => {
        const frames = await page.evaluate<number>('document.querySelectorAll(\'[data-testid="frame"]\').length');
        await page.evaluate('document.querySelector(\'[data-testid="activeEditor"] textarea\').focus()');
        await page.insertText(text);
        await page.evaluate('document.querySelector(\'[data-testid="editor-Run"]\').click()');
        await page.waitFor(`document.querySelectorAll('[data-testid="frame"]').length > ${frames}`, `a frame for ${text.split('\n')[0]}`, 30_000);
      };
      // The style sheet as one line: typed into Browser's editor, line breaks would be auto-indented and braces
      // auto-closed, which mangles the sheet (Browser then fails to render any graph).
      await run(`:style ${GRASS_STYLE.replace(/\s*\n\s*/g, ' ')}`);
      const top = kitFile('1_top_clusters_by_risk.cypher');
      for (const line of top.params) await run(line);
      await run(top.query);
      await page.waitFor(`document.body.innerText.includes('${fixture.clusters[0].reasons[0]}')`, 'the top clusters table', 30_000);
      const cluster = kitFile('2_cluster_accounts_and_shared_identifiers.cypher');
      for (const line of cluster.params) await run(line);
      await run(cluster.query);
      await page.waitFor('document.querySelectorAll(\'[data-testid="frame"] svg circle\').length > 5', 'the cluster graph', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the force layout settle
      const png = path.join(outDir, 'neo4j-browser.png');
      await page.screenshot(png);
      const pixels = pngInk(png);
      expect(pixels.width).toBe(1400);
      expect(pixels.inkShare).toBeGreaterThan(0.03);
      expect(pixels.colours).toBeGreaterThan(20);
      // swarmscope.grass drew the high-risk cluster and accounts red and their shared card yellow, and no page error.
      const drawn = await page.evaluate<string[]>('[...document.querySelectorAll(\'[data-testid="frame"] svg circle\')].map((c) => (c.getAttribute("fill") || "").toUpperCase())');
      expect(drawn).toContain('#E03131');
      expect(drawn).toContain('#FFD86E');
      expect(page.pageErrors()).toEqual([]);
    } catch (error) {
      await page.screenshot(path.join(outDir, 'neo4j-browser-failure.png')).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
  }, 240_000);
});


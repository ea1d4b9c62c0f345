/**
 * The worker-thread path (compiled dist/, where parseWorker.js exists) must build exactly the World the
 * main-thread path builds (TypeScript source under ts-jest), on input large enough to be cut into chunks.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { importWorld as importInThread } from '../../src/ingest';
import type { ImportOptions } from '../../src/ingest';
import type { World } from '../../src/core/world';
import { ROOT, ensureBuilt, tempDir } from './support';
import { CHUNK_BYTES } from '../../src/ingest/source';
import { writeSyntheticFolder } from './synthetic';

type ImportFn = (options: ImportOptions) => Promise<World>;

/**
 * A fingerprint of a World for equality: typed arrays as hex SHA-256 of their bytes (jest's toEqual walks
 * large typed arrays element by element, far too slowly), everything else as JSON. NaN-safe.
 */
function fingerprint(world: World): string {
  const { seconds: _seconds, rejects_path: _rejects, ...summary } = world.summary;
  return JSON.stringify({ ...world, summary }, (_key, value: unknown) =>
    ArrayBuffer.isView(value)
      ? `${value.constructor.name}:${createHash('sha256').update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).digest('hex')}`
      : value,
  );
}

describe('worker threads (dist) and main thread (ts source) build the same World', () => {
  const dir = writeSyntheticFolder(tempDir(), { accounts: 20_000, ipRows: 45_000, exchangeRows: 80_000 });
  let importWithWorkers: ImportFn;

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    ensureBuilt();
    importWithWorkers = (require(path.join(ROOT, 'dist/src/ingest')) as { importWorld: ImportFn }).importWorld;
  });

  it('the input spans several chunks', () => {
    expect(fs.statSync(path.join(dir, 'exchanges.csv')).size).toBeGreaterThan(2 * CHUNK_BYTES);
    expect(fs.statSync(path.join(dir, 'ip_addresses.csv')).size).toBeGreaterThan(CHUNK_BYTES);
  });

  it('same World, same summary, same rejects file', async () => {
    const mainRejects = path.join(dir, 'main.rejects.csv');
    const workerRejects = path.join(dir, 'workers.rejects.csv');
    const inThread = await importInThread({ inputDir: dir, rejectsPath: mainRejects, workers: 0 });
    const withWorkers = await importWithWorkers({ inputDir: dir, rejectsPath: workerRejects, workers: 2 });
    expect(inThread.summary.rows_rejected).toBeGreaterThan(100);
    expect(inThread.summary.unregistered_accounts).toBeGreaterThan(100);
    for (const entry of Object.values(inThread.summary.files)) {
      expect(entry.rows_read).toBe(entry.rows_loaded + entry.rows_rejected);
    }
    expect(inThread.summary.files['exchanges.csv'].rows_read).toBe(80_000);
    expect(withWorkers.exchanges.cells).toBe(inThread.exchanges.cells);
    expect(withWorkers.accounts.ids).toEqual(inThread.accounts.ids);
    expect(fingerprint(withWorkers)).toBe(fingerprint(inThread));
    expect(fs.readFileSync(workerRejects, 'utf8')).toBe(fs.readFileSync(mainRejects, 'utf8'));
  });

  it('rejects keep their physical line numbers across chunk cuts', () => {
    const text = fs.readFileSync(path.join(dir, 'exchanges.csv'), 'utf8').split('\n');
    const rejects = fs.readFileSync(path.join(dir, 'main.rejects.csv'), 'utf8').split('\n').slice(1, -1);
    const exchangeRejects = rejects.filter((line) => line.startsWith('exchanges.csv,'));
    expect(exchangeRejects.length).toBeGreaterThan(100);
    for (const reject of exchangeRejects) {
      const line = Number(reject.split(',')[1]);
      // A broken row may start with a quoted two-line account id; the bad count is then on the next line.
      expect(`${text[line - 1]}\n${text[line]}`).toMatch(line > 1 && text[line - 1].startsWith('"') ? /,-1,/ : /^[^\n]*,-1,/);
    }
  });
});

import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { importWorld } from '../../src/ingest';
import { Progress } from '../../src/ingest/progress';
import { tempDir, writeFiles } from './support';

const ROWS = 250_000;

/** What `run` writes to stderr, each write as one string (stderr itself stays quiet). */
function stderrWrites(run: () => void): string[] {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return writes;
}

describe('Progress', () => {
  it('draws one line per file with percent, rows and rows/s when enabled', () => {
    const writes = stderrWrites(() => {
      const progress = new Progress(true);
      progress.start('exchanges.csv', 1000);
      progress.update(250, 12_345, true);
      progress.finish(1000, 50_000);
    });
    expect(writes[0]).toMatch(/^\rexchanges\.csv\s+\[#{6}\.{18}\]\s+25%\s+12,345 rows\s+[\d,]+ rows\/s/);
    expect(writes[1]).toMatch(/100%\s+50,000 rows/);
    expect(writes[2]).toBe('\n');
  });

  it('rounds down: 99.9% of the bytes is not 100%', () => {
    const writes = stderrWrites(() => {
      const progress = new Progress(true);
      progress.start('accounts.csv', 1000);
      progress.update(999, 99_900, true);
    });
    expect(writes[0]).toMatch(/\[#{23}\.\]\s+99%\s+99,900 rows/);
  });

  it('writes nothing when disabled (not a TTY, or --quiet)', () => {
    const spy = jest.spyOn(process.stderr, 'write');
    const progress = new Progress(false);
    progress.start('accounts.csv', 10);
    progress.update(5, 5, true);
    progress.finish(10, 10);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('Progress during an import', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('swarmscope-progress-');
    // ~11 MB: several 2 MB chunks, so the reader runs ahead of the parser.
    const rows = ['account_id,created_at,email_domain,country,status'];
    for (let a = 0; a < ROWS; a++) rows.push(`acct_${String(a).padStart(8, '0')},2026-01-02,d${a % 50}.test,US,active`);
    const text = `${rows.join('\n')}\n`;
    writeFiles(path.join(dir, 'plain'), { 'accounts.csv': text });
    writeFiles(path.join(dir, 'gzip'), { 'accounts.csv.gz': zlib.gzipSync(text) });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function recordUpdates(folder: string, workers: number): Promise<{ total: number; calls: Array<[number, number]> }> {
    const start = jest.spyOn(Progress.prototype, 'start');
    const update = jest.spyOn(Progress.prototype, 'update');
    try {
      await importWorld({ inputDir: path.join(dir, folder), rejectsPath: null, workers });
      return { total: start.mock.calls[0][1], calls: update.mock.calls.map(([bytes, rows]) => [bytes, rows]) };
    } finally {
      start.mockRestore();
      update.mockRestore();
    }
  }

  it.each([
    ['plain', 0],
    ['gzip', 0],
  ])('%s file, %i workers: the share follows the rows parsed, and 100%% only once every row is', async (folder, workers) => {
    const { total, calls } = await recordUpdates(folder, workers);
    expect(calls.length).toBeGreaterThan(3);
    for (const [bytes, rows] of calls) {
      if (rows < ROWS) expect(bytes).toBeLessThan(total);
      // Rows are all the same length, so the share of bytes parsed is the share of rows parsed.
      expect(Math.abs(bytes / total - rows / ROWS)).toBeLessThan(folder === 'gzip' ? 0.1 : 0.001);
    }
    expect(calls[calls.length - 1]).toEqual([total, ROWS]);
  });
});

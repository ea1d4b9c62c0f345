/**
 * "An input larger than memory would allow as rows": a few million exchange rows stream through a child
 * process whose V8 heap is capped at 160 MB. Exchanges aggregate per (account, UTC day, capability), so
 * memory follows the number of distinct cells (here 2,000 accounts × 7 days × 4 capabilities at most),
 * never the number of rows. Holding the rows themselves would need far more than the cap: csv-parse
 * returns each row as an array of strings, well over 100 bytes per row.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ensureBuilt, tempDir, writeFiles } from './support';

const ROWS = 2_000_000;
const HEAP_MB = 160;
const ACCOUNTS = 2000;
const CAPABILITIES = ['software_engineering', 'agentic_reasoning', 'writing', 'math'];

function writeExchanges(file: string): { exchanges: number } {
  const fd = fs.openSync(file, 'w');
  let exchanges = 0;
  let text = 'account_id,timestamp,capability,count\n';
  for (let row = 0; row < ROWS; row++) {
    const count = 1 + (row % 3);
    exchanges += count;
    text += `a${(row * 7919) % ACCOUNTS},2026-03-0${1 + (row % 7)}T${String(row % 24).padStart(2, '0')}:15:00Z,${CAPABILITIES[row % 4]},${count}\n`;
    if (text.length > 1 << 20) {
      fs.writeSync(fd, text);
      text = '';
    }
  }
  fs.writeSync(fd, text);
  fs.closeSync(fd);
  return { exchanges };
}

describe('bounded memory', () => {
  beforeAll(() => ensureBuilt());

  it(`imports ${ROWS.toLocaleString('en-US')} exchange rows with a ${HEAP_MB} MB heap`, () => {
    expect(ROWS * 100).toBeGreaterThan(HEAP_MB * 1024 * 1024); // the rows could not all be held in the heap
    const dir = writeFiles(tempDir(), { 'accounts.csv': 'account_id,created_at\na0,2026-01-01\n' });
    const { exchanges } = writeExchanges(path.join(dir, 'exchanges.csv'));
    const run = spawnSync(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, CLI, 'validate', dir, '--json', '--workers', '0', '--rejects', path.join(dir, 'rejects.csv')],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.files['exchanges.csv']).toMatchObject({ rows_read: ROWS, rows_loaded: ROWS, rows_rejected: 0 });
    expect(summary.exchanges.exchanges).toBe(exchanges);
    expect(summary.accounts).toBe(ACCOUNTS);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

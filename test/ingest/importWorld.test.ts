import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { importWorld } from '../../src/ingest';
import { isSwarmscopeError } from '../../src/core/errors';
import { CONTRACT_FILES, type World } from '../../src/core/world';
import { FIXTURES, tempDir, writeFiles } from './support';

interface RejectRow {
  file: string;
  line: number;
  column: string;
  reason: string;
  row: string;
}

/** A small RFC 4180 reader for the rejects file, independent of csv-parse. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

function readRejects(file: string): RejectRow[] {
  const [header, ...rows] = readCsv(fs.readFileSync(file, 'utf8'));
  expect(header).toEqual(['file', 'line', 'column', 'reason', 'row']);
  return rows.map(([f, line, column, reason, row]) => ({ file: f, line: Number(line), column, reason, row }));
}

async function fatal(promise: Promise<unknown>): Promise<{ code: string; exitCode: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isSwarmscopeError(error)) return error;
    throw error;
  }
  throw new Error('expected a fatal SwarmscopeError');
}

describe('importWorld on fixtures/ingest/rejects (every rejection reason)', () => {
  let world: World;
  let rejects: RejectRow[];
  const rejectsPath = path.join(tempDir(), 'rejects.csv');

  beforeAll(async () => {
    world = await importWorld({ inputDir: path.join(FIXTURES, 'rejects'), rejectsPath, workers: 0 });
    rejects = readRejects(rejectsPath);
  });

  it('reconciles every file: rows_read = rows_loaded + rows_rejected', () => {
    const s = world.summary;
    const counts = CONTRACT_FILES.map((f) => [f, s.files[f].rows_read, s.files[f].rows_loaded, s.files[f].rows_rejected]);
    expect(counts).toEqual([
      ['accounts.csv', 12, 5, 7],
      ['payment_instruments.csv', 6, 4, 2],
      ['ip_addresses.csv', 8, 4, 4],
      ['fingerprints.csv', 4, 2, 2],
      ['exchanges.csv', 10, 5, 5],
    ]);
    for (const file of CONTRACT_FILES) {
      const entry = s.files[file];
      expect(entry.rows_read).toBe(entry.rows_loaded + entry.rows_rejected);
      expect(rejects.filter((r) => r.file === file).length).toBe(entry.rows_rejected);
    }
    expect(s.rows_read).toBe(s.rows_loaded + s.rows_rejected);
    expect(s.rejects_path).toBe(rejectsPath);
  });

  it('writes one reject per bad row with file, physical line, column and reason', () => {
    const brief = rejects.map((r) => `${r.file}:${r.line}:${r.column}:${r.reason.split(/[:(]/)[0].trim()}`);
    expect(brief).toEqual([
      'accounts.csv:5:account_id:duplicate account_id',
      'accounts.csv:6:created_at:bad date',
      'accounts.csv:7:created_at:missing required cell',
      'accounts.csv:8:account_id:missing required cell',
      'accounts.csv:9:country:bad country code',
      'accounts.csv:10:status:unknown enum value',
      'accounts.csv:11::wrong column count',
      'payment_instruments.csv:5:kind:unknown enum value',
      'payment_instruments.csv:6:first_seen:first_seen is after last_seen',
      'ip_addresses.csv:6:ip:bad IP address',
      'ip_addresses.csv:7:requests:bad integer',
      'ip_addresses.csv:8:is_proxy:unknown boolean value',
      'ip_addresses.csv:9:last_seen:bad date',
      'fingerprints.csv:4:fingerprint:missing required cell',
      'fingerprints.csv:5:kind:unknown enum value',
      'exchanges.csv:7:count:bad count',
      'exchanges.csv:8:count:bad count',
      'exchanges.csv:9:count:bad count',
      'exchanges.csv:10:input_tokens:bad integer',
      'exchanges.csv:11:timestamp:bad date',
    ]);
    const lines = fs.readFileSync(path.join(FIXTURES, 'rejects/accounts.csv'), 'utf8').split('\n');
    for (const reject of rejects.filter((r) => r.file === 'accounts.csv')) expect(reject.row).toBe(lines[reject.line - 1]);
  });

  it('loads accounts with parsed cells; a quoted line break keeps later line numbers right', () => {
    const a = world.accounts;
    expect(a.ids.slice(0, 5)).toEqual(['acc-001', 'acc-002', 'acc-003', 'acc-009\nsecond line', 'acc-010']);
    expect(Array.from(a.registered)).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(a.createdAt[2]).toBe(Date.UTC(2026, 0, 6, 8));
    expect(a.countries[a.country[1]]).toBe('GB');
    expect(a.emailDomains[a.emailDomain[0]]).toBe('example.com');
    expect(a.emailDomains[a.emailDomain[3]]).toBe('quoted, domain.test');
    expect(Array.from(a.status.subarray(0, 5))).toEqual([0, 1, 2, 0, 0]);
  });

  it('keeps accounts seen only in links or exchanges as unregistered', () => {
    const a = world.accounts;
    expect(a.ids.slice(5)).toEqual(['ghost-1', 'ghost-2']);
    expect(Number.isNaN(a.createdAt[5])).toBe(true);
    expect(world.summary.unregistered_accounts).toBe(2);
    expect(world.summary.registered_accounts).toBe(5);
  });

  it('merges repeated links: counts add, the seen window widens', () => {
    const links = world.links.instrument;
    const tokA = world.identifiers.instrument.ids.indexOf('tok_A');
    const merged = Array.from({ length: links.size }, (_, i) => i).find((i) => links.account[i] === 0 && links.identifier[i] === tokA) as number;
    expect(links.rows[merged]).toBe(2);
    expect(links.count[merged]).toBe(2);
    expect(links.firstSeen[merged]).toBe(Date.UTC(2026, 0, 1));
    expect(links.lastSeen[merged]).toBe(Date.UTC(2026, 0, 20));
    expect(links.size).toBe(3);
  });

  it('canonicalises IPv6 so two spellings of one address are one identifier', () => {
    const ip = world.identifiers.ip;
    expect(ip.ids).toEqual(['203.0.113.7', '2001:db8::7']);
    expect(Array.from(ip.subkind)).toEqual([0, 1]);
    expect(Array.from(ip.proxy)).toEqual([1, 0]);
    expect(ip.asns[ip.asn[0]]).toBe('AS64500');
    const links = world.links.ip;
    expect(Array.from(links.count)).toEqual([12, 1, 3, 4]); // requests add; empty requests defaults to 1
  });

  it('sorts links by account, then identifier', () => {
    for (const kind of ['instrument', 'ip', 'fingerprint'] as const) {
      const links = world.links[kind];
      for (let i = 1; i < links.size; i++) {
        const order = links.account[i - 1] - links.account[i] || links.identifier[i - 1] - links.identifier[i];
        expect(order).toBeLessThan(0);
      }
    }
  });

  it('aggregates exchanges per (account, UTC day, capability) with a CSR index', () => {
    const x = world.exchanges;
    expect(x.capabilities).toEqual(['agentic_reasoning', 'software_engineering', 'writing']);
    expect(x.cells).toBe(4);
    const day = Math.floor(Date.UTC(2026, 0, 5) / 86_400_000);
    const cells = Array.from({ length: x.cells }, (_, i) => [world.accounts.ids[x.account[i]], x.day[i] - day, x.capabilities[x.capability[i]], x.count[i], x.inputTokens[i], x.outputTokens[i]]);
    expect(cells).toEqual([
      ['acc-001', 0, 'software_engineering', 5, 500, 4500],
      ['acc-001', 1, 'software_engineering', 1, 0, 0],
      ['acc-002', 0, 'agentic_reasoning', 2, 10, 20],
      ['ghost-2', 0, 'writing', 1, 5, 5],
    ]);
    expect(Array.from(x.accountOffsets)).toEqual([0, 2, 3, 3, 3, 3, 3, 4]);
    expect(x.totals).toEqual({ rows: 5, exchanges: 9, inputTokens: 515, outputTokens: 4525 });
  });

  it('lists unknown columns once, and hashes each file', () => {
    expect(world.summary.files['accounts.csv'].unknown_columns).toEqual(['signup_channel']);
    const bytes = fs.readFileSync(path.join(FIXTURES, 'rejects/accounts.csv'));
    expect(world.summary.files['accounts.csv'].bytes).toBe(bytes.length);
    expect(world.summary.files['accounts.csv'].sha256).toBe(require('crypto').createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('importWorld: mapping, gzip, byte-level formats', () => {
  it('reads a renamed export through a mapping file', async () => {
    const dir = path.join(FIXTURES, 'mapping');
    const world = await importWorld({ inputDir: dir, mapPath: path.join(dir, 'mapping.json'), rejectsPath: null, workers: 0 });
    expect(world.accounts.ids).toEqual(['u1', 'u2', 'u3']);
    expect(world.summary.files['accounts.csv'].path).toBe(path.join(dir, 'users_export.csv'));
    expect(world.summary.files['exchanges.csv'].rows_loaded).toBe(3);
    expect(world.exchanges.totals.exchanges).toBe(6);
    expect(world.summary.files['fingerprints.csv'].rows_loaded).toBe(2);
    expect(world.summary.rows_rejected).toBe(0);
  });

  it('without the mapping, the same folder is a fatal missing accounts.csv', async () => {
    const error = await fatal(importWorld({ inputDir: path.join(FIXTURES, 'mapping'), rejectsPath: null, workers: 0 }));
    expect(error.code).toBe('MISSING_FILE');
  });

  it('reads .csv.gz and hashes the compressed bytes', async () => {
    const dir = path.join(FIXTURES, 'gzip');
    const world = await importWorld({ inputDir: dir, rejectsPath: null, workers: 0 });
    expect(world.accounts.ids).toEqual(['g1', 'g2']);
    expect(world.exchanges.totals.exchanges).toBe(8);
    expect(world.summary.files['exchanges.csv'].rows_rejected).toBe(1);
    const gz = fs.readFileSync(path.join(dir, 'exchanges.csv.gz'));
    expect(world.summary.files['exchanges.csv'].bytes).toBe(gz.length);
    expect(world.summary.files['exchanges.csv'].sha256).toBe(require('crypto').createHash('sha256').update(gz).digest('hex'));
    expect(world.summary.rejects_path).toBeNull();
  });

  it('skips a UTF-8 BOM and reads CRLF line ends', async () => {
    const dir = writeFiles(tempDir(), {
      'accounts.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('account_id,created_at\r\nb1,2026-01-01\r\n"b2\r\nx",2026-01-01\r\nb3,nope\r\n')]),
    });
    const rejectsPath = path.join(dir, 'r.csv');
    const world = await importWorld({ inputDir: dir, rejectsPath, workers: 0 });
    expect(world.accounts.ids).toEqual(['b1', 'b2\r\nx']);
    expect(readRejects(rejectsPath).map((r) => [r.line, r.row])).toEqual([[5, 'b3,nope']]);
  });

  it('refuses a folder holding both x.csv and x.csv.gz', async () => {
    const dir = writeFiles(tempDir(), { 'accounts.csv': 'account_id,created_at\n', 'accounts.csv.gz': zlib.gzipSync('account_id,created_at\n') });
    const error = await fatal(importWorld({ inputDir: dir, rejectsPath: null, workers: 0 }));
    expect(error.message).toMatch(/both accounts\.csv and accounts\.csv\.gz exist/);
  });

  it('rejects exchange rows beyond 65,535 distinct capability tags with their line and text (World.exchanges.capability is 16-bit)', async () => {
    const rows = ['account_id,timestamp,capability'];
    for (let tag = 0; tag < 65_537; tag++) rows.push(`a,2026-01-01,tag${tag}`);
    const dir = writeFiles(tempDir(), { 'accounts.csv': 'account_id,created_at\na,2026-01-01\n', 'exchanges.csv': `${rows.join('\n')}\n` });
    const rejectsPath = path.join(dir, 'r.csv');
    const world = await importWorld({ inputDir: dir, rejectsPath, workers: 0 });
    expect(world.exchanges.capabilities).toHaveLength(65_535);
    expect(world.summary.files['exchanges.csv']).toMatchObject({ rows_read: 65_537, rows_loaded: 65_535, rows_rejected: 2 });
    expect(readRejects(rejectsPath).map((r) => [r.file, r.line, r.column, r.reason, r.row])).toEqual([
      ['exchanges.csv', 65537, 'capability', 'too many distinct capabilities (limit 65535): "tag65535"', 'a,2026-01-01,tag65535'],
      ['exchanges.csv', 65538, 'capability', 'too many distinct capabilities (limit 65535): "tag65536"', 'a,2026-01-01,tag65536'],
    ]);
  });

  it('a clean import truncates a stale rejects file to its header', async () => {
    const dir = writeFiles(tempDir(), { 'accounts.csv': 'account_id,created_at\nc1,2026-01-01\n' });
    const rejectsPath = path.join(dir, 'stale.csv');
    fs.writeFileSync(rejectsPath, 'file,line,column,reason,row\naccounts.csv,9,x,old,old\n');
    const world = await importWorld({ inputDir: dir, rejectsPath, workers: 0 });
    expect(world.summary.rejects_path).toBeNull();
    expect(fs.readFileSync(rejectsPath, 'utf8')).toBe('file,line,column,reason,row\n');
  });
});

describe('importWorld: fatal errors (exit code 2)', () => {
  it.each([
    ['no-accounts', 'MISSING_FILE', /accounts\.csv is missing/],
    ['missing-column', 'MISSING_COLUMN', /required column "created_at" is missing/],
    ['not-utf8', 'NOT_UTF8', /not UTF-8 \(invalid byte 0xe9 at byte 51, line 2\)/],
    ['bad-gzip', 'BAD_GZIP', /unreadable gzip/],
    ['bad-quote', 'BAD_CSV', /line 3: a quoted field opens here and is never closed/],
    ['empty-accounts', 'BAD_CSV', /the file is empty/],
  ])('%s → %s', async (folder, code, message) => {
    const error = await fatal(importWorld({ inputDir: path.join(FIXTURES, 'fatal', folder), rejectsPath: null, workers: 0 }));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('a missing input folder is INPUT_NOT_FOUND', async () => {
    const error = await fatal(importWorld({ inputDir: path.join(FIXTURES, 'no-such-folder'), rejectsPath: null }));
    expect(error.code).toBe('INPUT_NOT_FOUND');
  });
});

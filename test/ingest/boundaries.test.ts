/**
 * The reader's record boundaries (src/ingest/source.ts): chunks joined give back the file, each chunk ends at a
 * line feed outside quotes, checked against an independent byte-by-byte scan, on files whose quoted fields (with
 * line breaks in them) straddle the reader's 1 MiB reads and its 2 MiB chunk size.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EMPTY_MAPPING } from '../../src/contract/mapping';
import { closeInput } from '../../src/ingest/open-input';
import { FileReader, locateFile } from '../../src/ingest/source';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-boundaries-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Offsets of the line feeds outside quotes, the slow obvious way. */
function referenceBoundaries(bytes: Buffer): Set<number> {
  const out = new Set<number>();
  let inQuotes = false;
  for (let at = 0; at < bytes.length; at++) {
    if (bytes[at] === 34) inQuotes = !inQuotes;
    else if (bytes[at] === 10 && !inQuotes) out.add(at);
  }
  return out;
}

/** A deterministic pseudo-random accounts file of about `size` bytes; some fields quoted, some with line breaks. */
function accountsFile(size: number, seed: number): string {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const rows = ['account_id,created_at,email_domain'];
  let length = rows[0].length;
  for (let r = 0; length < size; r++) {
    const pick = random();
    const domain =
      pick < 0.7 ? 'example.com' : pick < 0.85 ? '"quoted, with comma"' : pick < 0.95 ? '"say ""hi"""' : `"${'long\nline '.repeat(Math.floor(random() * 40000))}"`;
    const row = `acct_${r},2026-01-01,${domain}`;
    rows.push(row);
    length += row.length + 1;
  }
  return `${rows.join('\n')}\n`;
}

test.each([1, 2, 3])('chunks rejoin to the file and end only at line feeds outside quotes (seed %i)', async (seed) => {
  const text = accountsFile(6 << 20, seed);
  fs.writeFileSync(path.join(dir, 'accounts.csv'), text);
  const bytes = Buffer.from(text);
  const boundaries = referenceBoundaries(bytes);
  const located = locateFile(dir, 'accounts.csv', EMPTY_MAPPING)!;
  try {
    const parts: Buffer[] = [];
    let offset = 0;
    let chunks = 0;
    for await (const chunk of new FileReader(located).chunks()) {
      const end = offset + chunk.bytes.length;
      if (chunks === 0) {
        expect(boundaries.has(end)).toBe(true); // the header, without its line feed
        parts.push(chunk.bytes, Buffer.from('\n'));
        offset = end + 1;
      } else {
        if (end < bytes.length) expect(boundaries.has(end - 1)).toBe(true);
        parts.push(chunk.bytes);
        offset = end;
      }
      chunks++;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  } finally {
    closeInput(located.input);
  }
});

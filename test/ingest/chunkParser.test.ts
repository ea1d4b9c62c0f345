/**
 * parseChunk splits quote-free lines itself and hands quoted runs to csv-parse. Property: on random
 * accounts files mixing plain lines, quoted cells with commas, doubled quotes and line breaks, CRLF and
 * blank lines, it yields exactly the records csv-parse yields for the whole text, and every rejected row
 * carries the physical line the generator put it on.
 */
import { parse } from 'csv-parse/sync';
import { parseChunk } from '../../src/ingest/chunkParser';
import type { AccountsBatch, ColumnPlan } from '../../src/ingest/types';

const PLAN: ColumnPlan = {
  file: 'accounts.csv',
  displayName: 'accounts.csv',
  width: 3,
  index: [0, 1, -1, -1, 2],
  headers: ['account_id', 'created_at', 'email_domain', 'country', 'status'],
  unknown: [],
};

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function quote(cell: string): string {
  return `"${cell.replace(/"/g, '""')}"`;
}

function makeFile(seed: number) {
  const next = random(seed);
  const lines: string[] = [];
  const badLines: number[] = [];
  let line = 2; // data starts after the header
  for (let row = 0; row < 400; row++) {
    const kind = Math.floor(next() * 10);
    const eol = next() < 0.2 ? '\r\n' : '\n';
    if (kind === 0) {
      lines.push(eol); // blank line
      line++;
      continue;
    }
    let id = `id${row}`;
    if (kind === 1) id = quote(`id${row}, with comma`);
    if (kind === 2) id = quote(`id${row} says "hi"`);
    if (kind === 3) id = quote(`id${row}\nsecond line`);
    const bad = next() < 0.1;
    if (bad) badLines.push(line);
    const status = next() < 0.1 ? quote('active') : next() < 0.5 ? 'active' : 'suspended';
    lines.push(`${id},${bad ? 'not-a-date' : '2026-01-02'},${status}${eol}`);
    line += kind === 3 ? 2 : 1;
  }
  return { text: lines.join(''), badLines };
}

describe('parseChunk', () => {
  it.each([1, 2, 3, 4, 5])('matches csv-parse on a random mixed file (seed %i)', (seed) => {
    const { text, badLines } = makeFile(seed);
    const result = parseChunk({ plan: PLAN, bytes: Buffer.from(text), startLine: 2 });
    expect(result.fatal).toBeNull();
    const expected = (parse(text, { relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][]).filter(
      (record) => record[1] !== 'not-a-date',
    );
    const batch = result.batch as AccountsBatch;
    expect(batch.ids).toEqual(expected.map((record) => record[0]));
    expect(Array.from(batch.status)).toEqual(expected.map((record) => (record[2] === 'active' ? 0 : 1)));
    expect(result.rejects.map((reject) => reject.line)).toEqual(badLines);
    expect(result.rowsRead).toBe(expected.length + badLines.length);
    for (const reject of result.rejects) expect(text.split('\n')[reject.line - 2].replace(/\r$/, '')).toBe(reject.row.split('\n')[0]);
  });

  it('reports broken quoting as fatal with the line of the opening quote', () => {
    const text = 'a,2026-01-01,active\nb,2026-01-01,"active\nc,2026-01-01,active\n';
    expect(parseChunk({ plan: PLAN, bytes: Buffer.from(text), startLine: 10 }).fatal).toEqual({
      line: 11,
      message: 'a quoted field opens here and is never closed',
    });
    const stray = parseChunk({ plan: PLAN, bytes: Buffer.from('a,2026-01-01,active\nb,2026-"01,active\n'), startLine: 2 });
    expect(stray.fatal?.line).toBe(3);
  });
});

/**
 * Property test of the CSV cell neutraliser (src/core/csv.ts) over random hostile strings: every value reads
 * back exactly (unquote, then unneutraliseCsvText), and however a reader splits a written row — on `,`, `;`,
 * TAB, `|` or a line break, with or without regard to quotes — no field starts with a formula trigger.
 */
import { csvRow, csvText, unneutraliseCsvText } from '../../src/core/csv';

/** Characters an attacker would combine: triggers, separators, quotes, and plain text. */
const ALPHABET = ['=', '+', '-', '@', '\t', '\r', '\n', ';', ',', '|', '"', "'", ' ', 'a', 'x', '1', '＝', '＋', '－', '＠', 'é', '\u202e', 'cmd', "|' /C calc'!A0"];
const TRIGGER_START = /^[=+\-@\t\r＝＋－＠]/;
const SPLITTERS = [',', ';', '\t', '|', '\r', '\n'];

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileString(next: () => number): string {
  const length = Math.floor(next() * 12);
  let value = '';
  for (let i = 0; i < length; i++) value += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return value;
}

/** RFC 4180 unquoting of one written cell (what a correct reader of our file sees). */
function unquote(written: string): string {
  return written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written;
}

/** Every field a careless reader could produce: split on any separator, ignoring quotes, leading quotes dropped. */
function naiveFields(line: string): string[] {
  let fields = [line];
  for (const separator of SPLITTERS) fields = fields.flatMap((field) => field.split(separator));
  return fields.map((field) => field.replace(/^"+/, ''));
}

describe('csv cell neutraliser', () => {
  it('marks formulas after any separator a locale or import dialog may use, and leading ones', () => {
    expect(csvText("x;=cmd|' /C calc'!A0")).toBe("x;'=cmd|' /C calc'!A0");
    expect(csvText('x,=1+2')).toBe(`"x,'=1+2"`);
    expect(csvText('a\t@SUM(A1)|+1')).toBe("a\t'@SUM(A1)|'+1");
    expect(csvText('x\n-1')).toBe(`"x\n'-1"`);
    expect(csvText('x;"=1"')).toBe(`"x;'""=1"""`);
    expect(csvText('＝1+1')).toBe("'＝1+1");
    expect(csvText('a-b;c@d=e')).toBe('a-b;c@d=e');
    expect(csvText('2026-10-01T00:00:00Z')).toBe('2026-10-01T00:00:00Z');
  });

  it('round-trips 20,000 random hostile strings exactly, and no naive split of a row yields a field starting with a trigger', () => {
    const next = random(15);
    const failures: string[] = [];
    for (let i = 0; i < 20_000 && failures.length < 5; i++) {
      const values = [hostileString(next), hostileString(next), hostileString(next)];
      const written = values.map(csvText);
      written.forEach((cell, k) => {
        if (unneutraliseCsvText(unquote(cell)) !== values[k]) failures.push(`${JSON.stringify(values[k])} read back as ${JSON.stringify(unneutraliseCsvText(unquote(cell)))}`);
      });
      const row = csvRow(values);
      if (row !== `${written.join(',')}\n`) failures.push(`csvRow ${JSON.stringify(row)} is not the joined cells`);
      for (const field of naiveFields(row)) {
        if (TRIGGER_START.test(field)) failures.push(`row ${JSON.stringify(row)} of ${JSON.stringify(values)} has field ${JSON.stringify(field)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('reads back values that already look marked, one quote at a time', () => {
    for (const value of ["x;'=y", "x;''=y", "'", "x;'", "x,'plain", "''\t", "a|'\"=b"]) expect(unneutraliseCsvText(unquote(csvText(value)))).toBe(value);
  });
});

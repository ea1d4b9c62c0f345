/**
 * Writing CSV that is safe to open in a spreadsheet. Every CSV swarmscope writes for people goes through
 * csvCell/csvRow/csvDocument (or csvText for a hand-joined row); the neo4j-admin bundle is the one deliberate
 * exception (read by the importer, not a spreadsheet; see src/neo4j/admin.ts).
 *
 * RFC 4180 quoting: cells containing a comma, quote, CR or LF are quoted, quotes doubled.
 *
 * Formula neutralisation (CSV injection, OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
 * `=`, `+`, `-`, `@`, TAB or CR as a formula (and Excel and LibreOffice do so even inside quotes). It is not
 * enough to look at the start of the cell: Excel in a locale whose list separator is `;` opens our
 * comma-separated file split on `;` instead, without regard to our quotes, so the cell `x;=cmd|' /C calc'!A0`
 * becomes the two cells `x` and `=cmd|…`. The same happens with a TAB or `|` chosen in an import dialog, and
 * with a line break once the quotes no longer line up. So the rule applies at every SEGMENT START: the start
 * of the cell, and every position right after `,` `;` TAB `|` CR or LF. A segment that starts with a
 * trigger — possibly behind quote characters, since `"=x` is read as a quoted `=x` — gets a single quote
 * inserted at its start: `x;=cmd` is written `x;'=cmd`, `=x` as `'=x`, `a,"=b` as `"a,'""=b"`. Triggers
 * are `=`, `+`, `-`, `@`, TAB, CR and their full-width forms `＝ ＋ － ＠` (which East Asian Excel may take
 * for the ASCII ones; marking them costs one character on values nobody types by accident). Whatever
 * separator a reader splits on, no field starts with a trigger (test/core/csv-neutralise.test.ts checks this
 * over random hostile strings). Numbers are written by csvNumber and never neutralised: a negative number
 * stays a number.
 *
 * The marking is reversible: a segment that already starts with a single quote followed by quotes and a
 * trigger (`'=x`) gets one more quote too, and unneutraliseCsvText removes exactly one quote from every
 * segment of that shape — so an account id reads back exactly as imported, whatever it holds. (Files written
 * before segments were marked, which only marked `'*`+trigger at the start, read back the same except for a
 * value holding a quote the old rule left unmarked before a trigger — `x;'=y`, `'"=y` — which loses it.)
 */

/** A trigger behind any run of quote characters, at a segment start. */
const TRIGGER = `['"]*[=+\\-@\\t\\r\\uff1d\\uff0b\\uff0d\\uff20]`;
/** Start of the cell, or right after a character some reader splits cells or rows on. */
const SEGMENT_START = `(?<=^|[,;\\t|\\r\\n])`;
const NEEDS_MARK = new RegExp(`${SEGMENT_START}(?=${TRIGGER})`, 'g');
const MARKED = new RegExp(`${SEGMENT_START}'(?=${TRIGGER})`, 'g');
/** Pre-tests without look-behind (faster on ids full of `-`): most cells have nothing to mark or unmark. */
const HAS_UNMARKED = new RegExp(`^${TRIGGER}|[,;\\t|\\r\\n]${TRIGGER}`);
const HAS_MARKED = new RegExp(`^'${TRIGGER}|[,;\\t|\\r\\n]'${TRIGGER}`);
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell value: strings are neutralised and quoted as needed; numbers/booleans are written as is; null/undefined is empty. */
export type CsvCell = string | number | boolean | null | undefined;

/** One text cell: every segment start that holds a trigger marked with `'`, then quoted as needed. */
export function csvText(value: string): string {
  const safe = HAS_UNMARKED.test(value) ? value.replace(NEEDS_MARK, "'") : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The value csvText neutralised (after CSV unquoting): one quote removed from every marked segment start. */
export function unneutraliseCsvText(cell: string): string {
  return HAS_MARKED.test(cell) ? cell.replace(MARKED, '') : cell;
}

export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvText(value);
}

export function csvRow(cells: readonly CsvCell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]);
  }
  return `${line}\n`;
}

/** A whole CSV document (header + rows) as one string; for large outputs stream csvRow lines instead. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const parts = [csvRow(header)];
  for (const row of rows) parts.push(csvRow(row));
  return parts.join('');
}

/**
 * Writing CSV that is safe to open in a spreadsheet. Every CSV swarmscope writes goes through here.
 *
 * RFC 4180 quoting (cells containing a comma, quote, CR or LF are quoted; quotes doubled), and formula
 * neutralisation: a cell starting with `=`, `+`, `-`, `@`, TAB or CR would be run as a formula by Excel or
 * LibreOffice (CSV injection, OWASP), so it is prefixed with a single quote. Numbers are written by
 * csvNumber and are never neutralised, so a negative number stays a number.
 *
 * The prefix is reversible: a value that already starts with quotes followed by such a character (`'=x`)
 * gets one more quote too, and `unneutraliseCsvText` removes exactly one from any cell of that shape — so an
 * account id reads back exactly as imported, whatever it starts with.
 */

const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell value: strings are neutralised and quoted as needed; numbers/booleans are written as is; null/undefined is empty. */
export type CsvCell = string | number | boolean | null | undefined;

export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The value csvText neutralised (after CSV unquoting): one leading quote removed from `'…=…`-shaped cells. */
export function unneutraliseCsvText(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 39 /* ' */ && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
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

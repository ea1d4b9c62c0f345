/**
 * A fast reader for the two columns lineage needs from members.csv (account_id, cluster_id). The general CSV
 * parser builds an object per row with all four columns (evidence strings included), which dominated `diff` and
 * `sweep --state` time (≈ 2 s per 100,000 members); this scanner jumps with indexOf and only slices the two ids.
 * It still follows RFC 4180 (quoted fields, doubled quotes, CR LF, newlines inside quotes) and undoes csv.ts's
 * formula neutralisation, so ids read back exactly as imported.
 */
import * as fs from 'fs';
import { unneutraliseCsvText } from '../../core/csv';
import { swarmscopeError } from '../../core/errors';
import type { SavedSweep } from '../load';

const HEADER = 'account_id,cluster_id,role,evidence';

export interface Memberships {
  /** Parallel arrays, one entry per members.csv row. */
  accounts: string[];
  clusterIds: string[];
}

/** The memberships of a saved sweep, from its members.csv verified against the sweep's checksums (loadSweep). */
export function readSavedMemberships(saved: SavedSweep): Memberships {
  return readMemberships(saved.file('members'), saved.read('members').toString('utf8'));
}

/** Parses members.csv; `text` is its content when the caller has read (and verified) it already. */
export function readMemberships(file: string, text?: string): Memberships {
  if (text === undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw swarmscopeError('BAD_SWEEP', `${file}: missing or unreadable; the sweep is incomplete, re-run it`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const headerEnd = text.indexOf('\n');
  const header = (headerEnd < 0 ? text : text.slice(0, headerEnd)).replace(/\r$/, '');
  if (header !== HEADER) throw swarmscopeError('BAD_SWEEP', `${file}: header is "${header}", expected "${HEADER}"; re-run the sweep`);

  const accounts: string[] = [];
  const clusterIds: string[] = [];
  let position = headerEnd < 0 ? text.length : headerEnd + 1;
  let line = 2;
  const fail = (what: string): never => {
    throw swarmscopeError('BAD_SWEEP', `${file}:${line}: ${what}; the file is damaged, re-run the sweep`);
  };

  /** Reads one field starting at `position`; returns its value (or null to skip) and leaves position on the delimiter. */
  const field = (keep: boolean): string | null => {
    if (text.charCodeAt(position) === 34 /* " */) {
      let value = '';
      let start = position + 1;
      for (;;) {
        const quote = text.indexOf('"', start);
        if (quote < 0) fail('a quoted field is not closed');
        if (keep) value += text.slice(start, quote);
        for (let i = start; i < quote; i++) if (text.charCodeAt(i) === 10) line++;
        if (text.charCodeAt(quote + 1) === 34) {
          if (keep) value += '"';
          start = quote + 2;
          continue;
        }
        position = quote + 1;
        return keep ? value : null;
      }
    }
    let end = position;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (code === 44 /* , */ || code === 10 || code === 13) break;
      end++;
    }
    const value = keep ? text.slice(position, end) : null;
    position = end;
    return value;
  };

  let nextQuote = text.indexOf('"', position);
  while (position < text.length) {
    // Fast path, nearly every row: no quote before the end of the line, so the four fields are the text between
    // three commas (csv.ts quotes any cell that contains a comma, quote or newline).
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd < 0) lineEnd = text.length;
    // The next quote is searched once and reused until passed: searching per row would rescan the whole file.
    if (nextQuote !== -1 && nextQuote < position) nextQuote = text.indexOf('"', position);
    if (nextQuote === -1 || nextQuote >= lineEnd) {
      const first = text.indexOf(',', position);
      const second = first < 0 ? -1 : text.indexOf(',', first + 1);
      const third = second < 0 ? -1 : text.indexOf(',', second + 1);
      if (third < 0 || third >= lineEnd) fail('expected 4 columns');
      const fourth = text.indexOf(',', third + 1);
      if (fourth >= 0 && fourth < lineEnd) fail('expected 4 columns, found more');
      accounts.push(unneutraliseCsvText(text.slice(position, first)));
      clusterIds.push(text.slice(first + 1, second));
      position = lineEnd + 1;
      line++;
      continue;
    }
    if (text.charCodeAt(position) === 10 || (text.charCodeAt(position) === 13 && text.charCodeAt(position + 1) === 10)) {
      fail('empty line');
    }
    const account = field(true) as string;
    if (text.charCodeAt(position) !== 44) fail('expected 4 columns');
    position++;
    const cluster = field(true) as string;
    let columns = 2;
    while (text.charCodeAt(position) === 44) {
      position++;
      field(false);
      columns++;
    }
    if (columns !== 4) fail(`expected 4 columns, found ${columns}`);
    if (text.charCodeAt(position) === 13) position++;
    if (position < text.length && text.charCodeAt(position) !== 10) fail('unexpected character after a quoted field');
    position++;
    line++;
    accounts.push(unneutraliseCsvText(account));
    clusterIds.push(cluster);
  }
  return { accounts, clusterIds };
}

/** Matching a file's header row to the contract (after mapping): column positions, unknown columns, fatal gaps. */
import { parse } from 'csv-parse/sync';
import { swarmscopeError } from '../core/errors';
import { FILE_CONTRACTS } from '../contract/columns';
import { headerFor, type Mapping } from '../contract/mapping';
import { CSV_OPTIONS } from './chunkParser';
import type { LocatedFile } from './source';
import type { ColumnPlan } from './types';

export function parseHeader(bytes: Buffer, located: LocatedFile): string[] {
  if (bytes.length === 0) {
    throw swarmscopeError('BAD_CSV', `${located.path}: the file is empty; it needs at least a header row (see docs/data-contract.md)`, {
      file: located.path,
    });
  }
  try {
    const records = parse(bytes, CSV_OPTIONS) as string[][];
    return (records[0] ?? []).map((name) => name.trim());
  } catch (error) {
    throw swarmscopeError('BAD_CSV', `${located.path} line 1: the header row is not valid CSV (${(error as Error).message}); fix the header`, {
      file: located.path,
    });
  }
}

/** The header as a message shows it: at most 20 names of at most 40 characters each, so one line stays a line. */
export function headerForMessage(header: string[]): string {
  if (header.length === 0) return 'empty';
  const shown = header.slice(0, 20).map((name) => (name.length > 40 ? `${name.slice(0, 40)}… (${name.length.toLocaleString('en-US')} characters)` : name));
  return shown.join(', ') + (header.length > 20 ? `, … (${header.length.toLocaleString('en-US')} columns)` : '');
}

/** Header names are matched trimmed and case-insensitively. */
export function planColumns(header: string[], located: LocatedFile, mapping: Mapping): ColumnPlan {
  const contract = FILE_CONTRACTS[located.file];
  const positions = new Map<string, number>();
  header.forEach((name, at) => {
    const key = name.toLowerCase();
    if (positions.has(key) && name !== '') {
      throw swarmscopeError('BAD_CSV', `${located.path}: the header names column "${headerForMessage([name])}" twice; rename or remove one`, {
        file: located.path,
        column: name,
      });
    }
    positions.set(key, at);
  });
  const index: number[] = [];
  const headers: string[] = [];
  const used = new Set<number>();
  for (const column of contract.columns) {
    const expected = headerFor(mapping, located.file, column.name);
    const at = positions.get(expected.toLowerCase()) ?? -1;
    if (at === -1 && column.required) {
      const mapped = expected !== column.name ? ` (mapped to "${expected}")` : '';
      throw swarmscopeError(
        'MISSING_COLUMN',
        `${located.path}: required column "${column.name}"${mapped} is missing (header: ${headerForMessage(header)}); ` +
          'rename the column in the file or map it with --map (see docs/data-contract.md)',
        { file: located.path, column: column.name },
      );
    }
    index.push(at);
    headers.push(at === -1 ? expected : header[at]);
    if (at !== -1) used.add(at);
  }
  return {
    file: located.file,
    displayName: located.displayName,
    width: header.length,
    index,
    headers,
    unknown: header.filter((_name, at) => !used.has(at)),
  };
}

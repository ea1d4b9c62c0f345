/**
 * The mapping file (`--map mapping.json`): lets a team's own export be read as it is, by naming the file
 * that stands for each contract file and the header that stands for each contract column.
 *
 *   {
 *     "files": {
 *       "accounts.csv":  { "file": "users_export.csv", "columns": { "account_id": "user_id", "created_at": "signup_ts" } },
 *       "exchanges.csv": { "file": "api_calls.csv.gz" }
 *     }
 *   }
 *
 * Keys of "files" are contract file names; "file" is a path relative to the input folder; keys of
 * "columns" are contract column names and values the header text in that file. Anything not mapped keeps
 * its contract name. An invalid mapping is a BAD_MAPPING error (exit 2) naming the offending key.
 */
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { CONTRACT_FILES, type ContractFile } from '../core/world';
import { columnNames } from './columns';
import { closeInput, openInput, readInput } from '../ingest/open-input';

export interface FileMapping {
  /** Path of the file relative to the input folder (may end in .gz). */
  file?: string;
  /** Contract column name → header text in the file. */
  columns?: Record<string, string>;
}

export interface Mapping {
  files: Partial<Record<ContractFile, FileMapping>>;
}

export const EMPTY_MAPPING: Mapping = { files: {} };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a parsed mapping document; throws BAD_MAPPING naming the first problem. `source` names the file in messages. */
export function validateMapping(document: unknown, source: string): Mapping {
  const bad = (what: string) =>
    swarmscopeError('BAD_MAPPING', `${source}: ${what}; see docs/data-contract.md "Mapping file"`, { file: source });
  if (!isPlainObject(document)) throw bad('the mapping must be a JSON object like {"files": {...}}');
  for (const key of Object.keys(document)) {
    if (key !== 'files' && key !== '$comment') throw bad(`unknown key "${key}" (allowed: "files", "$comment")`);
  }
  const files = document.files ?? {};
  if (!isPlainObject(files)) throw bad('"files" must be an object keyed by contract file name');
  const mapping: Mapping = { files: {} };
  for (const [fileKey, entry] of Object.entries(files)) {
    if (!(CONTRACT_FILES as readonly string[]).includes(fileKey)) {
      throw bad(`unknown contract file "${fileKey}" (expected one of ${CONTRACT_FILES.join(', ')})`);
    }
    const file = fileKey as ContractFile;
    if (!isPlainObject(entry)) throw bad(`"files.${file}" must be an object with "file" and/or "columns"`);
    const result: FileMapping = {};
    for (const key of Object.keys(entry)) {
      if (key !== 'file' && key !== 'columns') throw bad(`unknown key "files.${file}.${key}" (allowed: "file", "columns")`);
    }
    if (entry.file !== undefined) {
      if (typeof entry.file !== 'string' || entry.file.trim() === '') throw bad(`"files.${file}.file" must be a non-empty file name`);
      if (path.isAbsolute(entry.file) || entry.file.split(/[\\/]/).includes('..')) {
        throw bad(`"files.${file}.file" must be a path inside the input folder, got "${entry.file}"`);
      }
      result.file = entry.file;
    }
    if (entry.columns !== undefined) {
      if (!isPlainObject(entry.columns)) throw bad(`"files.${file}.columns" must be an object: contract column → your header`);
      const known = columnNames(file);
      const headers = new Map<string, string>();
      const columns: Record<string, string> = {};
      for (const [column, header] of Object.entries(entry.columns)) {
        if (!known.includes(column)) {
          throw bad(`unknown column "${column}" in "files.${file}.columns" (${file} has ${known.join(', ')})`);
        }
        if (typeof header !== 'string' || header.trim() === '') {
          throw bad(`"files.${file}.columns.${column}" must be the non-empty header text in your file`);
        }
        const normalised = header.trim().toLowerCase();
        const other = headers.get(normalised);
        if (other !== undefined) throw bad(`"${other}" and "${column}" of ${file} are both mapped to the header "${header}"`);
        headers.set(normalised, column);
        columns[column] = header.trim();
      }
      result.columns = columns;
    }
    mapping.files[file] = result;
  }
  return mapping;
}

/** A mapping file is a few hundred bytes; anything over this is not one (and is not read into memory). */
export const MAX_MAPPING_BYTES = 1 << 20;

/**
 * "line 3, column 7" of JSON.parse's complaint, when it says where; never the text around it, which Node quotes
 * in its message and which may be anything (the first line of /etc/passwd, a terminal escape).
 */
function jsonErrorPlace(error: Error, text: string): string {
  const match = /at position (\d+)/.exec(error.message);
  if (!match) return /end of JSON input/.test(error.message) ? ' (it ends too early)' : '';
  const at = Math.min(Number(match[1]), text.length);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return ` (first problem at line ${line}, column ${column})`;
}

/**
 * Reads and validates a mapping file, opened through openInput (src/ingest/open-input.ts): a regular file of at
 * most MAX_MAPPING_BYTES, inside the folder of the path the user typed (so a symlink there pointing elsewhere is
 * refused). A parse error names the line and column, never the file's text.
 */
export function loadMapping(mappingPath: string): Mapping {
  const input = openInput(mappingPath, {
    folder: path.dirname(path.resolve(mappingPath)),
    maxBytes: MAX_MAPPING_BYTES,
    fix: 'pass --map the path of a mapping file (JSON, see docs/data-contract.md "Mapping file")',
  });
  let text: string;
  try {
    text = readInput(input).toString('utf8');
  } finally {
    closeInput(input);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw swarmscopeError('BAD_MAPPING', `${mappingPath}: not valid JSON${jsonErrorPlace(error as Error, text)}; fix the mapping file`, {
      file: mappingPath,
    });
  }
  return validateMapping(document, mappingPath);
}

/** The header text expected for a contract column after mapping. */
export function headerFor(mapping: Mapping, file: ContractFile, column: string): string {
  return mapping.files[file]?.columns?.[column] ?? column;
}

/** The on-disk name of a contract file after mapping (before the .gz fallback). */
export function fileNameFor(mapping: Mapping, file: ContractFile): string {
  return mapping.files[file]?.file ?? file;
}

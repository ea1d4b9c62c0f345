/**
 * checksums.sha256: the SHA-256 of every file a sweep wrote, written last into the sweep dir, in the format of
 * `sha256sum` (`<64 hex>  <name>`, one line per file, sorted by name), so `sha256sum -c checksums.sha256` checks
 * a sweep dir by hand too.
 *
 * Every command that reads a saved sweep back (report, diff, evidence, export, the state dir's history) goes
 * through loadSweep (src/sweep/load.ts), which checks each file against this list before it parses it:
 * report.json when the sweep is opened, members.csv and world.snapshot when they are first read. A file whose
 * bytes differ is refused (BAD_SWEEP, exit 2, one line naming the file) instead of being trusted.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { SWEEP_FILES } from './types';

export const CHECKSUMS_FILE = SWEEP_FILES.checksums;

const LINE = /^([0-9a-f]{64}) [ *]([^/\\\n]+)$/;

export function sha256Bytes(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha256OfFile(file: string): string {
  return sha256Bytes(fs.readFileSync(file));
}

/** The manifest's text for {name: sha256}. */
export function checksumsText(sums: Readonly<Record<string, string>>): string {
  return Object.keys(sums)
    .sort()
    .map((name) => `${sums[name]}  ${name}\n`)
    .join('');
}

/**
 * Writes checksums.sha256 in `dir` over every regular file in it (`known` gives hashes already computed, e.g.
 * the snapshot's, hashed while it was written). Returns the sums.
 */
export function writeChecksums(dir: string, known: Readonly<Record<string, string>> = {}): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === CHECKSUMS_FILE || !fs.statSync(path.join(dir, name)).isFile()) continue;
    sums[name] = known[name] ?? sha256OfFile(path.join(dir, name));
  }
  fs.writeFileSync(path.join(dir, CHECKSUMS_FILE), checksumsText(sums));
  return sums;
}

/** The manifest of a sweep dir: name → sha256, or null when the dir has none. A malformed one is BAD_SWEEP. */
export function readChecksums(dir: string): Map<string, string> | null {
  const file = path.join(dir, CHECKSUMS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw swarmscopeError('BAD_SWEEP', `${file}: cannot be read (${(error as Error).message}); re-run the sweep`);
  }
  const sums = new Map<string, string>();
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : [text];
  lines.forEach((line, index) => {
    const match = LINE.exec(line);
    if (!match) throw swarmscopeError('BAD_SWEEP', `${file}:${index + 1}: not a "<sha256>  <file>" line; the sweep is damaged, re-run it`);
    sums.set(match[2], match[1]);
  });
  return sums;
}

/** Refuses `bytes` read from `file` unless their SHA-256 is `expected`. */
export function verifyChecksum(file: string, bytes: Buffer, expected: string, listedIn: string): void {
  const actual = sha256Bytes(bytes);
  if (actual !== expected) {
    throw swarmscopeError(
      'BAD_SWEEP',
      `${file}: damaged or edited after the sweep wrote it (SHA-256 ${actual.slice(0, 12)}…, ${listedIn} says ${expected.slice(0, 12)}…); re-run the sweep or restore the folder from a backup`,
      { file, expected, actual },
    );
  }
}

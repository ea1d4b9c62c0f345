/** Helpers for the trust tests (issue 14): fixture variants built in a temp folder, and one-line error checks. */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../sweep/support';

export const FIXTURE = path.join(ROOT, 'fixtures/small-world');

/**
 * A copy of the small world with every exchange moved `days` later (the next week's export of the same platform),
 * and optionally some accounts' status changed (e.g. acct_swarm_01 → suspended).
 */
export function fixtureVariant(target: string, options: { shiftDays?: number; statuses?: Record<string, string> } = {}): string {
  fs.cpSync(FIXTURE, target, { recursive: true });
  if (options.shiftDays) {
    const file = path.join(target, 'exchanges.csv');
    const [header, ...rows] = fs.readFileSync(file, 'utf8').split('\n');
    const shifted = rows.map((row) => {
      if (!row) return row;
      const cells = row.split(',');
      const day = Date.parse(`${cells[1].slice(0, 10)}T00:00:00Z`) + options.shiftDays! * 86_400_000;
      cells[1] = new Date(day).toISOString().slice(0, 10) + cells[1].slice(10);
      return cells.join(',');
    });
    fs.writeFileSync(file, [header, ...shifted].join('\n'));
  }
  if (options.statuses) {
    const file = path.join(target, 'accounts.csv');
    const [header, ...rows] = fs.readFileSync(file, 'utf8').split('\n');
    const changed = rows.map((row) => {
      const cells = row.split(',');
      const status = options.statuses![cells[0]];
      if (!row || status === undefined) return row;
      cells[4] = status;
      return cells.join(',');
    });
    fs.writeFileSync(file, [header, ...changed].join('\n'));
  }
  return target;
}

/** Exit `status`, exactly one stderr line matching `pattern`, no stack trace. */
export function expectOneLine(result: { status: number | null; stderr: string }, pattern: RegExp, status = 2): void {
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(result.status).toBe(status);
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file under dir (relative path → SHA-256), except the lock and tmp/. */
export function stateHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    if (entry === 'lock' || entry === 'tmp' || entry.startsWith(`tmp${path.sep}`)) continue;
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) out[entry] = sha256(file);
  }
  return out;
}

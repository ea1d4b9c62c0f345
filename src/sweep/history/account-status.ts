/**
 * history/<sweep>/account-status.json: the clustered accounts whose status was not `active` in a sweep's input
 * (id → suspended | terminated), recorded at commit so the ban list (members.ts) can leave them out without the
 * sweep's world. Its SHA-256 is in state.json with the sweep's other history files.
 */
import * as fs from 'fs';
import { swarmscopeError } from '../../core/errors';
import type { Partition } from '../../core/partition';
import { ACCOUNT_STATUSES, type World } from '../../core/world';

export const ACCOUNT_STATUS_FILE = 'account-status.json';

/**
 * account-status.json: the clustered accounts whose status is not `active`, id → status, sorted by id; null for a
 * World assembled without account statuses (a test double, another tool), whose sweep then records none.
 */
export function accountStatusFileText(world: World, partition: Pick<Partition, 'clusters'>): string | null {
  if (!world.accounts.status) return null;
  const inactive: Array<[string, string]> = [];
  for (const cluster of partition.clusters) {
    for (const account of cluster.accounts) {
      const status = ACCOUNT_STATUSES[world.accounts.status[account]];
      if (status !== 'active') inactive.push([world.accounts.ids[account], status]);
    }
  }
  inactive.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${JSON.stringify({ format_version: 1, inactive: Object.fromEntries(inactive) }, null, 1)}\n`;
}

/** Parses account-status.json (already checked against its recorded SHA-256). */
export function readAccountStatusFile(file: string): Map<string, string> {
  let parsed: { inactive?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { inactive?: unknown };
  } catch (error) {
    throw swarmscopeError('STATE_DAMAGED', `${file} is not valid JSON (${(error as Error).message}); restore the state dir from a backup`);
  }
  if (!parsed || typeof parsed.inactive !== 'object' || parsed.inactive === null || Array.isArray(parsed.inactive)) {
    throw swarmscopeError('STATE_DAMAGED', `${file} has no "inactive" object; restore the state dir from a backup`);
  }
  return new Map(Object.entries(parsed.inactive as Record<string, string>));
}


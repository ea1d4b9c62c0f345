/**
 * clusters.csv (one row per cluster, report order) and members.csv (one row per clustered account).
 * All cells go through src/core/csv.ts, which neutralises spreadsheet formulas.
 */
import * as fs from 'fs';
import { csvDocument, csvRow, type CsvCell } from '../core/csv';
import { MEMBER_ROLES, type Partition } from '../core/partition';
import type { World } from '../core/world';
import type { ClusterProfile } from '../score/types';
import type { SweepReport } from '../sweep/types';
import { topCapabilities, type RenderInput } from './common';

export const CLUSTER_COLUMNS = [
  'cluster_id', 'accounts', 'registered_accounts', 'unregistered_accounts', 'risk', 'tier',
  'exchanges', 'input_tokens', 'output_tokens', 'exchanges_per_account', 'exchanges_per_account_day', 'share_of_platform_exchanges',
  'top_capabilities', 'capability_distance',
  'created_first', 'created_last', 'busiest_24h_share', 'creation_burstiness', 'active_first_day', 'active_last_day', 'activity_synchrony',
  'instruments', 'accounts_per_instrument', 'prepaid_virtual_share', 'shared_prepaid_virtual',
  'proxy_share', 'distinct_asns', 'asn_hhi', 'automation_fingerprints',
  'reason_codes', 'first_reason',
] as const;

export const MEMBER_COLUMNS = ['account_id', 'cluster_id', 'role', 'evidence'] as const;

function clusterRow(c: ClusterProfile): CsvCell[] {
  return [
    c.cluster_id, c.accounts, c.registered_accounts, c.unregistered_accounts, c.risk, c.tier,
    c.exchanges, c.input_tokens, c.output_tokens, round(c.exchanges_per_account), round(c.exchanges_per_account_day), round(c.share_of_platform_exchanges),
    topCapabilities(c, 3), round(c.capability_distance),
    c.time.created_first, c.time.created_last, round(c.time.busiest_24h_share), round(c.time.creation_burstiness), c.time.active_first_day, c.time.active_last_day, round(c.time.activity_synchrony),
    c.payment.instruments, round(c.payment.accounts_per_instrument), round(c.payment.prepaid_virtual_share), c.payment.shared_prepaid_virtual,
    round(c.network.proxy_share), c.network.distinct_asns, round(c.network.asn_hhi), c.network.automation_fingerprints,
    c.reasons.map((r) => r.code).join(' '), c.reasons[0]?.text ?? '',
  ];
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function renderClustersCsv(input: RenderInput): string {
  const clusters = input.top === undefined ? input.report.clusters : input.report.clusters.slice(0, input.top);
  return csvDocument(CLUSTER_COLUMNS, clusters.map(clusterRow));
}

/**
 * Streams members.csv: clusters in report order, members ascending by internal number within each.
 * `clusterIds` is parallel to partition.clusters.
 */
export function writeMembersCsv(file: string, world: World, partition: Partition, report: SweepReport): number {
  const fd = fs.openSync(file, 'w');
  let rows = 0;
  try {
    let buffer = csvRow(MEMBER_COLUMNS);
    for (const profile of report.clusters) {
      const cluster = partition.clusters[profile.partition_index];
      for (let m = 0; m < cluster.accounts.length; m++) {
        buffer += csvRow([world.accounts.ids[cluster.accounts[m]], profile.cluster_id, MEMBER_ROLES[cluster.roles[m]] ?? 'member', cluster.evidence[m] ?? '']);
        rows++;
        if (buffer.length > 1 << 20) {
          fs.writeSync(fd, buffer);
          buffer = '';
        }
      }
    }
    fs.writeSync(fd, buffer);
  } finally {
    fs.closeSync(fd);
  }
  return rows;
}

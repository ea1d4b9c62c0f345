/**
 * The export plan: the ordered steps the driver export (and its dry run) performs, each a Cypher statement
 * with its row batches generated lazily from the World, so a 1M-account sweep never holds more than one
 * batch of parameter objects. Integers are built as Neo4j integers (neo4jDriver().int) here, once.
 */
import { createHash } from 'crypto';
import type { Integer } from 'neo4j-driver';
import { neo4jDriver } from './driver';
import { ACCOUNT_STATUSES, SUBKINDS, kindsOf, type IdentifierKind } from '../core/world';
import {
  DELETE_STALE_CLUSTERS, DELETE_STALE_MEMBERSHIPS, LABEL_MEMBER_ACCOUNTS, SCHEMA_STATEMENTS, UPSERT_ACCOUNTS,
  UPSERT_CLUSTERS, UPSERT_MEMBERS, upsertIdentifiers, upsertLinks,
} from './cypher';
import { clusterKey, hubFlags, identifierDegrees, tierLabel } from './model';
import type { SweepExport } from './sweepInput';
import { sweepLinkWeight, type LinkWeight } from './weights';

export const DEFAULT_BATCH_SIZE = 10_000;

export type Row = Record<string, unknown>;

/** One schema statement, one batched UNWIND statement, or a delete that repeats until it affects nothing. */
export type ExportStep =
  | { kind: 'schema'; name: string; query: string }
  | { kind: 'rows'; name: string; query: string; total: number; batches: (batchSize: number) => Iterable<Row[]> }
  | { kind: 'repeat'; name: string; query: string };

export interface ExportPlan {
  sweepId: string;
  /** SHA-256 of what this export writes about the sweep's clusters; marks this export's clusters and memberships. */
  digest: string;
  steps: ExportStep[];
}

/** A Neo4j integer for a finite whole number, null otherwise (Neo4j drops null properties). */
function int(value: number): Integer | null {
  return Number.isFinite(value) ? neo4jDriver().int(Math.round(value)) : null;
}

function epochMillis(value: number): Integer | null {
  return Number.isFinite(value) ? neo4jDriver().int(Math.round(value)) : null;
}

/** Risk and shares keep fractions when the sweep has them; whole numbers go as integers. */
function numeric(value: number): Integer | number | null {
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? neo4jDriver().int(value) : value;
}

function* chunks<T>(total: number, batchSize: number, row: (i: number) => T): Iterable<T[]> {
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(total, start + batchSize);
    const batch: T[] = new Array(end - start);
    for (let i = start; i < end; i++) batch[i - start] = row(i);
    yield batch;
  }
}

export function exportDigest(input: SweepExport): string {
  const hash = createHash('sha256');
  hash.update(`${input.sweepId}\n`);
  hash.update(JSON.stringify(input.clusters));
  for (const m of input.members) hash.update(`\n${m.account}\u0000${m.cluster}\u0000${m.role}\u0000${m.evidence}`);
  return hash.digest('hex');
}

export interface PlanOptions {
  /** Link weight written to r.weight (default: the embedded engine's, under the sweep's detection parameters). */
  linkWeight?: LinkWeight;
  /** Include the sweep's clusters and memberships (the GDS engine uploads only the graph). */
  clusters?: boolean;
}

/** The graph steps: accounts, identifiers and links of every kind. */
function graphSteps(input: SweepExport, linkWeight: LinkWeight): ExportStep[] {
  const { world } = input;
  const accounts = world.accounts;
  const steps: ExportStep[] = [];
  steps.push({
    kind: 'rows',
    name: 'accounts',
    query: UPSERT_ACCOUNTS,
    total: accounts.size,
    batches: (size) => chunks(accounts.size, size, (i) => ({
      id: accounts.ids[i],
      created_at: epochMillis(accounts.createdAt[i]),
      email_domain: accounts.emailDomain[i] >= 0 ? accounts.emailDomains[accounts.emailDomain[i]] : null,
      country: accounts.country[i] >= 0 ? accounts.countries[accounts.country[i]] : null,
      status: ACCOUNT_STATUSES[accounts.status[i]] ?? null,
      registered: accounts.registered[i] === 1,
    })),
  });
  const degrees = {} as Record<IdentifierKind, Int32Array>;
  const hubs = {} as Record<IdentifierKind, Uint8Array>;
  for (const kind of kindsOf(world)) {
    degrees[kind] = identifierDegrees(world, kind);
    hubs[kind] = hubFlags(world, kind, input.hubs.filter((h) => h.kind === kind).map((h) => h.id));
    const table = world.identifiers[kind];
    steps.push({
      kind: 'rows',
      name: `identifiers:${kind}`,
      query: upsertIdentifiers(kind),
      total: table.size,
      batches: (size) => chunks(table.size, size, (i) => {
        const row: Row = { id: table.ids[i], kind: SUBKINDS[kind][table.subkind[i]] ?? null, degree: int(degrees[kind][i]), hub: hubs[kind][i] === 1 };
        if (kind === 'ip') {
          row.asn = table.asn.length > i && table.asn[i] >= 0 ? table.asns[table.asn[i]] : null;
          row.proxy = table.proxy.length > i && table.proxy[i] >= 0 ? table.proxy[i] === 1 : null;
        }
        return row;
      }),
    });
  }
  for (const kind of kindsOf(world)) {
    const links = world.links[kind];
    const identifierIds = world.identifiers[kind].ids;
    steps.push({
      kind: 'rows',
      name: `links:${kind}`,
      query: upsertLinks(kind),
      total: links.size,
      batches: (size) => chunks(links.size, size, (i) => {
        const identifier = links.identifier[i];
        return {
          account: accounts.ids[links.account[i]],
          identifier: identifierIds[identifier],
          first_seen: epochMillis(links.firstSeen[i]),
          last_seen: epochMillis(links.lastSeen[i]),
          count: int(links.count[i]),
          weight: linkWeight(kind, i),
        };
      }),
    });
  }
  return steps;
}

function clusterSteps(input: SweepExport): ExportStep[] {
  const { clusters, members, sweepId } = input;
  const memberAccounts = [...new Set(members.map((m) => m.account))];
  return [
    {
      kind: 'rows',
      name: 'clusters',
      query: UPSERT_CLUSTERS,
      total: clusters.length,
      batches: (size) => chunks(clusters.length, size, (i) => {
        const c = clusters[i];
        return {
          key: clusterKey(sweepId, c.id),
          id: c.id,
          accounts: int(c.accounts),
          exchanges: int(c.exchanges),
          input_tokens: int(c.inputTokens),
          output_tokens: int(c.outputTokens),
          risk: numeric(c.risk),
          tier: c.tier,
          tier_label: tierLabel(c.tier),
          reasons: c.reasons,
          reasons_json: c.reasonsJson,
          capabilities: c.capabilities,
          capability_shares: c.capabilityShares,
          top_capability: c.capabilities[0] ?? null,
          capability_mix: c.capabilityMixJson,
          event: c.event,
          previous_id: c.previousId,
          identifiers_of: c.identifiersOf,
        };
      }),
    },
    {
      kind: 'rows',
      name: 'memberships',
      query: UPSERT_MEMBERS,
      total: members.length,
      batches: (size) => chunks(members.length, size, (i) => ({
        account: members[i].account,
        cluster: clusterKey(sweepId, members[i].cluster),
        role: members[i].role,
        evidence: members[i].evidence,
      })),
    },
    {
      kind: 'rows',
      name: 'account tier labels',
      query: LABEL_MEMBER_ACCOUNTS,
      total: memberAccounts.length,
      batches: (size) => chunks(memberAccounts.length, size, (i) => ({ account: memberAccounts[i] })),
    },
    { kind: 'repeat', name: 'stale memberships', query: DELETE_STALE_MEMBERSHIPS },
    { kind: 'repeat', name: 'stale clusters', query: DELETE_STALE_CLUSTERS },
  ];
}

export function buildExportPlan(input: SweepExport, options: PlanOptions = {}): ExportPlan {
  const steps: ExportStep[] = SCHEMA_STATEMENTS.map((query, i) => ({ kind: 'schema' as const, name: `schema ${i + 1}`, query }));
  steps.push(...graphSteps(input, options.linkWeight ?? sweepLinkWeight(input.world, input.detectionParameters)));
  if (options.clusters !== false) steps.push(...clusterSteps(input));
  return { sweepId: input.sweepId, digest: exportDigest(input), steps };
}

/** Transactions the export needs: one per schema statement, one per batch, one per delete round (at least one). */
export function countTransactions(plan: ExportPlan, batchSize: number): number {
  let transactions = 0;
  for (const step of plan.steps) {
    if (step.kind === 'rows') transactions += Math.ceil(step.total / batchSize);
    else transactions += 1;
  }
  return transactions;
}

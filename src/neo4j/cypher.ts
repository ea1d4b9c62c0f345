/**
 * Every Cypher statement the driver export sends. Each one is a constant so the test suite can lint all of
 * them with Neo4j's own front end (@neo4j-cypher/language-support) and the Bolt test server can recognise them.
 *
 * Parameters: $rows (one batch), $sweep (sweep id), $digest (content digest of this export), $limit (batch
 * size for deletes). Times travel as epoch milliseconds and become DateTime in Cypher (one conversion,
 * no time-zone ambiguity); integers travel as Neo4j integers.
 */
import type { IdentifierKind } from '../core/world';
import { IDENTIFIER_LABEL, LINK_TYPE } from './model';

export const SCHEMA_STATEMENTS: readonly string[] = [
  'CREATE CONSTRAINT swarmscope_account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_instrument_id IF NOT EXISTS FOR (n:PaymentInstrument) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_ip_id IF NOT EXISTS FOR (n:IP) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_fingerprint_id IF NOT EXISTS FOR (n:Fingerprint) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_template_id IF NOT EXISTS FOR (n:Template) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_client_id IF NOT EXISTS FOR (n:Client) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_sync_group_id IF NOT EXISTS FOR (n:SyncGroup) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT swarmscope_cluster_key IF NOT EXISTS FOR (n:Cluster) REQUIRE n.key IS UNIQUE',
  'CREATE INDEX swarmscope_cluster_sweep IF NOT EXISTS FOR (n:Cluster) ON (n.sweep)',
  'CREATE INDEX swarmscope_cluster_risk IF NOT EXISTS FOR (n:Cluster) ON (n.risk)',
];

const EPOCH_TO_DATETIME = (field: string): string =>
  `CASE WHEN row.${field} IS NULL THEN null ELSE datetime({epochMillis: row.${field}}) END`;

export const UPSERT_ACCOUNTS = `UNWIND $rows AS row
MERGE (a:Account {id: row.id})
SET a.created_at = ${EPOCH_TO_DATETIME('created_at')},
    a.email_domain = row.email_domain,
    a.country = row.country,
    a.status = row.status,
    a.registered = row.registered`;

export function upsertIdentifiers(kind: IdentifierKind): string {
  const ipOnly = kind === 'ip' ? ',\n    n.asn = row.asn,\n    n.proxy = row.proxy' : '';
  return `UNWIND $rows AS row
MERGE (n:${IDENTIFIER_LABEL[kind]} {id: row.id})
SET n.kind = row.kind,
    n.degree = row.degree,
    n.hub = row.hub${ipOnly}`;
}

export function upsertLinks(kind: IdentifierKind): string {
  return `UNWIND $rows AS row
MATCH (a:Account {id: row.account})
MATCH (n:${IDENTIFIER_LABEL[kind]} {id: row.identifier})
MERGE (a)-[r:${LINK_TYPE[kind]}]->(n)
SET r.first_seen = ${EPOCH_TO_DATETIME('first_seen')},
    r.last_seen = ${EPOCH_TO_DATETIME('last_seen')},
    r.count = row.count,
    r.weight = row.weight`;
}

export const UPSERT_CLUSTERS = `UNWIND $rows AS row
MERGE (c:Cluster {key: row.key})
SET c.id = row.id,
    c.sweep = $sweep,
    c.accounts = row.accounts,
    c.exchanges = row.exchanges,
    c.input_tokens = row.input_tokens,
    c.output_tokens = row.output_tokens,
    c.risk = row.risk,
    c.tier = row.tier,
    c.reasons = row.reasons,
    c.reasons_json = row.reasons_json,
    c.capabilities = row.capabilities,
    c.capability_shares = row.capability_shares,
    c.top_capability = row.top_capability,
    c.capability_mix = row.capability_mix,
    c.event = row.event,
    c.previous_id = row.previous_id,
    c.identifiers_of = row.identifiers_of,
    c.export_digest = $digest
FOREACH (_ IN CASE WHEN row.tier_label = 'HighRisk' THEN [1] ELSE [] END | SET c:HighRisk REMOVE c:MediumRisk)
FOREACH (_ IN CASE WHEN row.tier_label = 'MediumRisk' THEN [1] ELSE [] END | SET c:MediumRisk REMOVE c:HighRisk)
FOREACH (_ IN CASE WHEN row.tier_label IS NULL THEN [1] ELSE [] END | REMOVE c:HighRisk:MediumRisk)`;

export const UPSERT_MEMBERS = `UNWIND $rows AS row
MATCH (a:Account {id: row.account})
MATCH (c:Cluster {key: row.cluster})
MERGE (a)-[m:MEMBER_OF]->(c)
SET m.role = row.role,
    m.evidence = row.evidence,
    m.sweep = $sweep,
    m.export_digest = $digest`;

/** An account's tier label is the highest tier of the clusters it is a member of, over every exported sweep. */
const RELABEL_ACCOUNT = `OPTIONAL MATCH (a)-[:MEMBER_OF]->(c:Cluster)
WITH a, max(CASE WHEN c:HighRisk THEN 2 WHEN c:MediumRisk THEN 1 ELSE 0 END) AS level
REMOVE a:HighRisk:MediumRisk
FOREACH (_ IN CASE WHEN level = 2 THEN [1] ELSE [] END | SET a:HighRisk)
FOREACH (_ IN CASE WHEN level = 1 THEN [1] ELSE [] END | SET a:MediumRisk)`;

export const LABEL_MEMBER_ACCOUNTS = `UNWIND $rows AS row
MATCH (a:Account {id: row.account})
WITH DISTINCT a
${RELABEL_ACCOUNT}`;

/** Memberships this sweep exported before with other content; deleted in batches of $limit until none is left. */
export const DELETE_STALE_MEMBERSHIPS = `MATCH (a:Account)-[m:MEMBER_OF]->(:Cluster {sweep: $sweep})
WHERE coalesce(m.export_digest, '') <> $digest
WITH a, m LIMIT $limit
DELETE m
WITH DISTINCT a
${RELABEL_ACCOUNT}
RETURN count(a) AS done`;

export const DELETE_STALE_CLUSTERS = `MATCH (c:Cluster {sweep: $sweep})
WHERE coalesce(c.export_digest, '') <> $digest
WITH c LIMIT $limit
DETACH DELETE c
RETURN count(*) AS done`;

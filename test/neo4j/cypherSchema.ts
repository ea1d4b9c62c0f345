/**
 * The database schema the Cypher linter checks swarmscope's statements against: our labels, relationship
 * types, property keys and parameters, the built-in functions we call, and the GDS 2.x procedure and function
 * signatures we use (as `SHOW PROCEDURES` / `SHOW FUNCTIONS` on a server with the GDS plugin reports them;
 * argument and YIELD columns from the GDS manual's syntax sections, e.g. fixtures/reference/neo4j-gds/leiden.adoc).
 * lintCypherQuery runs Neo4j's own parser and semantic analysis (compiled to JS) with this schema, so an
 * unknown procedure, a wrong YIELD column, a wrong argument count or an undeclared parameter is an error.
 */
import { lintCypherQuery, type DbSchema } from '@neo4j-cypher/language-support';

type Column = [name: string, type: string, defaultValue?: string];

function columns(list: Column[]) {
  return list.map(([name, type, defaultValue]) => ({
    name, description: name, type, isDeprecated: false,
    ...(defaultValue !== undefined ? { default: `DefaultParameterValue{value=${defaultValue}, type=${type}}` } : {}),
  }));
}

function signature(name: string, args: Column[]): string {
  return `${name}(${args.map(([n, t, d]) => `${n}${d !== undefined ? ` = ${d}` : ''} :: ${t}`).join(', ')})`;
}

function procedure(name: string, args: Column[], yields: Column[], mode: 'READ' | 'WRITE' = 'READ') {
  return {
    name, description: name, mode, worksOnSystem: false, admin: false, option: { deprecated: false },
    argumentDescription: columns(args), returnDescription: columns(yields),
    signature: `${signature(name, args)} :: (${yields.map(([n, t]) => `${n} :: ${t}`).join(', ')})`,
  };
}

function fn(name: string, args: Column[], returns: string, options: { aggregating?: boolean; builtIn?: boolean } = {}) {
  return {
    name, category: '', description: name, isBuiltIn: options.builtIn ?? true, aggregating: options.aggregating ?? false,
    isDeprecated: false, argumentDescription: columns(args), returnDescription: returns, signature: `${signature(name, args)} :: ${returns}`,
  };
}

const GDS_PROCEDURES = [
  procedure('gds.leiden.stream', [['graphName', 'STRING'], ['configuration', 'MAP', '{}']], [
    ['nodeId', 'INTEGER'], ['communityId', 'INTEGER'], ['intermediateCommunityIds', 'LIST<INTEGER>'],
  ]),
  procedure('gds.louvain.stream', [['graphName', 'STRING'], ['configuration', 'MAP', '{}']], [
    ['nodeId', 'INTEGER'], ['communityId', 'INTEGER'], ['intermediateCommunityIds', 'LIST<INTEGER>'],
  ]),
  procedure('gds.wcc.stats', [['graphName', 'STRING'], ['configuration', 'MAP', '{}']], [
    ['componentCount', 'INTEGER'], ['componentDistribution', 'MAP'], ['postProcessingMillis', 'INTEGER'],
    ['preProcessingMillis', 'INTEGER'], ['computeMillis', 'INTEGER'], ['configuration', 'MAP'],
  ]),
  procedure('gds.wcc.stream', [['graphName', 'STRING'], ['configuration', 'MAP', '{}']], [['nodeId', 'INTEGER'], ['componentId', 'INTEGER']]),
  procedure('gds.graph.drop', [['graphName', 'ANY'], ['failIfMissing', 'BOOLEAN', 'true'], ['dbName', 'STRING', ''], ['username', 'STRING', '']], [
    ['graphName', 'STRING'], ['database', 'STRING'], ['databaseLocation', 'STRING'], ['memoryUsage', 'STRING'], ['sizeInBytes', 'INTEGER'],
    ['nodeCount', 'INTEGER'], ['relationshipCount', 'INTEGER'], ['configuration', 'MAP'], ['density', 'FLOAT'],
    ['creationTime', 'ANY'], ['modificationTime', 'ANY'], ['schema', 'MAP'], ['schemaWithOrientation', 'MAP'],
  ], 'READ'),
];

const FUNCTIONS = [
  fn('gds.graph.project', [['graphName', 'STRING'], ['sourceNode', 'ANY'], ['targetNode', 'ANY', 'null'], ['dataConfig', 'MAP', '{}'], ['configuration', 'MAP', '{}']], 'MAP', { aggregating: true, builtIn: false }),
  fn('gds.util.asNode', [['nodeId', 'ANY']], 'NODE', { builtIn: false }),
  fn('datetime', [['input', 'ANY', 'null']], 'DATETIME'),
  fn('coalesce', [['input', 'ANY']], 'ANY'),
  fn('max', [['input', 'ANY']], 'ANY', { aggregating: true }),
  fn('count', [['input', 'ANY']], 'INTEGER', { aggregating: true }),
  fn('collect', [['input', 'ANY']], 'LIST<ANY>', { aggregating: true }),
  fn('size', [['input', 'ANY']], 'INTEGER'),
  fn('range', [['start', 'INTEGER'], ['end', 'INTEGER'], ['step', 'INTEGER', '1']], 'LIST<INTEGER>'),
  fn('nodes', [['input', 'PATH']], 'LIST<NODE>'),
];

export const SWARMSCOPE_SCHEMA: DbSchema = {
  labels: ['Account', 'PaymentInstrument', 'IP', 'Fingerprint', 'Template', 'Client', 'SyncGroup', 'Cluster', 'HighRisk', 'MediumRisk'],
  relationshipTypes: ['USED_CARD', 'USED_IP', 'USED_FINGERPRINT', 'USED_TEMPLATE', 'USED_CLIENT', 'IN_STEP', 'MEMBER_OF'],
  propertyKeys: [
    'id', 'created_at', 'email_domain', 'country', 'status', 'registered', 'kind', 'degree', 'hub', 'asn', 'proxy',
    'first_seen', 'last_seen', 'count', 'weight', 'key', 'sweep', 'accounts', 'exchanges', 'input_tokens', 'output_tokens',
    'risk', 'tier', 'reasons', 'reasons_json', 'capabilities', 'capability_shares', 'top_capability', 'capability_mix',
    'export_digest', 'role', 'evidence', 'event', 'previous_id', 'identifiers_of',
    // Fields of the $rows maps that are not also node properties (the linter checks map keys like property keys).
    'account', 'identifier', 'cluster', 'tier_label',
  ],
  parameters: {
    rows: [], sweep: '', digest: '', limit: 1, graphName: '', gamma: 1.0, theta: 0.01, seed: 42, maxLevels: 10, concurrency: 1,
    clusterId: '', accountId: '', otherAccountId: '', capability: '',
  },
  procedures: { 'CYPHER 5': Object.fromEntries(GDS_PROCEDURES.map((p) => [p.name, p])) },
  functions: { 'CYPHER 5': Object.fromEntries(FUNCTIONS.map((f) => [f.name, f])) },
} as unknown as DbSchema;

/** The linter's diagnostics for a query or script (errors and warnings), as "line:col message". */
export function lint(query: string, schema: DbSchema = SWARMSCOPE_SCHEMA): string[] {
  return lintCypherQuery(query, schema).diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

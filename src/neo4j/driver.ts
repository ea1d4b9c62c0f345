/**
 * neo4j-driver, loaded on first use: loading it takes about 0.15 s, and most commands (validate, sweep,
 * report, diff, case, evidence) never talk to Neo4j. Types come from `import type`, which costs nothing at
 * run time.
 */
import type * as Neo4jModule from 'neo4j-driver';

type Neo4j = typeof Neo4jModule.default;
let loaded: Neo4j | null = null;

export function neo4jDriver(): Neo4j {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require('neo4j-driver') as typeof Neo4jModule).default;
  return loaded;
}

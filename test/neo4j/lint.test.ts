/**
 * Every Cypher statement swarmscope can send — the export, the GDS engine, the saved Browser queries, and
 * the dry run's output — passes Neo4j's own front end (@neo4j-cypher/language-support, pinned 2.0.0-next.38)
 * with no error and no warning; and the linter does catch the mistakes it is here to catch.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BEHAVIOUR_KINDS, IDENTIFIER_KINDS } from '../../src/core/world';
import { exampleParameters, SAVED_QUERIES, savedQueryText } from '../../src/neo4j/browser';
import {
  DELETE_STALE_CLUSTERS, DELETE_STALE_MEMBERSHIPS, LABEL_MEMBER_ACCOUNTS, SCHEMA_STATEMENTS, UPSERT_ACCOUNTS, UPSERT_CLUSTERS,
  UPSERT_MEMBERS, upsertIdentifiers, upsertLinks,
} from '../../src/neo4j/cypher';
import { writeDryRun } from '../../src/neo4j/export';
import { GDS_LEIDEN_STREAM, GDS_STATEMENTS } from '../../src/neo4j/gds';
import { lint } from './cypherSchema';
import { generatedSweep } from './fixtures';

const EXPORT_STATEMENTS: Array<[string, string]> = [
  ...SCHEMA_STATEMENTS.map((q, i): [string, string] => [`schema ${i + 1}`, q]),
  ['accounts', UPSERT_ACCOUNTS],
  ...IDENTIFIER_KINDS.map((k): [string, string] => [`identifiers ${k}`, upsertIdentifiers(k)]),
  ...IDENTIFIER_KINDS.map((k): [string, string] => [`links ${k}`, upsertLinks(k)]),
  ['clusters', UPSERT_CLUSTERS],
  ['members', UPSERT_MEMBERS],
  ['account tier labels', LABEL_MEMBER_ACCOUNTS],
  ['stale memberships', DELETE_STALE_MEMBERSHIPS],
  ['stale clusters', DELETE_STALE_CLUSTERS],
];

describe('Cypher lints clean with Neo4j’s front end', () => {
  test.each(EXPORT_STATEMENTS)('export: %s', (_name, query) => {
    expect(lint(query)).toEqual([]);
  });

  test.each(GDS_STATEMENTS.map((q) => [q.split('\n')[0], q]))('GDS engine: %s', (_name, query) => {
    expect(lint(query)).toEqual([]);
  });

  test.each(SAVED_QUERIES.map((s) => [s.file, savedQueryText(s, exampleParameters(generatedSweep()))]))('saved query %s (with its :param lines)', (_file, text) => {
    expect(lint(text)).toEqual([]);
  });

  test('every statement in a dry run output', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-lint-')), 'dry.jsonl');
    writeDryRun(generatedSweep(), file, { batchSize: 3 });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { query: string });
    // The generated world has no template or client columns: their identifier and link statements are not sent.
    expect(lines.length).toBe(EXPORT_STATEMENTS.length - 2 * BEHAVIOUR_KINDS.length);
    for (const { query } of lines) expect(lint(query)).toEqual([]);
  });
});

describe('the linter catches what it is here to catch', () => {
  test('a misspelt GDS procedure', () => {
    const problems = lint(GDS_LEIDEN_STREAM.replace('gds.leiden.stream', 'gds.leiden.streem'));
    expect(problems.join('\n')).toMatch(/Procedure gds\.leiden\.streem is not present/);
  });

  test('a YIELD column the procedure does not have', () => {
    const problems = lint(GDS_LEIDEN_STREAM.replace('YIELD nodeId, communityId', 'YIELD nodeId, community'));
    expect(problems.join('\n')).toMatch(/Unknown procedure output: `community`/);
  });

  test('a wrong number of procedure arguments', () => {
    expect(lint("CALL gds.wcc.stats() YIELD componentCount RETURN componentCount").length).toBeGreaterThan(0);
  });

  test('an undeclared parameter, an unknown function and a syntax error', () => {
    expect(lint(UPSERT_MEMBERS.replace('$sweep', '$sweepId')).join('\n')).toMatch(/Parameter \$sweepId is not defined/);
    expect(lint(UPSERT_ACCOUNTS.replace('datetime(', 'datetme(')).join('\n')).toMatch(/Function datetme is not present/);
    expect(lint(UPSERT_ACCOUNTS.replace('MERGE', 'MERG')).length).toBeGreaterThan(0);
  });

  test('a misspelt label, relationship type or property in a saved query', () => {
    const query = SAVED_QUERIES[2].query;
    expect(lint(query.replace('(a:Account', '(a:Acount')).join('\n')).toMatch(/Acount/);
    expect(lint(query.replace('i.hub', 'i.hubb')).join('\n')).toMatch(/hubb/);
  });
});

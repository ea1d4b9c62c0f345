/**
 * The Neo4j Browser kit written next to every export (`browser/`): a style sheet (.grass) that tells the
 * node kinds and risk tiers apart, saved queries (.cypher, parameterised with :param) and a short guide.
 *
 * Browser colours nodes by label only, and when a node has several labels the rule that comes later in the
 * style sheet wins; so the tier rules (HighRisk, MediumRisk) come after Account and Cluster.
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import type { IdentifierKind } from '../core/world';
import { hubFlags } from './model';
import type { SweepExport } from './sweepInput';

export interface SavedQuery {
  /** File name under browser/queries/. */
  file: string;
  title: string;
  /** The parameters it reads; each file sets them with :param lines whose example values come from the exported
   *  sweep itself (exampleParameters), so every query returns rows as shipped. */
  params: readonly ExampleParameter[];
  query: string;
}

export type ExampleParameter = 'sweep' | 'limit' | 'clusterId' | 'accountId' | 'otherAccountId' | 'capability';

const LINKS = 'USED_CARD|USED_IP|USED_FINGERPRINT';

export const SAVED_QUERIES: readonly SavedQuery[] = [
  {
    file: '1_top_clusters_by_risk.cypher',
    title: 'Top clusters by risk',
    params: ['sweep', 'limit'],
    query: `MATCH (c:Cluster)
WHERE $sweep = '' OR c.sweep = $sweep
RETURN c.sweep AS sweep, c.id AS cluster, c.tier AS tier, c.risk AS risk, c.accounts AS accounts,
       c.exchanges AS exchanges, c.top_capability AS top_capability, c.reasons[0..3] AS reasons
ORDER BY c.risk DESC, c.exchanges DESC
LIMIT $limit`,
  },
  {
    file: '2_cluster_accounts_and_shared_identifiers.cypher',
    title: "One cluster's accounts and the identifiers they share",
    params: ['sweep', 'clusterId'],
    query: `MATCH (c:Cluster {sweep: $sweep, id: $clusterId})<-[m:MEMBER_OF]-(a:Account)
OPTIONAL MATCH (a)-[l:${LINKS}]->(i)
WHERE i.hub = false AND EXISTS { MATCH (i)<-[:${LINKS}]-(b:Account)-[:MEMBER_OF]->(c) WHERE b <> a }
RETURN c, m, a, l, i`,
  },
  {
    file: '3_accounts_linked_to_an_account.cypher',
    title: 'Accounts linked to a given account (through non-hub identifiers)',
    params: ['accountId', 'limit'],
    query: `MATCH (a:Account {id: $accountId})-[l1:${LINKS}]->(i)<-[l2:${LINKS}]-(other:Account)
WHERE i.hub = false AND other <> a
RETURN a, l1, i, l2, other
LIMIT $limit`,
  },
  {
    file: '4_what_links_two_accounts.cypher',
    title: 'What links two accounts (shortest chain of shared identifiers, hubs excluded)',
    params: ['accountId', 'otherAccountId'],
    query: `MATCH p = shortestPath((a:Account {id: $accountId})-[:${LINKS}*..8]-(b:Account {id: $otherAccountId}))
WHERE all(n IN nodes(p) WHERE coalesce(n.hub, false) = false)
RETURN p`,
  },
  {
    file: '5_clusters_by_capability.cypher',
    title: 'Clusters by targeted capability',
    params: ['capability', 'limit'],
    query: `MATCH (c:Cluster)
WHERE $capability IN c.capabilities
WITH c, [i IN range(0, size(c.capabilities) - 1) WHERE c.capabilities[i] = $capability | c.capability_shares[i]][0] AS share
RETURN c.sweep AS sweep, c.id AS cluster, c.tier AS tier, c.risk AS risk, c.accounts AS accounts, share, c.top_capability AS top_capability
ORDER BY share DESC, c.risk DESC
LIMIT $limit`,
  },
  {
    file: '6_returned_and_rebuilt_campaigns.cypher',
    title: "Campaigns back after a pause, and new clusters on a known campaign's cards and fingerprints (sweeps with --state)",
    params: ['limit'],
    query: `MATCH (c:Cluster)
WHERE c.event = 'returned' OR size(coalesce(c.identifiers_of, [])) > 0
OPTIONAL MATCH (known:Cluster)
WHERE known.id IN coalesce(c.identifiers_of, []) AND known.sweep <> c.sweep
WITH c, collect(DISTINCT known.id + ' (' + known.tier + ')') AS known_clusters
RETURN c.sweep AS sweep, c.id AS cluster, c.event AS event, c.previous_id AS was, c.identifiers_of AS reuses_identifiers_of,
       known_clusters, c.tier AS tier, c.risk AS risk, c.accounts AS accounts
ORDER BY c.risk DESC
LIMIT $limit`,
  },
];

/** A Cypher string literal on one line (single quotes; backslash, quote and line breaks escaped). */
function cypherString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** The identifier kinds the link queries walk (USED_CARD|USED_IP|USED_FINGERPRINT). */
const LINK_KINDS: readonly IdentifierKind[] = ['instrument', 'ip', 'fingerprint'];

/**
 * Example values for every saved query's parameters, taken from the exported sweep so that each query, run as
 * shipped, returns rows: the sweep's id; its top cluster in query 1's order (risk, then exchanges); two of that
 * cluster's accounts that share a non-hub card, IP or fingerprint (queries 3 and 4 walk those links); that
 * cluster's top capability. Values are Cypher literals for `:param name => value`. A sweep without clusters
 * (or whose top cluster shares no non-hub identifier) falls back to its first account(s), which still run.
 */
export function exampleParameters(sweep: SweepExport): Record<ExampleParameter, string> {
  const ordered = [...sweep.clusters].sort((a, b) => b.risk - a.risk || b.exchanges - a.exchanges);
  const top = ordered[0];
  const members = new Set(top ? sweep.members.filter((m) => m.cluster === top.id).map((m) => m.account) : []);
  const { world } = sweep;
  let pair: [string, string] | undefined;
  for (const kind of LINK_KINDS) {
    if (pair || members.size < 2) break;
    const hub = hubFlags(world, kind, sweep.hubs.filter((h) => h.kind === kind).map((h) => h.id));
    const links = world.links[kind];
    const firstMemberOf = new Map<number, string>();
    for (let i = 0; i < links.size; i++) {
      const account = world.accounts.ids[links.account[i]];
      const identifier = links.identifier[i];
      if (hub[identifier] || !members.has(account)) continue;
      const first = firstMemberOf.get(identifier);
      if (first === undefined) firstMemberOf.set(identifier, account);
      else if (first !== account) {
        pair = [first, account];
        break;
      }
    }
  }
  const accounts = world.accounts.ids;
  const [accountId, otherAccountId] = pair ?? [accounts[0] ?? '', accounts[1] ?? accounts[0] ?? ''];
  const capability = top?.capabilities[0] ?? ordered.find((c) => c.capabilities.length > 0)?.capabilities[0] ?? '';
  return {
    sweep: cypherString(sweep.sweepId),
    limit: '25',
    clusterId: cypherString(top?.id ?? ''),
    accountId: cypherString(accountId),
    otherAccountId: cypherString(otherAccountId),
    capability: cypherString(capability),
  };
}

/** The text of a saved query file: title comment, :param lines (example values for this sweep), the query. */
export function savedQueryText(saved: SavedQuery, examples: Record<ExampleParameter, string>): string {
  const params = saved.params.map((name) => `:param ${name} => ${examples[name]};`);
  return `// swarmscope: ${saved.title}\n${params.join('\n')}\n${saved.query};\n`;
}

/** Node captions and colours: kinds by hue, tiers by strong red/orange and size, hubs are not styled apart (a property). */
export const GRASS_STYLE = `node {
  diameter: 40px;
  color: #A5ABB6;
  border-color: #9AA1AC;
  border-width: 2px;
  text-color-internal: #FFFFFF;
  font-size: 10px;
}
relationship {
  color: #A5ABB6;
  shaft-width: 1px;
  font-size: 8px;
  padding: 3px;
  text-color-external: #000000;
  text-color-internal: #FFFFFF;
  caption: "<type>";
}
node.Account {
  color: #68BDF6;
  border-color: #5CA8DB;
  diameter: 40px;
  caption: "{id}";
}
node.PaymentInstrument {
  color: #FFD86E;
  border-color: #EDBA39;
  text-color-internal: #604A0E;
  diameter: 30px;
  caption: "{kind}";
}
node.IP {
  color: #6DCE9E;
  border-color: #60B58B;
  diameter: 30px;
  caption: "{id}";
}
node.Fingerprint {
  color: #DE9BF9;
  border-color: #BF85D6;
  diameter: 30px;
  caption: "{kind}";
}
node.Cluster {
  color: #4C8EDA;
  border-color: #2870C2;
  diameter: 80px;
  caption: "{id}";
}
node.MediumRisk {
  color: #FFA94D;
  border-color: #E8892B;
  diameter: 55px;
  text-color-internal: #3D2200;
}
node.HighRisk {
  color: #E03131;
  border-color: #B02525;
  diameter: 65px;
  text-color-internal: #FFFFFF;
}
relationship.MEMBER_OF {
  color: #4C8EDA;
  shaft-width: 2px;
  caption: "{role}";
}
relationship.USED_CARD {
  color: #EDBA39;
}
relationship.USED_IP {
  color: #60B58B;
}
relationship.USED_FINGERPRINT {
  color: #BF85D6;
}
`;

const GUIDE = `# Neo4j Browser kit (swarmscope)

## Style
Drag \`swarmscope.grass\` onto the Neo4j Browser window (or run \`:style\` and drop it on the style panel). To apply
it from the editor instead, run \`:style\` followed by the file's text on one line (typed over several lines, the
editor's auto-indent and brace closing change the sheet and Browser then fails to draw graphs).
Accounts are blue, payment instruments yellow, IPs green, fingerprints purple, clusters large dark blue;
high-risk accounts and clusters are red and larger, medium-risk orange. Relationships are coloured by kind.

## Saved queries
Open the Favorites drawer (the star in the sidebar) and drag the \`queries/*.cypher\` files onto it; each
appears under its title. Each file starts with \`:param\` lines that set example values taken from this export
(the sweep, its top cluster, two of that cluster's accounts that share an identifier, its top capability), so
each query returns rows as shipped — edit them, then run the whole file (Browser runs the \`:param\` lines and the
query in order). Query 6 returns rows only for sweeps run with \`--state\` that saw a campaign return or reuse
a known campaign's cards or fingerprints:

| file | what it answers | parameters |
|---|---|---|
| 1_top_clusters_by_risk | which clusters to look at first | \`sweep\` ('' = all sweeps), \`limit\` |
| 2_cluster_accounts_and_shared_identifiers | a cluster's accounts and the identifiers two or more of them share | \`sweep\`, \`clusterId\` (from the sweep report) |
| 3_accounts_linked_to_an_account | who shares a card, IP or fingerprint with this account | \`accountId\`, \`limit\` |
| 4_what_links_two_accounts | the shortest chain of shared identifiers between two accounts | \`accountId\`, \`otherAccountId\` |
| 5_clusters_by_capability | clusters that target a capability, by its share of their exchanges | \`capability\`, \`limit\` |
| 6_returned_and_rebuilt_campaigns | campaigns back after a pause, and new clusters on a known campaign's cards and fingerprints (sweeps run with --state) | \`limit\` |

Hub identifiers (\`hub = true\`: shared by so many accounts that they are no evidence, e.g. a carrier NAT)
are left out of the link queries, as detection leaves them out.

## Model
\`(:Account)-[:USED_CARD|USED_IP|USED_FINGERPRINT {first_seen, last_seen, count, weight}]->(:PaymentInstrument|:IP|:Fingerprint)\`,
\`(:Account)-[:MEMBER_OF {role, evidence}]->(:Cluster {sweep, id, risk, tier, reasons, capabilities, capability_shares})\`.
A cluster's full capability mix is the JSON string \`capability_mix\`; its reasons with points are \`reasons_json\`.
With a weekly history (\`sweep --state\`) a cluster also has \`event\` (new, returned, grown, …), \`previous_id\` and
\`identifiers_of\` (the earlier clusters whose cards or fingerprints a new cluster reuses).
`;

/** Writes `<dir>/browser/` for this sweep (the saved queries' example parameters come from it) and returns the paths written. */
export function writeBrowserKit(dir: string, sweep: SweepExport): string[] {
  const browser = path.join(dir, 'browser');
  const queries = path.join(browser, 'queries');
  const written: string[] = [];
  try {
    fs.mkdirSync(queries, { recursive: true });
    const write = (file: string, text: string) => {
      fs.writeFileSync(file, text);
      written.push(file);
    };
    write(path.join(browser, 'swarmscope.grass'), GRASS_STYLE);
    const examples = exampleParameters(sweep);
    for (const saved of SAVED_QUERIES) write(path.join(queries, saved.file), savedQueryText(saved, examples));
    write(path.join(browser, 'GUIDE.md'), GUIDE);
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `cannot write the Browser kit into ${browser}: ${(error as Error).message}`);
  }
  return written;
}

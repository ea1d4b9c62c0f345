/**
 * The neo4j-admin bundle: node and relationship CSVs with `neo4j-admin database import full` headers, for
 * first loads of millions of nodes (the importer writes the store files directly, far faster than Cypher).
 *
 * Header conventions (Neo4j Operations Manual, "Import" → "CSV header format"): `id:ID(Account)` declares the
 * node's id in the Account ID space and stores it as property `id`; relationship files reference those spaces
 * with `:START_ID(Account)` / `:END_ID(IP)`; typed properties (`degree:long`, `risk:int`, `first_seen:datetime`,
 * `hub:boolean`, `reasons:string[]`); `:LABEL` (several labels joined by the array delimiter) and `:TYPE`.
 *
 * Quoting: RFC 4180 (a field with a comma, quote, CR, LF or the array delimiter is quoted, quotes doubled),
 * imported with `--multiline-fields=true`. Unlike the spreadsheet CSVs (src/core/csv.ts), cells are NOT
 * formula-neutralised: these files are read by the importer, not a spreadsheet, and a `'` prefix would change
 * ids (`=cmd|calc` would no longer match the account it names). Array elements are joined by U+001F (unit
 * separator, `--array-delimiter=U+001F`), a character that does not occur in text, so reasons containing `;`
 * (the importer's default array delimiter) survive. An empty unquoted cell means "no property".
 *
 * Written streaming, row by row from the World's typed arrays, through a 1 MiB byte buffer per file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { csvNumber } from '../core/csv';
import { ACCOUNT_STATUSES, SUBKINDS, kindsOf, type IdentifierKind } from '../core/world';
import { SCHEMA_STATEMENTS } from './cypher';
import { clusterKey, hubFlags, identifierDegrees, IDENTIFIER_LABEL, LINK_TYPE, tierLabel } from './model';
import type { SweepExport } from './sweepInput';
import { sweepLinkWeight, type LinkWeight } from './weights';

export const ADMIN_ARRAY_DELIMITER = '\u001f';
const NEEDS_QUOTES = /[",\r\n\u001f]/;

/** One admin-import text field: quoted when needed, never neutralised (see the file comment). */
export function adminText(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function adminArray(values: readonly (string | number)[]): string {
  return adminText(values.map(String).join(ADMIN_ARRAY_DELIMITER));
}

const MS_PER_DAY = 86_400_000;
const dayPrefixes = new Map<number, string>();

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** ISO 8601 UTC (as Date.toISOString) with the date part cached per day: millions of link times share few days. */
export function adminDatetime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const day = Math.floor(ms / MS_PER_DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = Math.round(ms - day * MS_PER_DAY);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

function adminInteger(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value)) : '';
}

/**
 * A CSV file written through a 1 MiB byte buffer with synchronous writes: one system call per MiB, no promise
 * per row, and no large strings on the V8 heap (each row is encoded straight into the off-heap buffer, so
 * only short-lived row strings are left for the young-generation collector).
 */
class BufferedFile {
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private readonly fd: number;
  rows = 0;

  constructor(readonly file: string, header: string) {
    this.fd = fs.openSync(file, 'w');
    this.write(header);
  }

  row(line: string): void {
    this.write(line);
    this.rows++;
  }

  private write(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; a line longer than the buffer is written on its own.
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.buffer.length) this.flush();
    if (worst > this.buffer.length) {
      fs.writeSync(this.fd, `${line}\n`);
      return;
    }
    this.used += this.buffer.write(line, this.used);
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += fs.writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.used = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export interface AdminFile {
  /** Path relative to the bundle directory. */
  file: string;
  kind: 'nodes' | 'relationships';
  rows: number;
}

export interface AdminBundleResult {
  dir: string;
  files: AdminFile[];
  /** The exact import command (also in DIR/README.md). */
  command: string;
  seconds: number;
}

export interface AdminBundleOptions {
  /** Database name in the printed command (default "swarmscope"). */
  database?: string;
  linkWeight?: LinkWeight;
}

const FILE_NAMES: Record<IdentifierKind, { nodes: string; links: string }> = {
  instrument: { nodes: 'nodes/payment_instruments.csv', links: 'relationships/used_card.csv' },
  ip: { nodes: 'nodes/ips.csv', links: 'relationships/used_ip.csv' },
  fingerprint: { nodes: 'nodes/fingerprints.csv', links: 'relationships/used_fingerprint.csv' },
  template: { nodes: 'nodes/templates.csv', links: 'relationships/used_template.csv' },
  client: { nodes: 'nodes/clients.csv', links: 'relationships/used_client.csv' },
  synchrony: { nodes: 'nodes/sync_groups.csv', links: 'relationships/in_step.csv' },
};

export function importCommand(database: string, files: AdminFile[]): string {
  const lines = [`neo4j-admin database import full ${database}`];
  for (const f of files) lines.push(`  --${f.kind}=${f.file}`);
  lines.push('  --id-type=string', '  --array-delimiter=U+001F', '  --multiline-fields=true', '  --overwrite-destination=false');
  return lines.join(' \\\n');
}

/**
 * Writes the bundle into `dir` (created if needed): nodes/*.csv, relationships/*.csv, schema.cypher (the
 * constraints and indexes to create after the import) and README.md with the import command.
 */
export async function writeAdminBundle(input: SweepExport, dir: string, options: AdminBundleOptions = {}): Promise<AdminBundleResult> {
  const started = Date.now();
  const database = options.database ?? 'neo4j';
  if (!/^[A-Za-z][A-Za-z0-9.-]{2,62}$/.test(database)) {
    throw swarmscopeError('BAD_ARGUMENT', `database name "${database}" is not valid for Neo4j (letters, digits, dots and dashes, 3–63 characters, starting with a letter)`);
  }
  const linkWeight = options.linkWeight ?? sweepLinkWeight(input.world, input.detectionParameters);
  try {
    fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'relationships'), { recursive: true });
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `cannot create ${dir}: ${(error as Error).message}`);
  }
  const { world, sweepId } = input;
  const accounts = world.accounts;
  const files: AdminFile[] = [];
  const open = (file: string, header: string): BufferedFile => new BufferedFile(path.join(dir, file), header);
  const done = (writer: BufferedFile, file: string, kind: AdminFile['kind']): void => {
    writer.close();
    files.push({ file, kind, rows: writer.rows });
  };

  // Accounts, with the tier label of the highest-tier cluster they are a member of in this sweep.
  const clusterTier = new Map(input.clusters.map((c) => [c.id, tierLabel(c.tier)]));
  const accountLevel = new Map<string, number>();
  for (const m of input.members) {
    const label = clusterTier.get(m.cluster);
    const level = label === 'HighRisk' ? 2 : label === 'MediumRisk' ? 1 : 0;
    if (level > (accountLevel.get(m.account) ?? 0)) accountLevel.set(m.account, level);
  }
  const accountLabels = ['Account', `Account${ADMIN_ARRAY_DELIMITER}MediumRisk`, `Account${ADMIN_ARRAY_DELIMITER}HighRisk`].map(adminText);
  const accountFile = 'nodes/accounts.csv';
  const accountWriter = open(accountFile, 'id:ID(Account),created_at:datetime,email_domain,country,status,registered:boolean,:LABEL');
  for (let a = 0; a < accounts.size; a++) {
    const id = accounts.ids[a];
    accountWriter.row(
      `${adminText(id)},${adminDatetime(accounts.createdAt[a])},` +
        `${accounts.emailDomain[a] >= 0 ? adminText(accounts.emailDomains[accounts.emailDomain[a]]) : ''},` +
        `${accounts.country[a] >= 0 ? adminText(accounts.countries[accounts.country[a]]) : ''},` +
        `${ACCOUNT_STATUSES[accounts.status[a]] ?? ''},${accounts.registered[a] === 1},${accountLabels[accountLevel.get(id) ?? 0]}`,
    );
  }
  done(accountWriter, accountFile, 'nodes');

  for (const kind of kindsOf(world)) {
    const table = world.identifiers[kind];
    const degree = identifierDegrees(world, kind);
    const hub = hubFlags(world, kind, input.hubs.filter((h) => h.kind === kind).map((h) => h.id));
    const label = IDENTIFIER_LABEL[kind];
    const ipColumns = kind === 'ip' ? ',asn,proxy:boolean' : '';
    const nodeFile = FILE_NAMES[kind].nodes;
    const nodes = open(nodeFile, `id:ID(${label}),kind,degree:long,hub:boolean${ipColumns},:LABEL`);
    for (let i = 0; i < table.size; i++) {
      let line = `${adminText(table.ids[i])},${adminText(SUBKINDS[kind][table.subkind[i]])},${degree[i]},${hub[i] === 1}`;
      if (kind === 'ip') {
        const asn = table.asn.length > i && table.asn[i] >= 0 ? adminText(table.asns[table.asn[i]]) : '';
        const proxy = table.proxy.length > i && table.proxy[i] >= 0 ? String(table.proxy[i] === 1) : '';
        line += `,${asn},${proxy}`;
      }
      nodes.row(`${line},${label}`);
    }
    done(nodes, nodeFile, 'nodes');

    const links = world.links[kind];
    const linkFile = FILE_NAMES[kind].links;
    const type = LINK_TYPE[kind];
    const rels = open(linkFile, `:START_ID(Account),:END_ID(${label}),first_seen:datetime,last_seen:datetime,count:long,weight:double,:TYPE`);
    for (let i = 0; i < links.size; i++) {
      const identifier = links.identifier[i];
      const weight = linkWeight(kind, i);
      rels.row(
        `${adminText(accounts.ids[links.account[i]])},${adminText(table.ids[identifier])},${adminDatetime(links.firstSeen[i])},` +
          `${adminDatetime(links.lastSeen[i])},${adminInteger(links.count[i])},${csvNumber(weight)},${type}`,
      );
    }
    done(rels, linkFile, 'relationships');
  }

  const clusterFile = 'nodes/clusters.csv';
  const clusters = open(
    clusterFile,
    'key:ID(Cluster),id,sweep,accounts:long,exchanges:long,input_tokens:long,output_tokens:long,risk:int,tier,' +
      'reasons:string[],reasons_json,capabilities:string[],capability_shares:double[],top_capability,capability_mix,' +
      'event,previous_id,identifiers_of:string[],:LABEL',
  );
  for (const c of input.clusters) {
    const tier = tierLabel(c.tier);
    clusters.row(
      [
        adminText(clusterKey(sweepId, c.id)), adminText(c.id), adminText(sweepId), adminInteger(c.accounts), adminInteger(c.exchanges),
        adminInteger(c.inputTokens), adminInteger(c.outputTokens), adminInteger(c.risk), adminText(c.tier), adminArray(c.reasons),
        adminText(c.reasonsJson), adminArray(c.capabilities), adminArray(c.capabilityShares), adminText(c.capabilities[0]),
        adminText(c.capabilityMixJson), adminText(c.event ?? ''), adminText(c.previousId ?? ''), adminArray(c.identifiersOf),
        adminText(tier ? `Cluster${ADMIN_ARRAY_DELIMITER}${tier}` : 'Cluster'),
      ].join(','),
    );
  }
  done(clusters, clusterFile, 'nodes');

  const memberFile = 'relationships/member_of.csv';
  const members = open(memberFile, ':START_ID(Account),:END_ID(Cluster),role,evidence,sweep,:TYPE');
  for (const m of input.members) {
    members.row(`${adminText(m.account)},${adminText(clusterKey(sweepId, m.cluster))},${adminText(m.role)},${adminText(m.evidence)},${adminText(sweepId)},MEMBER_OF`);
  }
  done(members, memberFile, 'relationships');

  // Node files first, then relationships: the order the importer documents and README lists.
  files.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'nodes' ? -1 : 1));
  const command = importCommand(database, files);
  fs.writeFileSync(path.join(dir, 'schema.cypher'), `${SCHEMA_STATEMENTS.map((s) => `${s};`).join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'README.md'), adminReadme(sweepId, database, command, files));
  return { dir, files, command, seconds: (Date.now() - started) / 1000 };
}

function adminReadme(sweepId: string, database: string, command: string, files: AdminFile[]): string {
  const table = files.map((f) => `| \`${f.file}\` | ${f.kind} | ${f.rows.toLocaleString('en-US')} |`).join('\n');
  return `# Neo4j bulk-import bundle for sweep ${sweepId}

Written by \`swarmscope export neo4j-admin\`. \`neo4j-admin database import full\` builds a database from
these files offline, much faster than Cypher.

## Import

Copy this folder to the Neo4j server and \`cd\` into it. The import writes the store of database \`${database}\`
while that database is offline:

- **Community Edition** serves one user database, \`neo4j\` (\`CREATE DATABASE\` is Enterprise-only), so import
  into \`neo4j\` (\`--database neo4j\`, the default): stop the server (\`neo4j stop\`), run the command below
  (change \`--overwrite-destination=false\` to \`true\` to replace what \`neo4j\` holds), start the server.
- **Enterprise Edition**, another database name: run the command with the server up (the database must not exist
  yet), then on \`system\`: \`CREATE DATABASE ${database}\` — it opens the imported store.

\`\`\`sh
${command}
\`\`\`

Then create the constraints and indexes: \`cypher-shell -d ${database} -f schema.cypher\` (or paste
\`schema.cypher\` into Neo4j Browser). The constraints make later \`swarmscope export neo4j\` runs (which MERGE on
the same keys) fast and idempotent.

## Files

| file | kind | rows |
|---|---|---|
${table}

- ID spaces: \`Account\`, \`PaymentInstrument\`, \`IP\`, \`Fingerprint\`, \`Cluster\` (key = \`<sweep>/<cluster_id>\`).
  Every relationship's start and end id is a row in a node file.
- Arrays (\`reasons\`, \`capabilities\`, \`capability_shares\`, multiple labels) are joined by U+001F, hence
  \`--array-delimiter=U+001F\`. Text is RFC 4180-quoted, hence \`--multiline-fields=true\`.
- Ids are written exactly as imported (no spreadsheet formula neutralisation): open these files in a
  spreadsheet only with care.
- \`browser/\` holds the Neo4j Browser style and saved queries; see \`browser/GUIDE.md\`.
`;
}

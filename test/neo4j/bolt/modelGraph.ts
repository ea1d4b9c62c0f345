/**
 * A model of what the export's statements do to a graph, applied to the transactions the Bolt test server
 * saw commit. It interprets only swarmscope's own statements (recognised by identity with the constants in
 * src/neo4j/cypher.ts) with MERGE/SET/DELETE semantics, so tests can check end states: idempotent re-runs,
 * per-sweep replacement, resume after failure. The Cypher text itself is checked by Neo4j's front end in
 * lint.test.ts, and against a real server in live.test.ts.
 */
import {
  DELETE_STALE_CLUSTERS, DELETE_STALE_MEMBERSHIPS, LABEL_MEMBER_ACCOUNTS, UPSERT_ACCOUNTS, UPSERT_CLUSTERS, UPSERT_MEMBERS,
  upsertIdentifiers, upsertLinks,
} from '../../../src/neo4j/cypher';
import { IDENTIFIER_LABEL, LINK_TYPE } from '../../../src/neo4j/model';
import { IDENTIFIER_KINDS } from '../../../src/core/world';
import type { QueryAnswer, RecordedRun, RecordedTransaction } from './server';

type Props = Record<string, unknown>;
interface Labelled { props: Props; labels: Set<string> }

export class ModelGraph {
  readonly nodes = new Map<string, Map<string, Labelled>>();
  readonly links = new Map<string, Props>();
  readonly memberships = new Map<string, Props>();
  /** Rows whose MATCH found no node (the statement would silently do nothing for them). */
  unmatched = 0;

  private label(label: string): Map<string, Labelled> {
    let map = this.nodes.get(label);
    if (!map) this.nodes.set(label, (map = new Map()));
    return map;
  }

  private merge(label: string, key: string, props: Props): Labelled {
    const map = this.label(label);
    let node = map.get(key);
    if (!node) map.set(key, (node = { props: {}, labels: new Set([label]) }));
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined) delete node.props[k];
      else node.props[k] = v;
    }
    return node;
  }

  private staleMemberships(params: Props): string[] {
    const stale: string[] = [];
    for (const [key, props] of this.memberships) {
      const clusterKey = key.split('\u0000')[1];
      const cluster = this.label('Cluster').get(clusterKey);
      if (cluster?.props.sweep === params.sweep && props.export_digest !== params.digest) stale.push(key);
    }
    return stale.slice(0, Number(params.limit));
  }

  private staleClusters(params: Props): string[] {
    const stale = [...this.label('Cluster').entries()].filter(([, c]) => c.props.sweep === params.sweep && c.props.export_digest !== params.digest);
    return stale.map(([key]) => key).slice(0, Number(params.limit));
  }

  private relabel(account: string): void {
    const node = this.label('Account').get(account);
    if (!node) return;
    let level = 0;
    for (const c of this.clustersOf(account)) {
      const labels = this.label('Cluster').get(c)?.labels;
      if (labels?.has('HighRisk')) level = Math.max(level, 2);
      else if (labels?.has('MediumRisk')) level = Math.max(level, 1);
    }
    node.labels.delete('HighRisk');
    node.labels.delete('MediumRisk');
    if (level === 2) node.labels.add('HighRisk');
    if (level === 1) node.labels.add('MediumRisk');
  }

  private readonly clustersByAccount = new Map<string, Set<string>>();

  private clustersOf(account: string): Iterable<string> {
    return this.clustersByAccount.get(account) ?? [];
  }

  private setMembership(account: string, cluster: string, props: Props): void {
    this.memberships.set(`${account}\u0000${cluster}`, props);
    let set = this.clustersByAccount.get(account);
    if (!set) this.clustersByAccount.set(account, (set = new Set()));
    set.add(cluster);
  }

  private deleteMembership(key: string): void {
    const [account, cluster] = key.split('\u0000');
    this.memberships.delete(key);
    this.clustersByAccount.get(account)?.delete(cluster);
  }

  /** The server's answer to a RUN (counts for the delete statements), computed without changing the model. */
  answer(run: RecordedRun): QueryAnswer | undefined {
    if (run.query === DELETE_STALE_MEMBERSHIPS) {
      const accounts = new Set(this.staleMemberships(run.parameters).map((k) => k.split('\u0000')[0]));
      return { fields: ['done'], records: [[BigInt(accounts.size)]] };
    }
    if (run.query === DELETE_STALE_CLUSTERS) return { fields: ['done'], records: [[BigInt(this.staleClusters(run.parameters).length)]] };
    return undefined;
  }

  apply(transaction: RecordedTransaction): void {
    for (const run of transaction.runs) this.applyRun(run);
  }

  private applyRun(run: RecordedRun): void {
    const p = run.parameters;
    const rows = (p.rows ?? []) as Props[];
    if (run.query === UPSERT_ACCOUNTS) {
      for (const { id, ...rest } of rows) this.merge('Account', String(id), rest);
      return;
    }
    for (const kind of IDENTIFIER_KINDS) {
      if (run.query === upsertIdentifiers(kind)) {
        for (const { id, ...rest } of rows) this.merge(IDENTIFIER_LABEL[kind], String(id), rest);
        return;
      }
      if (run.query === upsertLinks(kind)) {
        for (const { account, identifier, ...rest } of rows) {
          if (!this.label('Account').has(String(account)) || !this.label(IDENTIFIER_LABEL[kind]).has(String(identifier))) {
            this.unmatched++;
            continue;
          }
          this.links.set(`${LINK_TYPE[kind]}\u0000${account}\u0000${identifier}`, rest);
        }
        return;
      }
    }
    if (run.query === UPSERT_CLUSTERS) {
      for (const { key, tier_label, ...rest } of rows) {
        const node = this.merge('Cluster', String(key), { ...rest, sweep: p.sweep, export_digest: p.digest });
        node.labels.delete('HighRisk');
        node.labels.delete('MediumRisk');
        if (tier_label) node.labels.add(String(tier_label));
      }
      return;
    }
    if (run.query === UPSERT_MEMBERS) {
      for (const { account, cluster, role, evidence } of rows) {
        if (!this.label('Account').has(String(account)) || !this.label('Cluster').has(String(cluster))) {
          this.unmatched++;
          continue;
        }
        this.setMembership(String(account), String(cluster), { role, evidence, sweep: p.sweep, export_digest: p.digest });
      }
      return;
    }
    if (run.query === LABEL_MEMBER_ACCOUNTS) {
      for (const { account } of rows) this.relabel(String(account));
      return;
    }
    if (run.query === DELETE_STALE_MEMBERSHIPS) {
      const stale = this.staleMemberships(p);
      for (const key of stale) this.deleteMembership(key);
      for (const account of new Set(stale.map((k) => k.split('\u0000')[0]))) this.relabel(account);
      return;
    }
    if (run.query === DELETE_STALE_CLUSTERS) {
      for (const key of this.staleClusters(p)) {
        this.label('Cluster').delete(key);
        for (const m of [...this.memberships.keys()]) if (m.endsWith(`\u0000${key}`)) this.deleteMembership(m);
      }
    }
  }

  /** A canonical, comparable picture of the whole graph. */
  snapshot(): string {
    const sorted = <T>(entries: Iterable<[string, T]>) => [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const nodes = sorted(this.nodes).map(([label, map]) => [label, sorted(map).map(([k, n]) => [k, n.props, [...n.labels].sort()])]);
    return JSON.stringify({ nodes, links: sorted(this.links), memberships: sorted(this.memberships) }, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  }
}

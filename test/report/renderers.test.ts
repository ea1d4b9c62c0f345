/** Renderers on a hand-built world: self-contained HTML, safe CSV, escaped Markdown, the registry. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { partitionOf, buildWorld, scenarioRows } from '../score/fixtures';
import { writeMembersCsv } from '../../src/report';
import { loadSweep } from '../../src/sweep/load';
import { profileClusters } from '../../src/score';
import { CLUSTER_RENDERERS, parseFormat, RENDERERS, REPORT_FORMATS } from '../../src/report';
import type { SweepReport } from '../../src/sweep/types';

const HOSTILE = '=HYPERLINK("http://x")|<script>alert(1)</script>';

function build(ids?: string[]) {
  const { rows, groups } = scenarioRows();
  // A hostile account id and email domain: formula-looking, with HTML and Markdown metacharacters.
  rows.accounts.push({ id: HOSTILE, created: Date.UTC(2026, 7, 10) });
  rows.instruments!.push({ account: HOSTILE, id: 'prepaid-0', kind: 'prepaid_card' });
  const world = buildWorld(rows);
  const swarm = [...groups.swarm, HOSTILE];
  const partition = partitionOf(world, [swarm, groups.enterprise, groups.campus]);
  const { clusters, baseline } = profileClusters(world, partition, { clusterIds: ids });
  const report: SweepReport = {
    schema_version: 1,
    sweep: {
      id: 'test-sweep', started_at: '2026-11-23T00:00:00.000Z', input_dir: '/in', input_files: [],
      parameters: { import: {}, detection: {}, scoring: {} }, software: { name: 'swarmscope', version: '0.0.0' },
      rejects: { rows: 0, file: null }, stages: { import: 0, detect: 0, profile: 0, render: 0, save: 0, total: 0 },
    },
    totals: {
      accounts: world.accounts.size, registered_accounts: world.accounts.size, unregistered_accounts: 0,
      exchanges: world.exchanges.totals.exchanges, input_tokens: 0, output_tokens: 0, clusters: clusters.length,
      clustered_accounts: 0, clustered_exchanges: 0, unclustered_exchanges: 0,
    },
    detection: { algorithm: 'leiden', resolution: 1, seed: 1, modularity: 0.5, stats: partition.stats },
    baseline,
    clusters,
    hubs: [{ kind: 'ip', id: '<b>hub</b>', degree: 5000 }],
    since_last_sweep: null,
  };
  return { report, world, partition };
}

function reportFor(ids?: string[]): SweepReport {
  return build(ids).report;
}

test('the registry has one renderer per documented format, and unknown formats are bad input', () => {
  expect(Object.keys(RENDERERS).sort()).toEqual([...REPORT_FORMATS].sort());
  expect(() => parseFormat('pdf')).toThrow(/--format pdf: unknown format/);
});

test('report.html is self-contained: no scripts, no external fetches, every value escaped', () => {
  const html = RENDERERS.html({ report: reportFor() });
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
  expect(html).not.toMatch(/@import|url\(/i);
  expect(html).toContain("default-src 'none'");
  expect(html).toContain('&lt;b&gt;hub&lt;/b&gt;');
  // Three kinds of chart: size vs risk scatter, volume over time, and a capability mix per flagged cluster.
  expect((html.match(/<svg /g) ?? []).length).toBe(2 + 1);
  expect(html).toContain('capability mix against ordinary accounts');
});

test('CSV cells are neutralised; Markdown cells escape pipes', () => {
  const report = reportFor();
  const csv = RENDERERS.csv({ report });
  expect(csv.split('\n')[0]).toMatch(/^cluster_id,accounts,registered_accounts,unregistered_accounts,risk,tier,exchanges,/);
  expect(csv.trim().split('\n')).toHaveLength(1 + report.clusters.length);
  const swarm = report.clusters[0];
  const md = CLUSTER_RENDERERS.md({ report, cluster: swarm, members: [{ account_id: 'a|b', cluster_id: swarm.cluster_id, role: 'core', evidence: '=cmd' }] });
  expect(md).toContain('a\\|b');
  expect(RENDERERS.md({ report })).toContain('## Clusters by risk');
});

test('cluster ids come from the assigner: the history can replace C0001…', () => {
  const report = reportFor(['K-7', 'K-8', 'K-9']);
  expect(report.clusters.map((c) => c.cluster_id).sort()).toEqual(['K-7', 'K-8', 'K-9']);
  expect(RENDERERS.table({ report })).toContain('K-7');
});

test('members.csv neutralises formula-looking ids, and loadSweep reads them back exactly', () => {
  const { report, world, partition } = build();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-members-'));
  try {
    fs.writeFileSync(path.join(dir, 'report.json'), RENDERERS.json({ report }));
    const rows = writeMembersCsv(path.join(dir, 'members.csv'), world, partition, report);
    expect(rows).toBe(partition.clusters.reduce((s, c) => s + c.accounts.length, 0));
    const text = fs.readFileSync(path.join(dir, 'members.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('account_id,cluster_id,role,evidence');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")|<script>alert(1)</script>"`);
    const members = loadSweep(dir).members();
    expect(members).toHaveLength(rows);
    expect(members.map((m) => m.account_id)).toContain(HOSTILE);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Markdown and HTML say how many hubs are not listed and which hub limits the sweep used', () => {
  const report = reportFor();
  report.hubs = Array.from({ length: 25 }, (_, i) => ({ kind: 'ip', id: `10.0.0.${i}`, degree: 500 - i }));
  report.sweep.parameters.detection = { hubLimit: { instrument: 10, ip: 25, fingerprint: 10 } };
  const md = RENDERERS.md({ report });
  expect(md).toContain('… and 5 more hubs (all in report.json)');
  expect(md).toContain('instrument 10, ip 25, fingerprint 10');
  expect(md).toContain('10.0.0.19');
  expect(md).not.toContain('10.0.0.20');
  const html = RENDERERS.html({ report });
  expect(html).toContain('… and 5 more hubs (all in report.json)');
  expect(html).toContain('instrument 10, ip 25, fingerprint 10');
  report.hubs = report.hubs.slice(0, 3);
  report.sweep.parameters.detection = { hubLimit: { instrument: 150, ip: 150, fingerprint: 150 } };
  const few = RENDERERS.md({ report });
  expect(few).not.toContain('more hub');
  expect(few).toContain('150 for every kind');
});

test('report.md escapes input-derived text: inline HTML stays text and a pipe cannot split a table cell', () => {
  const report = reportFor();
  const swarm = report.clusters[0];
  swarm.capability_mix = { '<b>x</b>&amp;': 0.7, 'a|b': 0.3 };
  swarm.reasons[0].text = 'shares *3* cards | on [link](http://x)';
  const md = RENDERERS.md({ report });
  expect(md).not.toContain('<b>x</b>');
  expect(md).toContain('&lt;b&gt;x&lt;/b&gt;&amp;amp;');
  expect(md).toContain('a\\|b');
  expect(md).toContain('shares \\*3\\* cards \\| on \\[link\\](http://x)');
  // Every row of a table has as many unescaped pipes as its header.
  const lines = md.split('\n');
  const pipes = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|---') && !lines[i].startsWith('|-')) continue;
    const header = pipes(lines[i - 1]);
    for (let j = i + 1; j < lines.length && lines[j].startsWith('|'); j++) expect({ row: lines[j], pipes: pipes(lines[j]) }).toEqual({ row: lines[j], pipes: header });
  }
  expect(md).toContain('software_engineering');
});

test('report.html capability chart folds capabilities beyond the eighth into one "other" bar', () => {
  const report = reportFor();
  const swarm = report.clusters.find((c) => c.tier !== 'low')!;
  const names = Array.from({ length: 10 }, (_, i) => `cap_${String.fromCharCode(97 + i)}`);
  swarm.capability_mix = Object.fromEntries(names.map((name) => [name, 0.1]));
  report.baseline.capability_mix = {};
  const html = CLUSTER_RENDERERS.html({ report, cluster: swarm, members: [] });
  for (const name of names.slice(0, 7)) expect(html).toContain(name);
  expect(html).not.toContain('cap_h');
  expect(html).toContain('other (3 more)');
  // Every capability is 10%; the "other" bar holds the last three (alphabetically): 30%.
  expect(html).toMatch(/>30%</);
});

test('a sweep with no clusters gives no --cluster hint, and a baseline without instruments says so instead of 0.00', () => {
  const report = reportFor();
  report.clusters = [];
  report.baseline.accounts_per_instrument = 0;
  const table = RENDERERS.table({ report, dir: '/sweeps/w47' });
  expect(table).toContain('No clusters found.');
  expect(table).not.toContain('--cluster');
  const md = RENDERERS.md({ report });
  expect(md).toContain('no payment instruments');
  expect(md).not.toMatch(/0\.00 accounts per instrument/);
  const withClusters = reportFor(['K-7', 'K-8', 'K-9']);
  expect(RENDERERS.table({ report: withClusters, dir: '/sweeps/w47' })).toContain(`swarmscope report /sweeps/w47 --cluster ${withClusters.clusters[0].cluster_id}\n`);
});

describe('terminal table', () => {
  function crowded(): SweepReport {
    const report = reportFor();
    const [flagged] = report.clusters.filter((c) => c.tier !== 'low');
    flagged.capability_mix = { software_engineering: 0.6, agentic_reasoning: 0.35, chat: 0.05 };
    flagged.reasons[0].text = 'a long first reason '.repeat(10);
    const vpn = (i: number) => ({ ...flagged, cluster_id: `V${String(i).padStart(3, '0')}`, accounts: 3, risk: 4, tier: 'low' as const, capability_mix: { chat: 1 } });
    const team = { ...flagged, cluster_id: 'TEAM', accounts: 40, risk: 4, tier: 'low' as const };
    report.clusters = [flagged, ...Array.from({ length: 30 }, (_, i) => vpn(i)), team];
    return report;
  }

  function withColumns<T>(columns: number, run: () => T): T {
    const saved = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    Object.defineProperty(process.stdout, 'columns', { value: columns, configurable: true });
    try {
      return run();
    } finally {
      if (saved) Object.defineProperty(process.stdout, 'columns', saved);
      else delete (process.stdout as { columns?: number }).columns;
    }
  }

  it('shows the two top capabilities with compact shares, uncut at 100 columns', () => {
    const table = withColumns(100, () => RENDERERS.table({ report: crowded(), top: 5 }));
    expect(table).toContain('software_engineering 60%, agentic_reasoning 35%');
    const rows = table.split('\n').filter((line) => /^(C|V|TEAM)\S*\s+\d/.test(line));
    expect(rows.length).toBe(5);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(100);
  });

  it('lists low-risk clusters by risk then size after the flagged ones, and counts the small ones not shown', () => {
    const report = crowded();
    const table = RENDERERS.table({ report, top: 3 });
    const ids = table.split('\n').filter((line) => /^\S+\s+\d+\s/.test(line)).map((line) => line.split(/\s+/)[0]);
    expect(ids).toEqual([report.clusters[0].cluster_id, 'TEAM', 'V000']);
    expect(table).toContain('29 low-risk clusters of ≤ 5 accounts not shown (--top N to list more)');
    // report.json keeps the report's order.
    expect(JSON.parse(RENDERERS.json({ report })).clusters.at(-1).cluster_id).toBe('TEAM');
  });
});

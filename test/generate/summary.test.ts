/** `swarmscope generate`'s text summary: aligned columns (the enterprise-teams row too) and singular/plural units. */
import { renderSummary } from '../../cli/commands/generate';
import type { GeneratedGroup, GenerateSummary } from '../../src/generate';

function group(name: string, kind: string, legitimate: boolean, size: number, exchanges: number): GeneratedGroup {
  return {
    name,
    kind,
    legitimate,
    tactic: '',
    size,
    exchanges,
    exchange_rows: exchanges,
    input_tokens: 0,
    output_tokens: 0,
    links: { instrument: 0, ip: 0, fingerprint: 0 },
    facts: {},
  };
}

function summary(groups: GeneratedGroup[], accountsRows = 100_000): GenerateSummary {
  return {
    out: 'world',
    seed: 1,
    week: 1,
    accounts: accountsRows,
    window: { start: '2026-09-01', end: '2026-10-15', days: 45 },
    files: {
      'accounts.csv': { rows: accountsRows, bytes: 5_600_000 },
      'payment_instruments.csv': { rows: 1, bytes: 100 },
      'ip_addresses.csv': { rows: 2, bytes: 200 },
      'fingerprints.csv': { rows: 0, bytes: 0 },
      'exchanges.csv': { rows: 3, bytes: 300 },
    },
    link_rows: 3,
    exchanges: 3,
    groups,
    truth: { summary: 'world/truth/truth.json', members: 'world/truth/members.csv', dense_groups: 'world/truth/dense_groups.csv' },
    seconds: 1,
  };
}

const teams = Array.from({ length: 7 }, (_, t) => group(`enterprise_team_0${t + 1}`, 'enterprise_team', true, 50 + t, 30_000 + t));

/** The planted-group rows: every line after the "planted groups" heading. */
function groupLines(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  return lines.slice(lines.findIndex((line) => line.startsWith('planted groups')) + 1);
}

describe('generate summary', () => {
  test('the enterprise-teams row lines up with the other groups', () => {
    const text = renderSummary(
      summary([
        group('swarm_residential_proxy', 'residential_proxy_swarm', false, 2500, 2_881_396),
        group('households', 'household', true, 72_199, 1_459_299),
        group('bystanders', 'bystander', true, 35, 661),
        ...teams,
      ]),
    );
    const rows = groupLines(text);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatch(/^ {2}legit enterprise teams x7 +371 accounts +210021 exchanges$/);
    // Same column for the account count's last digit and for "accounts" on every row.
    const accountsAt = rows.map((row) => row.indexOf(' accounts'));
    expect(new Set(accountsAt).size).toBe(1);
    const exchangesAt = rows.map((row) => row.indexOf(' exchanges'));
    expect(new Set(exchangesAt).size).toBe(1);
  });

  test('counts of one are singular, and the columns after them stay aligned', () => {
    const text = renderSummary(
      summary([group('bystanders', 'bystander', true, 1, 1), group('households', 'household', true, 2, 0), teams[0]], 1),
    );
    expect(text).toMatch(/accounts\.csv +1 row +5\.6 MB/);
    expect(text).toMatch(/payment_instruments\.csv +1 row +0\.0 MB/);
    expect(text).toMatch(/ip_addresses\.csv +2 rows +0\.0 MB/);
    expect(text).toMatch(/fingerprints\.csv +0 rows +0\.0 MB/);
    const rows = groupLines(text);
    expect(rows[0]).toMatch(/legit bystanders +1 account +1 exchange$/);
    expect(rows[1]).toMatch(/legit households +2 accounts +0 exchanges$/);
    expect(rows[2]).toMatch(/legit enterprise team x1 +50 accounts +30000 exchanges$/);
    expect(new Set(rows.map((row) => row.search(/\d+ exchange/) + row.match(/\d+ exchange/)![0].indexOf(' '))).size).toBe(1);
    const fileLines = text.split('\n').filter((line) => /\.csv /.test(line));
    expect(new Set(fileLines.map((line) => line.indexOf(' MB'))).size).toBe(1);
  });
});

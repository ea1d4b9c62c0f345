import { profileClusters, DEFAULTS } from '../../src/score';
import { buildWorld, partitionOf, scenarioRows, DAY0 } from './fixtures';

describe('profileClusters on a scenario with a swarm, an enterprise team and a campus', () => {
  const { rows, groups } = scenarioRows();
  const world = buildWorld(rows);
  const partition = partitionOf(world, [groups.swarm, groups.enterprise, groups.campus]);
  const { clusters, baseline } = profileClusters(world, partition);
  const byId = Object.fromEntries(clusters.map((c) => [c.cluster_id, c]));
  const swarm = byId.C0001;
  const enterprise = byId.C0002;
  const campus = byId.C0003;

  test('the swarm is high risk and both legitimate dense groups are low, swarm ranked first', () => {
    expect(swarm.tier).toBe('high');
    expect(enterprise.tier).toBe('low');
    expect(campus.tier).toBe('low');
    expect(clusters[0].cluster_id).toBe('C0001');
    expect(swarm.risk).toBeGreaterThan(enterprise.risk + 30);
    expect(swarm.risk).toBeGreaterThan(campus.risk + 30);
  });

  test('the reasons say why: shared prepaid cards, automation fingerprints and bursts vs a corporate card and organic hiring', () => {
    const codes = (c: typeof swarm) => c.reasons.map((r) => r.code);
    expect(codes(swarm)).toEqual(expect.arrayContaining(['SHARED_PREPAID_CARDS', 'AUTOMATION_FINGERPRINTS', 'BURST_CREATION', 'PROXY_EXITS', 'CAPABILITY_TARGETING', 'HEAVY_USE']));
    expect(codes(swarm)).not.toContain('CORPORATE_CARD');
    expect(codes(enterprise)).toEqual(expect.arrayContaining(['CORPORATE_CARD', 'ORGANIC_CREATION_SPREAD', 'SINGLE_NETWORK_NO_PROXY', 'ORGANISATION_EMAIL_DOMAIN']));
    expect(codes(enterprise)).not.toContain('SHARED_PREPAID_CARDS');
    expect(codes(enterprise)).not.toContain('AUTOMATION_FINGERPRINTS');
    expect(codes(campus)).toContain('SINGLE_NETWORK_NO_PROXY');
    expect(codes(campus)).not.toContain('ORGANISATION_EMAIL_DOMAIN');
    expect(codes(campus)).not.toContain('SHARED_PREPAID_CARDS');
    // The first reason is the headline: the largest raising reason.
    expect(swarm.reasons[0].points).toBe(Math.max(...swarm.reasons.map((r) => r.points)));
    const prepaid = swarm.reasons.find((r) => r.code === 'SHARED_PREPAID_CARDS')!;
    // 50 swarm members on 10 shared prepaid cards (5 each); the other 10 have unique regular cards.
    expect(prepaid.value).toBe(5);
    expect(swarm.payment.accounts_per_instrument).toBe(3);
    expect(prepaid.text).toBe('50 of 60 accounts with a payment method share 10 prepaid/virtual cards: 5.00 accounts per card vs 1.11 accounts per instrument for ordinary accounts');
    const points = swarm.reasons.reduce((s, r) => s + r.points, 0);
    expect(swarm.risk).toBe(Math.max(0, Math.min(100, Math.round(points))));
  });

  test('the baseline is the accounts outside flagged clusters', () => {
    expect(baseline.definition).toMatch(/outside high- and medium-risk/);
    expect(baseline.accounts).toBe(world.accounts.size - groups.swarm.length);
    expect(baseline.capability_mix.software_engineering).toBeLessThan(0.3);
    expect(swarm.capability_lift.software_engineering!).toBeGreaterThan(2);
  });

  test('exchange totals reconcile with the input rows, counted independently', () => {
    const rowsPerAccount = new Map<string, number>();
    for (const row of rows.exchanges ?? []) rowsPerAccount.set(row.account, (rowsPerAccount.get(row.account) ?? 0) + (row.count ?? 1));
    const expected = (members: string[]) => members.reduce((s, id) => s + (rowsPerAccount.get(id) ?? 0), 0);
    expect(swarm.exchanges).toBe(expected(groups.swarm));
    expect(enterprise.exchanges).toBe(expected(groups.enterprise));
    const clustered = new Set([...groups.swarm, ...groups.enterprise, ...groups.campus]);
    const unclustered = [...rowsPerAccount.keys()].filter((id) => !clustered.has(id));
    const total = (rows.exchanges ?? []).reduce((s, r) => s + (r.count ?? 1), 0);
    expect(clusters.reduce((s, c) => s + c.exchanges, 0) + expected(unclustered)).toBe(total);
    expect(swarm.daily_exchanges.reduce((s, v) => s + v, 0)).toBe(swarm.exchanges);
  });
});

describe('profile measurements on a world small enough to check by hand', () => {
  const hour = 3_600_000;
  const t0 = Date.UTC(2026, 0, 1);
  const world = buildWorld({
    accounts: [
      { id: 'a', created: t0, domain: 'x.example' },
      { id: 'b', created: t0 + 1 * hour, domain: 'x.example' },
      { id: 'c', created: t0 + 2 * hour, domain: 'y.example' },
      { id: 'd', created: t0 + 72 * hour },
      { id: 'e', created: t0 },
    ],
    instruments: [
      { account: 'a', id: 'p1', kind: 'prepaid_card' },
      { account: 'b', id: 'p1', kind: 'prepaid_card' },
      { account: 'c', id: 'k1', kind: 'card' },
      { account: 'd', id: 'k1', kind: 'card' },
      { account: 'e', id: 'k2', kind: 'card' },
    ],
    ips: [
      { account: 'a', ip: '1.1.1.1', asn: 'AS1', proxy: true },
      { account: 'b', ip: '1.1.1.2', asn: 'AS1', proxy: false },
      { account: 'c', ip: '1.1.1.3', asn: 'AS1' },
      { account: 'd', ip: '2.2.2.2', asn: 'AS2' },
      { account: 'e', ip: '3.3.3.3', asn: 'AS3' },
    ],
    fingerprints: [
      { account: 'a', id: 'f1', kind: 'proxy' },
      { account: 'b', id: 'f1', kind: 'proxy' },
      { account: 'c', id: 'f1', kind: 'proxy' },
      { account: 'e', id: 'f1', kind: 'proxy' },
      { account: 'a', id: 'f2', kind: 'device' },
      { account: 'b', id: 'f2', kind: 'device' },
    ],
    exchanges: [
      { account: 'a', day: DAY0, capability: 'code', count: 2, input: 10, output: 20 },
      { account: 'a', day: DAY0, capability: 'code', count: 1, input: 5, output: 5 },
      { account: 'b', day: DAY0, capability: 'chat', count: 1 },
      { account: 'b', day: DAY0 + 2, capability: 'code', count: 4 },
      { account: 'e', day: DAY0 + 1, capability: 'chat', count: 7 },
    ],
  });
  const partition = partitionOf(world, [['a', 'b', 'c', 'd']]);
  const [cluster] = profileClusters(world, partition).clusters;

  test('size, volume and mix', () => {
    expect(cluster.accounts).toBe(4);
    expect(cluster.identifiers).toEqual({ instrument: 2, ip: 4, fingerprint: 2, template: 0, client: 0, synchrony: 0 });
    expect(cluster.links).toBe(4 + 4 + 5);
    expect(cluster.exchanges).toBe(8);
    expect(cluster.input_tokens).toBe(15);
    expect(cluster.capability_mix).toEqual({ code: 7 / 8, chat: 1 / 8 });
    expect(cluster.time.active_window_days).toBe(3);
    expect(cluster.daily_exchanges).toEqual([4, 0, 4]);
    expect(cluster.exchanges_per_day).toBeCloseTo(8 / 3, 12);
    // member-active-days: a on day 0, b on days 0 and 2 = 3.
    expect(cluster.exchanges_per_account_day).toBeCloseTo(8 / 3, 12);
    // synchrony: a_0 = 2, a_2 = 1, M = 2 active members → (4 + 1) / (2 · 3).
    expect(cluster.time.activity_synchrony).toBeCloseTo(5 / 6, 12);
    expect(cluster.share_of_platform_exchanges).toBeCloseTo(8 / 15, 12);
  });

  test('payment, network and time', () => {
    expect(cluster.payment.accounts_per_instrument).toBe(2);
    expect(cluster.payment.shared_instruments).toBe(2);
    expect(cluster.payment.shared_prepaid_virtual).toBe(1);
    expect(cluster.payment.shared_prepaid_virtual_member_share).toBe(0.5);
    expect(cluster.payment.prepaid_virtual_share).toBe(0.5);
    // a and b on p1: 2 members per shared prepaid card; k1 pays for 2 members, under the 5 that make a corporate card.
    expect(cluster.payment.accounts_per_shared_prepaid_virtual).toBe(2);
    expect(cluster.payment.corporate_cards).toBe(0);
    expect(cluster.payment.largest_instrument_share).toBe(0.5);
    expect(cluster.network.proxy_share).toBe(0.25);
    // ASN links: AS1 ×3, AS2 ×1 → HHI = 0.75² + 0.25².
    expect(cluster.network.asn_hhi).toBeCloseTo(0.625, 12);
    expect(cluster.network.top_asn).toBe('AS1');
    // f1 (proxy): 3 of its 4 accounts in the cluster = 0.75 < 0.8 → not exclusive; f2 is a device, not automation.
    expect(cluster.network.automation_fingerprints).toBe(0);
    expect(cluster.network.top_email_domain).toBe('x.example');
    expect(cluster.network.top_email_domain_share).toBeCloseTo(2 / 3, 12);
    // x.example has 2 members: under the 5 that make a domain the cluster's own.
    expect(cluster.network.exclusive_domains).toBe(0);
    expect(cluster.time.busiest_1h_share).toBe(0.25);
    expect(cluster.time.busiest_24h_share).toBe(0.75);
    expect(cluster.time.creation_span_days).toBe(3);
    // gaps 1h, 1h, 70h: mean 24, sd sqrt((1+1+4900)/3 − 576) → B = (sd − mean)/(sd + mean).
    const sd = Math.sqrt((1 + 1 + 4900) / 3 - 24 * 24);
    expect(cluster.time.creation_burstiness).toBeCloseTo((sd - 24) / (sd + 24), 12);
  });

  test('a proxy fingerprint used mostly inside the cluster counts as automation at the documented share', () => {
    const loose = profileClusters(world, partition, { model: { ...DEFAULTS, exclusiveShare: 0.7 } }).clusters[0];
    expect(loose.network.automation_fingerprints).toBe(1);
    expect(loose.network.automation_fingerprint_share).toBe(0.75);
  });
});

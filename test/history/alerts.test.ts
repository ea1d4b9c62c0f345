/** The alert policy and the terminal's since-last-sweep lines on hand-made events. */
import { ALERT_DEFAULTS, evaluateAlerts } from '../../src/sweep/history/alerts';
import type { CaseEntry } from '../../src/sweep/history/casebook';
import type { ClusterEvent } from '../../src/sweep/history/lineage';
import { renderSinceLastSweepText } from '../../src/sweep/history/render';
import type { SinceLastSweep } from '../../src/sweep/history/since-last-sweep';

function event(overrides: Partial<ClusterEvent>): ClusterEvent {
  return {
    cluster_id: 'C0004', event: 'unchanged', previous_id: 'C0004', accounts_before: 12, accounts_after: 12, joined: 0, left: 0,
    risk_before: 8, risk_after: 8, tier_before: 'low', tier_after: 'low', parents: [{ cluster_id: 'C0004', shared: 12 }], jaccard: 1,
    ...overrides,
  };
}

const dismissed: CaseEntry = {
  seq: 1, cluster_id: 'C0004', status: 'dismissed', note: 'office', by: 'bob', at: '2026-11-23T05:00:00.000Z',
  sweep_id: 'W1', accounts: 12, risk: 8, prev_sha256: null,
};
const cases = new Map([['C0004', dismissed]]);

describe('a dismissal counts as a suppressed alert only when the change would otherwise have alerted', () => {
  it('an unchanged low-risk dismissed cluster is neither alerted nor counted as suppressed', () => {
    expect(evaluateAlerts([event({})], cases, ALERT_DEFAULTS, 'W1')).toEqual({ alerts: [], suppressed: [] });
  });

  it('a dismissed medium-risk cluster that grew a little (below the regrowth threshold) is suppressed', () => {
    const grown = event({ event: 'grown', accounts_after: 16, joined: 4, tier_after: 'medium', risk_after: 45, risk_before: 44 });
    const result = evaluateAlerts([grown], new Map([['C0004', { ...dismissed, risk: 44 }]]), ALERT_DEFAULTS, 'W1');
    expect(result.alerts).toEqual([]);
    expect(result.suppressed).toEqual([expect.objectContaining({ cluster_id: 'C0004', case_status: 'dismissed' })]);
  });
});

describe('since-last-sweep terminal lines', () => {
  const section = (suppressed: number): SinceLastSweep =>
    ({
      previous_sweep: { sweep_id: '20261116T052317Z-1fffb417', started_at: '2026-11-16T05:23:17.000Z' },
      counts: { new: 1350, grown: 2, merged: 0, split: 0, shrunk: 1, unchanged: 1349, dormant: 0 },
      alerts: [],
      suppressed_alerts: Array.from({ length: suppressed }, (_, i) => ({ cluster_id: `C${i}`, case_status: 'dismissed', reason: 'x' })),
      events: [],
      risk_changes: [],
      joined_known_campaigns: [{ cluster_id: 'C0001', case_status: 'confirmed', joined: 1, sample: ['acct_1'] }],
    }) as unknown as SinceLastSweep;

  it('counts have thousands separators and sentences singular or plural forms', () => {
    const one = renderSinceLastSweepText(section(1));
    expect(one).toContain('1,350 new, 2 grown, 0 merged, 0 split, 1 shrunk, 1,349 unchanged, 0 dormant');
    expect(one).toContain('  1 change not alerted: its cluster is dismissed in the case book.');
    expect(one).toContain('  1 account joined C0001 [confirmed]: acct_1');
    expect(one).not.toContain('(s)');
    expect(renderSinceLastSweepText(section(2))).toContain('  2 changes not alerted: their clusters are dismissed in the case book.');
  });
});

import { buildSinceLastSweep, renderSinceLastSweepHtml, renderSinceLastSweepMarkdown, renderSinceLastSweepText } from '../../src/sweep/history';
import { counterAllocator, traceLineage } from '../../src/sweep/history/lineage';
import { range } from './support/fake-sweep';

function section() {
  const before = [
    { cluster_id: 'C0001', accounts: range('s', 0, 100), risk: 70, tier: 'high' },
    { cluster_id: 'C0002', accounts: range('t', 0, 20), risk: 10, tier: 'low' },
  ];
  const after = [
    { cluster_id: '', accounts: [...range('s', 0, 100), '<script>x</script>', ...range('s', 100, 119)] },
    { cluster_id: '', accounts: range('n', 0, 30) },
  ];
  const lineage = traceLineage(before, after, counterAllocator(3));
  return buildSinceLastSweep({
    previousSweep: { sweep_id: 'W1', started_at: '2026-11-16T06:00:00Z' },
    events: lineage.events,
    retired: lineage.retired,
    lineageParameters: lineage.parameters,
    currentFigures: new Map([
      ['C0001', { risk: 88, tier: 'high' }],
      ['C0003', { risk: 75, tier: 'high' }],
    ]),
    currentMembers: new Map(lineage.ids.map((id, index) => [id, after[index].accounts])),
    previousMembers: new Map(before.map((cluster) => [cluster.cluster_id, new Set(cluster.accounts)])),
    cases: new Map(),
  });
}

describe('since-last-sweep section', () => {
  it('fills risk from the scored report and lists joined accounts and risk changes', () => {
    const s = section();
    expect(s.counts).toMatchObject({ grown: 1, new: 1, dormant: 1 });
    expect(s.events[0]).toMatchObject({ cluster_id: 'C0001', risk_before: 70, risk_after: 88, tier_after: 'high' });
    expect(s.joined_known_campaigns[0]).toMatchObject({ cluster_id: 'C0001', joined: 20 });
    expect(s.joined_known_campaigns[0].sample[0]).toBe('<script>x</script>');
    expect(s.risk_changes).toEqual([expect.objectContaining({ cluster_id: 'C0001', change: 18 })]);
    expect(s.alerts.map((alert) => [alert.cluster_id, alert.kind])).toEqual([
      ['C0001', 'needs_triage'],
      ['C0003', 'needs_triage'],
    ]);
  });

  it('renders for the terminal, Markdown and HTML (escaped, no scripts)', () => {
    const s = section();
    const text = renderSinceLastSweepText(s);
    expect(text).toContain('Since last sweep (W1)');
    expect(text).toContain('1 new, 1 grown, 0 merged, 0 split, 0 shrunk, 0 unchanged, 1 dormant');
    expect(text).toContain('C0001 grown: 100 → 120 accounts (+20 / −0), risk 70 → 88');
    expect(text).toContain('C0002 dormant: 20 → 0 accounts');
    expect(text).toContain('Risk changes of 5+ points: C0001 70 → 88');
    const md = renderSinceLastSweepMarkdown(s);
    expect(md).toContain('| C0001 | grown | 100 | 120 | 20 | 0 | 70 | 88 | C0001 |');
    const html = renderSinceLastSweepHtml(s);
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<li>C0001: 70 → 88 (+18)</li>');
  });
});

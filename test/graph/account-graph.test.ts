import { buildAccountGraph, identifierOfNode, linkWeight } from '../../src/graph/account-graph';
import { csrBytes } from '../../src/graph/csr';
import { WorldBuilder, names } from '../detect/world-builder';
import { syntheticWorld } from '../detect/synthetic-world';

describe('account–identifier graph', () => {
  const builder = new WorldBuilder();
  builder.card(['a', 'b', 'c', 'd', 'e'], 'card5', 'prepaid_card');
  builder.ip(names('m', 20), 'nat', false);
  builder.ip(['a', 'b'], 'exit', true);
  builder.fingerprint(['a'], 'only_a', 'device');
  const world = builder.build();
  const graph = buildAccountGraph(world);

  it('weighs a link by specificity / log2(1 + degree): a card shared by 5 says more than an IP shared by 20', () => {
    const card = world.identifiers.instrument.ids.indexOf('card5');
    expect(graph.weight.instrument[card]).toBeCloseTo(1 / Math.log2(6), 12);
    expect(linkWeight(1, 5)).toBeCloseTo(0.3869, 4);
    const nat = world.identifiers.ip.ids.indexOf('nat');
    const exit = world.identifiers.ip.ids.indexOf('exit');
    expect(graph.weight.ip[exit]).toBeCloseTo((0.3 * 0.5) / Math.log2(3), 12);
    expect(graph.weight.instrument[card]).toBeGreaterThan(graph.weight.ip[nat] * 5);
  });

  it('judges hubs by where their accounts lie, not by kind or degree: a NAT over 20 households is a hub, a card over 20 accounts tied by exits is not', () => {
    const spreadWorld = new WorldBuilder();
    const households = names('h', 40);
    for (let i = 0; i < 20; i++) {
      spreadWorld.ip([households[2 * i], households[2 * i + 1]], `home_${i}`);
      spreadWorld.ip([households[2 * i]], 'carrier_nat');
    }
    const swarm = names('s', 20);
    for (let i = 0; i < 20; i += 4) spreadWorld.ip(swarm.slice(i, i + 5), `exit_${i}`, true);
    spreadWorld.card(swarm, 'operator_card', 'prepaid_card');
    const judged = buildAccountGraph(spreadWorld.build());
    expect(judged.spreadGroups).toBe(3);
    expect(judged.hubs.map((h) => h.id)).toEqual(['carrier_nat']);
    expect(judged.hubs[0]).toMatchObject({ kind: 'ip', degree: 20, groups: 19, mates: 0 });
    expect(judged.hubs[0].reason).toBe('its accounts lie in about 19 separate groups besides the largest, and only 0% of their group-mates share it');
    // The NAT of the first world: 20 accounts that share nothing else say nothing either way, so it is no hub.
    expect(graph.hubs).toEqual([]);
    const explicit = buildAccountGraph(world, { hubLimit: { ip: 10 } });
    expect(explicit.hubs).toEqual([
      { kind: 'ip', identifier: world.identifiers.ip.ids.indexOf('nat'), id: 'nat', degree: 20, reason: 'more than the explicit hub limit of 10 accounts' },
    ]);
    expect(explicit.weight.ip[world.identifiers.ip.ids.indexOf('nat')]).toBe(0);
    expect(explicit.parameters.hubLimit).toMatchObject({ ip: 10 });
  });

  it('leaves out identifiers seen on one account unless asked, and maps nodes back to identifiers', () => {
    expect(graph.edges.fingerprint).toBe(0);
    const kept = buildAccountGraph(world, { keepSingleAccountIdentifiers: true });
    expect(kept.edges.fingerprint).toBe(1);
    const node = kept.nodeOffset.fingerprint + world.identifiers.fingerprint.ids.indexOf('only_a');
    expect(identifierOfNode(kept, node)).toEqual({ kind: 'fingerprint', identifier: 0 });
    expect(identifierOfNode(kept, 0)).toBeNull();
  });

  it('stays under 250 bytes per link all-in', () => {
    const big = syntheticWorld({ swarm: 1000, legit: 5000, seed: 3 }).world;
    const accountGraph = buildAccountGraph(big, { keepSingleAccountIdentifiers: true });
    const links = big.links.instrument.size + big.links.ip.size + big.links.fingerprint.size;
    let bytes = csrBytes(accountGraph.graph);
    for (const kind of ['instrument', 'ip', 'fingerprint'] as const) bytes += accountGraph.degree[kind].byteLength + accountGraph.weight[kind].byteLength;
    expect(bytes / links).toBeLessThan(250);
  });

  it('rejects a bad option with its value', () => {
    expect(() => buildAccountGraph(world, { spreadGroups: 1 })).toThrow('spreadGroups must be 0 (derived) or ≥ 2, got 1');
    expect(() => buildAccountGraph(world, { concentration: 2 })).toThrow('concentration must be in (0, 1], got 2');
  });
});

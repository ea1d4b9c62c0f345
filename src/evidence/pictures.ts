/**
 * The pack's pictures, as plain data (so the HTML and the PDF draw the same thing) and as inline SVG.
 *
 * Graph: the cluster's account–identifier graph laid out with ForceAtlas2 (Jacomy, Venturini, Heymann,
 * Bastian 2014, "ForceAtlas2, a continuous graph layout algorithm for handy network visualization designed
 * for the Gephi software", PLoS ONE 9(6): e98853, doi:10.1371/journal.pone.0098853), via
 * graphology-layout-forceatlas2 with Barnes–Hut off and initial positions from a seeded PRNG, so the same
 * cluster always gets the same picture. A cluster too large to draw node by node is summarised: the most
 * shared identifiers, plus an evenly spaced sample of the member accounts linked to them; the picture says so.
 *
 * Volume: exchanges per day over the active window as bars (per week when the window is long).
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { IDENTIFIER_KINDS, type IdentifierKind, type World } from '../core/world';
import { escapeXml } from '../report/svg';
import { type ClusterFacts, isoDay } from './cluster-facts';
import type { Pseudonymizer } from './pseudonymize';

/** Above this many nodes (accounts + shared identifiers) the graph is summarised. */
export const MAX_FULL_GRAPH_NODES = 400;
export const MAX_DRAWN_IDENTIFIERS = 120;
export const MAX_SAMPLED_ACCOUNTS = 240;
/** When summarising, members drawn for each identifier shown (more come from the even sample). */
const SAMPLED_PER_IDENTIFIER = 2;
/** ForceAtlas2 iterations: each costs O(nodes²) without Barnes–Hut; a few hundred nodes settle well within 150. */
const LAYOUT_ITERATIONS_SMALL = 300;
const LAYOUT_ITERATIONS_LARGE = 150;
const LARGE_LAYOUT_NODES = 200;
const LAYOUT_SEED = 20240601;
/** Days above which the volume chart shows weeks instead of days. */
const MAX_DAILY_BARS = 120;
/** Identifiers labelled on the picture (the most shared). */
const LABELLED_IDENTIFIERS = 6;
/** Up to this many member accounts drawn, each account dot is labelled with its (possibly pseudonymised) id. */
export const MAX_LABELLED_ACCOUNTS = 30;

export type GraphNodeKind = 'account' | IdentifierKind;

export const NODE_COLOURS: Record<GraphNodeKind, string> = {
  account: '#6b7280',
  instrument: '#d97706',
  ip: '#2563eb',
  fingerprint: '#059669',
  template: '#7c3aed',
  client: '#0d9488',
  synchrony: '#db2777',
};
export const NODE_KIND_NAMES: Record<GraphNodeKind, string> = {
  account: 'member account',
  instrument: 'payment instrument',
  ip: 'IP address',
  fingerprint: 'fingerprint',
  template: 'prompt template',
  client: 'client (SDK)',
  synchrony: 'in step (same minutes, or arrived together)',
};

export interface DrawnNode {
  kind: GraphNodeKind;
  /** Position in [0, 1] × [0, 1]. */
  x: number;
  y: number;
  /** Radius in picture units (the picture is 1000 units wide). */
  radius: number;
  label: string | null;
}

export interface GraphPicture {
  nodes: DrawnNode[];
  /** Pairs of indices into nodes. */
  edges: Array<[number, number]>;
  summarised: boolean;
  /** Plain words on what the picture shows and what it leaves out. */
  caption: string;
}

/** Mulberry32: a tiny seeded PRNG; enough for initial layout positions. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

export function buildGraphPicture(world: World, facts: ClusterFacts, pseudonymizer: Pseudonymizer): GraphPicture {
  const shared: Array<{ kind: IdentifierKind; identifier: number; members: number }> = [];
  for (const kind of IDENTIFIER_KINDS) {
    for (const fact of facts.identifiers[kind]) {
      if (fact.members >= 2 && !facts.hubs[kind][fact.identifier]) shared.push({ kind, identifier: fact.identifier, members: fact.members });
    }
  }
  // Most shared first; ties by kind then identifier number, so the selection is deterministic.
  shared.sort((a, b) => b.members - a.members || IDENTIFIER_KINDS.indexOf(a.kind) - IDENTIFIER_KINDS.indexOf(b.kind) || a.identifier - b.identifier);
  const memberCount = facts.accounts.length;
  const summarised = memberCount + shared.length > MAX_FULL_GRAPH_NODES;
  const drawnIdentifiers = summarised ? mostSharedOfEachKindInTurn(shared, MAX_DRAWN_IDENTIFIERS) : shared;
  const identifierNode = new Map<string, number>();
  const nodes: DrawnNode[] = [];
  const maxMembers = drawnIdentifiers.reduce((max, drawn) => Math.max(max, drawn.members), 1);
  for (let i = 0; i < drawnIdentifiers.length; i++) {
    const { kind, identifier, members } = drawnIdentifiers[i];
    identifierNode.set(`${kind}:${identifier}`, nodes.length);
    nodes.push({
      kind,
      x: 0,
      y: 0,
      radius: 4 + 10 * Math.sqrt(members / maxMembers),
      label: i < LABELLED_IDENTIFIERS ? `${pseudonymizer.value(kind, world.identifiers[kind].ids[identifier])} (${members.toLocaleString('en-US')})` : null,
    });
  }

  // Each member's links to drawn identifiers, from the tying links (sorted by account within each kind).
  const memberIndex = new Map<number, number>();
  facts.accounts.forEach((account, m) => memberIndex.set(account, m));
  const linksOfMember: number[][] = Array.from({ length: memberCount }, () => []);
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    for (const link of facts.tyingLinks[kind]) {
      const node = identifierNode.get(`${kind}:${links.identifier[link]}`);
      const m = memberIndex.get(links.account[link]);
      if (node !== undefined && m !== undefined) linksOfMember[m].push(node);
    }
  }
  let drawnMembers: number[] = [];
  if (summarised) drawnMembers = sampleMembers(linksOfMember, drawnIdentifiers.length);
  else for (let m = 0; m < memberCount; m++) drawnMembers.push(m);
  const edges: Array<[number, number]> = [];
  // Small pictures can afford visible account dots; crowded ones need them small.
  const accountRadius = drawnMembers.length > 120 ? 2.5 : 4.5;
  const labelAccounts = drawnMembers.length <= MAX_LABELLED_ACCOUNTS;
  for (const m of drawnMembers) {
    const node = nodes.length;
    const label = labelAccounts ? pseudonymizer.value('account', world.accounts.ids[facts.accounts[m]]) : null;
    nodes.push({ kind: 'account', x: 0, y: 0, radius: accountRadius, label });
    for (const target of linksOfMember[m]) edges.push([node, target]);
  }

  layOut(nodes, edges);

  const caption = summarised
    ? `Summarised: the cluster has ${plural(memberCount, 'member account')} and ${plural(shared.length, 'shared identifier')}, too many to draw one by one. ` +
      `Shown: ${plural(drawnIdentifiers.length, 'identifier')}, the most shared of each kind in turn (circle area grows with the accounts sharing it), and ` +
      `${plural(drawnMembers.length, 'member account')}: ${SAMPLED_PER_IDENTIFIER} linked to each identifier shown, then an even sample of the rest, with their links to the identifiers shown. Every link is listed in links.csv.`
    : `All ${plural(memberCount, 'member account')} and ${plural(shared.length, 'identifier')} shared by two or more members, with every link between them (listed in links.csv).` +
      (labelAccounts && drawnMembers.length > 0 ? ' Each member account is labelled with its id.' : '');
  return { nodes, edges, summarised, caption };
}

/** Takes the most-shared identifier of each kind, then the second of each kind, and so on, so a kind with many small shares (cards) is not crowded out by one with a few big ones (fingerprints). */
function mostSharedOfEachKindInTurn<T extends { kind: IdentifierKind }>(sharedMostFirst: readonly T[], budget: number): T[] {
  const byKind = IDENTIFIER_KINDS.map((kind) => sharedMostFirst.filter((item) => item.kind === kind));
  const picked: T[] = [];
  for (let rank = 0; picked.length < budget; rank++) {
    let any = false;
    for (const list of byKind) {
      if (rank < list.length && picked.length < budget) {
        picked.push(list[rank]);
        any = true;
      }
    }
    if (!any) break;
  }
  return picked;
}

/**
 * Members to draw when summarising: the first SAMPLED_PER_IDENTIFIER members (in member order) linked to each
 * drawn identifier, so every circle shows what it ties together, then members spaced evenly over the rest.
 */
function sampleMembers(linksOfMember: readonly number[][], drawnIdentifierCount: number): number[] {
  const chosen = new Uint8Array(linksOfMember.length);
  const picked: number[] = [];
  const takenPerIdentifier = new Int32Array(drawnIdentifierCount);
  for (let m = 0; m < linksOfMember.length && picked.length < MAX_SAMPLED_ACCOUNTS; m++) {
    if (linksOfMember[m].some((node) => takenPerIdentifier[node] < SAMPLED_PER_IDENTIFIER)) {
      chosen[m] = 1;
      picked.push(m);
      for (const node of linksOfMember[m]) takenPerIdentifier[node]++;
    }
  }
  const rest: number[] = [];
  for (let m = 0; m < linksOfMember.length; m++) if (!chosen[m] && linksOfMember[m].length > 0) rest.push(m);
  const fill = Math.min(MAX_SAMPLED_ACCOUNTS - picked.length, rest.length);
  for (let i = 0; i < fill; i++) picked.push(rest[Math.floor((i * rest.length) / fill)]);
  return picked.sort((a, b) => a - b);
}

function layOut(nodes: DrawnNode[], edges: Array<[number, number]>): void {
  if (nodes.length === 0) return;
  const random = mulberry32(LAYOUT_SEED);
  const graph = new Graph({ type: 'undirected', multi: false });
  nodes.forEach((node, i) => graph.addNode(String(i), { x: random() * 100, y: random() * 100, size: node.radius }));
  for (const [a, b] of edges) if (!graph.hasEdge(String(a), String(b))) graph.addEdge(String(a), String(b));
  const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: false, adjustSizes: false };
  const iterations = nodes.length > LARGE_LAYOUT_NODES ? LAYOUT_ITERATIONS_LARGE : LAYOUT_ITERATIONS_SMALL;
  const positions = forceAtlas2(graph, { iterations, settings });
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const key of Object.keys(positions)) {
    const { x, y } = positions[key];
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  nodes.forEach((node, i) => {
    const { x, y } = positions[String(i)];
    node.x = 0.5 + ((x - (minX + maxX) / 2) / span);
    node.y = 0.5 + ((y - (minY + maxY) / 2) / span);
  });
}

function fixed(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

const GRAPH_WIDTH = 1000;
const GRAPH_HEIGHT = 760;
const GRAPH_MARGIN = 40;

export function graphSvg(picture: GraphPicture): string {
  const plot = Math.min(GRAPH_WIDTH, GRAPH_HEIGHT - 60) - 2 * GRAPH_MARGIN;
  const offsetX = (GRAPH_WIDTH - plot) / 2;
  const offsetY = GRAPH_MARGIN;
  const px = (node: DrawnNode) => offsetX + node.x * plot;
  const py = (node: DrawnNode) => offsetY + node.y * plot;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${GRAPH_WIDTH} ${GRAPH_HEIGHT}" width="100%" role="img" aria-label="Account–identifier graph of the cluster">`,
    `<rect x="0" y="0" width="${GRAPH_WIDTH}" height="${GRAPH_HEIGHT}" fill="#ffffff"/>`,
  ];
  if (picture.nodes.length === 0) {
    parts.push(`<text x="${GRAPH_WIDTH / 2}" y="${GRAPH_HEIGHT / 2}" text-anchor="middle" font-size="18" fill="#374151">No shared identifiers to draw.</text>`);
  }
  parts.push('<g stroke="#9ca3af" stroke-opacity="0.45" stroke-width="0.7">');
  for (const [a, b] of picture.edges) {
    const from = picture.nodes[a];
    const to = picture.nodes[b];
    parts.push(`<line x1="${fixed(px(from))}" y1="${fixed(py(from))}" x2="${fixed(px(to))}" y2="${fixed(py(to))}"/>`);
  }
  parts.push('</g>');
  // Accounts first, identifiers on top so the shared ones stay visible.
  const order = picture.nodes.map((_, i) => i).sort((a, b) => Number(picture.nodes[a].kind !== 'account') - Number(picture.nodes[b].kind !== 'account') || a - b);
  parts.push('<g stroke="#ffffff" stroke-width="0.8">');
  for (const i of order) {
    const node = picture.nodes[i];
    parts.push(`<circle cx="${fixed(px(node))}" cy="${fixed(py(node))}" r="${fixed(node.radius)}" fill="${NODE_COLOURS[node.kind]}"/>`);
  }
  parts.push('</g><g font-family="Helvetica, Arial, sans-serif" font-size="13" fill="#111827">');
  for (const node of picture.nodes) {
    if (node.label === null) continue;
    // Account labels smaller and grey, so the identifiers' labels stay the ones that stand out.
    const style = node.kind === 'account' ? ' font-size="11" fill="#374151"' : '';
    parts.push(`<text x="${fixed(px(node) + node.radius + 3)}" y="${fixed(py(node) + 4)}"${style} paint-order="stroke" stroke="#ffffff" stroke-width="3">${escapeXml(node.label)}</text>`);
  }
  parts.push('</g>');
  let legendX = 20;
  const legendY = GRAPH_HEIGHT - 30;
  parts.push('<g font-family="Helvetica, Arial, sans-serif" font-size="14" fill="#111827">');
  // The legend names the kinds drawn (always the three identity kinds, so an empty one still reads as none).
  const drawn = new Set<GraphNodeKind>(['account', 'instrument', 'ip', 'fingerprint', ...picture.nodes.map((node) => node.kind)]);
  for (const kind of (['account', ...IDENTIFIER_KINDS] as GraphNodeKind[]).filter((k) => drawn.has(k))) {
    parts.push(`<circle cx="${legendX + 7}" cy="${legendY - 5}" r="7" fill="${NODE_COLOURS[kind]}"/><text x="${legendX + 20}" y="${legendY}">${NODE_KIND_NAMES[kind]}</text>`);
    legendX += 40 + NODE_KIND_NAMES[kind].length * 8;
  }
  if (picture.summarised) {
    parts.push(`<text x="${GRAPH_WIDTH - 20}" y="${legendY}" text-anchor="end" font-weight="bold" fill="#b91c1c">SUMMARISED: sample of accounts, top identifiers</text>`);
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}

export interface VolumeBar {
  /** First day of the bar (days since epoch). */
  day: number;
  exchanges: number;
}

export interface VolumeSeries {
  bars: VolumeBar[];
  /** Days per bar: 1 or 7. */
  daysPerBar: number;
  max: number;
}

export function volumeSeries(facts: ClusterFacts): VolumeSeries {
  const perDay = facts.exchangesPerDay;
  const daysPerBar = perDay.length > MAX_DAILY_BARS ? 7 : 1;
  const bars: VolumeBar[] = [];
  let max = 0;
  if (facts.firstDay !== null) {
    for (let start = 0; start < perDay.length; start += daysPerBar) {
      let exchanges = 0;
      for (let d = start; d < Math.min(perDay.length, start + daysPerBar); d++) exchanges += perDay[d];
      bars.push({ day: facts.firstDay + start, exchanges });
      if (exchanges > max) max = exchanges;
    }
  }
  return { bars, daysPerBar, max };
}

/** A "nice" axis maximum and tick step (1, 2 or 5 × 10^k) covering max. */
export function niceAxis(max: number, ticks = 4): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

export function compactNumber(value: number): string {
  if (value >= 1e9) return `${fixed(value / 1e9)}B`;
  if (value >= 1e6) return `${fixed(value / 1e6)}M`;
  if (value >= 1e3) return `${fixed(value / 1e3)}k`;
  return fixed(value);
}

const VOLUME_WIDTH = 1000;
const VOLUME_HEIGHT = 300;

export function volumeSvg(series: VolumeSeries): string {
  const left = 70;
  const right = 20;
  const top = 20;
  const bottom = 50;
  const plotWidth = VOLUME_WIDTH - left - right;
  const plotHeight = VOLUME_HEIGHT - top - bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VOLUME_WIDTH} ${VOLUME_HEIGHT}" width="100%" role="img" aria-label="Exchanges per ${series.daysPerBar === 1 ? 'day' : 'week'}">`,
    `<rect x="0" y="0" width="${VOLUME_WIDTH}" height="${VOLUME_HEIGHT}" fill="#ffffff"/>`,
    '<g font-family="Helvetica, Arial, sans-serif" font-size="13" fill="#374151">',
  ];
  if (series.bars.length === 0) {
    parts.push(`<text x="${VOLUME_WIDTH / 2}" y="${VOLUME_HEIGHT / 2}" text-anchor="middle">No exchanges recorded for these accounts.</text></g></svg>`);
    return parts.join('\n');
  }
  const axis = niceAxis(series.max);
  for (let tick = 0; tick <= axis.top + 1e-9; tick += axis.step) {
    const y = top + plotHeight - (tick / axis.top) * plotHeight;
    parts.push(`<line x1="${left}" y1="${fixed(y)}" x2="${VOLUME_WIDTH - right}" y2="${fixed(y)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${left - 8}" y="${fixed(y + 4)}" text-anchor="end">${compactNumber(tick)}</text>`);
  }
  const slot = plotWidth / series.bars.length;
  const barWidth = Math.max(1, slot * 0.8);
  parts.push('<g fill="#b91c1c">');
  series.bars.forEach((bar, i) => {
    const height = (bar.exchanges / axis.top) * plotHeight;
    parts.push(`<rect x="${fixed(left + i * slot + (slot - barWidth) / 2)}" y="${fixed(top + plotHeight - height)}" width="${fixed(barWidth)}" height="${fixed(height)}"><title>${isoDay(bar.day)}: ${bar.exchanges.toLocaleString('en-US')} exchanges</title></rect>`);
  });
  parts.push('</g>');
  const labelEvery = Math.max(1, Math.ceil(series.bars.length / 8));
  series.bars.forEach((bar, i) => {
    if (i % labelEvery !== 0 && i !== series.bars.length - 1) return;
    // A date label is about 75 units wide: drop one that would run into the last label (which ends at the picture's edge).
    if (i !== series.bars.length - 1 && (series.bars.length - 1 - i < labelEvery / 2 || (series.bars.length - 1 - i + 0.5) * slot < 125)) return;
    // The last label ends at its bar so it is not clipped at the picture's edge.
    const anchor = i === series.bars.length - 1 && series.bars.length > 1 ? 'end' : 'middle';
    const x = anchor === 'end' ? left + (i + 1) * slot : left + i * slot + slot / 2;
    parts.push(`<text x="${fixed(x)}" y="${VOLUME_HEIGHT - bottom + 18}" text-anchor="${anchor}">${isoDay(bar.day)}</text>`);
  });
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${VOLUME_WIDTH - right}" y2="${top + plotHeight}" stroke="#374151"/>`);
  parts.push(`<text x="${left}" y="${VOLUME_HEIGHT - 8}">Exchanges per ${series.daysPerBar === 1 ? 'day' : 'week (7 days from the date shown)'}, UTC</text>`);
  parts.push('</g></svg>');
  return parts.join('\n');
}

export interface MixRow {
  capability: string;
  cluster: number;
  baseline: number;
}

/** Horizontal paired bars: the cluster's share of exchanges per capability beside the baseline's. */
export function mixSvg(rows: readonly MixRow[]): string {
  const rowHeight = 34;
  const left = 200;
  const width = 1000;
  const plotWidth = width - left - 120;
  const height = 40 + rows.length * rowHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Capability mix versus baseline">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    '<g font-family="Helvetica, Arial, sans-serif" font-size="13" fill="#111827">',
    `<rect x="${left}" y="8" width="12" height="12" fill="#b91c1c"/><text x="${left + 18}" y="18">this cluster</text>`,
    `<rect x="${left + 130}" y="8" width="12" height="12" fill="#9ca3af"/><text x="${left + 148}" y="18">baseline</text>`,
  ];
  rows.forEach((row, i) => {
    const y = 32 + i * rowHeight;
    parts.push(`<text x="${left - 10}" y="${y + 18}" text-anchor="end">${escapeXml(row.capability)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 4}" width="${fixed(row.cluster * plotWidth)}" height="12" fill="#b91c1c"/>`);
    parts.push(`<text x="${fixed(left + row.cluster * plotWidth + 6)}" y="${y + 15}">${(row.cluster * 100).toFixed(1)}%</text>`);
    parts.push(`<rect x="${left}" y="${y + 17}" width="${fixed(row.baseline * plotWidth)}" height="12" fill="#9ca3af"/>`);
    parts.push(`<text x="${fixed(left + row.baseline * plotWidth + 6)}" y="${y + 28}" fill="#4b5563">${(row.baseline * 100).toFixed(1)}%</text>`);
  });
  parts.push('</g></svg>');
  return parts.join('\n');
}

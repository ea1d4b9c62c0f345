/**
 * data/summary.pdf: the same summary model as the HTML, drawn with pdfkit using the 14 standard PDF fonts
 * (nothing embedded) and vector operations for the charts.
 *
 * Deterministic: pdfkit derives the trailer /ID from the info dictionary, so fixing CreationDate and ModDate
 * (to the sweep's start) fixes every byte. Streams are left uncompressed: the file stays small for a summary,
 * and its text can be searched with ordinary tools (the pseudonymisation test relies on that).
 */
import type PDFDocumentClass from 'pdfkit';
import { IDENTIFIER_KINDS } from '../core/world';
import { isoDay } from './cluster-facts';
import { type GraphNodeKind, type GraphPicture, NODE_COLOURS, NODE_KIND_NAMES, type VolumeSeries, compactNumber, niceAxis } from './pictures';
import type { SummaryModel } from './summary';

const MARGIN = 50;
const BODY_FONT = 'Helvetica';
const BOLD_FONT = 'Helvetica-Bold';
const MONO_FONT = 'Courier';

export interface SummaryPdfInput {
  model: SummaryModel;
  graph: GraphPicture;
  volume: VolumeSeries;
  /** Written as the PDF's CreationDate and ModDate (the sweep's start), never the wall clock. */
  date: Date;
  software: string;
}

/** One block drawn on a page, in drawing order: what the layout test reads ("no heading ends a page"). */
export interface PdfLayoutBlock {
  /** 1-based page number. */
  page: number;
  kind: 'heading' | 'text' | 'picture';
  /** The start of its text (or the picture's name). */
  text: string;
  top: number;
  bottom: number;
}

export interface SummaryPdf {
  pdf: Buffer;
  layout: PdfLayoutBlock[];
}

/** WinAnsi (the standard fonts' encoding) lacks some characters we use in the HTML; replace them with close ones. */
function winAnsi(text: string): string {
  return text.replace(/[≥]/g, '>=').replace(/[≤]/g, '<=').replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\n]/g, '?');
}

export async function summaryPdf(input: SummaryPdfInput): Promise<Buffer> {
  return (await summaryPdfWithLayout(input)).pdf;
}

/** Space a heading takes (its gap above, its line and rule, the gap below). */
const HEADING_HEIGHT = 40;

export function summaryPdfWithLayout(input: SummaryPdfInput): Promise<SummaryPdf> {
  const { model } = input;
  // pdfkit is loaded here, on first use: loading it takes about 0.1 s, which every other command would pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const PDFDocument = require('pdfkit') as typeof PDFDocumentClass;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: false,
    info: {
      Title: winAnsi(model.title),
      Author: winAnsi(model.subtitle),
      Creator: input.software,
      Producer: input.software,
      CreationDate: input.date,
      ModDate: input.date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const layout: PdfLayoutBlock[] = [];
  let page = 1;
  doc.on('pageAdded', () => {
    page++;
  });
  /** Records a block drawn from top to the current y (a block pdfkit wrapped onto a new page is recorded on the page it ends on). */
  const record = (kind: PdfLayoutBlock['kind'], text: string, top: number) => {
    layout.push({ page, kind, text: text.slice(0, 60), top: Math.min(top, doc.y), bottom: doc.y });
  };

  /** A heading kept with what follows it: a new page starts unless the heading and the first `keepWith` points of its content fit. */
  const heading = (text: string, keepWith = 50) => {
    ensureSpace(doc, HEADING_HEIGHT + keepWith);
    doc.moveDown(0.8);
    const top = doc.y;
    doc.font(BOLD_FONT).fontSize(14).fillColor('#111827').text(winAnsi(text), MARGIN, doc.y, { width });
    doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).lineWidth(1.5).strokeColor('#b91c1c').stroke();
    record('heading', text, top);
    doc.moveDown(0.5);
  };
  const paragraph = (text: string, size = 10.5) => {
    ensureSpace(doc, size * 2.5);
    const top = doc.y;
    doc.font(BODY_FONT).fontSize(size).fillColor('#111827').text(winAnsi(text), MARGIN, doc.y, { width, align: 'left' });
    record('text', text, top);
    doc.moveDown(0.4);
  };
  const pairs = (items: ReadonlyArray<{ label: string; value: string }>, labelWidth = 190) => {
    for (const item of items) {
      ensureSpace(doc, 30);
      const y = doc.y;
      doc.font(BOLD_FONT).fontSize(10).fillColor('#111827').text(winAnsi(item.label), MARGIN, y, { width: labelWidth - 10 });
      const afterLabel = doc.y;
      doc.font(BODY_FONT).fontSize(10).text(winAnsi(item.value), MARGIN + labelWidth, y, { width: width - labelWidth });
      doc.y = Math.max(afterLabel, doc.y) + 3;
      record('text', `${item.label}: ${item.value}`, y);
    }
  };
  /** Parameters in a small table: names in monospace, wrapped only after a dot, so no name breaks mid-word. */
  const parameterTable = (items: ReadonlyArray<{ label: string; value: string }>) => {
    const labelWidth = 200;
    // A short table (the decisive parameters) stays on one page.
    if (items.length <= 16) ensureSpace(doc, items.length * 13 + 45);
    const top = doc.y;
    doc.font(BOLD_FONT).fontSize(10).fillColor('#111827').text('Parameters that decide the grouping', MARGIN, doc.y, { width });
    record('text', 'Parameters that decide the grouping', top);
    doc.moveDown(0.2);
    for (const item of items) {
      ensureSpace(doc, 24);
      const y = doc.y;
      doc.font(MONO_FONT).fontSize(8.5).fillColor('#111827').text(wrapAtDots(doc, winAnsi(item.label), labelWidth - 8), MARGIN, y, { width: labelWidth - 8 });
      const afterLabel = doc.y;
      doc.font(BODY_FONT).fontSize(9).text(winAnsi(item.value), MARGIN + labelWidth, y, { width: width - labelWidth });
      doc.y = Math.max(afterLabel, doc.y) + 2;
      record('text', `${item.label}: ${item.value}`, y);
    }
    doc.moveDown(0.4);
  };

  doc.font(BOLD_FONT).fontSize(20).fillColor('#111827').text(winAnsi(model.title), MARGIN, MARGIN, { width });
  doc.font(BODY_FONT).fontSize(10).fillColor('#4b5563').text(winAnsi(model.subtitle), { width });
  record('text', model.title, MARGIN);
  if (model.pseudonymisation) {
    doc.moveDown(0.5);
    paragraph(model.pseudonymisation, 9);
  }
  heading('The finding');
  for (const line of model.finding) paragraph(line, 11);
  if (model.review.length) {
    heading('Review');
    for (const line of model.review) paragraph(line, 10);
  }
  heading('Key numbers');
  pairs(model.keyNumbers);
  heading('Why this cluster was flagged');
  if (model.reasons.length === 0) paragraph('The sweep recorded no reasons for this cluster.');
  for (const reason of model.reasons) {
    ensureSpace(doc, 40);
    const top = doc.y;
    doc.font(MONO_FONT).fontSize(9).fillColor('#b91c1c').text(winAnsi(reason.code + (reason.numbers ? `  (${reason.numbers})` : '')), MARGIN, doc.y, { width });
    record('text', reason.code, top);
    paragraph(reason.text);
  }
  heading('Activity over time', VOLUME_HEIGHT);
  drawVolume(doc, input.volume, width);
  record('picture', 'volume', doc.y - VOLUME_HEIGHT);
  heading('Capability mix against the baseline', mixHeight(model));
  const mixTop = doc.y;
  drawMix(doc, model, width);
  record('picture', 'capability mix', mixTop);
  heading('Member accounts: examples');
  for (const member of model.memberExamples) {
    ensureSpace(doc, 40);
    const top = doc.y;
    doc.font(MONO_FONT).fontSize(9).fillColor('#111827').text(winAnsi(`${member.account}  ${member.role}, created ${member.created}, ${member.exchanges} exchanges`), MARGIN, doc.y, { width });
    record('text', member.account, top);
    paragraph(member.evidence, 9);
  }
  paragraph(model.memberExamplesNote, 9);
  heading('How the accounts are tied together', graphHeight(width));
  const graphTop = doc.y;
  drawGraph(doc, input.graph, width);
  record('picture', 'graph', graphTop);
  paragraph(input.graph.caption, 9);
  heading('How it was detected');
  for (const line of model.method) paragraph(line);
  parameterTable(model.parameters);
  paragraph(model.parametersNote, 9);
  heading('Data analysed');
  for (const file of model.inputFiles) {
    ensureSpace(doc, 40);
    const top = doc.y;
    doc.font(BOLD_FONT).fontSize(10).fillColor('#111827').text(winAnsi(`${file.file}: ${file.bytes} bytes, ${file.rows}`), MARGIN, doc.y, { width });
    doc.font(MONO_FONT).fontSize(8).text(`SHA-256 ${winAnsi(file.sha256)}`, { width });
    record('text', file.file, top);
    doc.moveDown(0.3);
  }
  heading('Limits');
  for (const line of model.limits) paragraph(`• ${line}`);
  doc.end();
  return done.then((pdf) => ({ pdf, layout }));
}

const VOLUME_HEIGHT = 170;

function mixHeight(model: SummaryModel): number {
  return 20 + model.mix.length * 24;
}

function graphSize(width: number): number {
  return Math.min(width, 360);
}

function graphHeight(width: number): number {
  return graphSize(width) + 30;
}

/** A dotted name broken into lines only after its dots (a single part too long for a line breaks where it must). */
function wrapAtDots(doc: PDFKit.PDFDocument, name: string, width: number): string {
  const parts = name.split(/(?<=\.)/);
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line !== '' && doc.widthOfString(line + part) > width) {
      lines.push(line);
      line = part;
    } else {
      line += part;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - MARGIN) doc.addPage();
}

function drawVolume(doc: PDFKit.PDFDocument, series: VolumeSeries, width: number): void {
  const height = VOLUME_HEIGHT;
  ensureSpace(doc, height);
  const top = doc.y;
  if (series.bars.length === 0) {
    doc.font(BODY_FONT).fontSize(10).text('No exchanges recorded for these accounts.', MARGIN, top);
    return;
  }
  const left = MARGIN + 45;
  const plotWidth = width - 45;
  const plotHeight = height - 30;
  const axis = niceAxis(series.max);
  doc.font(BODY_FONT).fontSize(7).fillColor('#374151');
  for (let tick = 0; tick <= axis.top + 1e-9; tick += axis.step) {
    const y = top + plotHeight - (tick / axis.top) * plotHeight;
    doc.moveTo(left, y).lineTo(left + plotWidth, y).lineWidth(0.4).strokeColor('#e5e7eb').stroke();
    doc.text(compactNumber(tick), MARGIN, y - 3, { width: 40, align: 'right' });
  }
  const slot = plotWidth / series.bars.length;
  const barWidth = Math.max(0.5, slot * 0.8);
  series.bars.forEach((bar, i) => {
    const barHeight = (bar.exchanges / axis.top) * plotHeight;
    if (barHeight > 0) doc.rect(left + i * slot + (slot - barWidth) / 2, top + plotHeight - barHeight, barWidth, barHeight).fill('#b91c1c');
  });
  doc.fillColor('#374151');
  const labelEvery = Math.max(1, Math.ceil(series.bars.length / 6));
  series.bars.forEach((bar, i) => {
    if (i % labelEvery !== 0) return;
    doc.text(isoDay(bar.day), left + i * slot + slot / 2 - 25, top + plotHeight + 4, { width: 50, align: 'center', lineBreak: false });
  });
  doc.fontSize(8).text(`Exchanges per ${series.daysPerBar === 1 ? 'day' : 'week'}, UTC`, MARGIN, top + plotHeight + 16, { width });
  doc.y = top + height;
}

function drawMix(doc: PDFKit.PDFDocument, model: SummaryModel, width: number): void {
  const labelWidth = 130;
  const plotWidth = width - labelWidth - 50;
  doc.font(BODY_FONT).fontSize(8).fillColor('#374151').text(winAnsi(`Red: this cluster. Grey: ${model.mixBaselineLabel}.`), MARGIN, doc.y, { width });
  doc.moveDown(0.3);
  for (const row of model.mix) {
    ensureSpace(doc, 26);
    const y = doc.y;
    doc.font(BODY_FONT).fontSize(9).fillColor('#111827').text(winAnsi(row.capability), MARGIN, y + 4, { width: labelWidth - 8, align: 'right', lineBreak: false });
    doc.rect(MARGIN + labelWidth, y + 2, Math.max(0.5, row.cluster * plotWidth), 8).fill('#b91c1c');
    doc.rect(MARGIN + labelWidth, y + 11, Math.max(0.5, row.baseline * plotWidth), 8).fill('#9ca3af');
    doc.fillColor('#111827').fontSize(7).text(`${(row.cluster * 100).toFixed(1)}% / ${(row.baseline * 100).toFixed(1)}%`, MARGIN + labelWidth + Math.max(row.cluster, row.baseline) * plotWidth + 4, y + 6, { lineBreak: false });
    doc.y = y + 24;
  }
}

function drawGraph(doc: PDFKit.PDFDocument, picture: GraphPicture, width: number): void {
  const size = graphSize(width);
  ensureSpace(doc, graphHeight(width));
  const top = doc.y;
  // Nodes sit at 0..1; an inset keeps dots at the edge clear of the heading's rule above and the legend below.
  const inset = 8;
  const plot = size - 2 * inset;
  const left = MARGIN + (width - size) / 2 + inset;
  const scale = size / 1000;
  doc.lineWidth(0.25).strokeColor('#9ca3af');
  for (const [a, b] of picture.edges) {
    const from = picture.nodes[a];
    const to = picture.nodes[b];
    doc.moveTo(left + from.x * plot, top + inset + from.y * plot).lineTo(left + to.x * plot, top + inset + to.y * plot);
  }
  if (picture.edges.length > 0) doc.stroke();
  const order = picture.nodes.map((_, i) => i).sort((a, b) => Number(picture.nodes[a].kind !== 'account') - Number(picture.nodes[b].kind !== 'account') || a - b);
  for (const i of order) {
    const node = picture.nodes[i];
    doc.circle(left + node.x * plot, top + inset + node.y * plot, Math.max(0.8, node.radius * scale * 1.6)).fill(NODE_COLOURS[node.kind]);
  }
  // Labels as in the HTML: the most-shared identifiers with their member counts, and member ids in small graphs,
  // each on a white backing so edges do not run through the text.
  for (const node of picture.nodes) {
    if (node.label === null) continue;
    const account = node.kind === 'account';
    const text = winAnsi(node.label);
    doc.font(BODY_FONT).fontSize(account ? 5.5 : 7);
    const x = left + node.x * plot + Math.max(0.8, node.radius * scale * 1.6) + 1.5;
    const y = top + inset + node.y * plot - (account ? 2.5 : 3.2);
    doc.rect(x - 0.5, y - 0.5, doc.widthOfString(text) + 1, account ? 6.5 : 8.2).fillOpacity(0.8).fill('#ffffff');
    doc.fillOpacity(1).fillColor(account ? '#374151' : '#111827').text(text, x, y, { lineBreak: false });
  }
  let legendX = MARGIN;
  const legendY = top + size + 8;
  doc.font(BODY_FONT).fontSize(8);
  // The legend names the kinds drawn (always the three identity kinds, so an empty one still reads as none).
  const drawn = new Set<GraphNodeKind>(['account', 'instrument', 'ip', 'fingerprint', ...picture.nodes.map((node) => node.kind)]);
  for (const kind of (['account', ...IDENTIFIER_KINDS] as GraphNodeKind[]).filter((k) => drawn.has(k))) {
    doc.circle(legendX + 4, legendY + 3, 3.5).fill(NODE_COLOURS[kind]);
    doc.fillColor('#111827').text(NODE_KIND_NAMES[kind], legendX + 11, legendY, { lineBreak: false });
    legendX += 20 + doc.widthOfString(NODE_KIND_NAMES[kind]);
  }
  doc.y = legendY + 16;
}

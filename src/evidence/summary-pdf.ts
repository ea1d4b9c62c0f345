/**
 * data/summary.pdf: the same summary model as the HTML, drawn with pdfkit using the 14 standard PDF fonts
 * (nothing embedded) and vector operations for the charts.
 *
 * Deterministic: pdfkit derives the trailer /ID from the info dictionary, so fixing CreationDate and ModDate
 * (to the sweep's start) fixes every byte. Streams are left uncompressed: the file stays small for a summary,
 * and its text can be searched with ordinary tools (the pseudonymisation test relies on that).
 */
import PDFDocument from 'pdfkit';
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

/** WinAnsi (the standard fonts' encoding) lacks some characters we use in the HTML; replace them with close ones. */
function winAnsi(text: string): string {
  return text.replace(/[≥]/g, '>=').replace(/[≤]/g, '<=').replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\n]/g, '?');
}

export function summaryPdf(input: SummaryPdfInput): Promise<Buffer> {
  const { model } = input;
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

  const heading = (text: string) => {
    ensureSpace(doc, 60);
    doc.moveDown(0.8).font(BOLD_FONT).fontSize(14).fillColor('#111827').text(winAnsi(text), MARGIN, doc.y, { width });
    doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).lineWidth(1.5).strokeColor('#b91c1c').stroke();
    doc.moveDown(0.5);
  };
  const paragraph = (text: string, size = 10.5) => {
    doc.font(BODY_FONT).fontSize(size).fillColor('#111827').text(winAnsi(text), MARGIN, doc.y, { width, align: 'left' });
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
    }
  };

  doc.font(BOLD_FONT).fontSize(20).fillColor('#111827').text(winAnsi(model.title), MARGIN, MARGIN, { width });
  doc.font(BODY_FONT).fontSize(10).fillColor('#4b5563').text(winAnsi(model.subtitle), { width });
  if (model.pseudonymisation) {
    doc.moveDown(0.5);
    paragraph(model.pseudonymisation, 9);
  }
  heading('The finding');
  for (const line of model.finding) paragraph(line, 11);
  heading('Key numbers');
  pairs(model.keyNumbers);
  heading('Why this cluster was flagged');
  if (model.reasons.length === 0) paragraph('The sweep recorded no reasons for this cluster.');
  for (const reason of model.reasons) {
    ensureSpace(doc, 40);
    doc.font(MONO_FONT).fontSize(9).fillColor('#b91c1c').text(winAnsi(reason.code + (reason.value ? `  (${reason.value})` : '')), MARGIN, doc.y, { width });
    paragraph(reason.text);
  }
  heading('Activity over time');
  drawVolume(doc, input.volume, width);
  heading('Capability mix against the baseline');
  drawMix(doc, model, width);
  heading('Member accounts: examples');
  for (const member of model.memberExamples) {
    ensureSpace(doc, 40);
    doc.font(MONO_FONT).fontSize(9).fillColor('#111827').text(winAnsi(`${member.account}  ${member.role}, created ${member.created}, ${member.exchanges} exchanges`), MARGIN, doc.y, { width });
    paragraph(member.evidence, 9);
  }
  paragraph(model.memberExamplesNote, 9);
  heading('How the accounts are tied together');
  drawGraph(doc, input.graph, width);
  paragraph(input.graph.caption, 9);
  heading('How it was detected');
  for (const line of model.method) paragraph(line);
  pairs(model.parameters, 170);
  heading('Data analysed');
  for (const file of model.inputFiles) {
    ensureSpace(doc, 40);
    doc.font(BOLD_FONT).fontSize(10).fillColor('#111827').text(winAnsi(`${file.file}: ${file.bytes} bytes, ${file.rows}`), MARGIN, doc.y, { width });
    doc.font(MONO_FONT).fontSize(8).text(`SHA-256 ${winAnsi(file.sha256)}`, { width });
    doc.moveDown(0.3);
  }
  heading('Limits');
  for (const line of model.limits) paragraph(`• ${line}`);
  doc.end();
  return done;
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - MARGIN) doc.addPage();
}

function drawVolume(doc: PDFKit.PDFDocument, series: VolumeSeries, width: number): void {
  const height = 170;
  ensureSpace(doc, height + 40);
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
  const size = Math.min(width, 360);
  ensureSpace(doc, size + 30);
  const top = doc.y;
  const left = MARGIN + (width - size) / 2;
  const scale = size / 1000;
  doc.lineWidth(0.25).strokeColor('#9ca3af');
  for (const [a, b] of picture.edges) {
    const from = picture.nodes[a];
    const to = picture.nodes[b];
    doc.moveTo(left + from.x * size, top + from.y * size).lineTo(left + to.x * size, top + to.y * size);
  }
  if (picture.edges.length > 0) doc.stroke();
  const order = picture.nodes.map((_, i) => i).sort((a, b) => Number(picture.nodes[a].kind !== 'account') - Number(picture.nodes[b].kind !== 'account') || a - b);
  for (const i of order) {
    const node = picture.nodes[i];
    doc.circle(left + node.x * size, top + node.y * size, Math.max(0.8, node.radius * scale * 1.6)).fill(NODE_COLOURS[node.kind]);
  }
  let legendX = MARGIN;
  const legendY = top + size + 8;
  doc.font(BODY_FONT).fontSize(8);
  for (const kind of ['account', ...IDENTIFIER_KINDS] as GraphNodeKind[]) {
    doc.circle(legendX + 4, legendY + 3, 3.5).fill(NODE_COLOURS[kind]);
    doc.fillColor('#111827').text(NODE_KIND_NAMES[kind], legendX + 11, legendY, { lineBreak: false });
    legendX += 20 + doc.widthOfString(NODE_KIND_NAMES[kind]);
  }
  doc.y = legendY + 16;
}

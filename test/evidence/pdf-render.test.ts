/**
 * summary.pdf and summary.html as a reader sees them.
 *
 * Layout: summary-pdf.ts records where every heading, text block and picture lands; for packs whose reasons
 * push the later sections to every position on the page, no heading may end a page (each is followed on its own
 * page by what it introduces, the graph included) and nothing may run off the page.
 *
 * Rendering: each page rasterised with poppler's pdftoppm and decoded, to check it is a drawn page, not a blank
 * one. Skipped, with a message, only when pdftoppm is not installed (Debian/Ubuntu: apt-get install poppler-utils).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildEvidencePack, type EvidencePack } from '../../src/evidence/pack';
import type { PdfLayoutBlock } from '../../src/evidence/summary-pdf';
import type { EvidenceInput } from '../../src/evidence/types';
import { buildFixtureInput } from './fixture';
import { decodePng } from '../support/png';

const PDFTOPPM = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' }).error ? null : 'pdftoppm';
const A4_HEIGHT = 841.89;
const MARGIN = 50;

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-pdf-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** The fixture's cluster with `count` reasons (its two repeated, plus the two index reasons whose baseline means nothing). */
function inputWithReasons(count: number): EvidenceInput {
  const input = buildFixtureInput();
  const pool = [
    ...input.cluster.reasons,
    { code: 'CAPABILITY_TARGETING', text: '80% of exchanges are coding vs 10% for ordinary accounts (mix distance 0.7)', value: 0.7012, baseline: 0, points: 15 },
    { code: 'BURST_CREATION', text: 'accounts were created in bursts: burstiness 0.78', value: 0.7841, baseline: 0, points: 15 },
    { code: 'HEAVY_USE', text: '25.6 exchanges per account per active day vs 4.02 for ordinary accounts', value: 25.6384, baseline: 4.0211, points: 10 },
    { code: 'SYNCHRONISED_ACTIVITY', text: 'members are active on the same days', value: 0.987, points: 5.6 },
  ];
  input.cluster.reasons = Array.from({ length: count }, (_, i) => ({ ...pool[i % pool.length] }));
  return input;
}

function pageCount(layout: readonly PdfLayoutBlock[]): number {
  return layout.reduce((max, block) => Math.max(max, block.page), 0);
}

describe('summary.pdf layout', () => {
  const packs = new Map<number, EvidencePack>();
  beforeAll(async () => {
    for (let count = 0; count <= 24; count += 2) packs.set(count, await buildEvidencePack({ input: inputWithReasons(count), commandLine: 'test' }));
  }, 120_000);

  test('no heading is the last block on a page: each is followed on its page by its content', () => {
    for (const [count, pack] of packs) {
      const layout = pack.pdfLayout;
      expect(layout.length).toBeGreaterThan(20);
      layout.forEach((block, i) => {
        if (block.kind !== 'heading') return;
        const next = layout[i + 1];
        expect({ reasons: count, heading: block.text, nextOnSamePage: next !== undefined && next.page === block.page }).toEqual({ reasons: count, heading: block.text, nextOnSamePage: true });
      });
      const graphHeading = layout.findIndex((block) => block.text === 'How the accounts are tied together');
      expect(layout[graphHeading + 1]).toMatchObject({ kind: 'picture', text: 'graph', page: layout[graphHeading].page });
    }
  });

  test('every block stays inside its page', () => {
    for (const pack of packs.values()) {
      for (const block of pack.pdfLayout) {
        expect(block.top).toBeGreaterThanOrEqual(MARGIN - 1);
        expect(block.bottom).toBeLessThanOrEqual(A4_HEIGHT - MARGIN + 15);
      }
    }
  });

  test('the layout records as many pages as the PDF has', () => {
    const pack = packs.get(24)!;
    expect(pageCount(pack.pdfLayout)).toBeGreaterThan(2);
    const pdf = pdfOf(pack);
    const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    expect(pages).toBe(pageCount(pack.pdfLayout));
  });

  test('reason numbers are formatted for a reader, with "—" for a baseline that means nothing', () => {
    const html = htmlOf(packs.get(6)!);
    // SHARED_PREPAID_CARDS: a ratio with a real baseline.
    expect(html).toContain('<td class="number">12</td><td class="number">1</td><td class="number">+30 points</td>');
    // CAPABILITY_TARGETING and BURST_CREATION (burstiness): an index, baseline recorded as 0 but shown as "—".
    expect(html).toContain('<td class="number">0.70</td><td class="number">—</td><td class="number">+15 points</td>');
    expect(html).toContain('<td class="number">0.78</td><td class="number">—</td><td class="number">+15 points</td>');
    expect(html).toContain('<td class="number">25.6</td><td class="number">4.02</td><td class="number">+10 points</td>');
    // A share as a percentage; no baseline recorded.
    expect(html).toContain('<td class="number">98.7%</td><td class="number">—</td><td class="number">+5.6 points</td>');
    expect(html).not.toMatch(/baseline 0\b/);
    expect(html).toContain('the reasons listed above under &quot;Why this cluster was flagged&quot;');
  });

  test('a small graph labels every member account, in the HTML and the PDF', () => {
    const pack = packs.get(2)!;
    const html = htmlOf(pack);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    for (let i = 1; i <= 12; i++) expect(svg).toContain(`>acct-swarm-${String(i).padStart(2, '0')}</text>`);
    const pdfText = pdfOf(pack).toString('latin1');
    // pdfkit writes standard-font text as hex strings; "acct-swarm-01" starts with "acct".
    expect(pdfText).toContain(Buffer.from('acct-swarm-01', 'latin1').toString('hex').slice(0, 8));
  });

  test('the PDF lists the decisive parameters and points to provenance.json for the rest', () => {
    const html = htmlOf(packs.get(2)!);
    expect(html).toContain('<th scope="row">detection.hub_limit</th><td>30</td>');
    expect(html).toContain('are in provenance.json under &quot;parameters&quot;');
  });
});

function bagFile(pack: EvidencePack, file: string): Buffer {
  const folder = path.join(work, `${pack.root}-${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(folder);
  const zip = path.join(folder, 'pack.zip');
  fs.writeFileSync(zip, pack.zip);
  const result = spawnSync('python3', ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', zip, `${pack.root}/${file}`]);
  if (result.status !== 0) throw new Error(result.stderr.toString());
  return result.stdout;
}
function pdfOf(pack: EvidencePack): Buffer {
  return bagFile(pack, 'data/summary.pdf');
}
function htmlOf(pack: EvidencePack): string {
  return bagFile(pack, 'data/summary.html').toString('utf8');
}

(PDFTOPPM ? describe : describe.skip)('summary.pdf rasterised with pdftoppm', () => {
  test('every page renders as a drawn page, not a blank one', async () => {
    for (const count of [0, 12, 24]) {
      const pack = await buildEvidencePack({ input: inputWithReasons(count), commandLine: 'test' });
      const folder = fs.mkdtempSync(path.join(work, 'pages-'));
      const pdfFile = path.join(folder, 'summary.pdf');
      fs.writeFileSync(pdfFile, pdfOf(pack));
      const result = spawnSync(PDFTOPPM!, ['-png', '-r', '40', pdfFile, path.join(folder, 'page')], { encoding: 'utf8', timeout: 60_000 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const pages = fs.readdirSync(folder).filter((name) => name.endsWith('.png')).sort();
      expect(pages).toHaveLength(pageCount(pack.pdfLayout));
      for (const page of pages) {
        const { width, height, rgba } = decodePng(path.join(folder, page));
        expect(width).toBeGreaterThan(300);
        expect(height).toBeGreaterThan(width);
        let inked = 0;
        for (let p = 0; p < width * height; p++) if (rgba[p * 4] + rgba[p * 4 + 1] + rgba[p * 4 + 2] < 600) inked++;
        // A page of this summary has at least a few lines of text: well over 0.5% of its pixels are ink.
        expect({ page, reasons: count, inkedShare: inked / (width * height) > 0.005 }).toEqual({ page, reasons: count, inkedShare: true });
      }
    }
  }, 120_000);
});

if (!PDFTOPPM) {
  test('pdftoppm rendering check', () => {
    console.warn('SKIPPED: pdftoppm (poppler-utils) is not installed, so summary.pdf was not rasterised; install poppler-utils to run this check.');
  });
}

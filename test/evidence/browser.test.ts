/**
 * Opens data/summary.html in a real browser (Debian's chromium, headless) and checks the screenshot is a
 * rendered page — mostly white paper, dark text, and the red of the charts — not a blank or error page.
 * The window is tall enough (4800 px) to hold the charts; a screenshot only captures the window.
 * Skipped, with a message, only when chromium is not installed (CI installs it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildEvidencePack } from '../../src/evidence/pack';
import { buildFixtureInput, buildFixtureWorld } from './fixture';
import { extractWithPython } from './independent';
import { decodePng, type Pixels } from '../support/png';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => fs.existsSync(candidate));

function screenshot(htmlFile: string, png: string): void {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-chromium-'));
  try {
    const result = spawnSync(CHROMIUM!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1280,4800', `file://${htmlFile}`,
    ], { encoding: 'utf8', timeout: 90_000 });
    if (!fs.existsSync(png)) throw new Error(`chromium wrote no screenshot (status ${result.status}): ${result.stderr}`);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function shares(pixels: Pixels): { white: number; dark: number; red: number } {
  let white = 0;
  let dark = 0;
  let red = 0;
  const total = pixels.width * pixels.height;
  for (let i = 0; i < total; i++) {
    const r = pixels.rgba[i * 4];
    const g = pixels.rgba[i * 4 + 1];
    const b = pixels.rgba[i * 4 + 2];
    if (r > 240 && g > 240 && b > 240) white++;
    if (r + g + b < 300) dark++;
    // #b91c1c, the bars and the finding's border
    if (r > 150 && g < 70 && b < 70) red++;
  }
  return { white: white / total, dark: dark / total, red: red / total };
}

const maybe = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) {
  // eslint-disable-next-line no-console
  console.warn('browser.test.ts skipped: chromium is not installed (apt-get install -y chromium); CI installs it');
}

maybe('summary.html in headless chromium', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-browser-'));
  });
  afterAll(() => {
    // KEEP_EVIDENCE_TMP=1 keeps the packs and screenshots to look at.
    if (!process.env.KEEP_EVIDENCE_TMP) fs.rmSync(work, { recursive: true, force: true });
  });

  test.each([
    ['a small cluster drawn whole', 12],
    ['a 600-account cluster drawn as a summary', 600],
  ])('%s renders as a page with text and charts', async (_name, swarmSize) => {
    const pack = await buildEvidencePack({ input: buildFixtureInput(buildFixtureWorld(swarmSize), swarmSize), organisation: 'Example Org' });
    expect(pack.graphSummarised).toBe(swarmSize > 100);
    const zipPath = path.join(work, `pack-${swarmSize}.zip`);
    fs.writeFileSync(zipPath, pack.zip);
    extractWithPython(zipPath, path.join(work, String(swarmSize)));
    const html = path.join(work, String(swarmSize), pack.root, 'data/summary.html');
    if (swarmSize > 100) expect(fs.readFileSync(html, 'utf8')).toContain('SUMMARISED: sample of accounts, top identifiers');
    const png = path.join(work, `shot-${swarmSize}.png`);
    screenshot(html, png);
    const pixels = decodePng(png);
    expect(pixels.width).toBe(1280);
    const measured = shares(pixels);
    // A blank or error page is nearly all one colour; ours is white paper with text, tables and red bars.
    expect(measured.white).toBeGreaterThan(0.5);
    expect(measured.dark).toBeGreaterThan(0.005);
    expect(measured.red).toBeGreaterThan(0.01);
  });
});

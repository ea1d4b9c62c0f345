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
import * as zlib from 'zlib';
import { buildEvidencePack } from '../../src/evidence/pack';
import { buildFixtureInput, buildFixtureWorld } from './fixture';
import { extractWithPython } from './independent';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => fs.existsSync(candidate));

interface Pixels { width: number; height: number; rgba: Uint8Array }

/** A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced — what chromium writes): chunks, inflate, unfilter. */
function decodePng(file: string): Pixels {
  const bytes = fs.readFileSync(file);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs are decoded here');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`PNG colour type ${data[9]} not decoded here`);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const current = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? current[x - channels] : 0;
      const up = previous[x];
      const upLeft = x >= channels ? previous[x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      current[x] = (line[x] + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) out[(y * width + x) * 4 + c] = current[x * channels + c];
      out[(y * width + x) * 4 + 3] = channels === 4 ? current[x * channels + 3] : 255;
    }
    previous = current;
  }
  return { width, height, rgba: out };
}

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

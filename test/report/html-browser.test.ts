/**
 * report.html opened in a real browser (Debian's chromium, headless): the screenshot must be a rendered page
 * with text and coloured charts, not blank. Skipped with a message only when chromium is not installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runSweep } from '../../src/sweep/run';
import { pngInk, ROOT, tempDir } from '../sweep/support';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => fs.existsSync(candidate));
const maybe = CHROMIUM ? test : test.skip;
if (!CHROMIUM) console.warn('chromium is not installed: skipping the browser check of report.html (apt-get install chromium)');

let root: string;
beforeAll(() => {
  root = tempDir('swarmscope-html-');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

maybe('report.html renders in headless chromium: not blank, with text and the charts\' colours', async () => {
  const result = await runSweep({ inputDir: path.join(ROOT, 'fixtures/small-world'), outDir: path.join(root, 'sweep'), hubLimit: 10 });
  const html = path.join(result.dir, 'report.html');
  const png = path.join(root, 'report.png');
  const profile = fs.mkdtempSync(path.join(root, 'profile-'));
  const run = spawnSync(
    CHROMIUM!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1280,2400', `file://${html}`],
    { encoding: 'utf8', timeout: 90_000 },
  );
  expect(run.error).toBeUndefined();
  expect(fs.existsSync(png)).toBe(true);
  const pixels = pngInk(png);
  expect(pixels.width).toBe(1280);
  expect(pixels.inkShare).toBeGreaterThan(0.05);
  expect(pixels.colours).toBeGreaterThan(20);
}, 120_000);

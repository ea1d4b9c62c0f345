import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bagInfoText, decodeManifestPath, encodeManifestPath, humanSize, manifestText, parseBagInfo, parseManifest, payloadOxum } from '../../src/evidence/bagit';
import { readZip, writeZip } from '../../src/evidence/zip';
import { isoTime } from '../../src/evidence/cluster-facts';
import { PYTHON } from './independent';

describe('BagIt tag-file rules (RFC 8493)', () => {
  test('manifest paths percent-encode CR, LF and % and decode back', () => {
    const awkward = 'data/50%\r\nof it.csv';
    expect(encodeManifestPath(awkward)).toBe('data/50%25%0D%0Aof it.csv');
    expect(decodeManifestPath(encodeManifestPath(awkward))).toBe(awkward);
    const text = manifestText('sha256', [{ path: awkward, data: Buffer.from('x') }]);
    expect(text.split('\n')).toHaveLength(2);
    expect(parseManifest(text).entries).toEqual([{ checksum: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', path: awkward, line: 1 }]);
    expect(parseManifest('nothex  data/a\n').errors[0]).toMatch(/line 1/);
  });

  test('bag-info.txt folds long values under 80 characters and unfolds them exactly', () => {
    const command = `swarmscope evidence /very/long/path/to/the/sweeps/of/2026/week-03 --cluster C0001 --out /tmp/packs/C0001.zip --org 'Example AI Trust & Safety'`;
    const text = bagInfoText([['Swarmscope-Command-Line', command], ['Payload-Oxum', '12.3']]);
    expect(text.split('\n').every((line) => line.length <= 79)).toBe(true);
    expect(text.split('\n').filter((line) => line.startsWith('  ')).length).toBeGreaterThan(0);
    expect(parseBagInfo(text)).toEqual([['Swarmscope-Command-Line', command], ['Payload-Oxum', '12.3']]);
  });

  test('Payload-Oxum and Bag-Size', () => {
    expect(payloadOxum([{ path: 'data/a', data: Buffer.alloc(10) }, { path: 'data/b', data: Buffer.alloc(5) }])).toBe('15.2');
    expect(humanSize(999)).toBe('999 bytes');
    expect(humanSize(173_200_000)).toBe('173 MB');
  });
});

describe('zip writer and reader', () => {
  test('Python reads what we write (stored and deflated entries, UTF-8 names), and we read it back', async () => {
    const entries = [
      { name: 'bag/tiny.txt', data: Buffer.from('a') },
      { name: 'bag/data/repetitive.csv', data: Buffer.from('account,day\n'.repeat(5000)) },
      { name: 'bag/data/naïve ünïcode.txt', data: Buffer.from('é') },
    ];
    const zip = await writeZip(entries);
    expect((await writeZip(entries)).equals(zip)).toBe(true);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-zip-')), 'x.zip');
    fs.writeFileSync(file, zip);
    const listing = execFileSync(PYTHON, ['-c', `
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.compress_type, i.date_time[0], len(z.read(i))] for i in z.infolist()]))
`, file], { encoding: 'utf8' });
    expect(JSON.parse(listing)).toEqual([
      ['bag/tiny.txt', 0, 1980, 1],
      ['bag/data/repetitive.csv', 8, 1980, 60000],
      ['bag/data/naïve ünïcode.txt', 0, 1980, 2],
    ]);
    expect(readZip(zip, 'x.zip').map((entry) => [entry.name, entry.data.toString(), entry.crcMatches])).toEqual(entries.map((entry) => [entry.name, entry.data.toString(), true]));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test('a damaged stored byte is caught by the CRC; garbage is not a zip', async () => {
    const zip = await writeZip([{ name: 'a.txt', data: Buffer.from('evidence') }]);
    const damaged = Buffer.from(zip);
    damaged[30 + 'a.txt'.length] ^= 0x20; // first byte of the stored body
    expect(readZip(damaged, 'd.zip')[0]).toMatchObject({ name: 'a.txt', crcMatches: false });
    expect(() => readZip(Buffer.from('PK but not really'), 'g.zip')).toThrow(/not a readable zip archive/);
  });

  test('readZip reads only archives with one reading: appended, prepended or duplicated entries are refused', async () => {
    const zip = await writeZip([{ name: 'a.txt', data: Buffer.from('evidence') }, { name: 'b.txt', data: Buffer.from('more') }]);
    expect(() => readZip(Buffer.concat([zip, Buffer.from('x')]), 'z.zip')).toThrow(/1 bytes follow the end-of-central-directory record/);
    expect(() => readZip(Buffer.concat([Buffer.from('MZ'), zip]), 'z.zip')).toThrow(/central directory .* does not end where the end record starts/);
    // Rename b.txt to a.txt in both its headers: same length, so every offset stays right and only the name repeats.
    const duplicate = Buffer.from(zip.toString('latin1').replace(/b\.txt/g, 'a.txt'), 'latin1');
    expect(() => readZip(duplicate, 'z.zip')).toThrow(/a\.txt: the name appears twice/);
  });
});

describe('isoTime', () => {
  test('matches Date.prototype.toISOString across the range, and is empty for unknown times', () => {
    const samples = [0, -1, 1, 86_399_999, Date.UTC(2026, 8, 1, 13, 4, 5, 67), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2400, 1, 29), 1.5, 253_402_300_799_999];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.sin(i) * 4e12));
    for (const ms of samples) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(isoTime(NaN)).toBe('');
  });
});

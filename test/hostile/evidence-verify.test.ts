/**
 * `swarmscope evidence verify` must catch a tampered pack (issue 15: it accepted duplicate entries whose first copy
 * was forged, entries hidden outside the central directory, an MD5-only pack, an empty bag, and an 8 MB zip bomb
 * made it use 9.3 GB). Each attack starts from a genuine pack the CLI built from fixtures/small-world, changes one
 * thing with test/hostile/support/zip-tamper.ts (every other header field, CRC and offset correct), and runs the
 * spawned CLI: exit 1, the problem named on its own line, then `FAILED <pack>: …`, nothing on stderr, no stack trace.
 * Input that is no pack at all stays exit 2 with one line on stderr. Memory under a bomb is measured outside the
 * tests (docs/evidence.md, "Verify"); here the bombs are small and must be refused before or while inflating.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { CLI, ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';
import { buildZip, deflatedZeros, readEntries, rebag, type TamperEntry, type TamperLayout } from './support/zip-tamper';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
const STACK_TRACE = /\bat .*\.js:\d+/;
let work: string;
let genuinePath: string;
let genuine: TamperEntry[];
let root: string;
/** ~256 MB of zeros, deflated (~250 KB). */
let zeroBomb: Buffer;
const ZERO_BOMB_BYTES = 256 * 1024 * 1024;

beforeAll(async () => {
  ensureBuilt();
  work = tempDir('swarmscope-hostile-verify-');
  const sweep = path.join(work, 'sweep');
  expect(runCli(['sweep', FIXTURE, '--out', sweep, '--hub-limit', '10']).status).toBe(0);
  genuinePath = path.join(work, 'genuine.zip');
  expect(runCli(['evidence', sweep, '--cluster', 'C0001', '--out', genuinePath]).status).toBe(0);
  genuine = readEntries(fs.readFileSync(genuinePath));
  root = genuine[0].name.split('/')[0];
  zeroBomb = await deflatedZeros(ZERO_BOMB_BYTES);
}, 180_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const entries = (): TamperEntry[] => genuine.map((entry) => ({ ...entry }));
const indexOf = (list: TamperEntry[], file: string) => list.findIndex((entry) => entry.name === `${root}/${file}`);
const forgedMembers = (): TamperEntry => {
  const members = genuine[indexOf(genuine, 'data/members.csv')];
  return { name: members.name, data: Buffer.from(members.data.toString('utf8').replace(/\n[^\n]*\n/, '\nforged-account,C0001,core\n')) };
};

let counter = 0;
function write(zip: Buffer): string {
  const file = path.join(work, `attack-${++counter}.zip`);
  fs.writeFileSync(file, zip);
  return file;
}

/** `evidence verify` with a deadline: a FIFO or device read to the end would never return (the old verify hung on both). */
function verifyWithDeadline(target: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'evidence', 'verify', target], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, SWARMSCOPE_DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs verify on a tampered archive: exit 1, the named problem line, the FAILED line last, a clean stderr. */
function expectFailed(zip: Buffer | string, problem: RegExp): string {
  const file = typeof zip === 'string' ? zip : write(zip);
  const result = verifyWithDeadline(file);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 1, stderr: '' });
  const lines = result.stdout.trim().split('\n');
  expect(lines.slice(0, -1).some((line) => problem.test(line))).toBe(true);
  expect(lines[lines.length - 1]).toMatch(new RegExp(`^FAILED ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ (missing|extra|altered|invalid)`));
  expect(result.stdout).not.toMatch(STACK_TRACE);
  return result.stdout;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const invalid = (file: string, why: RegExp) => new RegExp(`^INVALID ${escape(file)}: .*${why.source}`);

describe('controls: genuine packs still verify', () => {
  test('the pack as built, unzipped, rewritten by the tamper helper with no change, and re-zipped by Info-ZIP and Python', () => {
    expect(runCli(['evidence', 'verify', genuinePath])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^OK .*genuine\.zip: 7 files, valid BagIt 1\.0; integrity proven/), stderr: '' });
    expect(runCli(['evidence', 'verify', write(buildZip({ entries: entries() }))]).status).toBe(0);
    const unzipped = path.join(work, 'unzipped');
    execFileSync('unzip', ['-q', genuinePath, '-d', unzipped]);
    expect(runCli(['evidence', 'verify', unzipped]).status).toBe(0);
    // Ordinary tools write extra fields (timestamps, owners), folder entries and Unix modes: none of that is an attack.
    const infoZip = path.join(work, 'info-zip.zip');
    execFileSync('zip', ['-q', '-r', infoZip, root], { cwd: unzipped });
    expect(runCli(['evidence', 'verify', infoZip])).toMatchObject({ status: 0, stderr: '' });
    const python = path.join(work, 'python.zip');
    execFileSync('python3', ['-c', 'import shutil, sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2])', python.replace(/\.zip$/, ''), unzipped]);
    expect(runCli(['evidence', 'verify', python])).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('one archive, one reading: duplicates and entries outside the central directory', () => {
  test('a duplicate name whose first copy is forged (what unzip and streaming readers show), and one whose last copy is', () => {
    const first = entries();
    first.splice(indexOf(first, 'data/members.csv'), 0, forgedMembers());
    expectFailed(buildZip({ entries: first }), invalid(`${root}/data/members.csv`, /appears twice in the archive/));
    const last = [...entries(), forgedMembers()];
    expectFailed(buildZip({ entries: last }), invalid(`${root}/data/members.csv`, /appears twice in the archive/));
  });

  test('names that collide once case or Unicode normalisation is ignored', () => {
    expectFailed(buildZip({ entries: [...entries(), { ...forgedMembers(), name: `${root}/data/Members.csv` }] }), invalid(`${root}/data/Members.csv`, /collides with .*members\.csv/));
    const composed = { name: `${root}/data/r\u00e9sum\u00e9.txt`, data: Buffer.from('a') };
    const decomposed = { name: `${root}/data/re\u0301sume\u0301.txt`, data: Buffer.from('b') };
    expectFailed(buildZip({ entries: [...entries(), composed, decomposed] }), /collides with/);
  });

  test('a forged local entry the central directory does not list, before the genuine one', () => {
    const list = [forgedMembers(), ...entries()];
    expectFailed(buildZip({ entries: list, central: list.map((_, i) => i).slice(1) }), invalid(`${root}/README.txt`, /bytes that no entry accounts for come before the first entry/));
    const middle = entries();
    const at = indexOf(middle, 'data/members.csv');
    middle.splice(at, 0, forgedMembers());
    expectFailed(buildZip({ entries: middle, central: middle.map((_, i) => i).filter((i) => i !== at) }), invalid(`${root}/data/members.csv`, /bytes that no entry accounts for lie before it/));
  });

  test('bytes between entries, prepended before the first header, after the last entry, or after the end record; a zip comment', () => {
    const junk = Buffer.from('hidden forged bytes '.repeat(8));
    expectFailed(buildZip({ entries: entries(), between: new Map([[3, junk]]) }), /bytes that no entry accounts for lie before it/);
    expectFailed(buildZip({ entries: entries(), before: Buffer.concat([Buffer.from('MZ'), junk]) }), /come before the first entry/);
    const hidden = buildZip({ entries: [forgedMembers()] });
    expectFailed(buildZip({ entries: entries(), afterEntries: hidden.subarray(0, hidden.readUInt32LE(hidden.length - 6)) }), invalid(path.join(work, `attack-${counter + 1}.zip`), /between the last entry and the central directory/));
    expectFailed(buildZip({ entries: entries(), after: junk }), /bytes follow the end-of-central-directory record/);
    expectFailed(buildZip({ entries: entries(), comment: Buffer.from('forged members: see below') }), /zip comment/);
  });

  test('bytes hidden inside a deflated entry after its deflate stream ends', () => {
    const list = entries();
    const members = list[indexOf(list, 'data/members.csv')];
    members.body = Buffer.concat([zlib.deflateRawSync(members.data), Buffer.from('hidden payload')]);
    expectFailed(buildZip({ entries: list }), /^INVALID data\/members\.csv: .*deflate data ends after \d+ of the \d+ compressed bytes/);
  });

  test('central records that overlap or point at another entry', () => {
    const list = [...entries(), { name: `${root}/data/copy.csv`, data: Buffer.from('x') }];
    expectFailed(buildZip({ entries: list, centralPointsAt: [[list.length - 1, indexOf(list, 'data/members.csv')]] }), invalid(`${root}/data/copy.csv`, /overlaps the entry before it/));
  });
});

describe('headers that disagree with each other or with the data', () => {
  test('local header CRC or size differs from the central directory; the local header names another file', () => {
    const crc = entries();
    crc[indexOf(crc, 'data/links.csv')].localCrc32 = 0x12345678;
    expectFailed(buildZip({ entries: crc }), invalid(`${root}/data/links.csv`, /local header and its central directory record disagree/));
    const size = entries();
    size[indexOf(size, 'data/links.csv')].localSize = 1;
    expectFailed(buildZip({ entries: size }), invalid(`${root}/data/links.csv`, /disagree/));
    const name = entries();
    name[indexOf(name, 'data/links.csv')].localName = `${root}/data/linkz.csv`;
    expectFailed(buildZip({ entries: name }), invalid(`${root}/data/links.csv`, /local header names it/));
  });

  test('declared sizes larger or smaller than what the data inflates to, and a stored entry whose sizes differ', () => {
    const larger = entries();
    const links = larger[indexOf(larger, 'data/links.csv')];
    links.size = links.data.length + 10;
    expectFailed(buildZip({ entries: larger }), /^INVALID data\/links\.csv: it holds \d+ bytes but its headers declare \d+/);
    const smaller = entries();
    smaller[indexOf(smaller, 'data/links.csv')].size = 100;
    expectFailed(buildZip({ entries: smaller }), /^INVALID data\/links\.csv: it inflates to more than the 100 bytes its headers declare/);
    const stored = entries();
    Object.assign(stored[indexOf(stored, 'data/links.csv')], { method: 0, size: 10 });
    expectFailed(buildZip({ entries: stored }), /stored entry declares \d+ bytes stored but 10 bytes of content/);
  });
});

describe('entry names and kinds a pack never has', () => {
  test.each([
    ['path traversal', `${'x'}/../../evil.txt`, /climbs out of the archive/],
    ['an absolute path', '/etc/cron.d/evil', /absolute path/],
    ['a drive letter', 'C:/evil.txt', /absolute path/],
    ['a backslash', 'ROOT\\data\\members.csv', /backslash/],
    ['a control character', 'ROOT/data/\u001b[2Kmembers.csv', /control character/],
    ['an empty segment', 'ROOT//data/members.csv', /empty or "\." path segment/],
  ])('%s in a name', (_title, name, why) => {
    const out = expectFailed(buildZip({ entries: [...entries(), { name: name.replace('ROOT', root), data: Buffer.from('forged') }] }), why);
    expect(out).not.toContain('\u001b');
  });

  test('a file used as a folder by another entry', () => {
    expectFailed(buildZip({ entries: [...entries(), { name: `${root}/data/members.csv/x`, data: Buffer.from('x') }] }), /lies inside .*members\.csv, which is a file/);
  });

  test('a symbolic link, a device, an encrypted entry, a data descriptor, an unknown method, a Unicode-path extra field, a file comment', () => {
    const change = (fields: Partial<TamperEntry>) => {
      const list = entries();
      Object.assign(list[indexOf(list, 'data/members.csv')], fields);
      return buildZip({ entries: list });
    };
    const unix = (3 << 8) | 20;
    expectFailed(change({ versionMadeBy: unix, externalAttributes: (0o120777 << 16) >>> 0, data: Buffer.from('/etc/passwd'), method: 0 }), invalid(`${root}/data/members.csv`, /is a symbolic link/));
    expectFailed(change({ versionMadeBy: unix, externalAttributes: (0o020644 << 16) >>> 0 }), /not a regular file \(Unix mode 20644\)/);
    expectFailed(change({ flags: 0x0801 }), /is encrypted/);
    expectFailed(change({ flags: 0x0808 }), /data descriptor/);
    expectFailed(change({ method: 12, body: Buffer.from('BZh') }), /compression method 12/);
    const unicodePath = Buffer.alloc(4 + 5 + 9);
    unicodePath.writeUInt16LE(0x7075, 0);
    unicodePath.writeUInt16LE(14, 2);
    unicodePath.write('\u0001\u0000\u0000\u0000\u0000evil.txt', 4, 'latin1');
    expectFailed(change({ centralExtra: unicodePath }), /Unicode path that overrides its name/);
    expectFailed(change({ fileComment: Buffer.from('note') }), /file comment/);
  });

  test('multi-disk archives', () => {
    expectFailed(buildZip({ entries: entries(), disk: 1 }), /multi-disk archive/);
    const list = entries();
    list[0].diskStart = 1;
    expectFailed(buildZip({ entries: list }), /multi-disk archive/);
  });
});

describe('zip bombs are refused before or while inflating, never inflated whole', () => {
  test('an entry declaring a size far beyond its compressed bytes (over 100:1), or beyond the per-entry cap', () => {
    const ratio = entries();
    Object.assign(ratio[indexOf(ratio, 'data/exchanges.csv')], { body: zeroBomb, size: ZERO_BOMB_BYTES, crc32: 0 });
    expectFailed(buildZip({ entries: ratio }), invalid(`${root}/data/exchanges.csv`, /declares 268435456 bytes from \d+ compressed \(over 100:1\)/));
    const huge = entries();
    Object.assign(huge[indexOf(huge, 'data/exchanges.csv')], { body: zeroBomb, size: 3_000_000_000, crc32: 0 });
    expectFailed(buildZip({ entries: huge }), /declares 3000000000 bytes, more than the 2147483648/);
  });

  test(`${Math.round(ZERO_BOMB_BYTES / 2 ** 20)} MB of zeros behind a header declaring the genuine size: reading stops at the declared size`, () => {
    const lying = entries();
    Object.assign(lying[indexOf(lying, 'data/exchanges.csv')], { body: zeroBomb });
    const out = expectFailed(buildZip({ entries: lying }), /^INVALID data\/exchanges\.csv: it inflates to more than the \d+ bytes its headers declare/);
    expect(zeroBomb.length).toBeLessThan(400_000);
    expect(out).toMatch(/^ALTERED data\/exchanges\.csv: sha256 checksum does not match/m);
  });

  test('many central records sharing one local entry (a non-recursive bomb: ~250 KB that reads as several GB)', () => {
    const list: TamperEntry[] = [{ name: `${root}/data/bomb-0.csv`, data: Buffer.alloc(0), body: zeroBomb, size: 1_000_000, crc32: 0 }];
    for (let i = 1; i < 20; i++) list.push({ name: `${root}/data/bomb-${i}.csv`, data: Buffer.alloc(0), body: Buffer.alloc(0), size: 1_000_000, crc32: 0 });
    const layout: TamperLayout = { entries: list, centralPointsAt: list.map((_, i) => [i, 0] as [number, number]) };
    expectFailed(buildZip(layout), invalid(`${root}/data/bomb-1.csv`, /overlaps the entry before it/));
  });
});

describe('BagIt-valid but not a pack', () => {
  const genuineFiles = () => new Map(genuine.map((entry) => [entry.name.slice(root.length + 1), entry.data]));
  const bagFiles = (keep: (file: string) => boolean) => new Map([...genuineFiles()].filter(([file]) => keep(file) && !/^(tag)?manifest-/.test(file)));

  test('md5-only or sha1-only manifests (a weak-hash downgrade), with a forged members.csv', () => {
    for (const algorithm of ['md5', 'sha1']) {
      const files = bagFiles(() => true);
      files.set('data/members.csv', forgedMembers().data);
      const out = expectFailed(buildZip({ entries: rebag(root, files, [algorithm]) }), /^MISSING manifest-sha256\.txt: .*a pack needs a sha256 or sha512 payload manifest; md5 and sha1 alone are too weak/);
      expect(out).toMatch(/^MISSING tagmanifest-sha256\.txt: .*sha256 or sha512 tag manifest/m);
    }
  });

  test('a planted tag file vouched for only by an md5 tag manifest is extra', () => {
    const files = bagFiles(() => true);
    const list = rebag(root, files, ['sha256', 'sha512']);
    const planted = Buffer.from('Approved by legal\n');
    const md5 = (data: Buffer) => crypto.createHash('md5').update(data).digest('hex');
    list.push({ name: `${root}/legal-approval.txt`, data: planted }, { name: `${root}/tagmanifest-md5.txt`, data: Buffer.from(`${md5(planted)}  legal-approval.txt\n`) });
    expectFailed(buildZip({ entries: list }), /^EXTRA legal-approval\.txt: no sha256 or sha512 manifest covers this file/);
  });

  test('an empty bag (valid BagIt 1.0, no payload) names every file a pack always has', () => {
    const out = expectFailed(buildZip({ entries: rebag(root, bagFiles((file) => !file.startsWith('data/')), ['sha256', 'sha512']) }), /^MISSING data\/members\.csv: every evidence pack holds this file/);
    for (const file of ['exchanges.csv', 'identifiers.csv', 'links.csv', 'members.csv', 'provenance.json', 'summary.html', 'summary.pdf']) {
      expect(out).toMatch(new RegExp(`^MISSING data/${escape(file)}: `, 'm'));
    }
    expect(out).toMatch(/: 7 missing; the pack is not as it was made\n$/);
  });
});

describe('unzipped folders and input that is no pack', () => {
  test('a symbolic link or FIFO inside an unzipped pack is refused, not followed or read', () => {
    const folder = path.join(work, 'linked');
    execFileSync('unzip', ['-q', genuinePath, '-d', folder]);
    const members = path.join(folder, root, 'data/members.csv');
    fs.rmSync(members);
    fs.symlinkSync('/etc/passwd', members);
    execFileSync('mkfifo', [path.join(folder, root, 'data/pipe.csv')]);
    const out = expectFailed(path.join(folder), /^INVALID data\/members\.csv: is a symbolic link/);
    expect(out).toMatch(/^INVALID data\/pipe\.csv: is not a regular file/m);
    expect(out).not.toContain('root:');
  });

  test('garbage, a device and a missing file are bad input: exit 2, one line on stderr', () => {
    const garbage = path.join(work, 'garbage.zip');
    fs.writeFileSync(garbage, 'not a zip at all, only some text long enough to hold an end record');
    for (const [target, why] of [[garbage, /no end-of-central-directory record/], ['/dev/zero', /not a regular file or folder/], [path.join(work, 'nope.zip'), /no such file or folder/]] as const) {
      const result = verifyWithDeadline(target);
      expect({ status: result.status, lines: result.stderr.trim().split('\n').length, stdout: result.stdout }).toEqual({ status: 2, lines: 1, stdout: '' });
      expect(result.stderr).toMatch(why);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
  });
});

/**
 * Test helpers that do not use our zip or BagIt code: Python's zipfile reads and rewrites archives, and the
 * BagIt check below re-reads RFC 8493's rules from scratch (hashes with node:crypto, nothing from src/evidence).
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const PYTHON = '/usr/bin/python3';

/** Extracts with Python's zipfile (after testzip() checks every CRC) and returns the extraction folder. */
export function extractWithPython(zipPath: string, into: string): void {
  execFileSync(PYTHON, ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    if bad: sys.exit("bad CRC in " + bad)
    z.extractall(sys.argv[2])
`, zipPath, into]);
}

/** Copies a zip entry by entry, changing one byte of one entry (or adding/removing an entry), with Python's zipfile. */
export function rewriteWithPython(source: string, target: string, change: { alter?: string; add?: [string, string]; remove?: string }): void {
  execFileSync(PYTHON, ['-c', `
import sys, json, zipfile
change = json.loads(sys.argv[3])
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        if info.filename == change.get("remove"): continue
        data = src.read(info.filename)
        if info.filename == change.get("alter"):
            data = bytearray(data); data[len(data) // 2] ^= 0x01; data = bytes(data)
        dst.writestr(info.filename, data)
    if change.get("add"): dst.writestr(change["add"][0], change["add"][1])
`, source, target, JSON.stringify(change)]);
}

export function listFiles(root: string, prefix = ''): string[] {
  const result: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) result.push(...listFiles(root, relative));
    else result.push(relative);
  }
  return result.sort();
}

function digest(algorithm: string, file: string): string {
  return crypto.createHash(algorithm).update(fs.readFileSync(file)).digest('hex');
}

/** Every rule we can check from RFC 8493 on an extracted bag folder; returns the broken rules (empty = valid). */
export function independentBagItProblems(bag: string): string[] {
  const problems: string[] = [];
  const files = listFiles(bag);
  const bagitPath = path.join(bag, 'bagit.txt');
  if (!fs.existsSync(bagitPath)) return ['no bagit.txt'];
  if (fs.readFileSync(bagitPath, 'utf8') !== 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n') problems.push('bagit.txt is not exactly the two required lines');
  const payload = files.filter((file) => file.startsWith('data/'));
  for (const algorithm of ['sha256', 'sha512']) {
    const manifest = `manifest-${algorithm}.txt`;
    if (!files.includes(manifest)) {
      problems.push(`no ${manifest}`);
      continue;
    }
    const listed = new Map<string, string>();
    for (const line of fs.readFileSync(path.join(bag, manifest), 'utf8').split('\n').filter(Boolean)) {
      const match = /^([0-9a-f]+) {2}(data\/.+)$/.exec(line);
      if (!match) {
        problems.push(`${manifest}: malformed line ${line}`);
        continue;
      }
      listed.set(match[2], match[1]);
    }
    for (const file of payload) {
      if (!listed.has(file)) problems.push(`${manifest} does not list ${file}`);
      else if (listed.get(file) !== digest(algorithm, path.join(bag, file))) problems.push(`${manifest}: wrong ${algorithm} for ${file}`);
    }
    for (const file of listed.keys()) if (!payload.includes(file)) problems.push(`${manifest} lists absent ${file}`);
  }
  const tagFiles = files.filter((file) => !file.startsWith('data/') && !file.startsWith('tagmanifest-'));
  if (!files.includes('tagmanifest-sha256.txt')) problems.push('no tagmanifest-sha256.txt');
  else {
    const lines = fs.readFileSync(path.join(bag, 'tagmanifest-sha256.txt'), 'utf8').split('\n').filter(Boolean);
    const listed = new Map(lines.map((line) => [line.slice(66), line.slice(0, 64)]));
    for (const file of tagFiles) {
      if (listed.get(file) !== digest('sha256', path.join(bag, file))) problems.push(`tagmanifest-sha256.txt: ${file} missing or wrong`);
    }
    for (const file of listed.keys()) if (file.startsWith('tagmanifest-') || file.startsWith('data/')) problems.push(`tagmanifest lists ${file}`);
  }
  const info = fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8');
  const labels = new Map<string, string>();
  let last = '';
  for (const line of info.split('\n').filter(Boolean)) {
    if (/^\s/.test(line)) labels.set(last, labels.get(last)! + line.slice(2));
    else {
      last = line.slice(0, line.indexOf(':'));
      labels.set(last, line.slice(line.indexOf(':') + 2));
    }
    if (line.length > 79) problems.push(`bag-info.txt line longer than 79 characters: ${line}`);
  }
  for (const label of ['Source-Organization', 'Bagging-Date', 'External-Identifier', 'External-Description', 'Payload-Oxum', 'Bag-Size', 'Bag-Software-Agent']) {
    if (!labels.has(label)) problems.push(`bag-info.txt has no ${label}`);
  }
  const octets = payload.reduce((sum, file) => sum + fs.statSync(path.join(bag, file)).size, 0);
  if (labels.get('Payload-Oxum') !== `${octets}.${payload.length}`) problems.push(`Payload-Oxum ${labels.get('Payload-Oxum')} but payload is ${octets}.${payload.length}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(labels.get('Bagging-Date') ?? '')) problems.push('Bagging-Date is not YYYY-MM-DD');
  return problems;
}

export function bagInfoLabels(bag: string): Map<string, string> {
  const labels = new Map<string, string>();
  let last = '';
  for (const line of fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8').split('\n').filter(Boolean)) {
    if (/^\s/.test(line)) labels.set(last, labels.get(last)! + line.slice(2));
    else {
      last = line.slice(0, line.indexOf(':'));
      labels.set(last, line.slice(line.indexOf(':') + 2));
    }
  }
  return labels;
}

/**
 * Verifies an evidence pack (zip or unzipped folder) as a BagIt 1.0 bag (RFC 8493 §3): complete (bagit.txt,
 * at least one payload manifest, every payload file listed in every payload manifest, every listed file
 * present) and valid (every checksum in every payload and tag manifest matches, Payload-Oxum matches).
 *
 * Stricter than the RFC in one way, because a pack is evidence: a file that no manifest covers (an unlisted
 * tag file, a stray file outside the bag folder) is reported as extra, since nothing proves where it came from.
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { type BagAlgorithm, hashHex, parseBagInfo, parseManifest, SUPPORTED_ALGORITHMS } from './bagit';
import { readZip } from './zip';

export type VerifyProblemKind = 'missing' | 'extra' | 'altered' | 'invalid';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** Path inside the bag (e.g. "data/members.csv"), or the bag itself for whole-bag problems. */
  path: string;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  pack: string;
  /** Payload files (under data/) found. */
  payloadFiles: number;
  /** All files found in the bag. */
  files: number;
  problems: VerifyProblem[];
}

interface BagContents {
  files: Map<string, Buffer>;
  /** Paths whose zip CRC-32 did not match their bytes. */
  damaged: Set<string>;
  /** Entries outside the bag's folder (zip only). */
  outside: string[];
}

const MANIFEST_NAME = /^manifest-([A-Za-z0-9]+)\.txt$/;
const TAG_MANIFEST_NAME = /^tagmanifest-([A-Za-z0-9]+)\.txt$/;
const BAGIT_LINES = ['BagIt-Version: 1.0', 'Tag-File-Character-Encoding: UTF-8'];

function readFolder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(full, relative);
      else files.set(relative, fs.readFileSync(full));
    }
  };
  walk(root, '');
  return files;
}

/** A folder is taken for a bag when it has any of a bag's marks, so a bag with bagit.txt removed is still checked (and fails). */
function looksLikeBag(folder: string): boolean {
  if (fs.existsSync(path.join(folder, 'bagit.txt')) || fs.existsSync(path.join(folder, 'data'))) return true;
  return fs.readdirSync(folder).some((name) => MANIFEST_NAME.test(name));
}

function loadBag(target: string): BagContents {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw swarmscopeError('INPUT_NOT_FOUND', `${target}: no such file or folder; give a pack .zip or an unzipped pack folder`);
  }
  if (stat.isDirectory()) {
    let root = target;
    if (!looksLikeBag(root)) {
      // An unzipped pack: the folder holding the bag's single top-level folder.
      const children = fs.readdirSync(root, { withFileTypes: true });
      if (children.length !== 1 || !children[0].isDirectory() || !looksLikeBag(path.join(root, children[0].name))) {
        throw swarmscopeError('BAD_ARGUMENT', `${target}: not a bag folder (no bagit.txt, manifest or data/ here or in a single sub-folder)`);
      }
      root = path.join(root, children[0].name);
    }
    return { files: readFolder(root), damaged: new Set(), outside: [] };
  }
  const entries = readZip(fs.readFileSync(target), target).filter((entry) => !entry.name.endsWith('/'));
  const roots = new Set(entries.map((entry) => (entry.name.includes('/') ? entry.name.slice(0, entry.name.indexOf('/')) : '')));
  // The bag folder is the one holding bagit.txt; failing that (bagit.txt itself removed), the single top-level folder.
  const bagRoot = [...roots].find((root) => entries.some((entry) => entry.name === (root ? `${root}/bagit.txt` : 'bagit.txt'))) ?? (roots.size === 1 ? [...roots][0] : undefined);
  const prefix = bagRoot === undefined ? null : bagRoot ? `${bagRoot}/` : '';
  if (prefix === null) throw swarmscopeError('BAD_ARGUMENT', `${target}: the zip holds no bag (no bagit.txt, and not one top-level folder); not an evidence pack`);
  const files = new Map<string, Buffer>();
  const damaged = new Set<string>();
  const outside: string[] = [];
  for (const entry of entries) {
    if (prefix === null || !entry.name.startsWith(prefix)) {
      outside.push(entry.name);
      continue;
    }
    const name = entry.name.slice(prefix.length);
    files.set(name, entry.data);
    if (!entry.crcMatches) damaged.add(name);
  }
  return { files, damaged, outside };
}

export function verifyEvidencePack(target: string): VerifyResult {
  const bag = loadBag(target);
  const problems: VerifyProblem[] = [];
  const add = (kind: VerifyProblemKind, file: string, detail: string) => {
    const existing = problems.find((problem) => problem.kind === kind && problem.path === file);
    if (existing) existing.detail += `; ${detail}`;
    else problems.push({ kind, path: file, detail });
  };
  for (const name of bag.outside) add('extra', name, 'outside the bag folder');
  for (const name of bag.damaged) add('altered', name, 'its bytes do not match the zip entry\'s CRC-32');

  const bagit = bag.files.get('bagit.txt');
  if (!bagit) add('missing', 'bagit.txt', 'required by RFC 8493 §2.1.1');
  else {
    const lines = bagit.toString('utf8').split(/\r\n|\n|\r/).filter((line, i, all) => !(line === '' && i === all.length - 1));
    if (lines.length !== 2 || lines[0] !== BAGIT_LINES[0] || lines[1] !== BAGIT_LINES[1]) {
      add('invalid', 'bagit.txt', `must be exactly "${BAGIT_LINES[0]}" and "${BAGIT_LINES[1]}"`);
    }
  }

  const payloadPaths = [...bag.files.keys()].filter((name) => name.startsWith('data/'));
  const covered = new Set<string>(['bagit.txt', 'bag-info.txt']);
  let payloadManifests = 0;
  for (const [name, data] of bag.files) {
    const payloadMatch = MANIFEST_NAME.exec(name);
    const tagMatch = TAG_MANIFEST_NAME.exec(name);
    const match = payloadMatch ?? tagMatch;
    if (!match) continue;
    covered.add(name);
    const algorithm = match[1].toLowerCase() as BagAlgorithm;
    if (!SUPPORTED_ALGORITHMS.includes(algorithm)) {
      add('invalid', name, `checksum algorithm "${match[1]}" is not supported (${SUPPORTED_ALGORITHMS.join(', ')})`);
      continue;
    }
    const { entries, errors } = parseManifest(data.toString('utf8'));
    for (const error of errors) add('invalid', name, error);
    const listed = new Set<string>();
    for (const entry of entries) {
      if (listed.has(entry.path)) add('invalid', name, `line ${entry.line} lists ${entry.path} a second time`);
      listed.add(entry.path);
      if (entry.path.split('/').some((part) => part === '..' || part === '') || entry.path.startsWith('/')) {
        add('invalid', name, `line ${entry.path} is not a plain relative path`);
        continue;
      }
      if (payloadMatch && !entry.path.startsWith('data/')) add('invalid', name, `lists ${entry.path}, which is not under data/`);
      if (tagMatch && (entry.path.startsWith('data/') || TAG_MANIFEST_NAME.test(entry.path))) add('invalid', name, `lists ${entry.path}, which a tag manifest must not list`);
      covered.add(entry.path);
      const content = bag.files.get(entry.path);
      if (!content) {
        add('missing', entry.path, `listed in ${name} but not in the pack`);
        continue;
      }
      if (hashHex(algorithm, content) !== entry.checksum) add('altered', entry.path, `${algorithm} checksum does not match ${name}`);
    }
    if (payloadMatch) {
      payloadManifests++;
      for (const payloadPath of payloadPaths) if (!listed.has(payloadPath)) add('extra', payloadPath, `not listed in ${name}`);
    }
  }
  if (payloadManifests === 0) add('missing', 'manifest-sha256.txt', 'a bag needs at least one payload manifest (RFC 8493 §2.1.3)');
  for (const name of bag.files.keys()) {
    if (!name.startsWith('data/') && !covered.has(name)) add('extra', name, 'no manifest covers this file');
  }

  const bagInfo = bag.files.get('bag-info.txt');
  if (bagInfo) {
    const oxum = parseBagInfo(bagInfo.toString('utf8')).find(([label]) => label.toLowerCase() === 'payload-oxum');
    if (oxum) {
      let octets = 0;
      for (const payloadPath of payloadPaths) octets += bag.files.get(payloadPath)!.length;
      const actual = `${octets}.${payloadPaths.length}`;
      if (oxum[1].trim() !== actual) add('invalid', 'bag-info.txt', `Payload-Oxum says ${oxum[1].trim()} but the payload is ${actual} (octets.files)`);
    }
  }
  const order: Record<VerifyProblemKind, number> = { missing: 0, extra: 1, altered: 2, invalid: 3 };
  problems.sort((a, b) => order[a.kind] - order[b.kind] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: problems.length === 0, pack: target, payloadFiles: payloadPaths.length, files: bag.files.size, problems };
}

/**
 * Verifies an evidence pack (zip or unzipped folder) as a BagIt 1.0 bag (RFC 8493 §3): complete (bagit.txt,
 * at least one payload manifest, every payload file listed in every payload manifest, every listed file
 * present) and valid (every checksum in every payload and tag manifest matches, Payload-Oxum matches).
 *
 * Stricter than the RFC, because a pack is evidence and `verify` is what vouches for it:
 * - the zip must have exactly one reading (readZipStructure in zip.ts): duplicate names, entries or bytes outside
 *   the central directory, disagreeing headers, encryption, links and hostile names are refused before any
 *   content is read, as are archives past ZIP_READ_LIMITS (size, ratio); entries are inflated and hashed as
 *   streams, so memory stays bounded whatever the archive declares;
 * - a pack holds every file the builder always writes (REQUIRED_PACK_FILES): an empty bag is not a pack;
 * - it has a sha256 or sha512 payload manifest and tag manifest: md5 or sha1 alone are too weak to prove a file
 *   unaltered (a downgrade), and only a strong tag manifest covers a tag file;
 * - a file that no manifest covers (an unlisted tag file, a stray file outside the bag folder) is extra, since
 *   nothing proves where it came from; in a folder, a symbolic link or special file is refused, never followed.
 *
 * - the files the builder writes only sometimes, or only since a later version (OPTIONAL_PACK_FILES: README.txt,
 *   the signature, data/case-decisions.json), are not required, so packs made before them still verify; when
 *   present they are covered like any other (a manifest lists README.txt and case-decisions.json, so deleting one
 *   from a pack that had it is MISSING);
 * - a signed pack (tagmanifest-sha256.txt.sig, signature.ts) checked with a public key (`publicKey`): the Ed25519
 *   signature must match tagmanifest-sha256.txt, and every file outside data/ except the tag manifests and the
 *   signature must be listed in that signed manifest (every data/ file is in every payload manifest already), so
 *   the signature covers every byte; a pack without a signature fails when a key is given. Without a key the
 *   signature is reported as present but unchecked (`signature: 'unchecked'`): checksums alone prove integrity,
 *   never origin.
 *
 * Outcome contract: the result lists every problem (exit 1 in the CLI); only input that is no pack at all — no
 * such path, not a regular file or folder, bytes with no zip end record, a zip or folder holding no bag — throws
 * BAD_ARGUMENT/INPUT_NOT_FOUND (exit 2). A zip whose layout fails the strict reading is one INVALID problem naming
 * the entry (or the archive) and why, and nothing in it is read further.
 */
import * as crypto from 'crypto';
import type { KeyObject } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import { type BagAlgorithm, hashHex, PAYLOAD_MANIFEST_ALGORITHMS, parseBagInfo, parseManifest, SUPPORTED_ALGORITHMS } from './bagit';
import { CASE_DECISIONS_FILE, PACK_README, PAYLOAD_DESCRIPTIONS } from './pack';
import { keyFingerprint, SIGNATURE_FILE, SIGNED_FILE, signatureMatches } from './signature';
import { fileSource, readZipStructure, streamZipEntry, type ZipEntryDamage, type ZipEntryRecord, ZipStructureError } from './zip';

export type VerifyProblemKind = 'missing' | 'extra' | 'altered' | 'invalid';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** Path inside the bag (e.g. "data/members.csv"), the zip entry's full name for a layout problem, or the pack itself for whole-pack problems. */
  path: string;
  detail: string;
}

/**
 * What verify learnt about origin: 'absent' (no signature: integrity proven, origin not), 'unchecked' (signed, but no
 * public key given), 'valid' (the signature matches with the key given), 'invalid' (it does not, or the pack is
 * unsigned although a key was given: a problem is listed).
 */
export type SignatureOutcome = 'absent' | 'unchecked' | 'valid' | 'invalid';

export interface VerifyOptions {
  /** The signer's Ed25519 public key (--pubkey): the pack must carry a signature that matches it. */
  publicKey?: KeyObject;
}

export interface VerifyResult {
  ok: boolean;
  signature: SignatureOutcome;
  /** SHA-256 of the public key given (null without one). */
  keyFingerprint: string | null;
  pack: string;
  /** Payload files (under data/) found. */
  payloadFiles: number;
  /** All files found in the bag. */
  files: number;
  problems: VerifyProblem[];
}

/**
 * Every file `buildEvidencePack` writes into every pack (its payload table and the tag files of bagit.ts's
 * algorithms); test/evidence checks a built pack holds exactly these.
 */
export const REQUIRED_PACK_FILES: readonly string[] = [
  'bagit.txt',
  'bag-info.txt',
  ...PAYLOAD_MANIFEST_ALGORITHMS.flatMap((algorithm) => [`manifest-${algorithm}.txt`, `tagmanifest-${algorithm}.txt`]),
  ...Object.keys(PAYLOAD_DESCRIPTIONS),
].sort();

/** Files a pack may hold beyond REQUIRED_PACK_FILES: the README (every pack since it was added), the signature (--sign), the review (--state, --reviewed-by). */
export const OPTIONAL_PACK_FILES: readonly string[] = [PACK_README, SIGNATURE_FILE, CASE_DECISIONS_FILE];

/** Hash algorithms strong enough to vouch for a file; md5 and sha1 have practical collisions. */
const STRONG_ALGORITHMS: readonly BagAlgorithm[] = ['sha256', 'sha512'];
/**
 * bagit.txt, bag-info.txt and the manifests up to this size are read whole to parse them (a pack's largest, its
 * sha512 manifest, is about 1 KB); every other file is only streamed through its hashes, so memory stays bounded
 * however many files a pack holds.
 */
const TAG_FILE_LIMIT = 1024 * 1024;
/** An Ed25519 signature is exactly this long (RFC 8032 §5.1.6). */
const SIGNATURE_BYTES = 64;
const MANIFEST_NAME = /^manifest-([A-Za-z0-9]+)\.txt$/;
const TAG_MANIFEST_NAME = /^tagmanifest-([A-Za-z0-9]+)\.txt$/;
const BAGIT_LINES = ['BagIt-Version: 1.0', 'Tag-File-Character-Encoding: UTF-8'];

/** One file of the bag, before it is read: its size and a way to stream its bytes. */
interface BagSourceFile {
  path: string;
  size: number;
  stream(onData: (chunk: Buffer) => void): Promise<ZipEntryDamage | null>;
}

interface BagSource {
  files: BagSourceFile[];
  problems: VerifyProblem[];
  close(): void;
}

/** What was learnt from one file's bytes: its size, its digests for every algorithm a manifest names, and a tag file's text. */
interface BagFileFacts {
  size: number;
  digests: Map<BagAlgorithm, string>;
  content?: Buffer;
  damaged: boolean;
}

function algorithmOf(name: string): BagAlgorithm | null {
  const match = MANIFEST_NAME.exec(name) ?? TAG_MANIFEST_NAME.exec(name);
  const algorithm = match?.[1].toLowerCase() as BagAlgorithm | undefined;
  return algorithm && SUPPORTED_ALGORITHMS.includes(algorithm) ? algorithm : null;
}

async function streamFile(file: string, onData: (chunk: Buffer) => void): Promise<null> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) onData(chunk as Buffer);
  return null;
}

function folderSource(root: string): BagSource {
  const files: BagSourceFile[] = [];
  const problems: VerifyProblem[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(full, relative);
      else if (entry.isSymbolicLink()) problems.push({ kind: 'invalid', path: relative, detail: 'is a symbolic link; a pack holds regular files only, and verify does not follow links' });
      else if (!entry.isFile()) problems.push({ kind: 'invalid', path: relative, detail: 'is not a regular file (a FIFO, socket or device)' });
      else files.push({ path: relative, size: fs.lstatSync(full).size, stream: (onData) => streamFile(full, onData) });
    }
  };
  walk(root, '');
  return { files, problems, close: () => undefined };
}

/** A folder is taken for a bag when it has any of a bag's marks, so a bag with bagit.txt removed is still checked (and fails). */
function looksLikeBag(folder: string): boolean {
  if (fs.existsSync(path.join(folder, 'bagit.txt')) || fs.existsSync(path.join(folder, 'data'))) return true;
  return fs.readdirSync(folder).some((name) => MANIFEST_NAME.test(name));
}

function bagFolder(target: string): string {
  if (looksLikeBag(target)) return target;
  // An unzipped pack: the folder holding the bag's single top-level folder.
  const children = fs.readdirSync(target, { withFileTypes: true });
  if (children.length !== 1 || !children[0].isDirectory() || !looksLikeBag(path.join(target, children[0].name))) {
    throw swarmscopeError('BAD_ARGUMENT', `${target}: not a bag folder (no bagit.txt, manifest or data/ here or in a single sub-folder)`);
  }
  return path.join(target, children[0].name);
}

/** The zip's entries as bag files, or the one layout problem that makes the archive unreadable as a pack. */
function zipSource(target: string, size: number): BagSource | VerifyProblem {
  const fd = fs.openSync(target, 'r');
  let entries: ZipEntryRecord[];
  try {
    entries = readZipStructure(fileSource(fd, size), target).filter((entry) => !entry.directory);
  } catch (error) {
    fs.closeSync(fd);
    if (error instanceof ZipStructureError) return { kind: 'invalid', path: error.entry ?? target, detail: error.message };
    throw error;
  }
  const roots = new Set(entries.map((entry) => (entry.name.includes('/') ? entry.name.slice(0, entry.name.indexOf('/')) : '')));
  // The bag folder is the one holding bagit.txt; failing that (bagit.txt itself removed), the single top-level folder.
  const bagRoot = [...roots].find((root) => entries.some((entry) => entry.name === (root ? `${root}/bagit.txt` : 'bagit.txt'))) ?? (roots.size === 1 ? [...roots][0] : undefined);
  if (bagRoot === undefined) {
    fs.closeSync(fd);
    throw swarmscopeError('BAD_ARGUMENT', `${target}: the zip holds no bag (no bagit.txt, and not one top-level folder); not an evidence pack`);
  }
  const prefix = bagRoot ? `${bagRoot}/` : '';
  const files: BagSourceFile[] = [];
  const problems: VerifyProblem[] = [];
  for (const entry of entries) {
    // Entries outside the bag folder are reported, never read.
    if (!entry.name.startsWith(prefix)) problems.push({ kind: 'extra', path: entry.name, detail: 'outside the bag folder' });
    else files.push({ path: entry.name.slice(prefix.length), size: entry.size, stream: (onData) => streamZipEntry(fd, entry, onData) });
  }
  return { files, problems, close: () => fs.closeSync(fd) };
}

function openBag(target: string): BagSource | VerifyProblem {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw swarmscopeError('INPUT_NOT_FOUND', `${target}: no such file or folder; give a pack .zip or an unzipped pack folder`);
  }
  if (stat.isDirectory()) return folderSource(bagFolder(target));
  if (!stat.isFile()) throw swarmscopeError('BAD_ARGUMENT', `${target}: not a regular file or folder (a FIFO or device); give a pack .zip or an unzipped pack folder`);
  return zipSource(target, stat.size);
}

/**
 * Reads every file once: tag files (outside data/, small) whole, then every other file streamed through the
 * hashes of every algorithm a manifest names, so a payload file is never held in memory.
 */
async function readBag(source: BagSource, add: (kind: VerifyProblemKind, file: string, detail: string) => void): Promise<Map<string, BagFileFacts>> {
  const facts = new Map<string, BagFileFacts>();
  const isTagFile = (file: BagSourceFile) =>
    (file.path === 'bagit.txt' || file.path === 'bag-info.txt' || file.path === SIGNATURE_FILE || algorithmOf(file.path) !== null) && file.size <= TAG_FILE_LIMIT;
  const record = (file: BagSourceFile, fact: BagFileFacts, damage: ZipEntryDamage | null) => {
    if (damage) {
      add(damage.kind, file.path, damage.detail);
      fact.damaged = true;
    }
    facts.set(file.path, fact);
  };
  for (const file of source.files.filter(isTagFile)) {
    const chunks: Buffer[] = [];
    const damage = await file.stream((chunk) => chunks.push(chunk));
    record(file, { size: file.size, digests: new Map(), content: Buffer.concat(chunks), damaged: false }, damage);
  }
  const algorithms = [...new Set(source.files.map((file) => algorithmOf(file.path)).filter((algorithm): algorithm is BagAlgorithm => algorithm !== null))];
  for (const file of source.files.filter((candidate) => !isTagFile(candidate))) {
    const hashes = algorithms.map((algorithm) => [algorithm, crypto.createHash(algorithm)] as const);
    const damage = await file.stream((chunk) => {
      for (const [, hash] of hashes) hash.update(chunk);
    });
    record(file, { size: file.size, digests: new Map(hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')])), damaged: false }, damage);
  }
  return facts;
}

function digestOf(fact: BagFileFacts, algorithm: BagAlgorithm): string | undefined {
  if (fact.damaged) return undefined;
  return fact.digests.get(algorithm) ?? (fact.content ? hashHex(algorithm, fact.content) : undefined);
}

export async function verifyEvidencePack(target: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const fingerprint = options.publicKey ? keyFingerprint(options.publicKey) : null;
  const problems: VerifyProblem[] = [];
  const add = (kind: VerifyProblemKind, file: string, detail: string) => {
    const existing = problems.find((problem) => problem.kind === kind && problem.path === file);
    if (existing) existing.detail += `; ${detail}`;
    else problems.push({ kind, path: file, detail });
  };
  const source = openBag(target);
  if (!('files' in source)) return { ok: false, signature: options.publicKey ? 'invalid' : 'absent', keyFingerprint: fingerprint, pack: target, payloadFiles: 0, files: 0, problems: [source] };
  let files: Map<string, BagFileFacts>;
  try {
    for (const problem of source.problems) add(problem.kind, problem.path, problem.detail);
    files = await readBag(source, add);
  } finally {
    source.close();
  }

  const tooLarge = (name: string) => `is ${files.get(name)!.size} bytes, more than the ${TAG_FILE_LIMIT} a tag file may have`;
  const bagit = files.get('bagit.txt')?.content;
  if (!files.has('bagit.txt')) add('missing', 'bagit.txt', 'required by RFC 8493 §2.1.1');
  else if (!bagit) add('invalid', 'bagit.txt', tooLarge('bagit.txt'));
  else {
    const lines = bagit.toString('utf8').split(/\r\n|\n|\r/).filter((line, i, all) => !(line === '' && i === all.length - 1));
    if (lines.length !== 2 || lines[0] !== BAGIT_LINES[0] || lines[1] !== BAGIT_LINES[1]) {
      add('invalid', 'bagit.txt', `must be exactly "${BAGIT_LINES[0]}" and "${BAGIT_LINES[1]}"`);
    }
  }
  for (const required of REQUIRED_PACK_FILES) if (!files.has(required)) add('missing', required, 'every evidence pack holds this file');

  const payloadPaths = [...files.keys()].filter((name) => name.startsWith('data/'));
  const covered = new Set<string>(['bagit.txt', 'bag-info.txt']);
  const strong = { payload: 0, tag: 0 };
  /** The paths the signed manifest (tagmanifest-sha256.txt) lists. */
  let signedListing: Set<string> | null = null;
  for (const [name, fact] of files) {
    const payloadMatch = MANIFEST_NAME.exec(name);
    const tagMatch = TAG_MANIFEST_NAME.exec(name);
    const match = payloadMatch ?? tagMatch;
    if (!match) continue;
    covered.add(name);
    const algorithm = algorithmOf(name);
    if (!algorithm) {
      add('invalid', name, `checksum algorithm "${match[1]}" is not supported (${SUPPORTED_ALGORITHMS.join(', ')})`);
      continue;
    }
    if (!fact.content) {
      add('invalid', name, tooLarge(name));
      continue;
    }
    const isStrong = STRONG_ALGORITHMS.includes(algorithm);
    const { entries, errors } = parseManifest(fact.content.toString('utf8'));
    for (const error of errors) add('invalid', name, error);
    const listed = new Set<string>();
    for (const entry of entries) {
      if (listed.has(entry.path)) add('invalid', name, `line ${entry.line} lists ${entry.path} a second time`);
      listed.add(entry.path);
      if (entry.path.split('/').some((part) => part === '..' || part === '') || entry.path.startsWith('/')) {
        add('invalid', name, `line ${entry.line} (${entry.path}) is not a plain relative path`);
        continue;
      }
      if (payloadMatch && !entry.path.startsWith('data/')) add('invalid', name, `lists ${entry.path}, which is not under data/`);
      if (tagMatch && (entry.path.startsWith('data/') || TAG_MANIFEST_NAME.test(entry.path))) add('invalid', name, `lists ${entry.path}, which a tag manifest must not list`);
      // Only a strong tag manifest vouches for a tag file: a planted file listed in an md5 tag manifest stays extra.
      if (payloadMatch || isStrong) covered.add(entry.path);
      const fileFacts = files.get(entry.path);
      if (!fileFacts) {
        add('missing', entry.path, `listed in ${name} but not in the pack`);
        continue;
      }
      if (digestOf(fileFacts, algorithm) !== entry.checksum) add('altered', entry.path, `${algorithm} checksum does not match ${name}`);
    }
    if (name === SIGNED_FILE) signedListing = listed;
    if (payloadMatch) {
      for (const payloadPath of payloadPaths) if (!listed.has(payloadPath)) add('extra', payloadPath, `not listed in ${name}`);
    }
    if (isStrong) strong[payloadMatch ? 'payload' : 'tag']++;
  }
  // A weak-hash downgrade: md5 or sha1 alone can be matched by a forged file, so they never suffice.
  if (strong.payload === 0) add('missing', 'manifest-sha256.txt', 'a pack needs a sha256 or sha512 payload manifest; md5 and sha1 alone are too weak to prove a file unaltered');
  if (strong.tag === 0) add('missing', 'tagmanifest-sha256.txt', 'a pack needs a sha256 or sha512 tag manifest; md5 and sha1 alone are too weak to prove a file unaltered');
  const signature = checkSignature(files, options.publicKey, fingerprint, signedListing, add);
  if (files.has(SIGNATURE_FILE)) covered.add(SIGNATURE_FILE);
  for (const name of files.keys()) {
    if (!name.startsWith('data/') && !covered.has(name)) add('extra', name, 'no sha256 or sha512 manifest covers this file');
  }

  const bagInfo = files.get('bag-info.txt')?.content;
  if (files.has('bag-info.txt') && !bagInfo) add('invalid', 'bag-info.txt', tooLarge('bag-info.txt'));
  if (bagInfo) {
    const oxum = parseBagInfo(bagInfo.toString('utf8')).find(([label]) => label.toLowerCase() === 'payload-oxum');
    let octets = 0;
    for (const payloadPath of payloadPaths) octets += files.get(payloadPath)!.size;
    const actual = `${octets}.${payloadPaths.length}`;
    if (!oxum) add('invalid', 'bag-info.txt', `has no Payload-Oxum (every pack records one; the payload is ${actual} octets.files)`);
    else if (oxum[1].trim() !== actual) add('invalid', 'bag-info.txt', `Payload-Oxum says ${oxum[1].trim()} but the payload is ${actual} (octets.files)`);
  }
  const order: Record<VerifyProblemKind, number> = { missing: 0, extra: 1, altered: 2, invalid: 3 };
  problems.sort((a, b) => order[a.kind] - order[b.kind] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: problems.length === 0, signature, keyFingerprint: fingerprint, pack: target, payloadFiles: payloadPaths.length, files: files.size, problems };
}

/**
 * The origin check. With a key: the signature must exist, be 64 bytes, match tagmanifest-sha256.txt, and that
 * manifest must list every tag file (so nothing outside the signature's reach is taken for part of the pack).
 */
function checkSignature(
  files: Map<string, BagFileFacts>,
  publicKey: KeyObject | undefined,
  fingerprint: string | null,
  signedListing: Set<string> | null,
  add: (kind: VerifyProblemKind, file: string, detail: string) => void,
): SignatureOutcome {
  const signatureFacts = files.get(SIGNATURE_FILE);
  if (!publicKey) return signatureFacts ? 'unchecked' : 'absent';
  if (!signatureFacts) {
    add('missing', SIGNATURE_FILE, `the pack is not signed, but --pubkey (key ${fingerprint}) asks for a signature by that key`);
    return 'invalid';
  }
  const signed = files.get(SIGNED_FILE)?.content;
  if (!signatureFacts.content || signatureFacts.content.length !== SIGNATURE_BYTES) {
    add('invalid', SIGNATURE_FILE, `is ${signatureFacts.size} bytes; an Ed25519 signature is ${SIGNATURE_BYTES}`);
    return 'invalid';
  }
  if (!signed || !signatureMatches(publicKey, signed, signatureFacts.content)) {
    add('invalid', SIGNATURE_FILE, `the signature does not match ${SIGNED_FILE} with the public key given (${fingerprint}): the pack was changed and its manifests regenerated, or it was signed with another key`);
    return 'invalid';
  }
  let outside = false;
  for (const name of files.keys()) {
    if (name.startsWith('data/') || TAG_MANIFEST_NAME.test(name) || name === SIGNATURE_FILE) continue;
    if (!signedListing?.has(name)) {
      add('extra', name, `not listed in the signed ${SIGNED_FILE}, so the signature does not cover it`);
      outside = true;
    }
  }
  return outside ? 'invalid' : 'valid';
}

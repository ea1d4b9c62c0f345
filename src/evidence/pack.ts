/**
 * Builds an evidence pack: a BagIt 1.0 bag (see bagit.ts) in one top-level folder, zipped deterministically
 * (see zip.ts). The pack's bytes depend only on the sweep, the cluster, the options that change its content
 * (organisation, pseudonymisation key, signing key, case decisions, reviewer) and the software and Node
 * versions — never on where it is written: bag-info.txt records the command with its paths as placeholders
 * (packCommandLine), so two builds to different --out paths, or from a copy of the sweep elsewhere, are
 * byte-identical. With a signing key the bag also holds tagmanifest-sha256.txt.sig (signature.ts); README.txt
 * says how to check the pack with sha256sum and openssl alone.
 */
import { SOFTWARE } from '../core/version';
import { swarmscopeError } from '../core/errors';
import { IDENTIFIER_KINDS } from '../core/world';
import {
  BAGIT_TXT, type BagFile, bagInfoText, humanSize, manifestText, PAYLOAD_MANIFEST_ALGORITHMS, payloadOxum,
} from './bagit';
import { type ClusterFacts, computeClusterFacts } from './cluster-facts';
import { buildGraphPicture, graphSvg, mixSvg, volumeSeries, volumeSvg } from './pictures';
import { createPseudonymizer, IDENTITY_PSEUDONYMIZER, type Pseudonymizer } from './pseudonymize';
import { buildSummaryModel } from './summary';
import { type PackFileDescription, summaryHtml } from './summary-html';
import { type PdfLayoutBlock, summaryPdfWithLayout } from './summary-pdf';
import { exchangesCsv, identifiersCsv, linksCsv, membersCsv } from './tables';
import type { EvidenceInput } from './types';
import { assembleZip, type CompressedEntry, compressEntry } from './zip';
import { keyFingerprint, opensslVerifyCommand, SIGNATURE_FILE, SIGNED_FILE, signBytes } from './signature';
import type { KeyObject } from 'crypto';

export interface BuildEvidenceOptions {
  input: EvidenceInput;
  /** Source-Organization in bag-info.txt (--org). */
  organisation?: string;
  /** The exact command line, recorded in bag-info.txt. */
  commandLine?: string;
  /** Secret key for keyed pseudonyms (--pseudonymize KEYFILE); never written into the pack. */
  pseudonymizeKey?: Buffer;
  /** Ed25519 private key (--sign); the pack then carries tagmanifest-sha256.txt.sig. */
  signingKey?: KeyObject;
  /** Who reviewed the finding and what the case book says about the cluster (--reviewed-by, --state). */
  review?: PackReview;
}

/** One case-book decision on the pack's cluster, as the pack cites it. */
export interface PackCaseDecision {
  seq: number;
  status: string;
  by: string;
  note: string;
  at: string;
  sweep_id: string | null;
  /** SHA-256 of the entry's line in casebook.jsonl (what `swarmscope case verify` chains). */
  entry_sha256: string;
}

export interface PackReview {
  /** --reviewed-by: the person who confirmed the finding, named by the builder. */
  reviewedBy: string | null;
  /** Every decision on the cluster, oldest first; null when no case book was given (--state). */
  decisions: PackCaseDecision[] | null;
}

/** The file holding the review in the payload, written when a reviewer or a case book is given. */
export const CASE_DECISIONS_FILE = 'data/case-decisions.json';
/** The pack's README (a tag file listed in the tag manifests): how to check the pack without swarmscope. */
export const PACK_README = 'README.txt';

/**
 * The command recorded in bag-info.txt: the flags that shape the content, every path (sweep dir, --out, key
 * files, state dir) as a placeholder, so the record — and the pack's bytes — do not depend on where anything is.
 */
export function packCommandLine(flags: { cluster: string; org?: string; pseudonymize?: boolean; sign?: boolean; state?: boolean; reviewedBy?: string }): string {
  const quote = (arg: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  const parts = ['swarmscope', 'evidence', '<sweep-dir>', '--cluster', quote(flags.cluster)];
  if (flags.org !== undefined) parts.push('--org', quote(flags.org));
  if (flags.pseudonymize) parts.push('--pseudonymize', '<key-file>');
  if (flags.state) parts.push('--state', '<state-dir>');
  if (flags.reviewedBy !== undefined) parts.push('--reviewed-by', quote(flags.reviewedBy));
  if (flags.sign) parts.push('--sign', '<private-key.pem>');
  parts.push('--out', '<pack.zip>');
  return parts.join(' ');
}

export interface EvidencePackFile {
  /** Path inside the bag, e.g. "data/members.csv". */
  path: string;
  bytes: number;
  sha256: string;
}

export interface EvidencePack {
  /** The zip archive's bytes. */
  zip: Buffer;
  /** The bag's top-level folder inside the zip. */
  root: string;
  payload: EvidencePackFile[];
  payloadOxum: string;
  /** True when the graph picture shows a summary rather than every node. */
  graphSummarised: boolean;
  pseudonymised: boolean;
  members: number;
  links: number;
  /** Where summary.pdf's headings, text and pictures landed, page by page (for layout checks). */
  pdfLayout: PdfLayoutBlock[];
  /** SHA-256 of the signing key's public half (null: not signed). */
  signerFingerprint: string | null;
}

export const PAYLOAD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'data/summary.html': 'This summary: the finding, key numbers, reasons, pictures, how it was detected. Opens in any browser.',
  'data/summary.pdf': 'The same summary as a PDF.',
  'data/members.csv': 'Every member account with its role, activity totals and the evidence for its membership.',
  'data/links.csv': 'Every link from a member account to an identifier (payment instrument, IP address, fingerprint) shared by two or more members, with first/last seen and counts.',
  'data/identifiers.csv': 'Every identifier linked to any member: kind, members and platform-wide accounts using it, hub flag, first/last seen.',
  'data/exchanges.csv': 'Exchanges per member account, per day, per capability, with input and output tokens.',
  'data/provenance.json': 'Where the numbers come from: every input file (name, size, rows, SHA-256), every parameter, the software and Node versions, the sweep id.',
};
const CASE_DECISIONS_DESCRIPTION = 'Who reviewed the finding (--reviewed-by) and every case-book decision on the cluster: status, by, note, time, and the SHA-256 of the case-book entry.';

const TAG_DESCRIPTIONS: PackFileDescription[] = [
  { path: 'bagit.txt', description: 'Declares the folder a BagIt 1.0 bag (RFC 8493).' },
  { path: 'bag-info.txt', description: 'Who made the pack, when the data was swept, which cluster, the size of the payload, the software and the exact command.' },
  { path: 'manifest-sha256.txt, manifest-sha512.txt', description: 'The checksum of every file under data/; any change to a file changes its checksum.' },
  { path: 'tagmanifest-sha256.txt, tagmanifest-sha512.txt', description: 'The checksums of the files above. Checksums show accidental changes; they do not show who made the pack, since anyone who changes a file can recompute them.' },
  { path: 'README.txt', description: 'How to check this pack without swarmscope (sha256sum, and openssl for the signature).' },
];
const SIGNATURE_DESCRIPTION: PackFileDescription = {
  path: SIGNATURE_FILE,
  description: 'An Ed25519 signature over tagmanifest-sha256.txt, which lists the checksums of every other file: it shows the pack is as the holder of the signing key made it (README.txt has the openssl command).',
};

/** Keeps a folder name portable: letters, digits, dot, dash, underscore. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || '_';
}

function baggingDate(startedAt: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(startedAt);
  if (!match || Number.isNaN(Date.parse(startedAt))) {
    throw swarmscopeError('BAD_SWEEP', `the sweep's started_at ${JSON.stringify(startedAt)} is not an ISO 8601 date; re-run the sweep`);
  }
  return match[1];
}

/** Maps every raw value that can appear in the pack before any text is rewritten, so free text gets the same tokens as the tables. */
function registerRawValues(input: EvidenceInput, facts: ClusterFacts, pseudonymizer: Pseudonymizer): void {
  const { world } = input;
  for (const account of facts.accounts) {
    pseudonymizer.value('account', world.accounts.ids[account]);
    const domain = world.accounts.emailDomain[account];
    if (domain >= 0) pseudonymizer.value('email_domain', world.accounts.emailDomains[domain]);
  }
  for (const kind of IDENTIFIER_KINDS) {
    for (const fact of facts.identifiers[kind]) pseudonymizer.value(kind, world.identifiers[kind].ids[fact.identifier]);
  }
  for (const hub of input.hubs) pseudonymizer.value(hub.kind, hub.id);
}

/** Rewrites every string in a JSON value with the pseudonymizer's free-text mapping. */
function pseudonymizeJson(value: unknown, pseudonymizer: Pseudonymizer): unknown {
  if (!pseudonymizer.active) return value;
  if (typeof value === 'string') return pseudonymizer.text(value);
  if (Array.isArray(value)) return value.map((item) => pseudonymizeJson(item, pseudonymizer));
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = pseudonymizeJson(item, pseudonymizer);
    return result;
  }
  return value;
}

function provenanceJson(input: EvidenceInput, facts: ClusterFacts, pseudonymizer: Pseudonymizer): Buffer {
  const { sweep, cluster } = input;
  let links = 0;
  for (const kind of IDENTIFIER_KINDS) links += facts.tyingLinks[kind].length;
  const provenance = {
    schema_version: 1,
    sweep: { id: sweep.id, started_at: sweep.started_at, software: sweep.software },
    cluster_id: cluster.cluster_id,
    pack: {
      format: 'BagIt 1.0 (RFC 8493), zipped',
      software: { name: SOFTWARE.name, version: SOFTWARE.version },
      node_version: process.version,
      pseudonymisation: pseudonymizer.active
        ? { applied: true, scheme: 'HMAC-SHA256(key, kind || 0x00 || value), first 64 bits in hex, prefixed by kind', key_id: pseudonymizer.keyId, replaced: ['account ids', 'email domains', 'IP addresses', 'payment instrument ids', 'fingerprints'] }
        : { applied: false },
    },
    input_files: sweep.input_files,
    parameters: pseudonymizeJson(sweep.parameters, pseudonymizer),
    counts: {
      members: facts.accounts.length,
      tying_links: links,
      identifiers: Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, facts.identifiers[kind].length])),
      exchange_cells: facts.exchangeCells,
      exchanges: facts.exchanges,
      input_tokens: facts.inputTokens,
      output_tokens: facts.outputTokens,
    },
    hubs_excluded: input.hubs.map((hub) => ({ kind: hub.kind, id: pseudonymizer.value(hub.kind, hub.id), degree: hub.degree, ...(hub.reason ? { reason: hub.reason } : {}) })),
    cluster_report: pseudonymizeJson(cluster.report, pseudonymizer),
  };
  return Buffer.from(`${JSON.stringify(provenance, null, 2)}\n`, 'utf8');
}

/** The summary's "Review" section: who reviewed the finding and the case-book decisions, or that none were given. */
function reviewLines(review: PackReview | undefined, pseudonymizer: Pseudonymizer): string[] {
  const lines: string[] = [];
  lines.push(review?.reviewedBy ? `Reviewed by: ${review.reviewedBy}.` : 'Reviewed by: not stated (the pack was built without --reviewed-by).');
  if (!review?.decisions) lines.push('Case decisions: not included (the pack was built without --state, so the case book was not consulted).');
  else if (review.decisions.length === 0) lines.push('Case decisions: none — the case book holds no decision on this cluster.');
  else {
    const current = review.decisions[review.decisions.length - 1];
    lines.push(`Current decision: ${current.status}, by ${current.by} at ${current.at} (case book entry #${current.seq}).`);
    for (const decision of review.decisions) {
      lines.push(`Case book #${decision.seq}: ${decision.status} by ${decision.by} at ${decision.at}: "${pseudonymizer.text(decision.note)}" (entry SHA-256 ${decision.entry_sha256}).`);
    }
  }
  return lines;
}

function caseDecisionsJson(clusterId: string, review: PackReview, pseudonymizer: Pseudonymizer): Buffer {
  const decisions = review.decisions?.map((decision) => ({ ...decision, note: pseudonymizer.text(decision.note) })) ?? null;
  return Buffer.from(`${JSON.stringify({ cluster_id: clusterId, reviewed_by: review.reviewedBy, case_book_consulted: review.decisions !== null, decisions }, null, 2)}\n`, 'utf8');
}

/** README.txt: what the pack is and how to check it with standard tools; the exact openssl command when signed. */
function packReadme(root: string, description: string, signerFingerprint: string | null): string {
  const lines = [
    `${root}`,
    '',
    'This folder is an evidence pack: a BagIt 1.0 bag (RFC 8493) made by swarmscope.',
    description,
    'Read data/summary.html (any browser) or data/summary.pdf.',
    '',
    '1. Integrity: nothing was changed by accident',
    '   In this folder, with standard tools:',
    '     sha256sum -c tagmanifest-sha256.txt && sha256sum -c manifest-sha256.txt',
    '   or: swarmscope evidence verify <the pack .zip, or this folder>',
    '   This proves the files match their checksums. It does NOT prove who made the pack:',
    '   anyone who changes a file can recompute every checksum.',
    '',
    '2. Origin: the pack is as its maker made it',
  ];
  if (signerFingerprint) {
    lines.push(
      `   This pack is signed. ${SIGNATURE_FILE} is an Ed25519 signature (RFC 8032) over`,
      `   ${SIGNED_FILE}, which lists the SHA-256 of every tag file and of manifest-sha256.txt,`,
      '   which lists the SHA-256 of every file under data/.',
      `   Signing key fingerprint (SHA-256 of the public key, DER): ${signerFingerprint}`,
      '   Get the public key from the signer by a channel you trust (never from this pack), check its',
      '   fingerprint with:  openssl pkey -pubin -in <public-key.pem> -outform DER | sha256sum',
      '   then, in this folder, with OpenSSL 3:',
      `     ${opensslVerifyCommand()}`,
      '   It prints "Signature Verified Successfully". With the two sha256sum checks of step 1 passing,',
      '   every file is as the holder of the signing key made it.',
      '   or: swarmscope evidence verify <pack> --pubkey <public-key.pem>',
    );
  } else {
    lines.push(
      '   This pack is NOT signed (it was built without --sign): nothing in it proves who made it.',
      '   Ask its maker for a signed pack (swarmscope evidence ... --sign <private-key.pem>).',
    );
  }
  lines.push(
    '',
    '3. Time: when the pack existed',
    '   Nothing in the pack proves when it was made (Bagging-Date is the sweep\'s date, chosen by its maker).',
    '   For that, get a trusted timestamp (RFC 3161) on the pack\'s .zip from a timestamping authority',
    '   and keep the reply (.tsr) beside the pack, not inside it (see swarmscope\'s docs/evidence.md).',
    '',
  );
  return lines.join('\n');
}

export async function buildEvidencePack(options: BuildEvidenceOptions): Promise<EvidencePack> {
  const { input } = options;
  if (input.members.length === 0) throw swarmscopeError('BAD_SWEEP', `cluster ${input.cluster.cluster_id} has no members in the sweep`);
  const pseudonymizer = options.pseudonymizeKey ? createPseudonymizer(options.pseudonymizeKey) : IDENTITY_PSEUDONYMIZER;
  const date = baggingDate(input.sweep.started_at);
  const facts = computeClusterFacts(input);
  registerRawValues(input, facts, pseudonymizer);

  // Each payload file starts deflating on the thread pool as soon as it exists, so compression of the big
  // tables (exchanges is most of the payload) overlaps the main thread's work on the rest.
  const compressing = new Map<string, Promise<CompressedEntry>>();
  const payload: BagFile[] = [];
  const addPayload = (file: BagFile) => {
    payload.push(file);
    compressing.set(file.path, compressEntry(file.data));
  };
  addPayload({ path: 'data/exchanges.csv', data: exchangesCsv(input, pseudonymizer) });
  addPayload({ path: 'data/links.csv', data: linksCsv(input, facts, pseudonymizer) });
  addPayload({ path: 'data/members.csv', data: membersCsv(input, facts, pseudonymizer) });
  addPayload({ path: 'data/identifiers.csv', data: identifiersCsv(input, facts, pseudonymizer) });
  addPayload({ path: 'data/provenance.json', data: provenanceJson(input, facts, pseudonymizer) });
  const review = options.review;
  const withReviewFile = review !== undefined && (review.reviewedBy !== null || review.decisions !== null);
  if (withReviewFile) addPayload({ path: CASE_DECISIONS_FILE, data: caseDecisionsJson(input.cluster.cluster_id, review, pseudonymizer) });

  const graph = buildGraphPicture(input.world, facts, pseudonymizer);
  const volume = volumeSeries(facts);
  const model = { ...buildSummaryModel(input, facts, pseudonymizer, options.organisation ?? null), review: reviewLines(review, pseudonymizer) };
  const fileDescriptions: PackFileDescription[] = [
    ...Object.keys(PAYLOAD_DESCRIPTIONS).map((path) => ({ path, description: PAYLOAD_DESCRIPTIONS[path] })),
    ...(withReviewFile ? [{ path: CASE_DECISIONS_FILE, description: CASE_DECISIONS_DESCRIPTION }] : []),
    ...TAG_DESCRIPTIONS,
    ...(options.signingKey ? [SIGNATURE_DESCRIPTION] : []),
  ];
  const html = summaryHtml(
    model,
    { graphSvg: graphSvg(graph), graphCaption: graph.caption, volumeSvg: volumeSvg(volume), mixSvg: mixSvg(model.mix) },
    fileDescriptions,
  );
  const { pdf, layout: pdfLayout } = await summaryPdfWithLayout({ model, graph, volume, date: new Date(input.sweep.started_at), software: `${SOFTWARE.name} ${SOFTWARE.version}` });

  addPayload({ path: 'data/summary.html', data: Buffer.from(html, 'utf8') });
  addPayload({ path: 'data/summary.pdf', data: pdf });
  payload.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const oxum = payloadOxum(payload);
  const payloadBytes = payload.reduce((sum, file) => sum + file.data.length, 0);
  let links = 0;
  for (const kind of IDENTIFIER_KINDS) links += facts.tyingLinks[kind].length;
  const description =
    `Evidence for swarmscope cluster ${input.cluster.cluster_id} of sweep ${input.sweep.id}: ${facts.accounts.length} member accounts, ` +
    `${links} tying links, ${facts.exchanges} exchanges, risk ${input.cluster.risk}/100 (${input.cluster.tier}).` +
    (pseudonymizer.active ? ` Identifiers pseudonymised (key id ${pseudonymizer.keyId}).` : '');
  const currentDecision = review?.decisions?.[review.decisions.length - 1];
  const signerFingerprint = options.signingKey ? keyFingerprint(options.signingKey) : null;
  const bagInfo = bagInfoText([
    ['Source-Organization', options.organisation ?? 'unspecified (no --org given)'],
    ['Bagging-Date', date],
    ['External-Identifier', `swarmscope:sweep/${input.sweep.id}/cluster/${input.cluster.cluster_id}`],
    ['External-Description', description],
    ...(review?.reviewedBy ? [['Reviewed-By', review.reviewedBy] as const] : []),
    ...(currentDecision
      ? [['Case-Decision', `${currentDecision.status} by ${currentDecision.by} at ${currentDecision.at} (case book #${currentDecision.seq}, entry sha256 ${currentDecision.entry_sha256})`] as const]
      : []),
    ...(signerFingerprint ? [['Signing-Key-SHA256', signerFingerprint] as const] : []),
    ['Payload-Oxum', oxum],
    ['Bag-Size', humanSize(payloadBytes)],
    ['Bag-Software-Agent', `${SOFTWARE.name} ${SOFTWARE.version} (Node ${process.version})`],
    ['Swarmscope-Command-Line', options.commandLine ?? '(library call)'],
  ]);

  const manifests = Object.fromEntries(PAYLOAD_MANIFEST_ALGORITHMS.map((algorithm) => [algorithm, manifestText(algorithm, payload)])) as Record<(typeof PAYLOAD_MANIFEST_ALGORITHMS)[number], string>;
  const root = `swarmscope-evidence-${safeName(input.sweep.id)}-cluster-${safeName(input.cluster.cluster_id)}`;
  const tags: BagFile[] = [
    { path: 'bagit.txt', data: Buffer.from(BAGIT_TXT, 'utf8') },
    { path: 'bag-info.txt', data: Buffer.from(bagInfo, 'utf8') },
    { path: PACK_README, data: Buffer.from(packReadme(root, description, signerFingerprint), 'utf8') },
    ...PAYLOAD_MANIFEST_ALGORITHMS.map((algorithm) => ({ path: `manifest-${algorithm}.txt`, data: Buffer.from(manifests[algorithm], 'utf8') })),
  ];
  tags.sort((a, b) => (a.path < b.path ? -1 : 1));
  const tagManifests: BagFile[] = PAYLOAD_MANIFEST_ALGORITHMS.map((algorithm) => ({ path: `tagmanifest-${algorithm}.txt`, data: Buffer.from(manifestText(algorithm, tags), 'utf8') }));
  if (options.signingKey) {
    const signed = tagManifests.find((file) => file.path === SIGNED_FILE);
    if (!signed) throw swarmscopeError('INTERNAL', `the pack has no ${SIGNED_FILE} to sign`);
    tagManifests.push({ path: SIGNATURE_FILE, data: signBytes(options.signingKey, signed.data) });
  }

  const all = [...payload, ...tags, ...tagManifests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of all) if (!compressing.has(file.path)) compressing.set(file.path, compressEntry(file.data));
  const compressed = await Promise.all(all.map((file) => compressing.get(file.path)!));
  const zip = assembleZip(all.map((file, i) => ({ name: `${root}/${file.path}`, compressed: compressed[i] })));
  return {
    zip,
    root,
    // manifest-sha256.txt has one line per payload file, in payload order, each starting with the 64-hex-digit hash.
    payload: payload.map((file, i) => ({ path: file.path, bytes: file.data.length, sha256: manifests.sha256.split('\n')[i].slice(0, 64) })),
    payloadOxum: oxum,
    graphSummarised: graph.summarised,
    pseudonymised: pseudonymizer.active,
    members: facts.accounts.length,
    links,
    pdfLayout,
    signerFingerprint,
  };
}

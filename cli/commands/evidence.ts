/**
 * `swarmscope evidence <sweep-dir> --cluster <id> --out <pack.zip>` builds a BagIt evidence pack for one
 * cluster (optionally signed, --sign; with the case book's decisions, --state; and a reviewer, --reviewed-by);
 * `swarmscope evidence verify <pack.zip|dir> [--pubkey <pem>]` checks one (exit 0 valid, 1 missing/extra/altered
 * files or a signature that does not match).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { EXIT, swarmscopeError } from '../../src/core/errors';
import { buildEvidencePack, packCommandLine, type PackReview } from '../../src/evidence/pack';
import { loadSigningKey, loadVerifyKey, readKeyFile } from '../../src/evidence/signature';
import { openState, readCaseBookHashed } from '../../src/sweep/history';
import { loadEvidenceInput } from '../../src/evidence/sweep-input';
import { verifyEvidencePack } from '../../src/evidence/verify';
import { action } from '../run';
import { printOut } from '../print';
import { terminalText } from '../../src/core/terminal';

interface EvidenceFlags {
  cluster?: string;
  out?: string;
  org?: string;
  pseudonymize?: string;
  force?: boolean;
  sign?: string;
  state?: string;
  reviewedBy?: string;
}

function readKey(file: string): Buffer {
  return readKeyFile(file, '--pseudonymize', `create one with: head -c 32 /dev/urandom > ${file}`);
}

/**
 * What --out may name: nothing, or (with --force) an earlier pack (a regular file that is a zip). An existing file
 * without --force, and a folder, a symlink, a FIFO, a device or a file that is not a zip even with --force, are
 * refused, untouched.
 */
function checkPackTarget(out: string, force: boolean): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(out);
  } catch {
    return;
  }
  if (stat.isDirectory()) throw swarmscopeError('BAD_ARGUMENT', `--out ${out} is a folder; give the pack's file name, e.g. ${path.join(out, 'pack.zip')}`);
  const refuse = (why: string) => swarmscopeError('BAD_ARGUMENT', `--out ${out}: ${why}; the pack would replace it, so give a new file name`);
  if (stat.isSymbolicLink()) throw refuse('is a symbolic link');
  if (!stat.isFile()) throw refuse('is not a regular file');
  const magic = Buffer.alloc(4);
  const fd = fs.openSync(out, 'r');
  try {
    fs.readSync(fd, magic, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!magic.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw refuse('exists and is not an evidence pack (not a zip file)');
  if (!force) throw swarmscopeError('BAD_ARGUMENT', `--out ${out}: a pack already exists there; pass --force to replace it, or give a new file name`);
}

/** The case book's decisions on the cluster, when --state names the history the sweep was committed to. */
function reviewFromFlags(flags: EvidenceFlags, sweepId: string, clusterId: string): PackReview | undefined {
  const reviewedBy = flags.reviewedBy?.trim() || null;
  if (flags.reviewedBy !== undefined && !reviewedBy) throw swarmscopeError('BAD_ARGUMENT', '--reviewed-by needs a name');
  if (!flags.state) return reviewedBy ? { reviewedBy, decisions: null } : undefined;
  const state = openState(flags.state, { create: false });
  if (!state.state.sweeps.some((entry) => entry.sweep_id === sweepId)) {
    throw swarmscopeError('BAD_ARGUMENT', `--state ${flags.state}: sweep ${sweepId} is not in its history, so its cluster ids are not the case book's; give the state dir the sweep was run with`);
  }
  const decisions = readCaseBookHashed(state)
    .filter((entry) => entry.cluster_id === clusterId)
    .map(({ seq, status, by, note, at, sweep_id, entry_sha256 }) => ({ seq, status, by, note, at, sweep_id, entry_sha256 }));
  return { reviewedBy, decisions };
}

async function buildCommand(sweepDir: string, flags: EvidenceFlags): Promise<number> {
  if (!flags.cluster) throw swarmscopeError('BAD_ARGUMENT', 'evidence: --cluster <id> is required (the cluster ids are in the sweep report)');
  if (!flags.out) throw swarmscopeError('BAD_ARGUMENT', 'evidence: --out <pack.zip> is required');
  const out = flags.out;
  const outDir = path.dirname(path.resolve(out));
  if (!fs.existsSync(outDir)) throw swarmscopeError('BAD_ARGUMENT', `--out ${out}: folder ${outDir} does not exist`);
  checkPackTarget(out, flags.force === true);
  const key = flags.pseudonymize ? readKey(flags.pseudonymize) : undefined;
  const signingKey = flags.sign ? loadSigningKey(flags.sign) : undefined;
  const input = loadEvidenceInput(sweepDir, flags.cluster);
  const review = reviewFromFlags(flags, input.sweep.id, input.cluster.cluster_id);
  const commandLine = packCommandLine({
    cluster: flags.cluster,
    org: flags.org,
    pseudonymize: key !== undefined,
    sign: signingKey !== undefined,
    state: flags.state !== undefined,
    reviewedBy: flags.reviewedBy,
  });
  const pack = await buildEvidencePack({ input, organisation: flags.org, commandLine, pseudonymizeKey: key, signingKey, review });
  // Write next to the target and rename, so a half-written pack never sits under the final name.
  const temporary = `${path.resolve(out)}.partial-${process.pid}`;
  try {
    fs.writeFileSync(temporary, pack.zip, { flag: 'wx' });
    fs.renameSync(temporary, out);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw swarmscopeError('BAD_ARGUMENT', `--out ${out}: cannot write the pack (${(error as Error).message}); nothing was written`);
  }
  printOut(
    `Wrote ${terminalText(out)}: evidence pack for cluster ${terminalText(input.cluster.cluster_id)} of sweep ${terminalText(input.sweep.id)} ` +
      `(${pack.members.toLocaleString('en-US')} accounts, ${pack.links.toLocaleString('en-US')} tying links${pack.pseudonymised ? ', pseudonymised' : ''}), ` +
      `${pack.payload.length} payload files, ${pack.zip.length.toLocaleString('en-US')} bytes zipped` +
      (pack.signerFingerprint ? `, signed (Ed25519 key ${pack.signerFingerprint})` : ', not signed (--sign proves who made it)') +
      `.\nsha256 ${createHash('sha256').update(pack.zip).digest('hex')}  ${terminalText(path.basename(out))}\n` +
      `Open ${terminalText(pack.root)}/data/summary.html to read it; check it with: swarmscope evidence verify ${terminalText(out)}` +
      (pack.signerFingerprint ? ' --pubkey <public-key.pem>' : '') +
      '\n',
  );
  return EXIT.OK;
}

/** What an OK verify proved, in words: integrity always; origin only with a matching signature. */
const ORIGIN_LINE = {
  valid: (fingerprint: string | null) => `signature valid (Ed25519, key ${fingerprint}): integrity and origin proven — the pack is as the holder of that key made it`,
  unchecked: () => 'integrity proven; the pack is signed but the signature was NOT checked (give --pubkey <public-key.pem> to check who made it)',
  absent: () => 'integrity proven (every checksum matches); origin NOT proven: the pack is not signed, and anyone who changes a file can recompute its checksums',
} as const;

async function verifyCommand(target: string, flags: { pubkey?: string }): Promise<number> {
  const publicKey = flags.pubkey ? loadVerifyKey(flags.pubkey) : undefined;
  const result = await verifyEvidencePack(target, { publicKey });
  if (result.ok && result.signature !== 'invalid') {
    printOut(`OK ${terminalText(target)}: ${result.payloadFiles} files, valid BagIt 1.0; ${ORIGIN_LINE[result.signature](result.keyFingerprint)}\n`);
    return EXIT.OK;
  }
  for (const problem of result.problems) printOut(`${problem.kind.toUpperCase()} ${terminalText(problem.path)}: ${terminalText(problem.detail)}\n`);
  const counts = (['missing', 'extra', 'altered', 'invalid'] as const)
    .map((kind) => [kind, result.problems.filter((problem) => problem.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  printOut(
    `FAILED ${terminalText(target)}: ${counts.join(', ')}; ` +
      (result.signature === 'invalid' ? `the pack is not as the holder of the key ${result.keyFingerprint} made it\n` : 'the pack is not as it was made\n'),
  );
  return EXIT.FINDINGS;
}

export function register(program: Command): void {
  const evidence = program
    .command('evidence')
    .description('build a BagIt 1.0 evidence pack (zip) for one cluster of a saved sweep, or verify one')
    .argument('<sweep-dir>', 'a saved sweep (the --out folder of `swarmscope sweep`)')
    // Not requiredOption: commander would then demand them of `evidence verify` too (it checks ancestors' options).
    .option('--cluster <id>', 'the cluster to pack, e.g. C0001 (see the sweep report) (required)')
    .option('--out <pack.zip>', 'where to write the pack (required)')
    .option('--org <name>', 'your organisation, recorded as Source-Organization in bag-info.txt')
    .option('--pseudonymize <keyfile>', 'replace account ids, email domains, IPs, instrument ids and fingerprints with keyed HMAC-SHA256 tokens; the key never enters the pack')
    .option('--sign <private-key.pem>', 'sign the pack with this Ed25519 key (swarmscope keygen): adds tagmanifest-sha256.txt.sig, checkable with openssl (see the pack\'s README.txt)')
    .option('--state <state-dir>', 'the state dir the sweep was run with: the pack carries the case book\'s decisions on the cluster')
    .option('--reviewed-by <name>', 'who reviewed and confirmed the finding, written into the pack')
    .option('--force', 'replace an earlier pack at --out (without it an existing file is refused)')
    .addHelpText(
      'after',
      `
The pack is a zip holding one folder, a BagIt 1.0 bag (RFC 8493): data/summary.html and summary.pdf (the
finding in plain words, key numbers, reasons, pictures, how it was detected), members.csv, links.csv,
identifiers.csv, exchanges.csv, provenance.json, and SHA-256/SHA-512 manifests over every file.
README.txt says how to check it with sha256sum and openssl alone. The same sweep, cluster and options always
give a byte-identical zip, wherever it is written (bag-info.txt records the command with paths as
placeholders); the build prints the zip's SHA-256 for a custody log. --out never replaces a file unless
--force is given, and then only an earlier pack.

Examples:
  $ swarmscope evidence sweeps/2026-w03 --cluster C0001 --out C0001.zip --org "Example AI Trust & Safety"
  $ head -c 32 /dev/urandom > share.key
  $ swarmscope evidence sweeps/2026-w03 --cluster C0001 --out C0001-shared.zip --pseudonymize share.key
  $ swarmscope keygen --out keys
  $ swarmscope evidence sweeps/2026-w03 --cluster C0001 --out C0001.zip --sign keys/swarmscope-signing-key.pem --state state --reviewed-by "Alice Example"
  $ swarmscope evidence verify C0001.zip --pubkey keys/swarmscope-signing-key.pub.pem`,
    )
    .action(action((sweepDir: string, flags: EvidenceFlags) => buildCommand(sweepDir, flags)));

  evidence
    .command('verify')
    .description('check an evidence pack: every file present, none extra, every checksum and the Payload-Oxum right')
    .argument('<pack>', 'a pack .zip, or the folder it was unzipped into')
    .option('--pubkey <public-key.pem>', 'the signer\'s Ed25519 public key: the pack must carry a matching signature')
    .addHelpText(
      'after',
      `
Exit 0 and "OK <pack>: N files, valid BagIt 1.0; …" when the pack is intact, saying what that proves:
with --pubkey and a matching signature, integrity and origin; a signed pack without --pubkey, integrity, and
that the signature was not checked; an unsigned pack, integrity but not origin. Exit 1 with one line per
missing, extra, altered or invalid file (a zip that tools could read two ways, or a zip bomb, is one INVALID
line; a signature that does not match is INVALID tagmanifest-sha256.txt.sig) and "FAILED <pack>: …"
otherwise; exit 2 when the input is not a zip or bag at all, or the key file is not an Ed25519 key.

Examples:
  $ swarmscope evidence verify C0001.zip
  $ swarmscope evidence verify C0001.zip --pubkey keys/swarmscope-signing-key.pub.pem
  $ unzip C0001.zip -d unpacked && swarmscope evidence verify unpacked`,
    )
    .action(action((target: string, flags: { pubkey?: string }) => verifyCommand(target, flags)));
}

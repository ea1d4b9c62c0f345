/**
 * `swarmscope evidence <sweep-dir> --cluster <id> --out <pack.zip>` builds a BagIt evidence pack for one
 * cluster; `swarmscope evidence verify <pack.zip|dir>` checks one (exit 0 valid, 1 missing/extra/altered files).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { EXIT, swarmscopeError } from '../../src/core/errors';
import { buildEvidencePack } from '../../src/evidence/pack';
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
}

/** argv as a shell would need it typed, so bag-info.txt records a command someone can re-run. */
function commandLine(argv: readonly string[]): string {
  const quote = (arg: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ['swarmscope', ...argv.slice(2).map(quote)].join(' ');
}

function readKey(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw swarmscopeError('INPUT_NOT_FOUND', `--pseudonymize ${file}: cannot read the key file; create one with: head -c 32 /dev/urandom > ${file}`);
  }
}

/**
 * The pack replaces what is at --out, so that may only be nothing or an earlier pack (a regular file that is a zip):
 * a folder, a symlink, a FIFO, a device or any other file is refused, untouched.
 */
function checkPackTarget(out: string): void {
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
}

async function buildCommand(sweepDir: string, flags: EvidenceFlags): Promise<number> {
  if (!flags.cluster) throw swarmscopeError('BAD_ARGUMENT', 'evidence: --cluster <id> is required (the cluster ids are in the sweep report)');
  if (!flags.out) throw swarmscopeError('BAD_ARGUMENT', 'evidence: --out <pack.zip> is required');
  const out = flags.out;
  const outDir = path.dirname(path.resolve(out));
  if (!fs.existsSync(outDir)) throw swarmscopeError('BAD_ARGUMENT', `--out ${out}: folder ${outDir} does not exist`);
  checkPackTarget(out);
  const key = flags.pseudonymize ? readKey(flags.pseudonymize) : undefined;
  const input = loadEvidenceInput(sweepDir, flags.cluster);
  const pack = await buildEvidencePack({ input, organisation: flags.org, commandLine: commandLine(process.argv), pseudonymizeKey: key });
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
      `${pack.payload.length} payload files, ${pack.zip.length.toLocaleString('en-US')} bytes zipped.\n` +
      `Open ${terminalText(pack.root)}/data/summary.html to read it; check it with: swarmscope evidence verify ${terminalText(out)}\n`,
  );
  return EXIT.OK;
}

async function verifyCommand(target: string): Promise<number> {
  const result = await verifyEvidencePack(target);
  if (result.ok) {
    printOut(`OK ${terminalText(target)}: ${result.payloadFiles} files, valid BagIt 1.0\n`);
    return EXIT.OK;
  }
  for (const problem of result.problems) printOut(`${problem.kind.toUpperCase()} ${terminalText(problem.path)}: ${terminalText(problem.detail)}\n`);
  const counts = (['missing', 'extra', 'altered', 'invalid'] as const)
    .map((kind) => [kind, result.problems.filter((problem) => problem.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  printOut(`FAILED ${terminalText(target)}: ${counts.join(', ')}; the pack is not as it was made\n`);
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
    .addHelpText(
      'after',
      `
The pack is a zip holding one folder, a BagIt 1.0 bag (RFC 8493): data/summary.html and summary.pdf (the
finding in plain words, key numbers, reasons, pictures, how it was detected), members.csv, links.csv,
identifiers.csv, exchanges.csv, provenance.json, and SHA-256/SHA-512 manifests over every file.
The same sweep and cluster always give a byte-identical zip.

Examples:
  $ swarmscope evidence sweeps/2026-w03 --cluster C0001 --out C0001.zip --org "Example AI Trust & Safety"
  $ head -c 32 /dev/urandom > share.key
  $ swarmscope evidence sweeps/2026-w03 --cluster C0001 --out C0001-shared.zip --pseudonymize share.key
  $ swarmscope evidence verify C0001.zip`,
    )
    .action(action((sweepDir: string, flags: EvidenceFlags) => buildCommand(sweepDir, flags)));

  evidence
    .command('verify')
    .description('check an evidence pack: every file present, none extra, every checksum and the Payload-Oxum right')
    .argument('<pack>', 'a pack .zip, or the folder it was unzipped into')
    .addHelpText(
      'after',
      `
Exit 0 and "OK <pack>: N files, valid BagIt 1.0" when the pack is intact; exit 1 with one line per missing,
extra, altered or invalid file (a zip that tools could read two ways, or a zip bomb, is one INVALID line) and
"FAILED <pack>: …" otherwise; exit 2 when the input is not a zip or bag at all.

Examples:
  $ swarmscope evidence verify C0001.zip
  $ unzip C0001.zip -d unpacked && swarmscope evidence verify unpacked`,
    )
    .action(action((target: string) => verifyCommand(target)));
}

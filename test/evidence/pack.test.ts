import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { buildEvidencePack, type EvidencePack } from '../../src/evidence/pack';
import { historySentence } from '../../src/evidence/summary';
import { OPTIONAL_PACK_FILES, REQUIRED_PACK_FILES, verifyEvidencePack } from '../../src/evidence/verify';
import { isSwarmscopeError } from '../../src/core/errors';
import { ACTIVE_DAYS, buildFixtureInput, FORMULA_DOMAIN, HUB_IP, SWARM_SIZE } from './fixture';
import { bagInfoLabels, extractWithPython, independentBagItProblems, listFiles, rewriteWithPython } from './independent';

const COMMAND = 'swarmscope evidence sweeps/w03 --cluster C0001 --out pack.zip --org Example';
let work: string;
let pack: EvidencePack;
let zipPath: string;
let bag: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-evidence-'));
  pack = await buildEvidencePack({ input: buildFixtureInput(), organisation: 'Example Org', commandLine: COMMAND });
  zipPath = path.join(work, 'pack.zip');
  fs.writeFileSync(zipPath, pack.zip);
  extractWithPython(zipPath, path.join(work, 'extracted'));
  bag = path.join(work, 'extracted', pack.root);
});

afterAll(() => {
  if (!process.env.KEEP_EVIDENCE_TMP) fs.rmSync(work, { recursive: true, force: true });
});

function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(bag, file), 'utf8'), { columns: true }) as Record<string, string>[];
}

describe('evidence pack as a BagIt 1.0 bag', () => {
  test('the zip holds one folder, and that folder is a valid bag by an independent check', () => {
    expect(fs.readdirSync(path.join(work, 'extracted'))).toEqual([pack.root]);
    expect(independentBagItProblems(bag)).toEqual([]);
    expect(listFiles(bag)).toEqual([
      'README.txt', 'bag-info.txt', 'bagit.txt',
      'data/exchanges.csv', 'data/identifiers.csv', 'data/links.csv', 'data/members.csv', 'data/provenance.json', 'data/summary.html', 'data/summary.pdf',
      'manifest-sha256.txt', 'manifest-sha512.txt', 'tagmanifest-sha256.txt', 'tagmanifest-sha512.txt',
    ]);
  });

  test('the pack holds exactly the files verify requires of every pack (REQUIRED_PACK_FILES) and its README', () => {
    expect(listFiles(bag)).toEqual([...REQUIRED_PACK_FILES, 'README.txt'].sort());
    expect(OPTIONAL_PACK_FILES).toContain('README.txt');
  });

  test('bag-info.txt records the organisation, the sweep date (not the wall clock), ids, software and the exact command', () => {
    const labels = bagInfoLabels(bag);
    expect(labels.get('Source-Organization')).toBe('Example Org');
    expect(labels.get('Bagging-Date')).toBe('2026-01-15');
    expect(labels.get('External-Identifier')).toBe('swarmscope:sweep/S20260115T000000Z/cluster/C0001');
    expect(labels.get('Swarmscope-Command-Line')).toBe(COMMAND);
    expect(labels.get('Bag-Software-Agent')).toMatch(/^swarmscope \d+\.\d+\.\d+ \(Node v\d+/);
    expect(labels.get('External-Description')).toContain('12 member accounts');
  });

  test('the same input gives a byte-identical zip', async () => {
    const again = await buildEvidencePack({ input: buildFixtureInput(), organisation: 'Example Org', commandLine: COMMAND });
    expect(again.zip.equals(pack.zip)).toBe(true);
  });

  test('our verifier accepts the pack, zipped and unzipped', async () => {
    expect(await verifyEvidencePack(zipPath)).toMatchObject({ ok: true, payloadFiles: 7, problems: [] });
    expect(await verifyEvidencePack(path.join(work, 'extracted'))).toMatchObject({ ok: true, payloadFiles: 7 });
    expect(await verifyEvidencePack(bag)).toMatchObject({ ok: true });
  });

  test('one altered payload byte is caught and named', async () => {
    const altered = path.join(work, 'altered.zip');
    rewriteWithPython(zipPath, altered, { alter: `${pack.root}/data/links.csv` });
    const result = await verifyEvidencePack(altered);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'altered', path: 'data/links.csv', detail: expect.stringContaining('sha256 checksum does not match manifest-sha256.txt') }),
    ]);
    expect(result.problems[0].detail).toContain('sha512');
  });

  test('an added file is extra, a removed one missing, an edited manifest is caught by the tag manifest', async () => {
    const extra = path.join(work, 'extra.zip');
    rewriteWithPython(zipPath, extra, { add: [`${pack.root}/data/notes.txt`, 'planted'] });
    expect((await verifyEvidencePack(extra)).problems).toEqual([
      expect.objectContaining({ kind: 'extra', path: 'data/notes.txt' }),
      expect.objectContaining({ kind: 'invalid', path: 'bag-info.txt', detail: expect.stringContaining('Payload-Oxum') }),
    ]);
    const missing = path.join(work, 'missing.zip');
    rewriteWithPython(zipPath, missing, { remove: `${pack.root}/data/summary.pdf` });
    expect((await verifyEvidencePack(missing)).problems.filter((problem) => problem.kind === 'missing').map((problem) => problem.path)).toEqual(['data/summary.pdf']);
    const manifest = path.join(work, 'manifest.zip');
    rewriteWithPython(zipPath, manifest, { alter: `${pack.root}/manifest-sha256.txt` });
    const paths = (await verifyEvidencePack(manifest)).problems.map((problem) => `${problem.kind} ${problem.path}`);
    expect(paths).toContain('altered manifest-sha256.txt');
    const noBagit = path.join(work, 'no-bagit.zip');
    rewriteWithPython(zipPath, noBagit, { remove: `${pack.root}/bagit.txt` });
    expect((await verifyEvidencePack(noBagit)).problems.map((problem) => `${problem.kind} ${problem.path}`)).toEqual(['missing bagit.txt']);
  });

  test('an altered file in an unzipped pack folder is caught too', async () => {
    const copy = path.join(work, 'copy');
    fs.cpSync(path.join(work, 'extracted'), copy, { recursive: true });
    const members = path.join(copy, pack.root, 'data/members.csv');
    fs.writeFileSync(members, fs.readFileSync(members, 'utf8').replace('acct-swarm-01', 'acct-swarm-99'));
    expect((await verifyEvidencePack(copy)).problems.map((problem) => `${problem.kind} ${problem.path}`)).toEqual(['altered data/members.csv']);
  });

  test('garbage is bad input (exit 2), not a failed verification', async () => {
    const garbage = path.join(work, 'garbage.zip');
    fs.writeFileSync(garbage, 'this is not a zip archive at all');
    try {
      await verifyEvidencePack(garbage);
      throw new Error('expected an error');
    } catch (error) {
      expect(isSwarmscopeError(error) && error.exitCode).toBe(2);
    }
  });
});

describe('evidence pack contents', () => {
  test('members.csv lists every member with role and evidence, and neutralises formula-like cells', () => {
    const members = readCsv('data/members.csv');
    expect(members).toHaveLength(SWARM_SIZE);
    expect(members.map((row) => row.role).filter((role) => role === 'core')).toHaveLength(6);
    const planted = members.find((row) => row.account_id === 'acct-swarm-08')!;
    expect(planted.evidence).toBe(`'=cmd|' /C calc'!A0 planted formula`);
    expect(members.find((row) => row.account_id === 'acct-swarm-05')!.email_domain).toBe(`'${FORMULA_DOMAIN}`);
    expect(members.every((row) => Number(row.exchanges) === 50 * ACTIVE_DAYS)).toBe(true);
  });

  test('links.csv holds exactly the links to identifiers two or more members share, hubs excluded', () => {
    const links = readCsv('data/links.csv');
    // 12 on the prepaid card, 6 on the virtual card, 12 on the two proxy IPs, 12 on the TLS fingerprint.
    expect(links).toHaveLength(12 + 6 + 12 + 12);
    expect(links.some((row) => row.identifier.includes(HUB_IP))).toBe(false);
    expect(links.filter((row) => row.identifier === 'card-prepaid-77').every((row) => row.identifier_members === '12' && row.identifier_subkind === 'prepaid_card')).toBe(true);
  });

  test('identifiers.csv marks the hub and shows platform-wide use; exchanges.csv has one row per member, day and capability', () => {
    const identifiers = readCsv('data/identifiers.csv');
    const hub = identifiers.find((row) => row.identifier === `'${HUB_IP}`)!;
    expect(hub).toMatchObject({ hub: 'true', member_accounts: '12', platform_accounts: '40' });
    const exchanges = readCsv('data/exchanges.csv');
    expect(exchanges).toHaveLength(SWARM_SIZE * ACTIVE_DAYS * 2);
    expect(exchanges[0]).toEqual({ account_id: 'acct-swarm-01', day: '2026-01-05', capability: 'agentic', exchanges: '10', input_tokens: '5000', output_tokens: '9000' });
  });

  test('provenance.json names every input file with size, rows and SHA-256, the parameters and versions', () => {
    const provenance = JSON.parse(fs.readFileSync(path.join(bag, 'data/provenance.json'), 'utf8'));
    expect(provenance.sweep.id).toBe('S20260115T000000Z');
    expect(provenance.input_files).toHaveLength(5);
    expect(provenance.input_files[0]).toEqual(expect.objectContaining({ file: 'accounts.csv', bytes: expect.any(Number), rows: 40, sha256: 'ab'.repeat(32) }));
    expect(provenance.parameters.detection).toEqual({ algorithm: 'leiden', resolution: 1, seed: 42, hub_limit: 30 });
    expect(provenance.pack.node_version).toBe(process.version);
    expect(provenance.counts).toMatchObject({ members: 12, tying_links: 42, exchanges: SWARM_SIZE * ACTIVE_DAYS * 50 });
  });

  test('summary.html is self-contained and states the finding, numbers, reasons and method', () => {
    const html = fs.readFileSync(path.join(bag, 'data/summary.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|\ssrc=|href="http|url\(/i);
    expect(html).toContain('12 accounts that each look ordinary on their own');
    expect(html).toContain('6,000 exchanges');
    expect(html).toContain('2026-01-05 to 2026-01-14 (10 days)');
    expect(html.replace(/<wbr>/g, '')).toContain('SHARED_PREPAID_CARDS');
    expect(html).toContain('random seed 42');
    expect(html).toContain('<svg');
    expect(html).toMatch(/All 12 member accounts and 5 identifiers shared by two or more members/);
  });

  test('summary.pdf is a PDF dated from the sweep, not the clock', () => {
    const pdf = fs.readFileSync(path.join(bag, 'data/summary.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('(D:20260115060000Z)');
  });
});

describe('what the weekly history knew, in the summary', () => {
  const base = { previous_sweep_id: 'W2', previous_id: null, accounts_before: 0, accounts_after: 12, joined: 12, case_status: null, case_cluster_id: null };

  test('a new cluster reusing a confirmed campaign\'s cards is said so in the pack\'s summary', async () => {
    const input = buildFixtureInput();
    input.cluster.history = {
      ...base,
      event: 'new',
      identifier_links: [{ cluster_id: 'C0003', sweep_id: 'W1', shared_instruments: 2, shared_fingerprints: 1 }],
      case_status: 'confirmed',
      case_cluster_id: 'C0003',
    };
    const built = await buildEvidencePack({ input, organisation: 'Example Org', commandLine: COMMAND });
    const file = path.join(work, 'history-pack.zip');
    fs.writeFileSync(file, built.zip);
    extractWithPython(file, path.join(work, 'history-pack'));
    const html = fs.readFileSync(path.join(work, 'history-pack', built.root, 'data/summary.html'), 'utf8');
    expect(html).toContain(
      'None of these accounts was in a reported cluster in the previous sweep (W2), but they use 2 payment instruments and 1 device/network fingerprint recorded for cluster C0003 in sweep W1, which an investigator had confirmed as a campaign when this sweep ran: the same operator may be behind both on fresh accounts.',
    );
  });

  test('each event reads as one sentence; unchanged and no history say nothing', () => {
    expect(historySentence(null)).toBe('');
    expect(historySentence({ ...base, event: 'unchanged', previous_id: 'C0001' })).toBe('');
    expect(historySentence({ ...base, event: 'new' })).toBe('This cluster is new since the previous sweep (W2).');
    expect(historySentence({ ...base, event: 'returned', previous_id: 'C0001', last_seen_sweep: 'W1', accounts_before: 10, joined: 2 })).toBe(
      'The same group was reported before as cluster C0001, last seen in sweep W1; it was absent from the sweep after that and is back in this one with 12 accounts, 2 of them not in it when last seen.',
    );
    expect(historySentence({ ...base, event: 'grown', previous_id: 'C0001', accounts_before: 10, joined: 2 })).toBe(
      "Compared with the previous sweep (W2), this cluster grew: C0001 had 10 accounts then, and 2 of today's 12 accounts are new to it.",
    );
  });
});

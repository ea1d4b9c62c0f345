import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { buildEvidencePack } from '../../src/evidence/pack';
import { verifyEvidencePack } from '../../src/evidence/verify';
import { isSwarmscopeError } from '../../src/core/errors';
import { buildFixtureInput, FORMULA_DOMAIN, HUB_IP, SWARM_SIZE, swarmAccountId } from './fixture';
import { extractWithPython, independentBagItProblems, listFiles } from './independent';

const KEY = Buffer.from('0123456789abcdef-test-key-material-not-secret', 'utf8');
const RAW_VALUES = [
  ...Array.from({ length: SWARM_SIZE }, (_, i) => swarmAccountId(i)),
  'mailbox-swarm.example', FORMULA_DOMAIN,
  'card-prepaid-77', 'vcard-5150', '203.0.113.10', '2001:db8::7', 'tls-ja3-bad', HUB_IP,
];

/** The text a PDF shows: pdfkit writes standard-font text as hex strings in TJ arrays, split at kerning pairs. */
function pdfText(pdf: Buffer): string {
  let text = '';
  for (const match of pdf.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    for (const hex of match[1].matchAll(/<([0-9a-fA-F]*)>/g)) text += Buffer.from(hex[1], 'hex').toString('latin1');
  }
  return text;
}

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-pseudo-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function extractedPack(name: string, key?: Buffer): Promise<{ bag: string; zip: Buffer }> {
  const pack = await buildEvidencePack({ input: buildFixtureInput(), organisation: 'Example Org', commandLine: 'swarmscope evidence s --cluster C0001 --out p.zip --pseudonymize k', pseudonymizeKey: key });
  const zipPath = path.join(work, `${name}.zip`);
  fs.writeFileSync(zipPath, pack.zip);
  extractWithPython(zipPath, path.join(work, name));
  return { bag: path.join(work, name, pack.root), zip: pack.zip };
}

describe('--pseudonymize', () => {
  test('the plain pack does contain the raw values, in every file kind this test searches (so the search can fail)', async () => {
    const { bag } = await extractedPack('plain');
    const members = fs.readFileSync(path.join(bag, 'data/members.csv'), 'utf8');
    expect(members).toContain('acct-swarm-03');
    expect(fs.readFileSync(path.join(bag, 'data/summary.html'), 'utf8')).toContain('card-prepaid-77');
    expect(pdfText(fs.readFileSync(path.join(bag, 'data/summary.pdf')))).toContain('card-prepaid-77');
  });

  test('no raw account id, email domain, IP, instrument or fingerprint remains in any file of the pack, and the key is absent', async () => {
    const { bag, zip } = await extractedPack('pseudo', KEY);
    const leaks: string[] = [];
    for (const file of listFiles(bag)) {
      const bytes = fs.readFileSync(path.join(bag, file));
      const texts = [bytes.toString('utf8')];
      if (file.endsWith('.pdf')) texts.push(pdfText(bytes));
      for (const raw of RAW_VALUES) if (texts.some((text) => text.includes(raw))) leaks.push(`${file}: ${raw}`);
      if (texts.some((text) => text.includes(KEY.toString('utf8')) || text.includes(KEY.toString('hex')))) leaks.push(`${file}: the key`);
    }
    expect(leaks).toEqual([]);
    expect(zip.includes(KEY)).toBe(false);
    expect(independentBagItProblems(bag)).toEqual([]);
  });

  test('tokens are consistent across tables, free text and the summary, and stable across builds with the same key', async () => {
    const { bag, zip } = await extractedPack('pseudo2', KEY);
    const rows = (file: string) => parse(fs.readFileSync(path.join(bag, file), 'utf8'), { columns: true }) as Record<string, string>[];
    const members = rows('data/members.csv');
    const links = rows('data/links.csv');
    const memberTokens = new Set(members.map((row) => row.account_id));
    expect(memberTokens.size).toBe(SWARM_SIZE);
    expect([...memberTokens].every((token) => /^acct_[0-9a-f]{16}$/.test(token))).toBe(true);
    expect(new Set(links.map((row) => row.account_id))).toEqual(memberTokens);
    const cardToken = links.find((row) => row.identifier_subkind === 'prepaid_card')!.identifier;
    expect(cardToken).toMatch(/^pay_[0-9a-f]{16}$/);
    const ipToken = links.find((row) => row.identifier_kind === 'ip' && row.identifier_subkind === 'ipv4')!.identifier;
    // acct-swarm-03's evidence names the card, the IP and acct-swarm-01: all three rewritten to their tokens.
    const third = members[2];
    expect(third.evidence).toBe(`shares ${cardToken} with 11 members and ip ${ipToken}; first seen with ${members[0].account_id}.`);
    const html = fs.readFileSync(path.join(bag, 'data/summary.html'), 'utf8');
    expect(html).toContain(cardToken);
    expect(html).toContain('key id');
    expect(pdfText(fs.readFileSync(path.join(bag, 'data/summary.pdf')))).toContain(cardToken);
    const first = await extractedPack('pseudo3', KEY);
    expect(first.zip.equals(zip)).toBe(true);
    expect(await verifyEvidencePack(path.join(work, 'pseudo3'))).toMatchObject({ ok: true });
  });

  test('a different key gives different tokens; a short key is refused as bad input', async () => {
    const other = await extractedPack('other', Buffer.from('another-key-of-sufficient-length'));
    const pseudo = await extractedPack('pseudo4', KEY);
    const firstToken = (bag: string) => fs.readFileSync(path.join(bag, 'data/members.csv'), 'utf8').split('\n')[1].split(',')[0];
    expect(firstToken(other.bag)).not.toBe(firstToken(pseudo.bag));
    const refused = await buildEvidencePack({ input: buildFixtureInput(), pseudonymizeKey: Buffer.from('short') }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isSwarmscopeError(refused) && refused.exitCode).toBe(2);
  });
});

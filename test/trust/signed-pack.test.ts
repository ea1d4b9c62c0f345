/**
 * Signed evidence packs (issue 14 item 1), through the spawned CLI and OpenSSL:
 * - `keygen --out DIR` writes an Ed25519 pair, the private key mode 0600, and never overwrites one;
 * - `evidence … --sign` adds tagmanifest-sha256.txt.sig; the openssl command in the pack's README.txt, run as
 *   written in the unzipped pack, prints "Signature Verified Successfully";
 * - a forgery that changes an account id and regenerates every manifest with sha256sum/sha512sum still passes the
 *   checksum checks (which is why checksums prove integrity, not origin), but fails `verify --pubkey` (exit 1,
 *   naming the signature) and the openssl command;
 * - verify says what it proved: signature valid; signed but not checked; unsigned, origin not proven.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli, tempDir } from '../sweep/support';
import { expectOneLine, FIXTURE, sha256 } from './support';

let root: string;
let sweepDir: string;
let keys: string;
let signedPack: string;
let unsignedPack: string;
const privateKey = () => path.join(keys, 'swarmscope-signing-key.pem');
const publicKey = () => path.join(keys, 'swarmscope-signing-key.pub.pem');

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-trust-sign-');
  sweepDir = path.join(root, 'sweep');
  keys = path.join(root, 'keys');
  expect(runCli(['sweep', FIXTURE, '--out', sweepDir, '--hub-limit', '10', '--quiet']).status).toBe(0);
  expect(runCli(['keygen', '--out', keys]).status).toBe(0);
  signedPack = path.join(root, 'signed.zip');
  unsignedPack = path.join(root, 'unsigned.zip');
  expect(runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', signedPack, '--sign', privateKey()]).status).toBe(0);
  expect(runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', unsignedPack]).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function unzip(pack: string, name: string): string {
  const target = path.join(root, name);
  execFileSync('unzip', ['-q', pack, '-d', target]);
  const [bag] = fs.readdirSync(target);
  return path.join(target, bag);
}

/** The openssl command README.txt gives, with the placeholder replaced by the public key's path, run in `bag`. */
function runReadmeOpenssl(bag: string, key: string) {
  const readme = fs.readFileSync(path.join(bag, 'README.txt'), 'utf8');
  const line = readme.split('\n').map((text) => text.trim()).find((text) => text.startsWith('openssl pkeyutl -verify'));
  expect(line).toBeDefined();
  const args = line!.split(/\s+/).slice(1).map((arg) => (arg === '<public-key.pem>' ? key : arg));
  return spawnSync('openssl', args, { cwd: bag, encoding: 'utf8' });
}

describe('keygen', () => {
  test('writes an Ed25519 pair, the private key readable by its owner only, and prints its fingerprint', () => {
    expect(fs.statSync(privateKey()).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(privateKey(), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(fs.readFileSync(publicKey(), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const text = execFileSync('openssl', ['pkey', '-in', privateKey(), '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/ED25519 Private-Key/);
  });

  test('refuses to overwrite a key (exit 2, one line) and leaves both files as they were', () => {
    const before = [sha256(privateKey()), sha256(publicKey())];
    const again = runCli(['keygen', '--out', keys]);
    expectOneLine(again, /swarmscope-signing-key\.pem already exists; keygen never overwrites a key/);
    expect(again.stdout).toBe('');
    expect([sha256(privateKey()), sha256(publicKey())]).toEqual(before);
    expectOneLine(runCli(['keygen']), /--out <dir> is required/);
  });
});

describe('a signed pack', () => {
  test('the openssl command in its README.txt verifies it, and the key fingerprint it names is the key\'s', () => {
    const bag = unzip(signedPack, 'signed-unzipped');
    expect(fs.readdirSync(bag)).toContain('tagmanifest-sha256.txt.sig');
    const result = runReadmeOpenssl(bag, publicKey());
    expect(result.stdout).toContain('Signature Verified Successfully');
    expect(result.status).toBe(0);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', publicKey(), '-outform', 'DER']);
    const fingerprint = createHash('sha256').update(der).digest('hex');
    expect(fs.readFileSync(path.join(bag, 'README.txt'), 'utf8')).toContain(`Signing key fingerprint (SHA-256 of the public key, DER): ${fingerprint}`);
    // The standard-tools integrity checks README.txt gives pass too.
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'tagmanifest-sha256.txt'], { cwd: bag }).status).toBe(0);
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], { cwd: bag }).status).toBe(0);
  });

  test('verify --pubkey: OK, integrity and origin proven (zip and unzipped folder)', () => {
    for (const target of [signedPack, path.dirname(unzip(signedPack, 'signed-folder'))]) {
      const result = runCli(['evidence', 'verify', target, '--pubkey', publicKey()]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^OK .*: 7 files, valid BagIt 1\.0; signature valid \(Ed25519, key [0-9a-f]{64}\): integrity and origin proven/);
    }
  });

  test('verify without a key says the signature was not checked', () => {
    const result = runCli(['evidence', 'verify', signedPack]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/integrity proven; the pack is signed but the signature was NOT checked \(give --pubkey/);
  });

  test('another key\'s public half does not verify it (exit 1, naming the signature)', () => {
    const otherKeys = path.join(root, 'other-keys');
    expect(runCli(['keygen', '--out', otherKeys]).status).toBe(0);
    const result = runCli(['evidence', 'verify', signedPack, '--pubkey', path.join(otherKeys, 'swarmscope-signing-key.pub.pem')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^INVALID tagmanifest-sha256\.txt\.sig: the signature does not match tagmanifest-sha256\.txt with the public key given/m);
    expect(result.stdout).toMatch(/^FAILED .*signed\.zip: 1 invalid; the pack is not as the holder of the key [0-9a-f]{64} made it$/m);
  });
});

describe('a forged pack: an account id changed, every manifest regenerated with sha256sum/sha512sum, re-zipped', () => {
  let forged: string;
  let forgedBag: string;
  beforeAll(() => {
    forgedBag = unzip(signedPack, 'forged-unzipped');
    const members = path.join(forgedBag, 'data/members.csv');
    const text = fs.readFileSync(members, 'utf8');
    expect(text).toContain('acct_swarm_03');
    // Same length, so Payload-Oxum stays right: a careful forger.
    fs.writeFileSync(members, text.replace(/acct_swarm_03/g, 'acct_other_03'));
    const sh = (command: string) => execFileSync('sh', ['-c', command], { cwd: forgedBag });
    sh('find data -type f | sort | xargs sha256sum > manifest-sha256.txt');
    sh('find data -type f | sort | xargs sha512sum > manifest-sha512.txt');
    sh('sha256sum bag-info.txt bagit.txt README.txt manifest-sha256.txt manifest-sha512.txt > tagmanifest-sha256.txt');
    sh('sha512sum bag-info.txt bagit.txt README.txt manifest-sha256.txt manifest-sha512.txt > tagmanifest-sha512.txt');
    forged = path.join(root, 'forged.zip');
    execFileSync('zip', ['-q', '-r', forged, path.basename(forgedBag)], { cwd: path.dirname(forgedBag) });
  });

  test('the checksums alone cannot tell: verify without a key passes, but says origin was not checked', () => {
    const result = runCli(['evidence', 'verify', forged]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/signature was NOT checked/);
  });

  test('verify --pubkey rejects it: exit 1, INVALID tagmanifest-sha256.txt.sig', () => {
    const result = runCli(['evidence', 'verify', forged, '--pubkey', publicKey()]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^INVALID tagmanifest-sha256\.txt\.sig: the signature does not match tagmanifest-sha256\.txt/m);
    expect(result.stdout).toMatch(/^FAILED .*forged\.zip: 1 invalid/m);
    expect(result.stdout).not.toMatch(/^OK/m);
  });

  test('the openssl command from README.txt rejects it too', () => {
    const result = runReadmeOpenssl(forgedBag, publicKey());
    expect(result.stdout).toContain('Signature Verification Failure');
    expect(result.status).toBe(1);
  });

  test('removing the signature does not help: with a key, an unsigned pack fails (MISSING the signature)', () => {
    fs.rmSync(path.join(forgedBag, 'tagmanifest-sha256.txt.sig'));
    const result = runCli(['evidence', 'verify', path.dirname(forgedBag), '--pubkey', publicKey()]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^MISSING tagmanifest-sha256\.txt\.sig: the pack is not signed, but --pubkey/m);
  });

  test('a tag file only the unsigned sha512 tag manifest lists is outside the signature: EXTRA with a key', () => {
    const bag = unzip(signedPack, 'planted-unzipped');
    fs.writeFileSync(path.join(bag, 'planted.txt'), 'trust me\n');
    execFileSync('sh', ['-c', 'sha512sum planted.txt >> tagmanifest-sha512.txt'], { cwd: bag });
    const result = runCli(['evidence', 'verify', path.dirname(bag), '--pubkey', publicKey()]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^EXTRA planted\.txt: not listed in the signed tagmanifest-sha256\.txt/m);
  });
});

describe('an unsigned pack', () => {
  test('verify says integrity is proven but origin is not', () => {
    const result = runCli(['evidence', 'verify', unsignedPack]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/integrity proven \(every checksum matches\); origin NOT proven: the pack is not signed/);
    const bag = unzip(unsignedPack, 'unsigned-unzipped');
    expect(fs.readFileSync(path.join(bag, 'README.txt'), 'utf8')).toContain('This pack is NOT signed');
  });

  test('README.txt removed is MISSING (the tag manifests list it); a pack made before README.txt existed still verifies', () => {
    const bag = unzip(unsignedPack, 'no-readme');
    fs.rmSync(path.join(bag, 'README.txt'));
    const missing = runCli(['evidence', 'verify', path.dirname(bag)]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/^MISSING README\.txt: listed in tagmanifest-sha256\.txt but not in the pack/m);
    execFileSync('sh', ['-c', "for a in 256 512; do grep -v ' README.txt$' tagmanifest-sha$a.txt > t && mv t tagmanifest-sha$a.txt; done"], { cwd: bag });
    const older = runCli(['evidence', 'verify', path.dirname(bag)]);
    expect(older.status).toBe(0);
    expect(older.stdout).toMatch(/origin NOT proven/);
  });

  test('verify --pubkey on it fails: exit 1, MISSING the signature', () => {
    const result = runCli(['evidence', 'verify', unsignedPack, '--pubkey', publicKey()]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^MISSING tagmanifest-sha256\.txt\.sig: the pack is not signed/m);
  });
});

describe('bad keys are bad input (exit 2, one line, nothing written)', () => {
  test('a missing key, a file that is no key, an RSA key, a public key given to --sign, a FIFO, a device, a folder', () => {
    const rsa = path.join(root, 'rsa.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', rsa], { stdio: 'ignore' });
    const out = path.join(root, 'never.zip');
    const build = (key: string) => runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', out, '--sign', key]);
    expectOneLine(build(path.join(root, 'missing.pem')), /--sign .*missing\.pem: cannot read the key file/);
    expectOneLine(build(path.join(sweepDir, 'report.json')), /--sign .*report\.json: not an unencrypted PEM private key/);
    expectOneLine(build(rsa), /--sign .*rsa\.pem: is a rsa key; evidence packs are signed with Ed25519 keys/);
    expectOneLine(build(publicKey()), /--sign .*: not an unencrypted PEM private key/);
    // A FIFO would block a plain read forever; a folder or device is no key either.
    const fifo = path.join(root, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(build(fifo), /--sign .*key\.fifo: is not a regular file/);
    expectOneLine(build('/dev/zero'), /--sign \/dev\/zero: is not a regular file/);
    expectOneLine(runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', out, '--pseudonymize', fifo]), /--pseudonymize .*key\.fifo: is not a regular file/);
    expectOneLine(runCli(['evidence', 'verify', signedPack, '--pubkey', keys]), /--pubkey .*keys: is not a regular file/);
    expect(fs.existsSync(out)).toBe(false);
    expectOneLine(runCli(['evidence', 'verify', signedPack, '--pubkey', rsa]), /--pubkey .*rsa\.pem: is a rsa key/);
  });
});

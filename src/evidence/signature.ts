/**
 * Signed evidence packs: a detached Ed25519 signature (RFC 8032, "Edwards-Curve Digital Signature Algorithm",
 * https://www.rfc-editor.org/rfc/rfc8032) over the bag's tagmanifest-sha256.txt, in the file
 * tagmanifest-sha256.txt.sig beside it: the raw 64-byte signature, which OpenSSL 3 checks without swarmscope:
 *
 *   openssl pkeyutl -verify -pubin -inkey <public-key.pem> -rawin -in tagmanifest-sha256.txt -sigfile tagmanifest-sha256.txt.sig
 *
 * Why the tag manifest: it lists the SHA-256 of bagit.txt, bag-info.txt, README.txt and both payload manifests,
 * and manifest-sha256.txt lists the SHA-256 of every file under data/; so the one signature covers every byte of
 * the pack (verify also refuses any file the signed manifests do not list). Checksums alone prove integrity
 * against accidents, never origin: anyone can change a file and regenerate every manifest. A signature made with
 * a private key only its holder has proves the pack is as that holder made it — provided the public key the
 * checker uses came from the holder by a trusted channel, not from the pack.
 *
 * Ed25519 signatures are deterministic (no random nonce), so a signed pack is still byte-identical when rebuilt.
 * Keys are PEM: PKCS#8 private keys, SPKI public keys (`swarmscope keygen`, or `openssl genpkey -algorithm ed25519`).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';

/** The signed file and its signature, both at the bag's top level. */
export const SIGNED_FILE = 'tagmanifest-sha256.txt';
export const SIGNATURE_FILE = `${SIGNED_FILE}.sig`;
/** Default file names `swarmscope keygen` writes. */
export const PRIVATE_KEY_FILE = 'swarmscope-signing-key.pem';
export const PUBLIC_KEY_FILE = 'swarmscope-signing-key.pub.pem';

/** The openssl command that checks the signature in an unzipped pack folder (written into the pack's README.txt). */
export function opensslVerifyCommand(publicKeyPath = '<public-key.pem>'): string {
  return `openssl pkeyutl -verify -pubin -inkey ${publicKeyPath} -rawin -in ${SIGNED_FILE} -sigfile ${SIGNATURE_FILE}`;
}

/** Key files are small; anything larger is not a key (and is not read whole). */
const KEY_FILE_LIMIT = 64 * 1024;

/**
 * Reads a key file named by a flag (--sign, --pubkey, --pseudonymize): it must be a regular file of at most 64 KiB.
 * A missing file, a folder, a FIFO or device (which would block or never end) or a huge file is exit 2, one line.
 */
export function readKeyFile(file: string, flag: string, hint: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw swarmscopeError('INPUT_NOT_FOUND', `${flag} ${file}: cannot read the key file; ${hint}`);
  }
  if (!stat.isFile()) throw swarmscopeError('BAD_ARGUMENT', `${flag} ${file}: is not a regular file (a folder, FIFO or device); give the key file`);
  if (stat.size > KEY_FILE_LIMIT) throw swarmscopeError('BAD_ARGUMENT', `${flag} ${file}: is ${stat.size} bytes, too large for a key file (at most ${KEY_FILE_LIMIT})`);
  try {
    return fs.readFileSync(file);
  } catch {
    throw swarmscopeError('INPUT_NOT_FOUND', `${flag} ${file}: cannot read the key file; ${hint}`);
  }
}

function readPem(file: string, flag: string): string {
  return readKeyFile(file, flag, 'make a key pair with: swarmscope keygen --out <dir>').toString('utf8');
}

function requireEd25519(key: crypto.KeyObject, file: string, flag: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw swarmscopeError('BAD_ARGUMENT', `${flag} ${file}: is a ${key.asymmetricKeyType ?? 'secret'} key; evidence packs are signed with Ed25519 keys (swarmscope keygen, or openssl genpkey -algorithm ed25519)`);
  }
}

/** An Ed25519 private key from a PEM file (--sign); a missing, unreadable, encrypted or non-Ed25519 key is exit 2. */
export function loadSigningKey(file: string): crypto.KeyObject {
  const pem = readPem(file, '--sign');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `--sign ${file}: not an unencrypted PEM private key (${(error as Error).message.split('\n')[0]})`);
  }
  requireEd25519(key, file, '--sign');
  return key;
}

/** An Ed25519 public key from a PEM file (--pubkey); a private key file is accepted too (its public half is used). */
export function loadVerifyKey(file: string): crypto.KeyObject {
  const pem = readPem(file, '--pubkey');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `--pubkey ${file}: not a PEM public key (${(error as Error).message.split('\n')[0]})`);
  }
  requireEd25519(key, file, '--pubkey');
  return key;
}

/** SHA-256 of the public key's DER (SPKI) encoding, hex: the key's fingerprint, printed and written in README.txt. */
export function keyFingerprint(key: crypto.KeyObject): string {
  const publicKey = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function signBytes(privateKey: crypto.KeyObject, data: Buffer): Buffer {
  return crypto.sign(null, data, privateKey);
}

export function signatureMatches(publicKey: crypto.KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return crypto.verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

export interface GeneratedKeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  fingerprint: string;
}

/**
 * `swarmscope keygen --out DIR`: a new Ed25519 key pair as PEM files in DIR (created if missing). Refuses to
 * overwrite either file (exit 2, nothing written); the private key is created with mode 0600 (owner only).
 */
export function generateSigningKeyPair(dir: string): GeneratedKeyPair {
  const privateKeyPath = path.join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = path.join(dir, PUBLIC_KEY_FILE);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw swarmscopeError('BAD_ARGUMENT', `--out ${dir}: is not a folder`);
  for (const file of [privateKeyPath, publicKeyPath]) {
    let exists = true;
    try {
      fs.lstatSync(file);
    } catch {
      exists = false;
    }
    if (exists) throw swarmscopeError('BAD_ARGUMENT', `--out ${dir}: ${file} already exists; keygen never overwrites a key (move it away, or choose another folder)`);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const writeNew = (file: string, content: string, mode: number) => {
    const fd = fs.openSync(file, 'wx', mode);
    try {
      fs.fchmodSync(fd, mode);
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };
  writeNew(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  try {
    writeNew(publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  } catch (error) {
    fs.rmSync(privateKeyPath, { force: true });
    throw error;
  }
  return { privateKeyPath, publicKeyPath, fingerprint: keyFingerprint(publicKey) };
}

/**
 * Keyed pseudonyms for packs shared outside the company.
 *
 *   token(kind, value) = prefix(kind) + hex(HMAC-SHA256(key, kind || 0x00 || value))[0..16)
 *
 * HMAC (RFC 2104) with a secret key means nobody without the key can confirm a guess ("is 203.0.113.7 in
 * the pack?") by hashing candidates, while the same value always gets the same token within and across
 * packs made with one key, so links and tables still join. The kind is part of the MAC input so an IP and an
 * account id that happen to be equal strings get unrelated tokens. 64 bits of token: for a million distinct
 * values the chance of any collision is about 3e-8.
 *
 * What is replaced: account ids, email domains, IP addresses, payment instrument ids and fingerprint values
 * (device and TLS fingerprints identify a person's machine as well as an IP does). What stays: kinds,
 * countries, ASNs, proxy flags, dates, counts, capabilities — the facts the finding rests on.
 * Free text (membership evidence, reasons) is rewritten token by token with the same mapping.
 */
import * as crypto from 'crypto';
import { swarmscopeError } from '../core/errors';

export type PseudonymKind = 'account' | 'email_domain' | 'ip' | 'instrument' | 'fingerprint' | 'template' | 'client' | 'synchrony';

const PREFIX: Record<PseudonymKind, string> = {
  account: 'acct_',
  email_domain: 'domain_',
  ip: 'ip_',
  instrument: 'pay_',
  fingerprint: 'fp_',
  template: 'tpl_',
  client: 'client_',
  synchrony: 'sync_',
};
const TOKEN_HEX_CHARS = 16;
const MIN_KEY_BYTES = 16;

export interface Pseudonymizer {
  /** True when values are replaced; false for the identity mapping used when no key is given. */
  readonly active: boolean;
  /** A short, non-reversible fingerprint of the key, so a recipient can tell which key made a pack. */
  readonly keyId: string | null;
  value(kind: PseudonymKind, raw: string): string;
  /** Rewrites every whitespace/punctuation-separated word of free text that is a known raw value. */
  text(raw: string): string;
}

export const IDENTITY_PSEUDONYMIZER: Pseudonymizer = {
  active: false,
  keyId: null,
  value: (_kind, raw) => raw,
  text: (raw) => raw,
};

/** Separators between words of free text; an identifier never contains these (IPv6 keeps its colons, IPs their dots). */
const WORD_SPLIT = /([\s,;()[\]{}"'<>=]+)/;
const WORD_SEPARATOR = /[\s,;()[\]{}"'<>=]/;

export function createPseudonymizer(key: Buffer): Pseudonymizer {
  if (key.length < MIN_KEY_BYTES) {
    throw swarmscopeError('BAD_ARGUMENT', `--pseudonymize: the key file holds ${key.length} bytes; use at least ${MIN_KEY_BYTES} random bytes (e.g. head -c 32 /dev/urandom > pack.key)`);
  }
  const cache = new Map<string, string>();
  // Raw value → token for every value mapped so far, so free text can be rewritten consistently.
  const known = new Map<string, string>();
  // Values with separator characters inside (rare: odd domains, ids with spaces) cannot be found word by word;
  // they are replaced as substrings first, longest first so one never clips another.
  const valuesWithSeparators: string[] = [];
  const keyId = crypto.createHmac('sha256', key).update('swarmscope key id').digest('hex').slice(0, TOKEN_HEX_CHARS);

  function value(kind: PseudonymKind, raw: string): string {
    if (raw === '') return raw;
    const cacheKey = `${kind}\u0000${raw}`;
    let token = cache.get(cacheKey);
    if (token === undefined) {
      token = PREFIX[kind] + crypto.createHmac('sha256', key).update(cacheKey, 'utf8').digest('hex').slice(0, TOKEN_HEX_CHARS);
      cache.set(cacheKey, token);
      known.set(raw, token);
      if (WORD_SEPARATOR.test(raw)) {
        valuesWithSeparators.push(raw);
        valuesWithSeparators.sort((a, b) => b.length - a.length);
      }
    }
    return token;
  }

  function text(raw: string): string {
    let rewritten = raw;
    for (const value of valuesWithSeparators) if (rewritten.includes(value)) rewritten = rewritten.split(value).join(known.get(value)!);
    const words = rewritten.split(WORD_SPLIT);
    for (let i = 0; i < words.length; i += 2) {
      const word = words[i];
      if (word === '') continue;
      const direct = known.get(word);
      if (direct !== undefined) {
        words[i] = direct;
        continue;
      }
      // Sentence punctuation glued to the end of a value ("… card c-17." or "ip 10.0.0.1:") is kept.
      const trimmed = /^(.*?)([.:!?]+)$/.exec(word);
      if (trimmed) {
        const token = known.get(trimmed[1]);
        if (token !== undefined) words[i] = token + trimmed[2];
      }
    }
    return words.join('');
  }

  return { active: true, keyId, value, text };
}

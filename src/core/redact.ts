/**
 * Secret redaction: the one function that keeps a known secret (today: the Neo4j password) out of everything
 * swarmscope prints or writes.
 *
 *   redact(text)        every registered secret, and every encoding of it listed below, replaced by `***`
 *   addSecret(secret)   registers a secret for the rest of the process (the CLI registers NEO4J_PASSWORD and any
 *                       password found in a URI's user info before it parses a single option)
 *   redactingOutput()   routes every write to stdout and stderr through redact() (the CLI's main() wraps each run
 *                       in it), so no print call site has to remember it
 *
 * The encodings a server, driver or library could plausibly echo a password in: as typed; JSON-escaped (once and
 * twice, JSON inside JSON); URL-encoded (encodeURIComponent, encodeURI, form encoding with `+`, every byte
 * percent-encoded in upper and lower case); and each of the textual forms hex-, base64- or base64url-encoded —
 * not only alone but inside any text that contains it (a Basic auth header `user:password`, a JSON body, where
 * the secret is JSON-escaped before it is base64-encoded): base64 turns each 3-byte
 * group into 4 characters, so for each of the three offsets the secret can start at, the characters that depend
 * on the secret's bytes alone are a fixed string, found in any such encoding.
 *
 * Short fragments are not masked (a base64 fragment under 4 characters would match random text); the secret
 * itself always is, however short.
 */

const MASK = '***';
const MIN_FRAGMENT = 4;

const secrets = new Set<string>();
let patterns: string[] = [];

/** The forms of a secret to mask, longest first (so a longer encoding is masked before a shorter one inside it). */
export function secretVariants(secret: string): string[] {
  if (secret === '') return [];
  const json = JSON.stringify(secret).slice(1, -1);
  // The secret as it may appear inside text: as typed, JSON-escaped (once, twice), URL- and form-encoded.
  const texts = new Set<string>([
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    encodeURIComponent(secret),
    encodeURI(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]);
  const forms = new Set<string>(texts);
  const bytes = Buffer.from(secret, 'utf8');
  const percentUpper = Array.from(bytes, (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  forms.add(percentUpper);
  forms.add(percentUpper.toLowerCase());
  // ...and any of those, inside text that was then hex- or base64-encoded (a Basic auth header, a JSON body).
  for (const text of texts) {
    const textBytes = Buffer.from(text, 'utf8');
    const hex = textBytes.toString('hex');
    forms.add(hex);
    forms.add(hex.toUpperCase());
    forms.add(textBytes.toString('base64'));
    forms.add(textBytes.toString('base64url'));
    for (const fragment of base64Fragments(textBytes)) {
      forms.add(fragment);
      forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms].filter((form) => form === secret || form.length >= MIN_FRAGMENT).sort((a, b) => b.length - a.length);
}

/**
 * For the secret starting at byte offset 0, 1 or 2 of a base64 group: the run of base64 characters determined by
 * the secret's bytes alone. Character i covers bits 6i…6i+5; the secret occupies bits 8p…8(p+n)−1.
 */
function base64Fragments(bytes: Buffer): string[] {
  const fragments: string[] = [];
  for (let p = 0; p < 3; p++) {
    const encoded = Buffer.concat([Buffer.alloc(p), bytes]).toString('base64');
    const first = Math.ceil((8 * p) / 6);
    const end = Math.floor((8 * (p + bytes.length)) / 6);
    if (end > first) fragments.push(encoded.slice(first, end));
  }
  return fragments;
}

/** Registers a secret to mask from now on in this process (empty and undefined are ignored). */
export function addSecret(secret: string | undefined): void {
  if (!secret || secrets.has(secret)) return;
  secrets.add(secret);
  const all = new Set<string>();
  for (const known of secrets) for (const form of secretVariants(known)) all.add(form);
  patterns = [...all].sort((a, b) => b.length - a.length);
}

/** Forgets every registered secret (the CLI calls it when a run ends, so in-process runs do not accumulate them). */
export function clearSecrets(): void {
  secrets.clear();
  patterns = [];
}

/** The text with every registered secret (and `extra` ones) in every encoding above replaced by `***`. */
export function redact(text: string, extra: readonly (string | undefined)[] = []): string {
  let forms = patterns;
  const more = extra.filter((s): s is string => Boolean(s) && !secrets.has(s as string));
  if (more.length > 0) forms = [...new Set([...patterns, ...more.flatMap(secretVariants)])].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

type Write = NodeJS.WriteStream['write'];

/**
 * Makes every write to the given streams go through redact() until the returned function is called.
 * Strings and Buffers are both handled; a chunk with nothing to mask is passed on unchanged.
 */
export function redactingOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): () => void {
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    const original = originals[i];
    stream.write = function redactedWrite(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      if (patterns.length > 0) {
        if (typeof chunk === 'string') chunk = redact(chunk);
        else if (chunk instanceof Uint8Array) {
          const text = Buffer.from(chunk).toString('utf8');
          const masked = redact(text);
          if (masked !== text) chunk = Buffer.from(masked, 'utf8');
        }
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
  });
  return () => streams.forEach((stream, i) => (stream.write = originals[i]));
}

/**
 * A usage error as safe to print: commander echoes an unknown option token whole, value included
 * (`unknown option '--pasword=hunter2'`, `'-phunter2'`), and that value may be a misspelt password option's.
 * The option's name stays, its value never.
 */
export function withoutOptionValues(message: string): string {
  return redact(message)
    .replace(/'(--[^'=\s]+)=[^']*'/g, "'$1=…'")
    .replace(/unknown option '(-[^-'])[^']+'/g, "unknown option '$1…'");
}

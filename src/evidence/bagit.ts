/**
 * BagIt 1.0 tag files (RFC 8493, "The BagIt File Packaging Format (V1.0)", Kunze et al., 2018,
 * https://www.rfc-editor.org/rfc/rfc8493).
 *
 * The rules this module follows, by section:
 * - §2.1.1 bagit.txt is exactly two lines: "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8".
 * - §2.1.3 manifest-<algorithm>.txt: one line per payload file, "<checksum> <filepath>", checksum in hex,
 *   filepath relative to the bag's base directory with "/" separators; a CR, LF or % in a filepath is
 *   percent-encoded as %0D, %0A, %25. We separate with two spaces, as sha256sum does, so `sha256sum -c`
 *   can check an unzipped bag directly.
 * - §2.2.1 tagmanifest-<algorithm>.txt lists every payload manifest and the other tag files, never a tag manifest.
 * - §2.2.2 bag-info.txt: "Label: value" lines; a long value continues on lines that begin with whitespace.
 *   Payload-Oxum is "<octet count>.<stream count>" of the payload; Bagging-Date is YYYY-MM-DD; Bag-Size is
 *   a human-readable size.
 * - §3 a bag is complete when every payload file is listed in every payload manifest and every listed file
 *   exists; it is valid when, in addition, every checksum matches.
 */
import * as crypto from 'crypto';

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const PAYLOAD_MANIFEST_ALGORITHMS = ['sha256', 'sha512'] as const;
export type BagAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';
export const SUPPORTED_ALGORITHMS: readonly BagAlgorithm[] = ['md5', 'sha1', 'sha256', 'sha512'];
/** bag-info.txt lines longer than this are folded (RFC 8493 §2.2.2 recommends lines of at most 79 characters). */
const BAG_INFO_LINE_LIMIT = 79;

export function hashHex(algorithm: BagAlgorithm, data: Buffer): string {
  return crypto.createHash(algorithm).update(data).digest('hex');
}

export function encodeManifestPath(filepath: string): string {
  return filepath.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(encoded: string): string {
  return encoded.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

export interface BagFile {
  /** Path relative to the bag's base directory, e.g. "data/members.csv". */
  path: string;
  data: Buffer;
}

/** A manifest's text: one "<hash>  <path>" line per file, in the order given. */
export function manifestText(algorithm: BagAlgorithm, files: readonly BagFile[]): string {
  let text = '';
  for (const file of files) text += `${hashHex(algorithm, file.data)}  ${encodeManifestPath(file.path)}\n`;
  return text;
}

export interface ManifestLine {
  checksum: string;
  path: string;
  line: number;
}

/** Parses a manifest; lines that do not have the "<hex> <path>" shape are returned as errors with their line number. */
export function parseManifest(text: string): { entries: ManifestLine[]; errors: string[] } {
  const entries: ManifestLine[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const match = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (!match) {
      errors.push(`line ${i + 1} is not "<checksum> <path>": ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    entries.push({ checksum: match[1].toLowerCase(), path: decodeManifestPath(match[2]), line: i + 1 });
  }
  return { entries, errors };
}

export function payloadOxum(files: readonly BagFile[]): string {
  let octets = 0;
  for (const file of files) octets += file.data.length;
  return `${octets}.${files.length}`;
}

/** Human-readable size for Bag-Size, in binary-free decimal units like the RFC's own example ("260 GB"). */
export function humanSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** bag-info.txt from ordered label/value pairs; long values are folded onto indented continuation lines. */
export function bagInfoText(fields: ReadonlyArray<readonly [string, string]>): string {
  let text = '';
  for (const [label, rawValue] of fields) {
    // A value is one logical line: newlines inside it would start a new (bogus) label.
    const value = rawValue.replace(/[\r\n]+/g, ' ');
    let line = `${label}: `;
    let rest = value;
    while (rest.length > 0) {
      const room = BAG_INFO_LINE_LIMIT - line.length;
      if (rest.length <= room || room < 20) {
        line += rest;
        rest = '';
        break;
      }
      // Break at the last space within the room so words stay whole; hard-break a space-less run.
      let cut = rest.lastIndexOf(' ', room);
      if (cut <= 0) cut = room;
      line += rest.slice(0, cut);
      text += `${line}\n`;
      rest = rest.slice(cut);
      // A continuation line is a two-space indent followed by the rest, which keeps the break's space, so
      // removing exactly the indent when unfolding restores the value.
      line = '  ';
    }
    text += `${line}\n`;
  }
  return text;
}

/** Parses bag-info.txt into label/value pairs, unfolding continuation lines (RFC 8493 §2.2.2). */
export function parseBagInfo(text: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && fields.length > 0) {
      fields[fields.length - 1][1] += line.replace(/^[ \t]{2}/, '');
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).replace(/^[ \t]/, '')]);
  }
  return fields;
}

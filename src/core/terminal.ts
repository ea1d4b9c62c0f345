/**
 * Terminal-safe text. Every value swarmscope prints that came from input or from a file (account ids,
 * capability names, identifiers, file names, cluster and sweep ids, notes, paths, error messages quoting a
 * cell) goes through here before it reaches stdout or stderr.
 *
 * Why: a terminal obeys control characters. An account id holding `ESC[2K` + CR + `OK` erases the line it is
 * printed on and writes a fake "OK"; a right-to-left override (U+202E) makes `FAILED` read backwards or hides
 * text; a newline in an id prints a line of its own that looks like swarmscope's. So these characters are
 * never written raw; each is shown as a visible escape instead:
 *   - C0 controls and DEL/C1 controls (Unicode Cc): `\n`, `\r`, `\t` by name, the other C0s as `\x1b`,
 *     DEL and C1 (which some terminals read as 8-bit CSI/OSC) as `\u007f`, `\u009b`;
 *   - format characters (Unicode Cf) — the bidi embeddings, overrides and isolates U+202A–U+202E and
 *     U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width space U+200B, BOM U+FEFF, tag characters —
 *     except ZERO WIDTH NON-JOINER and JOINER (U+200C, U+200D), which ordinary Persian, Indic and emoji text
 *     needs;
 *   - line and paragraph separators U+2028/U+2029 and lone surrogates, as `\u2028`, `\ud800`; a character
 *     beyond U+FFFF as its surrogate pair (`\udb40\udc41` for TAG LATIN CAPITAL LETTER A).
 * Letters, digits, punctuation and symbols of every script are kept as they are. A backslash is not
 * escaped (paths stay readable), so the escape form is for the eye, not for parsing back.
 *
 * The `\uXXXX` forms are also JSON escapes, and C0 controls never occur raw in JSON.stringify output, so
 * terminalLines applied to JSON text leaves it valid JSON that parses to the same value: `--json` output
 * goes through the same printer and keeps its exact values.
 *
 * Two entry points:
 *   - terminalText(value): one value or one line (a table cell, an id, an error message): everything above is
 *     escaped, newlines included, so a value is always exactly one line.
 *   - terminalLines(text): a whole rendered output: the same, except that `\n` — the renderer's own line
 *     breaks — is kept. The CLI passes every stdout/stderr write through it (cli/print.ts), so a value a
 *     renderer forgot to wrap can at worst add a line, never move the cursor, erase or reorder text.
 */

/** Characters that are escaped: Cc, Cf (minus ZWNJ/ZWJ), Zl, Zp, lone surrogates (Cs). */
const UNSAFE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_EXCEPT_NEWLINE = /(?![\u200c\u200d\n])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** A quick test that skips the replace for the usual all-printable value. */
const ANY_UNSAFE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const ANY_UNSAFE_EXCEPT_NEWLINE = /(?![\u200c\u200d\n])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visibleEscape(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.codePointAt(0)!;
  if (code < 0x20) return `\\x${code.toString(16).padStart(2, '0')}`;
  // Astral characters (tag characters) as their surrogate pair, the form JSON accepts.
  let escaped = '';
  for (let i = 0; i < character.length; i++) escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/** One value or one line, safe to print: every control, bidi and invisible format character escaped (newlines too). */
export function terminalText(value: string): string {
  return ANY_UNSAFE.test(value) ? value.replace(UNSAFE, visibleEscape) : value;
}

/** A whole rendered output, safe to print: as terminalText, but the output's own `\n` line breaks are kept. */
export function terminalLines(text: string): string {
  return ANY_UNSAFE_EXCEPT_NEWLINE.test(text) ? text.replace(UNSAFE_EXCEPT_NEWLINE, visibleEscape) : text;
}

/** True when terminalText would change the value (for a note such as "3 ids were printed escaped"). */
export function needsTerminalEscape(value: string): boolean {
  return ANY_UNSAFE.test(value);
}

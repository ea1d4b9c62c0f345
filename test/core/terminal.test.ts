import { needsTerminalEscape, terminalLines, terminalText } from '../../src/core/terminal';

/** Any character a terminal would obey or hide: C0 (newline aside), DEL, C1, bidi and invisible format characters. */
const RAW_UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/;

describe('terminal-safe text', () => {
  it('shows controls, bidi overrides and separators as visible escapes', () => {
    expect(terminalText('acct\x1b[2K\rOK')).toBe('acct\\x1b[2K\\rOK');
    expect(terminalText('a\nb\tc\x00\x7f\x9b')).toBe('a\\nb\\tc\\x00\\u007f\\u009b');
    expect(terminalText('FAILED\u202edeliaf\u2066x\u2069\u200e\u2028\ufeff')).toBe('FAILED\\u202edeliaf\\u2066x\\u2069\\u200e\\u2028\\ufeff');
    expect(terminalText('tag\u{e0041}')).toBe('tag\\udb40\\udc41');
    expect(terminalText('lone\ud800')).toBe('lone\\ud800');
  });
  it('keeps ordinary text of every script, emoji joiners and backslashes as they are', () => {
    for (const text of ['acct_swarm_01', 'Zoë Ångström', 'Ελλάδα', 'مرحبا', 'עברית', '中文', 'नमस्ते', 'می‌خواهم', '👩‍💻', 'C:\\Users\\x', '┼─…→']) {
      expect(terminalText(text)).toBe(text);
      expect(needsTerminalEscape(text)).toBe(false);
    }
  });
  it('terminalLines keeps the output\'s own newlines and escapes everything else', () => {
    expect(terminalLines('OK a\x1b[2K\r\nFAILED \u202eb\n')).toBe('OK a\\x1b[2K\\r\nFAILED \\u202eb\n');
  });
  it('leaves JSON valid and exact: the escapes are JSON escapes', () => {
    const value = { id: 'a\x1b[2K\rOK\u202e\u2066\x7f\x85\u2028\u{e0041}\ud800', note: 'x\\u202e' };
    const printed = terminalLines(JSON.stringify(value, null, 2));
    expect(printed).not.toMatch(RAW_UNSAFE);
    expect(JSON.parse(printed)).toEqual(value);
  });
  it('no random string prints a raw unsafe character, and a value is always one line', () => {
    let seed = 15;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const failures: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let value = '';
      for (let k = 0; k < 16; k++) value += String.fromCharCode(next() < 0.5 ? Math.floor(next() * 0xa0) : Math.floor(next() * 0x10000));
      const shown = terminalText(value);
      if (RAW_UNSAFE.test(shown) || shown.includes('\n') || RAW_UNSAFE.test(terminalLines(value))) failures.push(JSON.stringify(value));
    }
    expect(failures).toEqual([]);
  });
});

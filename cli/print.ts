/**
 * The CLI's two printers. Every line swarmscope writes to stdout or stderr goes through printOut/printErr
 * (progress lines, which redraw with CR, wrap their values in terminalText instead). Both pass the text
 * through terminalLines (src/core/terminal.ts): control, bidi and invisible format characters are shown as
 * visible escapes, so an id, capability, file name or cell printed inside the text cannot move the cursor,
 * erase a line or reorder what the user reads. JSON output goes through too: the escapes are JSON escapes,
 * so it still parses to the same values. CSV, Markdown and HTML printed on stdout (`report --format …`) show
 * such characters escaped as well; the files in the sweep folder hold the exact values.
 */
import { terminalLines } from '../src/core/terminal';

export function printOut(text: string): void {
  process.stdout.write(terminalLines(text));
}

export function printErr(text: string): void {
  process.stderr.write(terminalLines(text));
}

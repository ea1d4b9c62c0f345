/**
 * Keeps the terminal-safe printer the only way out (issue 15): every write to stdout/stderr in cli/ and src/
 * goes through cli/print.ts (printOut/printErr → terminalLines), except the few writers listed here, each of
 * which escapes its values with terminalText itself. A new `process.stdout.write` or `console.log` elsewhere
 * fails this test: route it through printOut/printErr, or add it here with the reason it is safe.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../sweep/support';

const DIRECT_WRITERS: Record<string, string> = {
  'cli/print.ts': 'the printer itself',
  'cli/run.ts': 'error lines: the message and path pass through terminalText',
  'cli/commands/export.ts': 'the progress bar (redrawn with CR): numbers and step names only',
  'cli/commands/generate.ts': 'the progress line (redrawn with CR): numbers only',
  'src/ingest/progress.ts': 'the import progress bar (redrawn with CR): the file name passes through terminalText',
  'src/sweep/history/atomic.ts': 'a test hook naming a fixed pause point',
  'src/sweep/history/lock.ts': 'the stale-lock notice (no cli/ printer in src/): the line passes through terminalText',
  'cli/main.ts': 'standard output is full: a fixed sentence and the system error code, written straight to stderr before exit',
};
const DIRECT_WRITE = /process\.(stdout|stderr)\.write\(|console\.(log|error|warn|info|debug)\(/;

function sources(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file).split(path.sep).join('/'));
}

test('no file but the listed ones writes to stdout or stderr directly', () => {
  const offenders = [...sources('cli'), ...sources('src')].filter(
    (file) => !(file in DIRECT_WRITERS) && DIRECT_WRITE.test(fs.readFileSync(path.join(ROOT, file), 'utf8')),
  );
  expect(offenders).toEqual([]);
  // The list holds no stale entry either.
  for (const file of Object.keys(DIRECT_WRITERS)) expect(DIRECT_WRITE.test(fs.readFileSync(path.join(ROOT, file), 'utf8'))).toBe(true);
});

/**
 * Every numeric option of every command goes through cli/options.ts (issue 15: `--workers 99999999999999999999`
 * trapped V8 with a stack trace). Unit tests of the parser; then, in process, every numeric option commander knows
 * (found by walking the program, so a new option without a row here fails) with absurd values: exit 2 and one
 * line naming the option; and through the spawned CLI every absurd `--workers` value.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Command } from 'commander';
import { buildProgram, main } from '../../cli/main';
import { RANGES, integerOption, numberOption } from '../../cli/options';
import { isSwarmscopeError } from '../../src/core/errors';
import { CLI, ROOT, ensureBuilt } from '../support/build';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
const ABSURD = ['99999999999999999999', '-1', 'NaN', '1e309', 'Infinity', '', 'abc', '0x10'];

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isSwarmscopeError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('integerOption and numberOption', () => {
  it('accept decimal values in range and leave an absent option undefined', () => {
    expect(integerOption('--workers', '0', RANGES.workers)).toBe(0);
    expect(integerOption('--workers', ' 64 ', RANGES.workers)).toBe(64);
    expect(integerOption('--seed', '4294967295', RANGES.seed)).toBe(4294967295);
    expect(integerOption('--workers', undefined, RANGES.workers)).toBeUndefined();
    expect(numberOption('--resolution', '0.5', RANGES.resolution)).toBe(0.5);
    expect(numberOption('--resolution', '1e-3', RANGES.resolution)).toBe(0.001);
    expect(numberOption('--link-threshold', '1', RANGES.linkThreshold)).toBe(1);
  });

  it.each(['99999999999999999999', '-1', 'NaN', '1e309', '1e3', '1.5', '', ' ', '0x10', '+3', '65', 'Infinity'])(
    'refuses --workers %j naming the option and its range',
    (value) => {
      expect(messageOf(() => integerOption('--workers', value, RANGES.workers))).toBe(
        `BAD_ARGUMENT: --workers must be a whole number from 0 to 64, got ${JSON.stringify(value)}`,
      );
    },
  );

  it.each(['0', '-1', 'NaN', '1e309', '-1e309', '', 'abc', '1000001', 'Infinity'])('refuses --resolution %j', (value) => {
    expect(messageOf(() => numberOption('--resolution', value, RANGES.resolution))).toBe(
      `BAD_ARGUMENT: --resolution must be a number above 0 and at most 1,000,000, got ${JSON.stringify(value)}`,
    );
  });

  it('shortens a huge value in the message to one readable line', () => {
    expect(messageOf(() => integerOption('--top', '9'.repeat(5000), RANGES.top))).toBe(
      `BAD_ARGUMENT: --top must be a whole number from 1 to 2,147,483,647, got "${'9'.repeat(40)}…"`,
    );
  });
});

/** argv that reaches each command's option parsing; the numeric option and its value are appended. */
const CONTEXT: Record<string, string[]> = {
  validate: ['validate', FIXTURE, '--quiet'],
  sweep: ['sweep', FIXTURE, '--out', '/nonexistent/swarmscope-out', '--state', '/nonexistent/swarmscope-state', '--quiet'],
  detect: ['detect', '/nonexistent/graph.csv'],
  report: ['report', '/nonexistent/sweep'],
  diff: ['diff', '/nonexistent/a', '/nonexistent/b'],
  'export neo4j': ['export', 'neo4j', '/nonexistent/sweep', '--dry-run', '--cypher-out', '/nonexistent/out.jsonl'],
  'case set': ['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'n', '--state', '/nonexistent/state'],
  'history undo': ['history', 'undo', '--state', '/nonexistent/state', '--yes'],
  demo: ['demo', '--out', '/nonexistent/demo'],
  generate: ['generate', '--out', '/nonexistent/world'],
};
/** Argument names that take a number. */
const NUMERIC_ARGUMENT = /<(n|gamma|seconds|share|accounts|ratio|x)>/;

/** [command path, --flag] for every numeric option of every command and subcommand. */
function numericOptions(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (command: Command, prefix: string[]): void => {
    for (const sub of command.commands) {
      const name = [...prefix, sub.name()];
      for (const option of sub.options) if (NUMERIC_ARGUMENT.test(option.flags)) found.push([name.join(' '), option.long!]);
      walk(sub, name);
    }
  };
  walk(buildProgram(), []);
  return found;
}

describe('every numeric option of every command (in process)', () => {
  const options = numericOptions();
  let stderr: string[];
  beforeEach(() => {
    stderr = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('finds the numeric options, and each command has a context row', () => {
    expect(options.length).toBeGreaterThanOrEqual(40);
    expect(options).toEqual(expect.arrayContaining([['validate', '--workers'], ['detect', '--resolution'], ['export neo4j', '--batch-size'], ['case set', '--wait']]));
    expect([...new Set(options.map(([command]) => command))].filter((command) => !CONTEXT[command])).toEqual([]);
  });

  it.each(options)('%s %s: absurd values exit 2 with one line naming the option', async (command, flag) => {
    for (const value of ABSURD) {
      stderr = [];
      process.exitCode = undefined;
      await main(['node', 'swarmscope', ...CONTEXT[command], `${flag}=${value}`]);
      const text = stderr.join('');
      expect([value, process.exitCode]).toEqual([value, 2]);
      expect([value, text.trim().split('\n')]).toEqual([value, [expect.stringContaining(flag)]]);
      expect(text).not.toMatch(/internal error|\bat .*\.js:\d+/);
    }
  });
});

describe('--workers through the spawned CLI', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it.each(['99999999999999999999', '-1', 'NaN', '1e309', '18446744073709551616', '65', '1.5', ''])('validate --workers %j: exit 2, one line, no trace', (value) => {
    const result = spawnSync(process.execPath, [CLI, 'validate', FIXTURE, '--quiet', '--workers', value], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, SWARMSCOPE_DEBUG: '' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`swarmscope: --workers must be a whole number from 0 to 64, got ${JSON.stringify(value)}`);
    expect(result.stdout).toBe('');
  });
});

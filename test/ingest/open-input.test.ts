/**
 * openInput and the reader's error reporting, in process: an I/O error on a plain .csv (or a .gz) is reported as
 * the system error it is (READ_FAILED, with its code and the path), never as "unreadable gzip"; openInput's
 * refusals carry the code and exit 2.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { SwarmscopeError } from '../../src/core/errors';
import { EMPTY_MAPPING } from '../../src/contract/mapping';
import { closeInput, describeIoError, openInput } from '../../src/ingest/open-input';
import { FileReader, locateFile } from '../../src/ingest/source';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-open-input-'));
  fs.writeFileSync(path.join(dir, 'accounts.csv'), 'account_id,created_at\na,2026-01-01\n');
  fs.writeFileSync(path.join(dir, 'exchanges.csv.gz'), zlib.gzipSync('account_id,timestamp\na,2026-01-01\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function drain(reader: FileReader): Promise<void> {
  for await (const _chunk of reader.chunks());
}

test.each(['accounts.csv', 'exchanges.csv.gz'] as const)('a read failing on %s is READ_FAILED naming the system error, not BAD_GZIP', async (name) => {
  const located = locateFile(dir, name === 'accounts.csv' ? 'accounts.csv' : 'exchanges.csv', EMPTY_MAPPING);
  expect(located).not.toBeNull();
  // Close the descriptor under the reader: its reads fail with EBADF, a real system error on the read path.
  fs.closeSync(located!.input.fd);
  const error = await drain(new FileReader(located!)).then(
    () => null,
    (caught: unknown) => caught,
  );
  located!.input.fd = -1;
  expect(error).toBeInstanceOf(SwarmscopeError);
  expect((error as SwarmscopeError).code).toBe('READ_FAILED');
  expect((error as SwarmscopeError).exitCode).toBe(2);
  expect((error as Error).message).toBe(`${path.join(dir, name)}: cannot read: bad file descriptor (EBADF); check the disk and the file`);
});

test.each(['accounts.csv', 'exchanges.csv.gz'] as const)('an EIO while reading %s is reported as an input/output error', async (name) => {
  const located = locateFile(dir, name === 'accounts.csv' ? 'accounts.csv' : 'exchanges.csv', EMPTY_MAPPING)!;
  // The fs module object itself (`import * as fs` gives a read-only view of it).
  const nodeFs = require('fs') as typeof fs; // eslint-disable-line @typescript-eslint/no-require-imports
  const failing = jest.spyOn(nodeFs, 'read').mockImplementation(((...args: unknown[]) => {
    const callback = args[args.length - 1] as (error: NodeJS.ErrnoException) => void;
    process.nextTick(() => callback(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', errno: -5, syscall: 'read' })));
  }) as unknown as typeof fs.read);
  try {
    await expect(drain(new FileReader(located))).rejects.toThrow(`${path.join(dir, name)}: cannot read: input/output error (EIO); check the disk and the file`);
  } finally {
    failing.mockRestore();
    closeInput(located.input);
  }
});

test('openInput: not found, not a regular file, over the size limit, outside the folder', () => {
  const fix = 'fix it';
  const refusal = (file: string, options: Partial<Parameters<typeof openInput>[1]> = {}) => {
    try {
      closeInput(openInput(file, { folder: dir, fix, ...options }));
      return null;
    } catch (error) {
      return error as SwarmscopeError;
    }
  };
  expect(refusal(path.join(dir, 'absent.csv'))).toMatchObject({ code: 'INPUT_NOT_FOUND', exitCode: 2 });
  fs.mkdirSync(path.join(dir, 'sub'));
  expect(refusal(path.join(dir, 'sub'))?.message).toBe(`${path.join(dir, 'sub')}: is a directory, not a regular file; fix it`);
  expect(refusal(path.join(dir, 'accounts.csv'), { maxBytes: 10 })?.message).toMatch(/is 35 bytes, more than the 10-byte limit/);
  expect(refusal(path.join(dir, 'accounts.csv'), { folder: path.join(dir, 'sub') })).toMatchObject({ code: 'BAD_INPUT_FILE' });
  expect(refusal(path.join(dir, 'accounts.csv'))).toBeNull();
});

test('describeIoError gives the words and the code', () => {
  expect(describeIoError(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' }))).toBe('input/output error (EIO)');
  expect(describeIoError(Object.assign(new Error('x'), { code: 'EWHATEVER' }))).toBe('ewhatever (EWHATEVER)');
});

/**
 * The one way swarmscope opens a file a user hands it to read: the export's CSV/CSV.gz files and the `--map`
 * mapping file. Every such open goes through openInput, so the rules hold for all of them:
 *
 *  - Links are resolved first (realpath) and the resolved file must lie inside `folder`. For a contract file the
 *    folder is the input folder; for `--map` it is the folder of the path the user typed. So a path the user typed
 *    is read wherever it is, but a symbolic link inside an export that points out of it (to /etc/passwd, to
 *    ~/.ssh) is refused before a byte is read, and no message can echo what it points to.
 *  - Only a regular file is read. It is opened with O_NONBLOCK (a FIFO with no writer would otherwise block the
 *    open forever) and O_NOFOLLOW, then fstat'ed on the open descriptor (not a racy stat of the path): a
 *    directory, FIFO, socket or device such as /dev/zero is refused with exit 2, one line naming the path and
 *    what it is.
 *  - The size is fixed at open: readers read exactly `size` bytes (a file that grows while it is read cannot make
 *    the import endless), and a caller can cap it (`maxBytes`; the mapping file has MAX_MAPPING_BYTES).
 *  - An open or read failure says what the system said (EACCES, EIO…) with the path: describeIoError.
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';

export interface InputFile {
  /** The path as the caller gave it (for messages). */
  path: string;
  /** The resolved path (links followed). */
  realPath: string;
  fd: number;
  /** Size in bytes at open (fstat on `fd`); readers read exactly this many bytes. */
  size: number;
}

export interface OpenInputOptions {
  /** The folder the resolved file must lie in. */
  folder: string;
  /** Refuse files larger than this (bytes). */
  maxBytes?: number;
  /** How to fix a refusal, appended to the message (e.g. "check the --map path"). */
  fix: string;
}

/** What a non-regular file is, in words. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** "permission denied (EACCES)": the system's words and code, without the path Node repeats in its message. */
export function describeIoError(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  if (!errno || typeof errno.code !== 'string') return (error as Error)?.message ?? String(error);
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EIO: 'input/output error',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ELOOP: 'too many levels of symbolic links',
    EMFILE: 'too many open files',
    ENFILE: 'too many open files in the system',
    EBADF: 'bad file descriptor',
    ENAMETOOLONG: 'file name too long',
    ENXIO: 'no such device or address',
  };
  return `${words[errno.code] ?? errno.code.toLowerCase()} (${errno.code})`;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Opens `file` for reading under the rules above; throws BAD_INPUT_FILE / READ_FAILED / INPUT_NOT_FOUND (exit 2). */
export function openInput(file: string, options: OpenInputOptions): InputFile {
  const refuse = (what: string) => swarmscopeError('BAD_INPUT_FILE', `${file}: ${what}; ${options.fix}`, { file });
  const failed = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return swarmscopeError('INPUT_NOT_FOUND', `${file}: no such file (a missing file or a broken symbolic link); ${options.fix}`, { file });
    return swarmscopeError('READ_FAILED', `${file}: cannot open: ${describeIoError(error)}; ${options.fix}`, { file, code });
  };
  let realPath: string;
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(options.folder);
    realPath = fs.realpathSync(file);
  } catch (error) {
    throw failed(error);
  }
  if (!isInside(realFolder, realPath)) {
    // Deliberately not naming the link's target: it is outside what the user handed us.
    throw refuse(`resolves (through a symbolic link) to a file outside ${options.folder}, which swarmscope does not read`);
  }
  let fd: number;
  try {
    fd = fs.openSync(realPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW | fs.constants.O_NOCTTY);
  } catch (error) {
    throw failed(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw refuse(`is ${kindOf(stat)}, not a regular file`);
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
      throw refuse(`is ${stat.size.toLocaleString('en-US')} bytes, more than the ${options.maxBytes.toLocaleString('en-US')}-byte limit`);
    }
    return { path: file, realPath, fd, size: stat.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Closes an InputFile's descriptor once (later calls do nothing). */
export function closeInput(input: InputFile): void {
  if (input.fd < 0) return;
  try {
    fs.closeSync(input.fd);
  } finally {
    input.fd = -1;
  }
}

/** Reads a whole (small, size-capped) InputFile: exactly its size at open. */
export function readInput(input: InputFile): Buffer {
  const bytes = Buffer.alloc(input.size);
  let filled = 0;
  try {
    while (filled < input.size) {
      const read = fs.readSync(input.fd, bytes, filled, input.size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
  } catch (error) {
    throw swarmscopeError('READ_FAILED', `${input.path}: cannot read: ${describeIoError(error)}`, { file: input.path });
  }
  return bytes.subarray(0, filled);
}

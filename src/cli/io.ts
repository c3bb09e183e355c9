/**
 * The CLI's contact with the world: output streams, the working directory and the file system, all
 * injectable so tests run commands in-process; and the mapping of errors to stderr text and exit codes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NetproofError } from '../errors';
import { FileMessages, FileSystemReader } from '../parse/files';

export interface CliOutput {
  write(chunk: string): unknown;
  /**
   * Writes out what is buffered; `main` calls it before it returns.
   * @default - nothing is buffered
   */
  flush?(): void;
}

export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Relative paths are resolved against it. */
  readonly cwd: string;
  /**
   * @default - Node's file system, relative to `cwd`
   */
  readonly fs?: FileSystemReader;
  /**
   * Standard input's text, for `-` as an input (tests inject it).
   * @default - the process's standard input, read once
   */
  readonly stdin?: () => string;
  /**
   * The environment of the programs netproof runs (kubectl, kustomize); tests give a PATH.
   * @default - the process's environment
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The writes of synth's output swap (tests inject failures: a full disk, a read-only folder).
   * @default - Node's file system
   */
  readonly output?: OutputFileSystem;
}

/** The file-system writes of the swap; injected by tests to simulate a full disk or a read-only folder. */
export interface OutputFileSystem {
  /** `mkdir -p`. */
  mkdir(dir: string): void;
  writeFile(file: string, text: string): void;
  rename(from: string, to: string): void;
  /** `rm -rf`. */
  remove(p: string): void;
  /** Creates `file` with `text`, failing with EEXIST when it exists. */
  createExclusive(file: string, text: string): void;
}

export const ExitCode = {
  ok: 0,
  /** An unexpected failure (a bug): the message and stack go to stderr. */
  internal: 1,
  /** Bad input: flags, files, manifests, cluster model; or an environment that cannot serve them (an unreadable file, a full disk). */
  badInput: 2,
} as const;

/** The largest input file netproof reads (bytes); larger files are refused with a message. */
export const MAX_INPUT_FILE_BYTES = 256 * 1024 * 1024;

export const IoMessages = {
  tooLarge: (bytes: number) =>
    `is ${mebibytes(bytes)}, more than netproof reads from one file (${mebibytes(MAX_INPUT_FILE_BYTES)}). Split it into several files in a folder, or narrow the listing (e.g. kubectl get pods -n NAMESPACE)`,
  notUtf8: (offset: number) => `is not UTF-8 text (invalid byte at offset ${offset}). Save it as UTF-8`,
  utf16: 'is UTF-16 text (it starts with a UTF-16 byte order mark). Save it as UTF-8',
  cannotRead: (reason: string) => `cannot read: ${reason}. Check the path and its permissions`,
  cannotWrite: (what: string, reason: string, fix: string) => `cannot write ${what}: ${reason}. ${fix}`,
  stdoutFailed: (reason: string) =>
    `cannot write: ${reason}. Free space or fix where the output goes (for large results use --format summary, or --out FILE where the command has it)`,
} as const;

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

/** A file-system error in words: `no space left on the device (ENOSPC)`; anything else as Node words it. */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const words = e?.code !== undefined ? FS_ERROR_WORDS[e.code] : undefined;
  if (words !== undefined) return `${words} (${e.code})`;
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Z]+: /, '').split('\n')[0];
}

const FS_ERROR_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOTEMPTY: 'folder not empty',
  EEXIST: 'already exists',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EXDEV: 'not on the same file system',
  EBUSY: 'resource busy',
  ETXTBSY: 'text file busy',
  EPIPE: 'the reader went away',
  EAGAIN: 'resource temporarily unavailable',
};

/** Is this a file-system or I/O failure of the environment (not a bug)? */
export function isEnvironmentError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && code in FS_ERROR_WORDS;
}

/** What a non-regular file is, in words: `a FIFO (named pipe)`. */
export function describeFileType(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

const interruptCleanups = new Set<() => void>();

/**
 * Registers what must be undone when netproof is interrupted by a signal while it waits for an app (a lock,
 * a temporary folder); returns the function that unregisters it.
 */
export function onInterrupt(cleanup: () => void): () => void {
  interruptCleanups.add(cleanup);
  return () => interruptCleanups.delete(cleanup);
}

/** Runs every registered interrupt cleanup (each once, failures ignored). */
export function runInterruptCleanups(): void {
  for (const cleanup of [...interruptCleanups]) {
    interruptCleanups.delete(cleanup);
    try {
      cleanup();
    } catch { /* best effort: the process is ending */ }
  }
}

/** Pauses the thread (for a non-blocking stdout that is full). */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Bytes held before a buffered output writes them. */
const OUTPUT_BUFFER = 64 * 1024;

export type WriteSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/**
 * Output to a file descriptor, written synchronously: a slow reader (a pipe into `less` or `wc`) holds the
 * writer back instead of the output piling up in memory (backpressure); a reader that goes away
 * (`netproof ... | head`) ends the output silently; other failures (a full disk, /dev/full) are
 * NetproofErrors with the reason. `buffered` collects up to 64 KiB before writing.
 */
export class FdOutput implements CliOutput {
  private chunks: string[] = [];
  private size = 0;
  private closed = false;

  constructor(
    private readonly fd: number,
    /** For messages: `stdout`. */
    private readonly name: string,
    private readonly options: { readonly buffered: boolean; readonly before?: CliOutput; readonly writeSync?: WriteSync },
  ) {}

  public write(chunk: string): boolean {
    if (this.closed) return false;
    this.options.before?.flush?.();
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (!this.options.buffered || this.size >= OUTPUT_BUFFER) this.flush();
    return !this.closed;
  }

  public flush(): void {
    if (this.chunks.length === 0 || this.closed) return;
    const data = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.size = 0;
    const writeSync = this.options.writeSync ?? fs.writeSync;
    let offset = 0;
    let waited = 0;
    while (offset < data.length) {
      try {
        offset += writeSync(this.fd, data, offset, data.length - offset);
        waited = 0;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          sleepMs(Math.min(50, 1 + waited++));
          continue;
        }
        this.closed = true;
        if (code === 'EPIPE') return;
        throw new NetproofError(this.name, IoMessages.stdoutFailed(describeFsError(e)));
      }
    }
  }
}

/**
 * The process's streams and working directory. Stdout and stderr are written synchronously through their
 * file descriptors (see FdOutput): stdout buffered, stderr not (it writes stdout's buffer first, so the
 * two keep their order on a terminal).
 */
export function processIo(): CliIo {
  const stdout = new FdOutput(1, 'stdout', { buffered: true });
  const stderr = new FdOutput(2, 'stderr', { buffered: false, before: stdout });
  return {
    stdout,
    stderr: { write: (chunk: string) => { try { return stderr.write(chunk); } catch { return false; } } },
    cwd: process.cwd(),
  };
}

/**
 * Node's file system; paths in messages stay as the user wrote them, reads resolve against `cwd`. Only
 * regular files are read (a FIFO, a device or a socket is refused, never opened for a blocking read),
 * symbolic links are followed, and directories are known by their real path (so a walk can see a loop).
 */
export function nodeFileSystem(cwd: string): FileSystemReader {
  const abs = (p: string) => path.resolve(cwd, p);
  return {
    kind: (p) => {
      let st: fs.Stats;
      try {
        st = fs.statSync(abs(p));
      } catch {
        // Nothing there at all, or a link that leads nowhere (or that cannot be followed).
        try {
          fs.lstatSync(abs(p));
        } catch {
          return 'missing';
        }
        return 'broken';
      }
      return st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'special';
    },
    describe: (p) => {
      try {
        return describeFileType(fs.statSync(abs(p)));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return 'a symbolic link whose target does not exist';
        if (code === 'ELOOP') return 'a symbolic link that leads to itself';
        return `not accessible: ${describeFsError(e)}`;
      }
    },
    identity: (p) => {
      try {
        return fs.realpathSync(abs(p));
      } catch {
        return abs(p);
      }
    },
    list: (p) => {
      try {
        return fs.readdirSync(abs(p));
      } catch (e) {
        throw new NetproofError(p, IoMessages.cannotRead(describeFsError(e)));
      }
    },
    readText: (p) => readRegularFile(abs(p), p),
  };
}

/**
 * Reads a regular file as UTF-8 text (a leading byte order mark dropped). The file is opened without
 * blocking and checked before anything is read, so a FIFO or a device named as input fails at once.
 */
export function readRegularFile(file: string, shown: string = file): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new NetproofError(shown, IoMessages.cannotRead(describeFsError(e)));
  }
  let bytes: Buffer;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new NetproofError(shown, FileMessages.notRegular(describeFileType(st)));
    if (st.size > MAX_INPUT_FILE_BYTES) throw new NetproofError(shown, IoMessages.tooLarge(st.size));
    bytes = fs.readFileSync(fd);
  } catch (e) {
    if (e instanceof NetproofError) throw e;
    throw new NetproofError(shown, IoMessages.cannotRead(describeFsError(e)));
  } finally {
    fs.closeSync(fd);
  }
  return decodeText(bytes, shown);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** UTF-8 text of a file's bytes; UTF-16 and invalid UTF-8 are errors naming the file. */
export function decodeText(bytes: Uint8Array, shown: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new NetproofError(shown, IoMessages.utf16);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new NetproofError(shown, IoMessages.notUtf8(firstInvalidUtf8(bytes)));
  }
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    const cp = len === 3 ? ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) : len === 4 ? ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) : 0x80;
    if ((len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len === 4 && (cp < 0x10000 || cp > 0x10ffff))) return i;
    i += len;
  }
  return bytes.length;
}

/** Longest run of non-space characters a message shows before shortening it. */
const MAX_MESSAGE_WORD = 200;

/** Shortens every overlong word of a message (a 10 MB value or key is never echoed whole). */
export function shortenMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_WORD) return message;
  const parts: string[] = [];
  let start = 0;
  const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
  while (start < message.length) {
    let end = start;
    while (end < message.length && !isSpace(message.charCodeAt(end))) end++;
    const word = message.slice(start, end);
    parts.push(word.length > MAX_MESSAGE_WORD ? `${word.slice(0, MAX_MESSAGE_WORD / 2)}… (${word.length} characters)` : word);
    let next = end;
    while (next < message.length && isSpace(message.charCodeAt(next))) next++;
    parts.push(message.slice(end, next));
    start = next;
  }
  return parts.join('');
}

/**
 * Writes an error to stderr and returns the exit code: 2 for NetproofError (bad input) and for failures
 * of the environment (a full disk, a read-only folder), 1 otherwise (a bug: the stack is printed).
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof NetproofError) {
    io.stderr.write(`netproof: error: ${shortenMessage(error.message)}\n`);
    return ExitCode.badInput;
  }
  if (isEnvironmentError(error)) {
    io.stderr.write(`netproof: error: ${describeFsError(error)}${(error as NodeJS.ErrnoException).path ? `: ${(error as NodeJS.ErrnoException).path}` : ''}. Check the folder, its permissions and the free space\n`);
    return ExitCode.badInput;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  io.stderr.write(`netproof: internal error: ${shortenMessage(e.message)}\n${shortenMessage(e.stack ?? '')}\nPlease report this with the command and inputs that caused it.\n`);
  return ExitCode.internal;
}

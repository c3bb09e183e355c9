/**
 * The CLI's contact with the world: output streams, the working directory and the file system, all
 * injectable so tests run commands in-process; and the mapping of errors to stderr text and exit codes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NetproofError } from '../errors';
import { FileSystemReader } from '../parse/files';

export interface CliOutput {
  write(chunk: string): unknown;
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
}

export const ExitCode = {
  ok: 0,
  /** An unexpected failure (a bug): the message and stack go to stderr. */
  internal: 1,
  /** Bad input: flags, files, manifests, cluster model. */
  badInput: 2,
} as const;

let stdoutClosed = false;
let stdoutWatched = false;

/**
 * The process's streams and working directory. When the reader of stdout goes away (`netproof ... | head`),
 * further output is dropped instead of crashing with EPIPE.
 */
export function processIo(): CliIo {
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      stdoutClosed = true;
    });
  }
  return {
    stdout: { write: (chunk: string) => (stdoutClosed ? false : process.stdout.write(chunk)) },
    stderr: process.stderr,
    cwd: process.cwd(),
  };
}

/** Node's file system; paths in messages stay as the user wrote them, reads resolve against `cwd`. */
export function nodeFileSystem(cwd: string): FileSystemReader {
  const abs = (p: string) => path.resolve(cwd, p);
  return {
    kind: (p) => {
      try {
        const st = fs.statSync(abs(p));
        return st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'missing';
      } catch {
        return 'missing';
      }
    },
    list: (p) => readOrFail(p, () => fs.readdirSync(abs(p))),
    readText: (p) => readOrFail(p, () => fs.readFileSync(abs(p), 'utf8')),
  };
}

function readOrFail<T>(p: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new NetproofError(p, `cannot read: ${(e as Error).message}. Check the path and its permissions`);
  }
}

/** Writes an error to stderr and returns the exit code: 2 for NetproofError (bad input), 1 otherwise. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof NetproofError) {
    io.stderr.write(`netproof: error: ${error.message}\n`);
    return ExitCode.badInput;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  io.stderr.write(`netproof: internal error: ${e.message}\n${e.stack ?? ''}\nPlease report this with the command and inputs that caused it.\n`);
  return ExitCode.internal;
}

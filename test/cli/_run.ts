/** Test helpers: run the CLI in-process with captured output, over the repo or an in-memory file system. */
import { join } from 'path';
import { CliIo, IoMessages } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { NetproofError } from '../../src/errors';
import { FileSystemReader } from '../../src/parse/files';

export const REPO = join(__dirname, '..', '..');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function captureIo(files?: Record<string, string>): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    cwd: REPO,
    ...(files ? { fs: memoryFileSystem(files) } : {}),
  };
}

export async function run(argv: string[], files?: Record<string, string>): Promise<RunResult> {
  const io = captureIo(files);
  const code = await main(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** Files by path; directories are implied by the paths. */
export function memoryFileSystem(files: Record<string, string>): FileSystemReader {
  const dirs = new Map<string, Set<string>>();
  for (const p of Object.keys(files)) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)!.add(parts[i]);
    }
  }
  return {
    kind: (p) => (files[p] !== undefined ? 'file' : dirs.has(p) ? 'directory' : 'missing'),
    list: (p) => [...(dirs.get(p) ?? [])],
    // As the real file system: a path that is not a file is an error, never undefined text.
    readText: (p) => {
      if (files[p] === undefined) throw new NetproofError(p, IoMessages.cannotRead(dirs.has(p) ? 'it is a directory (EISDIR)' : 'no such file or directory (ENOENT)'));
      return files[p];
    },
  };
}

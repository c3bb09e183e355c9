/**
 * Which files an input path stands for. The file system is injected (the CLI passes Node's), so the
 * parsers stay free of I/O: a file is itself; a directory is every `*.yaml`, `*.yml` and `*.json` file
 * below it (recursively, hidden entries skipped), sorted by path for deterministic results.
 */
import { NetproofError } from '../errors';

/** A file's text and the name used for it in messages and sources. */
export interface FileText {
  readonly path: string;
  readonly text: string;
}

/** The few file-system operations input collection needs. */
export interface FileSystemReader {
  /** `missing` when nothing exists at the path. */
  kind(path: string): 'file' | 'directory' | 'missing';
  /** Entry names (not paths) of a directory. */
  list(path: string): readonly string[];
  readText(path: string): string;
}

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** The files for one input path; `what` names the input in messages (e.g. `--policies`). */
export function collectFiles(path: string, fs: FileSystemReader, what = 'input'): FileText[] {
  const kind = fs.kind(path);
  if (kind === 'missing') {
    throw new NetproofError(`${what} ${path}`, 'no such file or directory. Give the path of a YAML/JSON file or of a directory of them');
  }
  if (kind === 'file') return [{ path, text: fs.readText(path) }];
  const paths: string[] = [];
  walk(path, fs, paths);
  if (paths.length === 0) {
    throw new NetproofError(`${what} ${path}`, `directory has no ${MANIFEST_EXTENSIONS.join(', ')} files. Give a directory that holds manifests, or a file`);
  }
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return paths.map((p) => ({ path: p, text: fs.readText(p) }));
}

function walk(dir: string, fs: FileSystemReader, out: string[]): void {
  for (const name of [...fs.list(dir)].sort()) {
    if (name.startsWith('.')) continue;
    const full = dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
    const kind = fs.kind(full);
    if (kind === 'directory') walk(full, fs, out);
    else if (kind === 'file' && MANIFEST_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) out.push(full);
  }
}

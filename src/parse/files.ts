/**
 * Which files an input path stands for. The file system is injected (the CLI passes Node's), so the
 * parsers stay free of I/O: a file is itself; a directory is every `*.yaml`, `*.yml` and `*.json` file
 * below it (recursively, hidden entries skipped, each folder walked once even through symbolic-link
 * loops), sorted by path for deterministic results. An entry that cannot be read (a link to nothing, a
 * FIFO or a device named like a manifest) is an error naming it: leaving it out could drop a policy.
 */
import { NetproofError } from '../errors';

/** A file's text and the name used for it in messages and sources. */
export interface FileText {
  readonly path: string;
  readonly text: string;
}

export type FileKind = 'file' | 'directory' | 'missing' | 'special' | 'broken';

/** The few file-system operations input collection needs. */
export interface FileSystemReader {
  /**
   * `missing` when nothing exists at the path; `special` for a FIFO, a device or a socket; `broken` for an
   * entry that exists but cannot be followed or examined (a symbolic link to nothing, no permission).
   */
  kind(path: string): FileKind;
  /** Entry names (not paths) of a directory. */
  list(path: string): readonly string[];
  readText(path: string): string;
  /**
   * What a `special` or `broken` entry is, in words (`a FIFO (named pipe)`).
   * @default 'not a regular file or folder'
   */
  describe?(path: string): string;
  /**
   * The same string for every path that leads to one directory or file (its real path), so that a walk
   * visits each once.
   * @default - the path itself (no links)
   */
  identity?(path: string): string;
}

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** How many unreadable entries a message names before it counts the rest. */
const NAMED_ENTRIES = 10;

export const FileMessages = {
  missing: 'no such file or directory. Give the path of a YAML/JSON file or of a directory of them',
  noManifests: `directory has no ${MANIFEST_EXTENSIONS.join(', ')} files. Give a directory that holds manifests, or a file`,
  notRegular: (what: string) =>
    `is ${what}, and netproof reads only regular files and folders (a FIFO or a device could block forever). Give a file or a folder of manifests`,
  unreadableEntries: (entries: readonly { path: string; what: string }[]) => {
    const named = entries.slice(0, NAMED_ENTRIES).map((e) => `${e.path} (${e.what})`).join(', ');
    const more = entries.length > NAMED_ENTRIES ? ` and ${entries.length - NAMED_ENTRIES} more` : '';
    const noun = entries.length === 1 ? 'an entry that cannot be read' : `${entries.length} entries that cannot be read`;
    return `the folder holds ${noun}, so what ${entries.length === 1 ? 'it holds' : 'they hold'} would be left out: ${named}${more}. `
      + 'Restore the link targets, replace them with regular files, or remove them';
  },
} as const;

/** The files for one input path; `what` names the input in messages (e.g. `--policies`). */
export function collectFiles(path: string, fs: FileSystemReader, what = 'input'): FileText[] {
  const kind = fs.kind(path);
  if (kind === 'missing') throw new NetproofError(`${what} ${path}`, FileMessages.missing);
  if (kind === 'special' || kind === 'broken') throw new NetproofError(`${what} ${path}`, FileMessages.notRegular(describe(fs, path)));
  if (kind === 'file') return [{ path, text: fs.readText(path) }];
  const walk = new Walk(fs);
  walk.directory(path);
  if (walk.problems.length > 0) throw new NetproofError(`${what} ${path}`, FileMessages.unreadableEntries(walk.problems));
  if (walk.files.length === 0) throw new NetproofError(`${what} ${path}`, FileMessages.noManifests);
  const paths = walk.files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return paths.map((p) => ({ path: p, text: fs.readText(p) }));
}

function describe(fs: FileSystemReader, path: string): string {
  return fs.describe?.(path) ?? 'not a regular file or folder';
}

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
}

/** A depth-first walk without recursion: each directory and file once (by identity), problems collected. */
class Walk {
  public readonly problems: { path: string; what: string }[] = [];
  private readonly seen = new Set<string>();
  private readonly byIdentity = new Map<string, string>();

  public get files(): string[] {
    return [...this.byIdentity.values()];
  }

  constructor(private readonly fs: FileSystemReader) {}

  public directory(root: string): void {
    const stack = [root];
    this.seen.add(this.identity(root));
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const names = [...this.fs.list(dir)].sort();
      const subdirs: string[] = [];
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const full = dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
        const kind = this.fs.kind(full);
        if (kind === 'directory') {
          const id = this.identity(full);
          if (this.seen.has(id)) continue; // a link back into a folder already walked
          this.seen.add(id);
          subdirs.push(full);
        } else if (kind === 'file') {
          if (!isManifestName(name)) continue;
          // The same file through a link is read once, under its first path in sort order.
          const id = this.identity(full);
          const prev = this.byIdentity.get(id);
          if (prev === undefined || full < prev) this.byIdentity.set(id, full);
        } else if (kind === 'broken' || (kind === 'special' && isManifestName(name))) {
          // A link to nothing may have been a folder of manifests; a FIFO or device named like a manifest is one.
          this.problems.push({ path: full, what: describe(this.fs, full) });
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }

  private identity(path: string): string {
    return this.fs.identity?.(path) ?? path;
  }
}

/**
 * `netproof check`: synthesizes the app into a temporary folder and compares the result with the
 * committed output folder; a difference (drift) is printed as a unified diff per file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { APP_FLAGS, AppMessages, appSettings, checkNotAncestor, FileSet, readTree, synthesizeApp } from './_app';
import { lockOutput, NODE_OUTPUT_FS, outputTarget, recoverOutput } from './_output';
import { flagUsage, parseFlags } from './args';
import { CliIo, ExitCode, onInterrupt } from './io';
import { compareStrings } from '../model/selector';

export const CHECK_USAGE = `Usage: netproof check [--app CMD] [--out DIR] [--layout chart|namespace] [--timeout SECONDS]

Synthesizes the app as "netproof synth" does (intents included), but into a temporary folder, and
compares the result with DIR, byte for byte. Prints one line when DIR is up to date; otherwise a
unified diff per differing, added or removed file (--- a/ is DIR, +++ b/ is the fresh synth, so
"git apply" of the output brings DIR up to date) and exits 1. Like synth, it first restores DIR
when a killed synth left it missing (and says so), and waits for no one: while a synth is working on
DIR, check fails with exit 2.

Flags:
${flagUsage(APP_FLAGS)}

Exit codes: 0 up to date, 1 DIR differs from a fresh synth or the app failed or timed out, 2 bad input
(flags, a synth working on DIR, an unreadable entry in DIR).
`;

/** Exit code when the committed output differs from a fresh synth. */
export const DRIFT = 1;

export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags('check', argv, APP_FLAGS);
  if (flags.help) {
    io.stdout.write(CHECK_USAGE);
    return ExitCode.ok;
  }
  const settings = appSettings('check', flags, io);
  const target = outputTarget(settings.out, settings.outArg);
  checkNotAncestor('check', target.dir, settings.outArg, io.cwd);
  const ofs = io.output ?? NODE_OUTPUT_FS;
  // Recovery needs to write beside DIR; a read-only checkout is still checked, without it.
  const lock = lockOutput(target, io, ofs, { optional: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-check-'));
  const unregister = onInterrupt(() => fs.rmSync(tmp, { recursive: true, force: true }));
  try {
    if (lock.held) recoverOutput(target, io, ofs);
    const result = await synthesizeApp(settings, io, tmp);
    if ('failure' in result) {
      io.stderr.write(`netproof check: ${AppMessages.appFailed(settings.command, result.failure, settings.outArg)}\n`);
      return DRIFT;
    }
    const exists = fs.existsSync(target.dir) && fs.statSync(target.dir).isDirectory();
    const committed = exists ? readTree(target.dir, settings.outArg) : new Map<string, string>();
    const prefix = displayPrefix(settings.out, io.cwd);
    const changes = compareFileSets(committed, result.files);
    if (changes.length === 0) {
      io.stdout.write(`${settings.outArg} is up to date (${result.files.size} files)\n`);
      return ExitCode.ok;
    }
    for (const c of changes) io.stdout.write(unifiedDiff(c.before, c.after, `${prefix}${c.file}`));
    const summary = changes.map((c) => `${c.file} (${c.before === undefined ? 'added' : c.after === undefined ? 'removed' : 'changed'})`);
    const missing = exists ? '' : ` (${settings.outArg} does not exist)`;
    io.stderr.write(`netproof check: ${settings.outArg} is out of date${missing}: ${summary.join(', ')}. Run "netproof synth"${argv.length ? ' with the same flags' : ''} and commit ${settings.outArg}\n`);
    return DRIFT;
  } finally {
    unregister();
    fs.rmSync(tmp, { recursive: true, force: true });
    lock.release();
  }
}

/** The output folder relative to the working folder, as a path prefix (`dist/`), or absolute when outside it. */
function displayPrefix(out: string, cwd: string): string {
  const rel = path.relative(cwd, out);
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? out : rel;
  return `${shown.split(path.sep).join('/')}/`;
}

export interface FileChange {
  readonly file: string;
  /** Undefined: the file is added. */
  readonly before?: string;
  /** Undefined: the file is removed. */
  readonly after?: string;
}

/** Files that differ between `before` and `after`, sorted by path. */
export function compareFileSets(before: FileSet, after: FileSet): FileChange[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);
  return names.filter((f) => before.get(f) !== after.get(f)).map((file) => ({ file, before: before.get(file), after: after.get(file) }));
}

const NO_NEWLINE = '\\ No newline at end of file';

/**
 * A unified diff (3 lines of context) of two texts, with `--- a/FILE` / `+++ b/FILE` headers (`/dev/null`
 * for an added or removed file); empty when the texts are equal. Lines are compared with Myers' O(ND)
 * algorithm after trimming the common prefix and suffix; `git apply` accepts the result.
 */
export function unifiedDiff(before: string | undefined, after: string | undefined, file: string, context = 3): string {
  if (before === after) return '';
  const a = toLines(before ?? '');
  const b = toLines(after ?? '');
  const ops = diffLines(a.map((l) => l.key), b.map((l) => l.key));
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${file}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${file}`}`];
  for (const hunk of hunks(ops, context)) {
    out.push(`@@ -${range(hunk.aStart, hunk.aLen)} +${range(hunk.bStart, hunk.bLen)} @@`);
    for (const op of hunk.ops) {
      const line = op.kind === '+' ? b[op.b] : a[op.a];
      const sign = op.kind === '=' ? ' ' : op.kind;
      out.push(`${sign}${line.text}`);
      if (line.noNewline) out.push(NO_NEWLINE);
    }
  }
  return `${out.join('\n')}\n`;
}

interface Line {
  readonly text: string;
  readonly noNewline: boolean;
  /** What is compared: the text, marked when the line has no final newline. */
  readonly key: string;
}

function toLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const endsWithNewline = parts[parts.length - 1] === '';
  if (endsWithNewline) parts.pop();
  return parts.map((t, i) => {
    const noNewline = !endsWithNewline && i === parts.length - 1;
    return { text: t, noNewline, key: noNewline ? `${t}\u0000` : t };
  });
}

function range(start: number, len: number): string {
  // Unified diff: 1-based start; for an empty range, the line before it.
  const first = len === 0 ? start : start + 1;
  return len === 1 ? `${first}` : `${first},${len}`;
}

/** One edit operation: keep line a / b, delete line a, or insert line b (0-based indexes). */
export interface LineOp {
  readonly kind: '=' | '-' | '+';
  readonly a: number;
  readonly b: number;
}

/** The shortest edit script from `a` to `b` (deletions before insertions within a change). */
export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const ops: LineOp[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ kind: '=', a: i, b: i });
  for (const op of myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix), prefix)) ops.push(op);
  for (let i = suffix; i > 0; i--) ops.push({ kind: '=', a: a.length - i, b: b.length - i });
  return ops;
}

/** Beyond this many inserted plus deleted lines, the diff replaces the whole changed region instead. */
const MAX_EDIT_DISTANCE = 2000;

/**
 * Myers' greedy O((N+M)D) shortest edit script. Each step's V array is kept (only its 2d+3 live
 * diagonals, so memory is O(D²)) for the backtrack. When more than MAX_EDIT_DISTANCE lines change, the
 * region is reported as deleted and re-inserted: still a correct diff, bounded in time and memory.
 */
function myers(a: readonly string[], b: readonly string[], offset: number): LineOp[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const base = max + 1; // v[base + k] is the furthest x on diagonal k
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = []; // trace[d][k + d + 1] = v[base + k] before step d
  let found = n + m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice(base - d - 1, base + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[base + k - 1] < v[base + k + 1]) ? v[base + k + 1] : v[base + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[base + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) {
    return [
      ...a.map((_, i) => ({ kind: '-' as const, a: offset + i, b: offset })),
      ...b.map((_, i) => ({ kind: '+' as const, a: offset + n, b: offset + i })),
    ];
  }
  // Backtrack from (n, m) through the saved V arrays.
  const ops: LineOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const at = (k: number) => trace[d][k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY && x > 0 && y > 0) {
      x--;
      y--;
      ops.push({ kind: '=', a: offset + x, b: offset + y });
    }
    if (d === 0) break;
    if (down) {
      y--;
      ops.push({ kind: '+', a: offset + x, b: offset + y });
    } else {
      x--;
      ops.push({ kind: '-', a: offset + x, b: offset + y });
    }
  }
  ops.reverse();
  return ops;
}

interface Hunk {
  readonly aStart: number;
  readonly aLen: number;
  readonly bStart: number;
  readonly bLen: number;
  readonly ops: readonly LineOp[];
}

/** Groups changes with `context` lines around them; changes closer than 2 * context share a hunk. */
function hunks(ops: readonly LineOp[], context: number): Hunk[] {
  const changed = ops.map((op, i) => (op.kind === '=' ? -1 : i)).filter((i) => i >= 0);
  const result: Hunk[] = [];
  let i = 0;
  while (i < changed.length) {
    let end = changed[i];
    let j = i + 1;
    while (j < changed.length && changed[j] - end <= 2 * context + 1) end = changed[j++];
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(ops.length - 1, end + context);
    const slice = ops.slice(from, to + 1);
    result.push({
      aStart: ops.slice(0, from).filter((o) => o.kind !== '+').length,
      bStart: ops.slice(0, from).filter((o) => o.kind !== '-').length,
      aLen: slice.filter((o) => o.kind !== '+').length,
      bLen: slice.filter((o) => o.kind !== '-').length,
      ops: slice,
    });
    i = j;
  }
  return result;
}

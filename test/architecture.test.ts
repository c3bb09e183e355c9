/**
 * The layers of src/ (README, "Development"): data flows one way. These tests read every source file's
 * imports (type imports included) and fail on an import cycle, on an import against the layer order,
 * and on file-system or process access outside the places that may touch the world.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/** Which layers each layer may import (besides itself). Entry points (index.ts, analyzer.ts) may import any. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'errors.ts': [],
  'model': [],
  'values': ['errors.ts', 'model'],
  'parse': ['errors.ts', 'model'],
  'emit': ['errors.ts', 'model'],
  'verify': ['errors.ts', 'model'],
  'analysis': ['errors.ts', 'model', 'parse', 'verify'],
  'report': ['errors.ts', 'model', 'verify', 'analysis'],
  'constructs': ['errors.ts', 'model', 'values', 'parse', 'emit', 'verify'],
  'app': ['errors.ts', 'model', 'values', 'parse', 'verify', 'analysis', 'report', 'constructs', 'emit'],
  'cli': ['errors.ts', 'model', 'values', 'parse', 'verify', 'analysis', 'report', 'emit'],
};
const ENTRY_POINTS = new Set(['index.ts', 'analyzer.ts']);
/**
 * Single imports a file may make against the table. `netproof import` is the one command that runs constructs
 * in the CLI process: it proves the program it prints by running the same plan (app/import.ts).
 */
const EXCEPTIONS: Readonly<Record<string, readonly string[]>> = { 'cli/import.ts': ['app/import.ts'] };

/**
 * Files that may read or write files or spawn processes: the CLI, and the documented synth entry points
 * (app/_synth-io.ts: app.synth() prints lint warnings on stderr and reads NETPROOF_STRICT; app/record.ts:
 * the model synth verified against, written where netproof synth asks).
 */
const WORLD = [/^cli\//, /^emit\/synth\.ts$/, /^constructs\/inventory\.ts$/, /^app\/_synth-io\.ts$/, /^app\/record\.ts$/];

function sourceFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return sourceFiles(dir, child);
    return e.name.endsWith('.ts') ? [child] : [];
  });
}

/** Relative imports of a file (`import`, `import type`, `export ... from`, `import()`, `require`), as src-relative files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import|import\(|require\()\s*'(\.{1,2}\/[^']+)'/g)) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
    const candidates = [`${base}.ts`, `${base}/index.ts`];
    const hit = candidates.find((c) => fs.existsSync(path.join(SRC, c)));
    if (hit === undefined) throw new Error(`${file}: cannot resolve import '${m[1]}'`);
    out.push(hit);
  }
  return out;
}

/** Packages a file loads (`import ... from 'pkg'`; type-only imports and lazy loads are not counted). */
function packagesOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export) (?!type )[^;]*?from '([^.][^']*)'/gm)].map((m) => m[1]);
}

/** The files a file loads when it is loaded: its static imports, transitively (type-only imports excluded). */
function staticClosure(file: string): Set<string> {
  const seen = new Set<string>();
  const todo = [file];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = fs.readFileSync(path.join(SRC, f), 'utf8');
    for (const m of text.matchAll(/^(?:import|export) (?!type )[^;]*?from '(\.{1,2}\/[^']+)'/gm)) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]));
      todo.push([`${base}.ts`, `${base}/index.ts`].find((c) => fs.existsSync(path.join(SRC, c)))!);
    }
  }
  return seen;
}

function layerOf(file: string): string {
  return file.includes('/') ? file.split('/')[0] : file;
}

const FILES = sourceFiles(SRC).sort();
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  test('reads the whole source tree', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(GRAPH.get('index.ts')!.length).toBeGreaterThan(10);
  });

  test('no import cycle, type imports included', () => {
    expect(cycles(GRAPH)).toEqual([]);
  });

  test('the cycle check finds a cycle when there is one', () => {
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['c.ts']], ['d.ts', []]]))).toEqual([['a.ts', 'b.ts'], ['c.ts']]);
  });

  test('every import follows the layer order', () => {
    const wrong: string[] = [];
    for (const [file, imports] of GRAPH) {
      if (ENTRY_POINTS.has(file)) continue;
      const layer = layerOf(file);
      const allowed = ALLOWED[layer];
      if (allowed === undefined) {
        wrong.push(`${file}: layer ${layer} is not in the layer table`);
        continue;
      }
      for (const dep of imports) {
        const to = layerOf(dep);
        if (to !== layer && !allowed.includes(to) && !(EXCEPTIONS[file] ?? []).includes(dep)) wrong.push(`${file} imports ${dep}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the CLI loads a command only when it runs, and the commands that read files never load cdk8s', () => {
    expect([...staticClosure('cli/main.ts')].sort()).toEqual(['cli/io.ts', 'cli/main.ts', 'errors.ts', 'parse/files.ts']);
    // The YAML library too is loaded only when a file needs it (see parse/_documents.ts).
    const heavy = (f: string) => packagesOf(f).filter((p) => /^(cdk8s|cdk8s-plus-28|constructs|yaml)$/.test(p));
    for (const command of ['reach', 'explain', 'verify', 'diff', 'graph']) {
      const loaded = [...staticClosure(`cli/${command}.ts`)];
      expect(loaded.length).toBeGreaterThan(5);
      expect(loaded.filter((f) => heavy(f).length > 0)).toEqual([]);
    }
    expect(heavy('parse/app.ts')).toEqual(['cdk8s']);
    expect(heavy('cli/_app.ts')).toEqual(['yaml']);
  });

  test('only the CLI and the synth entry points touch files, processes and the console', () => {
    const touching = FILES.filter((f) => {
      const text = fs.readFileSync(path.join(SRC, f), 'utf8');
      return /from '(fs|child_process|net|http|https|os)'|require\('(fs|child_process)'\)|\bconsole\.|process\.(exit|stdout|stderr)/.test(text);
    });
    expect(touching.filter((f) => !WORLD.some((re) => re.test(f)))).toEqual([]);
  });
});

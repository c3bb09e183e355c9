import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { appCommand, filesOf, fixtureProject, removeTempDirs, runIn, tempDir } from './_app-fixture';
import { CHECK_USAGE, compareFileSets, diffLines, unifiedDiff } from '../../src/cli/check';

const APP = appCommand('app.ts');

let pristine: string;

beforeAll(async () => {
  pristine = fixtureProject();
  expect((await runIn(pristine, ['synth', '--app', APP])).code).toBe(0);
});
afterAll(removeTempDirs);

/** A fresh copy of a project whose dist/ was just synthesized. */
async function synthesized(): Promise<string> {
  const project = tempDir('netproof-project-');
  fs.cpSync(pristine, project, { recursive: true });
  return project;
}

describe('netproof check', () => {
  test('passes on a fresh synth with one line', async () => {
    const project = await synthesized();
    const r = await runIn(project, ['check', '--app', APP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('dist is up to date (5 files)\n');
    expect(fs.readdirSync(project).sort()).toEqual(['app.ts', 'dist']);
  });

  test('catches a hand-edited YAML file: exit 1 and a diff that shows the edit', async () => {
    const project = await synthesized();
    const file = path.join(project, 'dist', 'shop.k8s.yaml');
    const original = fs.readFileSync(file, 'utf8');
    const edited = original.replace('name: frontend-to-backend', 'name: frontend-to-backend-v2');
    expect(edited).not.toBe(original);
    fs.writeFileSync(file, edited);
    const r = await runIn(project, ['check', '--app', APP]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(unifiedDiff(edited, original, 'dist/shop.k8s.yaml'));
    expect(r.stdout).toMatch(/^--- a\/dist\/shop\.k8s\.yaml\n\+\+\+ b\/dist\/shop\.k8s\.yaml\n@@ -\d+,7 \+\d+,7 @@\n/);
    expect(r.stdout).toContain('\n-  name: frontend-to-backend-v2\n+  name: frontend-to-backend\n');
    expect(r.stderr).toContain('netproof check: dist is out of date: shop.k8s.yaml (changed). Run "netproof synth" with the same flags and commit dist\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(edited); // check never writes
  });

  test('git apply of the drift diff brings the folder up to date', async () => {
    const project = await synthesized();
    const file = path.join(project, 'dist', 'shop.k8s.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/port: 8080/g, 'port: 8443').replace('name: allow-dns', 'name: dns'));
    fs.rmSync(path.join(project, 'dist', 'cnf.k8s.yaml'));
    const drift = await runIn(project, ['check', '--app', APP]);
    expect(drift.code).toBe(1);
    fs.writeFileSync(path.join(project, 'drift.patch'), drift.stdout);
    const applied = spawnSync('git', ['apply', 'drift.patch'], { cwd: project, encoding: 'utf8' });
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    expect(filesOf(path.join(project, 'dist'))).toEqual(filesOf(path.join(pristine, 'dist')));
  });

  test('reports added and removed files against /dev/null', async () => {
    const project = await synthesized();
    fs.rmSync(path.join(project, 'dist', 'cnf.k8s.yaml'));
    fs.writeFileSync(path.join(project, 'dist', 'extra.yaml'), 'kind: Extra\n');
    const r = await runIn(project, ['check', '--app', APP]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- /dev/null\n+++ b/dist/cnf.k8s.yaml\n@@ -0,0 +1,');
    expect(r.stdout).toContain('--- a/dist/extra.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-kind: Extra\n');
    expect(r.stderr).toContain('dist is out of date: cnf.k8s.yaml (added), extra.yaml (removed)');
  });

  test('a missing output folder is drift', async () => {
    const project = fixtureProject();
    const r = await runIn(project, ['check', '--app', APP]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('netproof check: dist is out of date (dist does not exist): .netproof-model (added), cnf.k8s.yaml (added), kustomization.yaml (added)');
    expect(fs.readdirSync(project)).toEqual(['app.ts']);
  });

  test('compares in the layout asked for', async () => {
    const project = await synthesized();
    const r = await runIn(project, ['check', '--app', APP, '--layout', 'namespace']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('_cluster.yaml (added), cnf.k8s.yaml (removed), cnf.yaml (added), kustomization.yaml (changed)');
  });

  test('fails with exit 1 when the app fails, and leaves the folder alone', async () => {
    const project = await synthesized();
    const before = filesOf(path.join(project, 'dist'));
    const r = await runIn(project, ['check', '--app', appCommand('app.ts', { VIOLATE: '1' })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('intent violated: workload shop/backend can reach workload shop/frontend on TCP 8080');
    expect(filesOf(path.join(project, 'dist'))).toEqual(before);
  });

  test('--help prints the check usage', async () => {
    expect(await runIn(fixtureProject(), ['check', '--help'])).toEqual({ code: 0, stdout: CHECK_USAGE, stderr: '' });
  });
});

describe('unifiedDiff', () => {
  const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');

  test('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'f')).toBe('');
  });

  test('one changed line with three lines of context', () => {
    const before = lines(10);
    const after = before.replace('line 5\n', 'line five\n');
    expect(unifiedDiff(before, after, 'f.yaml')).toBe([
      '--- a/f.yaml', '+++ b/f.yaml', '@@ -2,7 +2,7 @@',
      ' line 2', ' line 3', ' line 4', '-line 5', '+line five', ' line 6', ' line 7', ' line 8', '',
    ].join('\n'));
  });

  test('changes far apart get separate hunks; close ones share one', () => {
    const before = lines(30);
    const far = before.replace('line 3\n', 'x\n').replace('line 25\n', 'y\n');
    expect(unifiedDiff(before, far, 'f').match(/^@@ .* @@$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -22,7 +22,7 @@']);
    const close = before.replace('line 3\n', 'x\n').replace('line 9\n', 'y\n');
    expect(unifiedDiff(before, close, 'f').match(/^@@ .* @@$/gm)).toEqual(['@@ -1,12 +1,12 @@']);
  });

  test('insertions and deletions at the ends', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\nc\n', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n b\n+c\n');
    expect(unifiedDiff('a\nb\nc\n', 'b\nc\n', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n-a\n b\n c\n');
    expect(unifiedDiff('', 'a\n', 'f')).toBe('--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n');
  });

  test('marks a missing final newline', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n');
  });

  /** Length of the longest common subsequence, by the textbook table. */
  function lcs(a: readonly string[], b: readonly string[]): number {
    const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
    }
    return t[a.length][b.length];
  }

  test('diffLines is a shortest edit script: it rebuilds both sides and keeps an LCS (property)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 25 });
    fc.assert(fc.property(text, text, (a, b) => {
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.kind !== '+').map((o) => a[o.a])).toEqual(a);
      expect(ops.filter((o) => o.kind !== '-').map((o) => b[o.b])).toEqual(b);
      for (const o of ops) if (o.kind === '=') expect(a[o.a]).toBe(b[o.b]);
      expect(ops.filter((o) => o.kind === '=').length).toBe(lcs(a, b));
    }), { numRuns: 300 });
  });
});

describe('diffLines', () => {
  test('replaces the whole region when more lines change than it searches (still a correct script)', () => {
    const a = ['same', ...Array.from({ length: 1500 }, (_, i) => `a${i}`), 'end'];
    const b = ['same', ...Array.from({ length: 1500 }, (_, i) => `b${i}`), 'end'];
    const ops = diffLines(a, b);
    expect(ops.filter((o) => o.kind === '=').length).toBe(2);
    expect(ops.filter((o) => o.kind !== '+').map((o) => a[o.a])).toEqual(a);
    expect(ops.filter((o) => o.kind !== '-').map((o) => b[o.b])).toEqual(b);
  });
});

describe('compareFileSets', () => {
  test('lists changed, added and removed files in path order', () => {
    const before = new Map([['a', '1'], ['b', '2'], ['c', '3']]);
    const after = new Map([['b', '2'], ['c', '4'], ['d', '5']]);
    expect(compareFileSets(before, after)).toEqual([
      { file: 'a', before: '1', after: undefined },
      { file: 'c', before: '3', after: '4' },
      { file: 'd', before: undefined, after: '5' },
    ]);
  });
});

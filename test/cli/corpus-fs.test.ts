/**
 * The malformed-input corpus on the real file system: FIFOs, devices, links that lead nowhere or in a
 * loop, huge and badly encoded files, output targets that must not be replaced, and apps that fail,
 * write odd things or never end. Every case runs in one process of its own (test/cli/_corpus-runner.ts)
 * under a timeout, so a case that hangs fails this test, naming it, instead of freezing the runner.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { removeTempDirs, tempDir } from './_app-fixture';
import { fileCommands, INTENTS, misbehaviour, MODEL, POLICY } from './_corpus';
import { REPO, RunResult } from './_run';

/** The whole corpus must finish within this (it takes a few seconds). */
const TIMEOUT_MS = 120000;

interface Case {
  readonly name: string;
  readonly cwd: string;
  readonly argv: string[];
  /** The exit code the case must end with, when only one is right. */
  readonly expect?: number;
  /** Text its stderr must contain. */
  readonly stderr?: string;
}

const cases: Case[] = [];
let results: Record<string, RunResult & { ms: number }> = {};
let failure: string | undefined;

/** A fresh folder with valid inputs: c.json, p/p.json, i.json. */
function project(): string {
  const dir = tempDir('netproof-corpus-');
  fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify(MODEL));
  fs.mkdirSync(path.join(dir, 'p'));
  fs.writeFileSync(path.join(dir, 'p', 'p.json'), JSON.stringify(POLICY));
  fs.writeFileSync(path.join(dir, 'i.json'), JSON.stringify(INTENTS));
  return dir;
}

const mkfifo = (file: string) => spawnSync('mkfifo', [file]);
const app = 'printf \'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a, namespace: x}\\n\' > "$CDK8S_OUTDIR/a.k8s.yaml"';

beforeAll(() => {
  const base = project();
  const at = (p: string) => path.join(base, p);
  // Input entries of every kind.
  mkfifo(at('fifo.yaml'));
  fs.symlinkSync(at('gone.yaml'), at('dangling.yaml'));
  fs.symlinkSync('self.yaml', at('self.yaml'));
  fs.mkdirSync(at('empty'));
  fs.mkdirSync(at('txt'));
  fs.writeFileSync(at('txt/a.txt'), 'x');
  for (const d of ['pf', 'pd', 'loop/inner']) {
    fs.mkdirSync(at(d), { recursive: true });
    fs.writeFileSync(at(`${d}/p.json`), JSON.stringify(POLICY));
  }
  mkfifo(at('pf/q.yaml'));
  fs.symlinkSync(at('moved'), at('pd/team'));
  fs.symlinkSync('..', at('loop/inner/up'));
  fs.symlinkSync('.', at('loop/inner/here'));
  fs.writeFileSync(at('big.yaml'), '');
  fs.truncateSync(at('big.yaml'), 300 * 1024 * 1024); // sparse: no disk used
  fs.writeFileSync(at('u16.yaml'), Buffer.from('\ufeffpods: []\n', 'utf16le'));
  fs.writeFileSync(at('bad8.yaml'), Buffer.from([0x70, 0x6f, 0x64, 0x73, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
  fs.writeFileSync(at('bom.json'), `\ufeff${JSON.stringify(MODEL)}`);
  const entries: [string, number | undefined][] = [
    ['nope.yaml', 2], ['fifo.yaml', 2], ['/dev/zero', 2], ['/dev/null', 2], ['/dev/urandom', 2], ['dangling.yaml', 2], ['self.yaml', 2],
    ['empty', 2], ['txt', 2], ['pf', 2], ['pd', 2], ['loop', undefined], ['big.yaml', 2], ['u16.yaml', 2], ['bad8.yaml', 2], ['bom.json', undefined], ['c.json/', undefined],
  ];
  for (const [entry, code] of entries) {
    for (const [command, argv] of fileCommands(entry, 'p', 'i.json').filter(([c]) => c !== 'import')) cases.push({ name: `${entry} as --cluster: ${command}`, cwd: base, argv, expect: code });
    for (const [command, argv] of fileCommands('c.json', entry, 'i.json')) cases.push({ name: `${entry} as --policies: ${command}`, cwd: base, argv, expect: entry === 'bom.json' ? 2 : code });
    cases.push({ name: `${entry} as --intents`, cwd: base, argv: fileCommands('c.json', 'p', entry)[2][1], expect: 2 });
  }
  cases.push({ name: 'a FIFO named .yaml in a policies folder is named', cwd: base, argv: fileCommands('c.json', 'pf', 'i.json')[0][1], expect: 2, stderr: 'pf/q.yaml (a FIFO (named pipe))' });
  cases.push({ name: 'a folder with two link loops is walked once', cwd: base, argv: fileCommands('c.json', 'loop', 'i.json')[0][1], expect: 0 });

  // Output targets of graph.
  const graph = (out: string, expect: number) => cases.push({ name: `graph --out ${out}`, cwd: base, argv: ['graph', '--cluster', 'c.json', '--policies', 'p', '--out', out], expect });
  graph('p', 2);
  graph('/dev/full', 2);
  graph('/dev/null', 2);
  graph('fifo.yaml', 2);
  graph('c.json', 2);
  graph('p/graph.json', 2);
  graph('no-such-dir/g.dot', 2);
  graph('g/', 2);
  graph('g.dot', 0);

  // Output targets of synth, check and init, each in a fresh folder.
  const fresh = (setup?: (dir: string) => void) => {
    const dir = project();
    setup?.(dir);
    return dir;
  };
  const synthOut: [string, number, ((d: string) => void)?][] = [
    ['c.json', 2], ['/dev/null', 2], ['fifo', 2, (d) => mkfifo(path.join(d, 'fifo'))], ['/etc', 2], ['..', 2], ['.', 2], ['p', 2],
    ['dangling', 2, (d) => fs.symlinkSync(path.join(d, 'gone'), path.join(d, 'dangling'))], ['deep/a/b', 0], ['dist', 0],
  ];
  for (const [out, expect, setup] of synthOut) {
    cases.push({ name: `synth --out ${out}`, cwd: fresh(setup), argv: ['synth', '--app', app, '--out', out], expect });
    cases.push({ name: `check --out ${out}`, cwd: fresh(setup), argv: ['check', '--app', app, '--out', out] });
  }
  for (const [dir, expect, setup] of [['c.json', 2], ['/dev/null', 2], ['p', 2], ['fifo', 2, (d: string) => mkfifo(path.join(d, 'fifo'))], ['new', 0]] as [string, number, ((d: string) => void)?][]) {
    cases.push({ name: `init ${dir}`, cwd: fresh(setup), argv: ['init', dir], expect });
  }

  // Apps that fail, write odd things, or never end.
  const apps: [string, string, number, string[]?][] = [
    ['exits 3', 'exit 3', 1],
    ['is killed by a signal', 'kill -9 $$', 1],
    ['writes nothing', 'true', 2],
    ['writes only JSON', 'echo {} > "$CDK8S_OUTDIR/x.json"', 2],
    ['is not found', 'no-such-command-netproof-corpus', 1],
    ['writes a FIFO named .yaml', 'mkfifo "$CDK8S_OUTDIR/x.k8s.yaml"', 2],
    ['writes a link to /etc/passwd', 'ln -s /etc/passwd "$CDK8S_OUTDIR/x.k8s.yaml"', 2],
    ['writes its own kustomization.yaml', 'echo "kind: Kustomization" > "$CDK8S_OUTDIR/kustomization.yaml"', 2],
    ['writes invalid YAML (per namespace)', 'printf "a: [\\n" > "$CDK8S_OUTDIR/x.k8s.yaml"', 2, ['--layout', 'namespace']],
    ['writes a bad namespace (per namespace)', 'printf "metadata: {namespace: ../etc}\\n" > "$CDK8S_OUTDIR/x.k8s.yaml"', 2, ['--layout', 'namespace']],
    ['writes a 100 kB namespace (per namespace)', `printf "metadata: {namespace: ${'n'.repeat(100000)}}\\n" > "$CDK8S_OUTDIR/x.k8s.yaml"`, 2, ['--layout', 'namespace']],
    ['writes into a subfolder', 'mkdir "$CDK8S_OUTDIR/sub" && printf "apiVersion: v1\\nkind: X\\nmetadata: {name: x}\\n" > "$CDK8S_OUTDIR/sub/x.k8s.yaml"', 0],
    ['writes a file name with a space', 'printf "apiVersion: v1\\nkind: X\\nmetadata: {name: x}\\n" > "$CDK8S_OUTDIR/a b.k8s.yaml"', 0],
    ['writes an object without apiVersion', 'echo "kind: X" > "$CDK8S_OUTDIR/x.k8s.yaml"', 2],
    ['writes bytes that are not UTF-8', 'printf "apiVersion: v1\\nkind: \\303\\050\\nmetadata: {name: x}\\n" > "$CDK8S_OUTDIR/x.k8s.yaml"', 0],
    ['never ends (--timeout 1)', 'sleep 30', 1, ['--timeout', '1']],
  ];
  for (const [name, command, expect, extra] of apps) {
    cases.push({ name: `synth: the app ${name}`, cwd: fresh(), argv: ['synth', '--app', command, ...(extra ?? [])], expect });
    cases.push({ name: `check: the app ${name}`, cwd: fresh(), argv: ['check', '--app', command, ...(extra ?? [])] });
  }

  const casesFile = path.join(base, 'cases.json');
  const resultsFile = path.join(base, 'results.json');
  fs.writeFileSync(casesFile, JSON.stringify(cases));
  const r = spawnSync(process.execPath, ['-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'), path.join(__dirname, '_corpus-runner.ts'), casesFile, resultsFile], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.dev.json') },
    timeout: TIMEOUT_MS,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const started = (r.stderr ?? '').split('\n').filter((l) => l.startsWith('start ')).pop();
  if (r.error || r.status !== 0) failure = `the runner ${r.error ? `hung or failed (${r.error.message})` : `exited ${r.status}`}; the last case started: ${started}\n${(r.stderr ?? '').slice(-2000)}`;
  else results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
}, TIMEOUT_MS + 30000);

afterAll(removeTempDirs);

test('the runner finished every case in time (no hang)', () => {
  expect(failure).toBeUndefined();
  expect(Object.keys(results).length).toBe(cases.length);
});

test('every case ends as documented: the right exit code, never an internal error', () => {
  const findings: { name: string; problem: string }[] = [];
  for (const c of cases) {
    const r = results[c.name];
    if (r === undefined) continue;
    const command = c.argv[0];
    const problem = misbehaviour(command, r)
      ?? (c.expect !== undefined && r.code !== c.expect ? `exit ${r.code}, expected ${c.expect}: ${r.stderr.slice(0, 300)}` : undefined)
      ?? (c.stderr !== undefined && !r.stderr.includes(c.stderr) ? `stderr lacks ${JSON.stringify(c.stderr)}: ${r.stderr.slice(0, 300)}` : undefined)
      ?? (r.ms > 15000 ? `took ${r.ms} ms` : undefined);
    if (problem !== undefined) findings.push({ name: c.name, problem });
  }
  expect(findings).toEqual([]);
});

test('/dev/full and /dev/null are still devices, and nothing was written to /etc', () => {
  expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
  expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  expect(fs.readdirSync('/etc').filter((f) => f.startsWith('.netproof') || f === 'kustomization.yaml')).toEqual([]);
  expect(fs.readdirSync('/').filter((f) => f.startsWith('.netproof'))).toEqual([]);
});

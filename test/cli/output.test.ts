/**
 * The output folder of synth under attack: folders netproof did not write, kills between the renames of
 * the swap, a full disk, a read-only folder, two synths at once, FIFOs and links, apps that never end.
 * The apps here are shell one-liners (fast); the kill tests run netproof in a process of its own.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { filesOf, removeTempDirs, tempDir } from './_app-fixture';
import { captureIo, REPO } from './_run';
import { AppMessages, DEFAULT_TIMEOUT_SECONDS, kustomization } from '../../src/cli/_app';
import { NODE_OUTPUT_FS, OutputMessages } from '../../src/cli/_output';
import { ArgMessages } from '../../src/cli/args';
import { OutputFileSystem } from '../../src/cli/io';
import { main } from '../../src/cli/main';

/** An app writing two charts; `v` tells versions apart. */
const app = (v: string) => `printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a, namespace: x}\\ndata: {v: "${v}"}\\n' > "$CDK8S_OUTDIR/a.k8s.yaml" && printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: b}\\n' > "$CDK8S_OUTDIR/b.k8s.yaml"`;

/** The folder synth writes for `app(v)`. */
function expected(v: string): Record<string, string> {
  return {
    'a.k8s.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {v: "${v}"}\n`,
    'b.k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    'kustomization.yaml': kustomization(['a.k8s.yaml', 'b.k8s.yaml']),
  };
}

const hidden = (dir: string) => fs.readdirSync(dir).filter((e) => e.startsWith('.netproof-')).sort();

async function synthIn(dir: string, argv: string[], output?: OutputFileSystem) {
  const io = { ...captureIo(), cwd: dir, ...(output ? { output } : {}) };
  const code = await main(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** Is `pid` a live process (not a zombie waiting for its new parent to reap it)? */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

/** netproof in a process of its own (test/cli/_synth-runner.ts), killed with SIGKILL at `step` of the swap. */
function runner(step: string, cwd: string, argv: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'), path.join(__dirname, '_synth-runner.ts'), step, cwd, ...argv], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.dev.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

afterAll(removeTempDirs);

describe('synth replaces only a folder netproof wrote', () => {
  test('refuses a folder of YAML files netproof did not write, and leaves it as it was', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'manifests', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifests', 'precious.yaml'), 'kind: Mine\n');
    fs.writeFileSync(path.join(dir, 'manifests', 'sub', 'x.yaml'), 'kind: Mine\n');
    const before = filesOf(path.join(dir, 'manifests'));
    const r = await synthIn(dir, ['synth', '--app', app('1'), '--out', 'manifests']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof synth --out manifests: ${OutputMessages.foreignFiles(['precious.yaml', 'sub/x.yaml'])}\n` });
    expect(filesOf(path.join(dir, 'manifests'))).toEqual(before);
  });

  test('refuses a netproof folder holding a file its kustomization does not list', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'dist', 'extra.yaml'), 'kind: Mine\n');
    const r = await synthIn(dir, ['synth', '--app', app('2')]);
    expect(r.stderr).toBe(`netproof: error: netproof synth --out dist: ${OutputMessages.foreignFiles(['extra.yaml'])}\n`);
    expect(r.code).toBe(2);
  });

  test('refuses a kustomization.yaml without netproof\'s header', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'kustomization.yaml'), 'resources: [a.yaml]\n');
    fs.writeFileSync(path.join(dir, 'dist', 'a.yaml'), 'kind: Mine\n');
    const r = await synthIn(dir, ['synth', '--app', app('1')]);
    expect(r.stderr).toBe(`netproof: error: netproof synth --out dist: ${OutputMessages.foreignFiles(['a.yaml', 'kustomization.yaml'])}\n`);
  });

  test('--out /etc is refused at once (only a few entries are listed, nothing is read)', async () => {
    const r = await synthIn(tempDir(), ['synth', '--app', app('1'), '--out', '/etc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^netproof: error: netproof synth --out \/etc: the output folder holds 6 or more files netproof did not write \([^)]* and 1 more\), and synth replaces the whole folder/);
  });

  test('an empty folder is taken', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'dist'));
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('1'));
  });

  test('a FIFO inside the output folder is refused without reading it (no hang), by synth and by check', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    execFileSync('mkfifo', [path.join(dir, 'dist', 'a.k8s.yaml.fifo')]);
    const r = await synthIn(dir, ['synth', '--app', app('2')]);
    expect(r.stderr).toBe(`netproof: error: netproof synth --out dist: ${OutputMessages.foreignFiles(['a.k8s.yaml.fifo'])}\n`);
    const c = await synthIn(dir, ['check', '--app', app('1')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`netproof: error: dist/a.k8s.yaml.fifo: ${OutputMessages.badEntry('a.k8s.yaml.fifo', 'a FIFO (named pipe)')}\n`);
  });

  test('a symbolic link as --out stays a link; the folder it points to is replaced', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync('real', path.join(dir, 'dist'));
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    expect((await synthIn(dir, ['synth', '--app', app('2')])).code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'dist')).isSymbolicLink()).toBe(true);
    expect(filesOf(path.join(dir, 'real'))).toEqual(expected('2'));
    expect((await synthIn(dir, ['check', '--app', app('2')])).stdout).toBe('dist is up to date (3 files)\n');
    expect(hidden(dir)).toEqual([]);
  });

  test('a symbolic link to nothing as --out is an error naming its target', async () => {
    const dir = tempDir();
    fs.symlinkSync('gone', path.join(dir, 'dist'));
    const r = await synthIn(dir, ['synth', '--app', app('1')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof synth --out dist: ${OutputMessages.danglingOut('dist', 'gone')}\n` });
  });

  test('a link to an ancestor of the working folder is refused like the ancestor itself', async () => {
    const dir = tempDir();
    fs.symlinkSync('.', path.join(dir, 'dist'));
    const r = await synthIn(dir, ['synth', '--app', app('1')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof synth --out: ${AppMessages.outIsAncestor('dist')}\n` });
  });
});

describe('what the app writes', () => {
  test('a symbolic link to /etc/passwd in the app\'s output never reaches the output folder', async () => {
    const dir = tempDir();
    const r = await synthIn(dir, ['synth', '--app', `${app('1')} && ln -s /etc/passwd "$CDK8S_OUTDIR/passwd.k8s.yaml"`]);
    expect(r.stderr).toBe(`netproof: error: netproof synth --app: ${AppMessages.appEntry('passwd.k8s.yaml', 'a symbolic link (to /etc/passwd)')}\n`);
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('a FIFO in the app\'s output is an error (it is not read); one not named .yaml is left out with the note', async () => {
    const dir = tempDir();
    const r = await synthIn(dir, ['synth', '--app', `${app('1')} && mkfifo "$CDK8S_OUTDIR/p.k8s.yaml"`]);
    expect(r.stderr).toBe(`netproof: error: netproof synth --app: ${AppMessages.appEntry('p.k8s.yaml', 'a FIFO (named pipe)')}\n`);
    const ok = await synthIn(dir, ['synth', '--app', `${app('1')} && mkfifo "$CDK8S_OUTDIR/pipe"`]);
    expect(ok).toMatchObject({ code: 0, stderr: 'netproof: note: left out a file the app wrote that is not YAML: pipe\n' });
  });
});

describe('a kill between the renames is recovered (fault injection)', () => {
  test('killed between moving the old folder away and the new one in: the next check restores the new output and says so', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    const child = runner('between-renames', dir, ['--app', app('2')]);
    const killed = await exitOf(child);
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false); // what the first version left: no output folder
    expect(hidden(dir)).toEqual([expect.stringMatching(/^\.netproof-out-dist\.[0-9a-f]{8}\.new$/), expect.stringMatching(/^\.netproof-out-dist\.[0-9a-f]{8}\.old$/), '.netproof-out-dist.lock']);
    const r = await synthIn(dir, ['check', '--app', app('2')]);
    expect(r.stderr).toContain(`netproof: note: ${OutputMessages.staleLock('dist', String(child.pid))}\n`);
    expect(r.stderr).toContain(`netproof: note: ${OutputMessages.restoredNew('dist')}\n`);
    expect(r.stderr).toMatch(/netproof: note: removed a leftover of an interrupted synth: \.netproof-out-dist\.[0-9a-f]{8}\.old\n/);
    expect(r).toMatchObject({ code: 0, stdout: 'dist is up to date (3 files)\n' });
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('2'));
    expect(hidden(dir)).toEqual([]);
  });

  test('killed while writing the new folder: the next synth removes the partial folder and writes', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    const killed = await exitOf(runner('while-writing', dir, ['--app', app('2')]));
    expect(killed.signal).toBe('SIGKILL');
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('1')); // untouched
    const r = await synthIn(dir, ['synth', '--app', app('3')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/netproof: note: removed a leftover of an interrupted synth: \.netproof-out-dist\.[0-9a-f]{8}\.partial\n/);
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('3'));
    expect(hidden(dir)).toEqual([]);
  });

  test('SIGTERM to synth while the app runs ends the app and every process it started, and releases the lock', async () => {
    const dir = tempDir();
    const child = runner('none', dir, ['--app', 'echo "$CDK8S_OUTDIR" > outdir; sleep 60 & echo $! > bg.pid; wait']);
    const done = exitOf(child);
    expect(await until(() => fs.existsSync(path.join(dir, 'bg.pid')) && fs.readFileSync(path.join(dir, 'bg.pid'), 'utf8').trim() !== '', 30000)).toBe(true);
    const bg = Number(fs.readFileSync(path.join(dir, 'bg.pid'), 'utf8'));
    expect(isRunning(bg)).toBe(true);
    child.kill('SIGTERM');
    expect((await done).signal).toBe('SIGTERM');
    expect(await until(() => !isRunning(bg), 10000)).toBe(true);
    expect(hidden(dir)).toEqual([]); // the lock is released
    expect(fs.existsSync(fs.readFileSync(path.join(dir, 'outdir'), 'utf8').trim())).toBe(false); // and the app's temporary folder removed
  });

  test('leftovers of the first netproof version (.netproof-out-XXXXXX and -old) are restored from as well', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.netproof-out-AbC123'));
    for (const [f, t] of Object.entries(expected('1'))) fs.writeFileSync(path.join(dir, '.netproof-out-AbC123', f), t);
    fs.mkdirSync(path.join(dir, '.netproof-out-AbC123-old'));
    const r = await synthIn(dir, ['synth', '--app', app('2')]);
    expect(r.stderr).toBe(`netproof: note: ${OutputMessages.restoredNew('dist')}\nnetproof: note: ${OutputMessages.removedLeftovers(['.netproof-out-AbC123-old'])}\n`);
    expect(r.code).toBe(0);
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('2'));
    expect(hidden(dir)).toEqual([]);
  });

  test('with only the old folder left, it is restored as it was', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.netproof-out-dist.0badc0de.old'));
    for (const [f, t] of Object.entries(expected('1'))) fs.writeFileSync(path.join(dir, '.netproof-out-dist.0badc0de.old', f), t);
    const r = await synthIn(dir, ['check', '--app', app('1')]);
    expect(r).toEqual({ code: 0, stdout: 'dist is up to date (3 files)\n', stderr: `netproof: note: ${OutputMessages.restoredOld('dist')}\n` });
  });
});

describe('environment failures get a message and exit 2 (fault injection)', () => {
  test('ENOSPC while writing the new folder: the output folder is left as it was, nothing left behind', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    let writes = 0;
    const full: OutputFileSystem = { ...NODE_OUTPUT_FS, writeFile: (f, t) => { if (++writes === 2) throw errno('ENOSPC'); NODE_OUTPUT_FS.writeFile(f, t); } };
    const r = await synthIn(dir, ['synth', '--app', app('2')], full);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof synth --out dist: ${OutputMessages.cannotWrite('dist', 'no space left on the device (ENOSPC)')}\n` });
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('1'));
    expect(hidden(dir)).toEqual([]);
  });

  test('a read-only folder: synth says it cannot create files there; check still compares', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    const readOnly: OutputFileSystem = { ...NODE_OUTPUT_FS, createExclusive: () => { throw errno('EROFS'); }, mkdir: () => { throw errno('EROFS'); } };
    const r = await synthIn(dir, ['synth', '--app', app('2')], readOnly);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof --out dist: ${OutputMessages.cannotLock(dir, 'read-only file system (EROFS)')}\n` });
    const c = await synthIn(dir, ['check', '--app', app('1')], readOnly);
    expect(c).toEqual({ code: 0, stdout: 'dist is up to date (3 files)\n', stderr: '' });
  });

  test('a rename that fails (EACCES) leaves the old folder in place', async () => {
    const dir = tempDir();
    expect((await synthIn(dir, ['synth', '--app', app('1')])).code).toBe(0);
    let renames = 0;
    const denied: OutputFileSystem = { ...NODE_OUTPUT_FS, rename: (a, b) => { if (++renames === 3) throw errno('EACCES'); NODE_OUTPUT_FS.rename(a, b); } };
    const r = await synthIn(dir, ['synth', '--app', app('2')], denied);
    expect(r.stderr).toBe(`netproof: error: netproof synth --out dist: ${OutputMessages.cannotWrite('dist', 'permission denied (EACCES)')}\n`);
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('1'));
    expect(hidden(dir)).toEqual([]);
  });

  test('two synths at once: the second is refused naming the first; the first writes', async () => {
    const dir = tempDir();
    const slow = `sleep 1 && ${app('1')}`;
    const first = synthIn(dir, ['synth', '--app', slow]);
    await until(() => fs.existsSync(path.join(dir, '.netproof-out-dist.lock')), 5000);
    const second = await synthIn(dir, ['synth', '--app', app('2')]);
    expect(second).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof --out dist: ${OutputMessages.busy('dist', String(process.pid))}\n` });
    const check = await synthIn(dir, ['check', '--app', app('2')]);
    expect(check.code).toBe(2);
    expect((await first).code).toBe(0);
    expect(filesOf(path.join(dir, 'dist'))).toEqual(expected('1'));
    expect(hidden(dir)).toEqual([]);
  });

  test('the lock of a process that is gone is taken over, with a note', async () => {
    const dir = tempDir();
    const gone = spawn('true');
    await new Promise((r) => gone.on('close', r));
    fs.writeFileSync(path.join(dir, '.netproof-out-dist.lock'), `${gone.pid}\n`);
    const r = await synthIn(dir, ['synth', '--app', app('1')]);
    expect(r).toMatchObject({ code: 0, stderr: `netproof: note: ${OutputMessages.staleLock('dist', String(gone.pid))}\n` });
    expect(hidden(dir)).toEqual([]);
  });
});

describe('--timeout', () => {
  test('an app that never ends is stopped with every process it started: exit 1, the folder untouched', async () => {
    const dir = tempDir();
    const command = 'sleep 60 & echo $! > bg.pid; sleep 60';
    const started = Date.now();
    const r = await synthIn(dir, ['synth', '--app', command, '--timeout', '1']);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `netproof synth: ${AppMessages.appFailed(command, AppMessages.timedOut(1), 'dist')}\n` });
    const bg = Number(fs.readFileSync(path.join(dir, 'bg.pid'), 'utf8'));
    expect(await until(() => !isRunning(bg), 10000)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['bg.pid']);
  });

  test('a process the app leaves behind does not hold synth (it is ended when the app exits)', async () => {
    const dir = tempDir();
    const started = Date.now();
    const r = await synthIn(dir, ['synth', '--app', `(sleep 60 & echo $! > bg.pid) ; ${app('1')}`]);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15000);
    const bg = Number(fs.readFileSync(path.join(dir, 'bg.pid'), 'utf8'));
    expect(await until(() => !isRunning(bg), 10000)).toBe(true);
  });

  test('takes whole seconds; the default is documented', async () => {
    const r = await synthIn(tempDir(), ['synth', '--app', 'true', '--timeout', '0']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof synth --timeout: ${ArgMessages.badSeconds('0')}\n` });
    const help = await synthIn(tempDir(), ['synth', '--help']);
    expect(help.stdout).toContain('--timeout SECONDS');
    expect(help.stdout).toContain(`default: ${DEFAULT_TIMEOUT_SECONDS}`);
  });
});

describe('--layout namespace', () => {
  test('is linear: 20,000 documents in one namespace lay out in seconds', async () => {
    const { layOut } = await import('../../src/cli/_app');
    const docs = Array.from({ length: 20000 }, (_, i) => `kind: ConfigMap\nmetadata: {name: c${i}, namespace: one}\n`).join('---\n');
    const started = Date.now();
    const out = layOut(new Map([['a.k8s.yaml', docs]]), 'namespace');
    expect(Date.now() - started).toBeLessThan(20000);
    expect(out.get('one.yaml')!.split('---\n').length).toBe(20000);
  });
});

/**
 * End to end, as a new user: this repository is compiled and packed (`npm pack`), `netproof init` makes a
 * policy repository in an empty folder, the tarball is installed there from the npm registry's cache
 * (one `npm install`), and the installed CLI's synth (which checks main.ts's intents) and the generated
 * CI workflow's commands (synth, verify, check) pass; verify takes the app's profile and intents from
 * the recorded model, and the pull-request diff shows a change that opens internet egress. The only network use is that install. Takes under
 * a minute with a warm npm cache; the timeout allows ten.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const REPO = path.join(__dirname, '..', '..');
const MINUTE = 60_000;

interface Ran {
  readonly command: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a command run as a user would, without what `npm test` sets for this repository. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|INIT_CWD$|TS_NODE_|NODE_PATH$|GIT_)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function sh(cwd: string, command: string, args: string[], timeoutMs = 5 * MINUTE, env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(command, args, { cwd, env: { ...userEnv(), ...env }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { command: [command, ...args].join(' '), code: r.error ? -1 : r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Asserts exit code 0, showing the command and its output when it is not. */
function ok(r: Ran): Ran {
  if (r.code !== 0) throw new Error(`"${r.command}" exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

const timings: string[] = [];
function timed<T>(label: string, f: () => T): T {
  const start = Date.now();
  try {
    return f();
  } finally {
    timings.push(`${label} ${((Date.now() - start) / 1000).toFixed(1)}s`);
  }
}

/**
 * Compiles src/ into a staging copy of the package (package.json, .npmignore, bin/, templates/, LICENSE,
 * README.md, lib/) and packs it; the repository's own lib/ is left alone. Returns the tarball's path.
 */
function packThisRepo(work: string): string {
  const staging = path.join(work, 'package');
  fs.mkdirSync(staging);
  for (const f of ['package.json', '.npmignore', 'LICENSE', 'README.md']) fs.copyFileSync(path.join(REPO, f), path.join(staging, f));
  for (const d of ['bin', 'templates']) fs.cpSync(path.join(REPO, d), path.join(staging, d), { recursive: true });
  timed('tsc', () => ok(sh(REPO, process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', path.join(staging, 'lib')])));
  const packs = path.join(work, 'packs');
  fs.mkdirSync(packs);
  const packed = timed('npm pack', () => ok(sh(staging, 'npm', ['pack', '--json', '--pack-destination', packs])));
  const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  const paths = files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining([
    'bin/netproof', 'lib/cli/main.js', 'lib/cli/init.js', 'lib/cli/_templates.js', 'lib/index.d.ts', 'package.json',
    'templates/init/main.ts', 'templates/init/gitignore', 'templates/init/.github/workflows/netproof.yml',
  ]));
  // package.json's files allow-list: nothing but the library, the CLI, the starter and npm's own files.
  expect(paths.filter((p) => !/^(lib|bin|templates)\//.test(p) && !['package.json', 'README.md', 'LICENSE'].includes(p))).toEqual([]);
  return path.join(packs, filename);
}

describe('netproof from npm pack (end to end)', () => {
  afterAll(() => {
    process.stdout.write(`e2e timings: ${timings.join(', ')}\n`);
  });

  test('init, npm install, then synth, check and verify of the new repository pass', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-e2e-'));
    try {
      const tarball = packThisRepo(work);
      const project = path.join(work, 'policies');

      // The packed CLI makes the repository (its dependencies taken from this repository, as it is not
      // installed yet); nothing is downloaded for the templates.
      const packedCli = path.join(work, 'package', 'bin', 'netproof');
      const init = timed('init', () => ok(sh(work, process.execPath, [packedCli, 'init', 'policies'], MINUTE, { NODE_PATH: path.join(REPO, 'node_modules') })));
      expect(init.stdout).toContain('created .github/workflows/netproof.yml, .gitignore, README.md, cdk8s.yaml, main.ts, package.json, tsconfig.json in policies');

      timed('npm install', () => ok(sh(project, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], 8 * MINUTE)));
      expect(fs.existsSync(path.join(project, 'node_modules', '.bin', 'netproof'))).toBe(true);

      // The app says its cluster runs GKE Dataplane V2; synth records it with the workloads and intents.
      const mainTs = path.join(project, 'main.ts');
      const main = fs.readFileSync(mainTs, 'utf8');
      expect(main).toContain('profile: ClusterProfile.upstream(),');
      fs.writeFileSync(mainTs, main.replace('profile: ClusterProfile.upstream(),', 'profile: ClusterProfile.dataplaneV2(),'));

      // synth runs cdk8s.yaml's app (npx ts-node main.ts, type-checked), which checks every intent first.
      const synth = timed('synth', () => ok(sh(project, 'npx', ['netproof', 'synth'])));
      expect(synth.stdout).toBe('wrote dist: .netproof-model, demo.k8s.yaml, kustomization.yaml\n');
      const held = /(\d+) of \1 intents hold\n/.exec(synth.stderr);
      expect(held).not.toBeNull();
      expect(fs.readFileSync(path.join(project, 'dist', 'kustomization.yaml'), 'utf8')).toContain('resources:\n  - demo.k8s.yaml\n');

      // The generated CI workflow's commands, as GitHub Actions would run them (after npm ci).
      const workflow = YAML.parse(fs.readFileSync(path.join(project, '.github', 'workflows', 'netproof.yml'), 'utf8'));
      const steps: string[] = workflow.jobs.policies.steps.map((st: { run?: string }) => st.run).filter((run: unknown) => typeof run === 'string' && run !== 'npm ci');
      const prDiff = steps.pop()!;
      const runnerTemp = path.join(work, 'runner-temp');
      fs.mkdirSync(runnerTemp);
      const ran = steps.map((run) => timed(run.split(' ').slice(0, 3).join(' '), () => ok(sh(project, 'bash', ['-c', run], 5 * MINUTE, { RUNNER_TEMP: runnerTemp }))));
      expect(steps.map((run) => run.split(' ')[2])).toEqual(['synth', 'verify', 'check']);
      expect(ran[0].stdout).toContain('wrote ');
      // CI's verify checks the intents of main.ts (all of them) under the profile main.ts declared.
      expect(ran[1].stdout).toContain(held![0]);
      expect(ran[1].stderr).toContain('using the model netproof synth recorded in dist/.netproof-model: the cluster (');
      expect(ran[1].stderr).toContain(`, dataplane dataplane-v2, ${held![1]} intents (flags override each part)`);
      expect(ran[2].stdout).toBe('dist is up to date (3 files)\n');

      // The pull-request step: the committed dist/ of the base branch against this one, into the job summary.
      const git = (...args: string[]) => ok(sh(project, 'git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args]));
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'policies');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      const summary = path.join(work, 'step-summary.md');
      timed('diff (pull request)', () => ok(sh(project, 'bash', ['-c', prDiff], 5 * MINUTE, { GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary })));
      expect(fs.readFileSync(summary, 'utf8')).toContain('**no reachability change**');

      // A pull request that opens web's egress to the internet on 443 (the promise about the internet now
      // about api only): the workflow's diff step shows it as gained, under Dataplane V2.
      fs.writeFileSync(mainTs, fs.readFileSync(mainTs, 'utf8')
        .replace('  Allow, ClusterProfile,', '  Allow, AllowTo, ClusterProfile, Peer,')
        .replace('.cannotReach(Externals.INTERNET);', ';\n    this.expect(api).cannotReach(Externals.INTERNET);')
        .replace('    // What the policies must mean.', "    new AllowTo(this, 'web-to-internet', { pods: web, to: [Peer.cidr('0.0.0.0/0')], ports: [Port.tcp(443)] });\n\n    // What the policies must mean."));
      timed('synth (egress)', () => ok(sh(project, 'npx', ['netproof', 'synth'])));
      git('checkout', '-qb', 'egress');
      git('commit', '-qam', 'web reaches the internet on 443');
      const prSummary = path.join(work, 'step-summary-egress.md');
      timed('diff (egress)', () => ok(sh(project, 'bash', ['-c', prDiff], 5 * MINUTE, { GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: prSummary })));
      const egress = fs.readFileSync(prSummary, 'utf8');
      expect(egress).toContain('dataplane `dataplane-v2`');
      expect(egress).toContain('| `demo/web` | `internet` | TCP | 443 |');

      // Drift: a hand edit of the committed YAML makes check fail with the diff.
      const file = path.join(project, 'dist', 'demo.k8s.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: api-from-web', 'name: api-from-anyone'));
      const drift = timed('check (drift)', () => sh(project, 'npx', ['netproof', 'check']));
      expect(drift.code).toBe(1);
      expect(drift.stdout).toContain('-  name: api-from-anyone\n+  name: api-from-web\n');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 10 * MINUTE);
});

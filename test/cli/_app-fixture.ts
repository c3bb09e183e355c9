/**
 * Test helpers for `netproof synth`, `check` and `init`: temporary project folders, a small cdk8s app
 * built from this repository's source (run through ts-node, transpile only), and in-process CLI runs
 * with the project folder as the working directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { captureIo, REPO, RunResult } from './_run';
import { readTree } from '../../src/cli/_app';
import { main } from '../../src/cli/main';

const created: string[] = [];

/** A fresh empty folder under the system temp folder (removed by removeTempDirs). */
export function tempDir(prefix = 'netproof-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder tempDir made; for afterAll. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs `netproof ...argv` in-process with `cwd` as the working directory. */
export async function runIn(cwd: string, argv: string[]): Promise<RunResult> {
  const io = { ...captureIo(), cwd };
  const code = await main(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * A shell command that runs the TypeScript file `file` (relative to the project folder) with modules
 * resolved from this repository (cdk8s, cdk8s-plus-28, constructs) and `env` set.
 */
export function appCommand(file: string, env: Record<string, string> = {}): string {
  const vars = { NODE_PATH: path.join(REPO, 'node_modules'), TS_NODE_PROJECT: path.join(REPO, 'tsconfig.dev.json'), ...env };
  const assignments = Object.entries(vars).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
  return `${assignments} node -r ${quote(path.join(REPO, 'node_modules', 'ts-node', 'register', 'transpile-only'))} ${quote(file)}`;
}

/** `from 'netproof'` becomes an import of this repository's source. */
export function useRepoSource(source: string): string {
  return source.replace(/from 'netproof'/g, `from ${JSON.stringify(path.join(REPO, 'src'))}`);
}

/**
 * Two PolicyCharts (`shop`, `cnf`) and a plain chart with a cluster-scoped Namespace object. With
 * VIOLATE=1 the shop chart states an intent its policies contradict (synth must fail); with PORT=N the
 * backend listens on N instead of 8080 (a different, still valid output).
 */
export const FIXTURE_APP = useRepoSource(`
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AllowDns, AllowFrom, AllowTo, DefaultDeny, Peer, PolicyChart, Port } from 'netproof';

const PORT = Port.tcp(Number(process.env.PORT ?? '8080'));

function deployment(scope: Construct, name: string): kplus.Deployment {
  const d = new kplus.Deployment(scope, name, {
    metadata: { name }, select: false, podMetadata: { labels: { app: name } },
    containers: [{ name, image: 'example/' + name + ':1', portNumber: 8080 }],
  });
  d.select(kplus.LabelSelector.of({ labels: { app: name } }));
  return d;
}

const app = new App();
const namespaces = new Chart(app, 'namespaces');
new ApiObject(namespaces, 'shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });

const shop = new PolicyChart(app, 'shop', { namespace: 'shop' });
const frontend = deployment(shop, 'frontend');
const backend = deployment(shop, 'backend');
new DefaultDeny(shop, 'default-deny');
new AllowDns(shop, 'allow-dns');
new AllowTo(shop, 'frontend-to-backend', { pods: frontend, to: [Peer.workload(backend)], ports: [PORT] });
new AllowFrom(shop, 'backend-from-frontend', { pods: backend, from: [Peer.workload(frontend)], ports: [PORT] });
shop.expect(frontend).canReach(backend, PORT);
if (process.env.VIOLATE === '1') shop.expect(backend).canReach(frontend, PORT);

const cnf = new PolicyChart(app, 'cnf', { namespace: 'cnf' });
new DefaultDeny(cnf, 'default-deny');

app.synth();
console.log('fixture app: synthesized');
`);

/** A project folder holding the fixture app as app.ts. */
export function fixtureProject(): string {
  const dir = tempDir('netproof-project-');
  fs.writeFileSync(path.join(dir, 'app.ts'), FIXTURE_APP);
  return dir;
}

/** Every file under `dir` (relative path to content); empty when `dir` does not exist. */
export function filesOf(dir: string): Record<string, string> {
  return fs.existsSync(dir) ? Object.fromEntries(readTree(dir)) : {};
}

/**
 * Real inputs as they come: standard input, kustomization folders (rendered by kubectl or kustomize on
 * the PATH, else refused with the command), --namespace and the note when netproof defaults one, the
 * skipped note per kind (--verbose names each), and the note about policies that select no known pod.
 */
import * as fs from 'fs';
import * as path from 'path';
import { removeTempDirs, tempDir } from './_app-fixture';
import { captureIo, RunResult } from './_run';
import { InputMessages } from '../../src/cli/_inputs';
import { NoteMessages } from '../../src/cli/_notes';
import { main } from '../../src/cli/main';

afterAll(removeTempDirs);

interface RunOptions {
  readonly files?: Record<string, string>;
  readonly stdin?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const io = {
    ...captureIo(options.files),
    ...(options.stdin !== undefined ? { stdin: () => options.stdin! } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const CLUSTER = 'pods:\n  - {namespace: shop, name: web, labels: {app: web}}\n  - {namespace: shop, name: api, labels: {app: api}}\n';
const DENY_API = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n';

describe('standard input', () => {
  test('--policies - reads the policies from standard input', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', '-', '--port', '80', '--format', 'csv'], { files: { 'c.yaml': CLUSTER }, stdin: DENY_API });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shop/web,shop/api,false\n');
    expect(r.stdout).toContain('shop/api,shop/web,true\n');
  });

  test('--cluster - and --policies - share one read of standard input', async () => {
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: i}]}\n`;
    const both = `${pod('web')}---\n${pod('api')}---\n${DENY_API}`;
    const r = await run(['reach', '--cluster', '-', '--policies', '-', '--port', '80', '--format', 'csv'], { stdin: both });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shop/web,shop/api,false\n');
  });

  test('an error in standard input names <stdin> and exits 2', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', '-', '--port', '80'], { files: { 'c.yaml': CLUSTER }, stdin: DENY_API.replace('podSelector', 'podSelectr') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^netproof: error: <stdin>\[document 0, line 5\] spec\.podSelectr: unknown field "podSelectr"/);
  });
});

describe('kustomization folders', () => {
  /** An overlay whose patch is no policy, and whose namespace: applies to the base's policy. */
  function overlay(): string {
    const dir = tempDir('netproof-kustomize-');
    fs.mkdirSync(path.join(dir, 'overlay'));
    fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'namespace: shop\nresources: [../base]\npatches: [{path: patch.yaml}]\n');
    fs.writeFileSync(path.join(dir, 'overlay', 'patch.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec:\n  policyTypes: [Ingress]\n');
    fs.writeFileSync(path.join(dir, 'cluster.yaml'), CLUSTER);
    return dir;
  }

  /** A fake `name` on a PATH of its own that prints `out` (and its arguments to args.txt). */
  function fakeTool(dir: string, name: string, out: string): string {
    const bin = path.join(dir, `bin-${name}`);
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(dir, `${name}.out`), out);
    // The PATH holds only this folder: the script calls nothing through it.
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "$@" > "${dir}/args.txt"\nwhile IFS= read -r line; do echo "$line"; done < "${dir}/${name}.out"\n`, { mode: 0o755 });
    return bin;
  }

  test('without kubectl or kustomize on the PATH, the folder is refused with the command to run', async () => {
    const dir = overlay();
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'overlay', '--port', '80'], { cwd: dir, env: { PATH: path.join(dir, 'nothing-here') } });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `netproof: error: netproof reach --policies overlay: ${InputMessages.noRenderer('overlay', 'kustomization.yaml', 'reach', '--policies')}\n`,
    });
    expect(r.stderr).toContain('kubectl kustomize overlay | netproof reach --policies - ...');
  });

  test('with kubectl on the PATH, netproof reads what "kubectl kustomize DIR" renders', async () => {
    const dir = overlay();
    const bin = fakeTool(dir, 'kubectl', DENY_API);
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'overlay', '--port', '80', '--format', 'csv'], { cwd: dir, env: { PATH: bin } });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'args.txt'), 'utf8')).toBe('kustomize overlay\n');
    expect(r.stdout).toContain('shop/web,shop/api,false\n');
  });

  test('with kustomize (and no kubectl) on the PATH, "kustomize build DIR"; its failure is exit 2 with its words', async () => {
    const dir = overlay();
    const bin = fakeTool(dir, 'kustomize', DENY_API);
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'overlay', '--port', '80', '--format', 'csv'], { cwd: dir, env: { PATH: bin } });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'args.txt'), 'utf8')).toBe('build overlay\n');
    fs.writeFileSync(path.join(bin, 'kustomize'), '#!/bin/sh\necho "Error: accumulating resources: no such file" >&2\nexit 1\n', { mode: 0o755 });
    const failed = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'overlay', '--port', '80'], { cwd: dir, env: { PATH: bin } });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`netproof: error: netproof reach --policies overlay: ${InputMessages.renderFailed('kustomize build overlay', 'Error: accumulating resources: no such file')}\n`);
  });
});

describe('a tree holding kustomizations', () => {
  test('is refused, naming them, since their files are not their objects', async () => {
    const files = {
      'k/base/kustomization.yaml': 'resources: [policy.yaml]\n',
      'k/base/policy.yaml': DENY_API,
      'k/overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamespace: prod\n',
      'c.yaml': CLUSTER,
    };
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'k', '--port', '80'], { files });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `netproof: error: netproof reach --policies k: ${InputMessages.nestedKustomizations('k', ['k/base/kustomization.yaml', 'k/overlays/prod/kustomization.yaml'], 'reach', '--policies')}\n`,
    });
    expect(r.stderr).toContain('e.g. --policies k/base, or render it: kubectl kustomize k/base | netproof reach --policies - ...');
  });

  test('a folder netproof synth wrote is read as it is', async () => {
    const files = { 'd/kustomization.yaml': '# Generated by netproof synth. Do not edit.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [p.yaml]\n', 'd/p.yaml': DENY_API, 'c.yaml': CLUSTER };
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'd', '--port', '80', '--format', 'csv'], { files });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shop/web,shop/api,false\n');
  });
});

describe('--namespace', () => {
  const NO_NS = DENY_API.replace(', namespace: shop', '');

  test('objects without a namespace land in "default", with a note naming them', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'csv'], { files: { 'c.yaml': CLUSTER, 'p.yaml': NO_NS } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shop/web,shop/api,true\n'); // the policy is in default, not in shop
    expect(r.stderr).toContain(`netproof: note: ${InputMessages.defaulted(1, 'p.yaml#0 NetworkPolicy/deny', 'default')}\n`);
  });

  test('--namespace NS (or -n NS) puts them in NS, without a note', async () => {
    for (const flag of ['--namespace', '-n']) {
      const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'csv', flag, 'shop'], { files: { 'c.yaml': CLUSTER, 'p.yaml': NO_NS } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('shop/web,shop/api,false\n');
      expect(r.stderr).not.toContain('metadata.namespace');
    }
  });

  test('workloads without a namespace follow --namespace too; a bad name is exit 2', async () => {
    const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: web}]}\n';
    const r = await run(['reach', '--cluster', 'd.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'csv', '-n', 'shop'], { files: { 'd.yaml': deploy, 'p.yaml': DENY_API } });
    expect(r.stdout).toContain('shop/web,shop/web,true\n');
    const bad = await run(['reach', '--cluster', 'd.yaml', '--policies', 'p.yaml', '--port', '80', '-n', 'Shop'], { files: { 'd.yaml': deploy, 'p.yaml': DENY_API } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^netproof: error: netproof reach --namespace: --namespace "Shop" /);
  });
});

describe('the skipped note', () => {
  const many = [
    ...Array.from({ length: 40 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: a}\n`),
    ...Array.from({ length: 3 }, (_, i) => `apiVersion: v1\nkind: Secret\nmetadata: {name: s${i}, namespace: a}\n`),
    'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: a}\n',
  ].join('---\n');

  test('counts many objects per kind, most first', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80'], { files: { 'c.yaml': CLUSTER, 'p.yaml': many } });
    const note = r.stderr.split('\n').find((l) => l.includes('skipped'))!;
    expect(note).toBe('netproof: note: --policies: skipped 44 objects netproof does not model here: 40 ConfigMap, 3 Secret, 1 Prometheus (run with --verbose to name each)');
  });

  test('--verbose names every one', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--verbose'], { files: { 'c.yaml': CLUSTER, 'p.yaml': many } });
    const note = r.stderr.split('\n').find((l) => l.includes('skipped'))!;
    expect(note).toMatch(/^netproof: note: --policies: skipped 44 objects netproof does not model here: p\.yaml#0 ConfigMap\/a\/c0, .*, p\.yaml#43 Prometheus\/a\/k8s$/);
    expect(note.split(', ')).toHaveLength(44);
  });
});

describe('policies that select no pod of the inputs', () => {
  test('a note names them and their selectors (operator-managed pods are not in the inputs)', async () => {
    const prom = DENY_API.replace('name: deny, namespace: shop', 'name: prometheus-k8s, namespace: shop').replace('app: api', 'app.kubernetes.io/name: prometheus');
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80'], { files: { 'c.yaml': CLUSTER, 'p.yaml': `${DENY_API}---\n${prom}` } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`netproof: note: ${NoteMessages.selectNoPod(['shop/prometheus-k8s (app.kubernetes.io/name=prometheus)'])}\n`);
    expect(r.stderr).not.toContain('shop/deny (');
  });
});

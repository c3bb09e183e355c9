/**
 * The model netproof synth records next to the YAML (dist/.netproof-model), and the commands that read a
 * synthesized folder with it: verify (profile, cluster, intents), reach, explain, graph and diff.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { appCommand, removeTempDirs, runIn, tempDir, useRepoSource } from './_app-fixture';
import { CLUSTER_FLAG } from '../../src/cli/_load';
import { RecordMessages } from '../../src/cli/_recorded-model';
import { ArgMessages } from '../../src/cli/args';
import { DiffMessages } from '../../src/cli/diff';
import { parseRecordedModel, RECORDED_MODEL_FILE } from '../../src/parse/recorded-model';

/** A Dataplane V2 app: web -> api, DNS, a declared external; EGRESS=1 opens web's egress to the internet on 443. */
const APP = useRepoSource(`
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AllowDns, AllowFrom, AllowTo, ClusterProfile, DeclaredExternal, DefaultDeny, Externals, Peer, PolicyChart, Port } from 'netproof';

function deployment(scope: Construct, name: string): kplus.Deployment {
  const d = new kplus.Deployment(scope, name, {
    metadata: { name }, select: false, replicas: 1, podMetadata: { labels: { app: name } },
    containers: [{ name, image: 'example/' + name + ':1', portNumber: 8080 }],
  });
  d.select(kplus.LabelSelector.of({ labels: { app: name } }));
  return d;
}

const app = new App();
const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: ClusterProfile.of(process.env.DATAPLANE as any ?? 'dataplane-v2') });
const web = deployment(chart, 'web');
const api = deployment(chart, 'api');
new DeclaredExternal(chart, 'partner', { name: 'partner', ip: '198.51.100.7' });
new DefaultDeny(chart, 'default-deny');
new AllowDns(chart, 'allow-dns');
new AllowTo(chart, 'web-to-api', { pods: web, to: [Peer.workload(api)], ports: [Port.tcp(8080)] });
new AllowFrom(chart, 'api-from-web', { pods: api, from: [Peer.workload(web)], ports: [Port.tcp(8080)] });
if (process.env.EGRESS === '1') new AllowTo(chart, 'web-to-internet', { pods: web, to: [Peer.cidr('0.0.0.0/0')], ports: [Port.tcp(443)] });
chart.expect(web).canReach(api, Port.tcp(8080));
chart.expect(api).cannotReach(Externals.INTERNET);
app.synth();
`);

let project: string;

async function synth(out: string, env: Record<string, string> = {}): Promise<void> {
  const r = await runIn(project, ['synth', '--app', appCommand('app.ts', env), '--out', out]);
  if (r.code !== 0) throw new Error(`synth failed: ${r.stderr}`);
}

beforeAll(async () => {
  project = tempDir('netproof-recorded-');
  fs.writeFileSync(path.join(project, 'app.ts'), APP);
  await synth('old');
  await synth('new', { EGRESS: '1' });
}, 120_000);
afterAll(removeTempDirs);

describe('the recorded model', () => {
  test('synth writes it next to the YAML, not listed in kustomization.yaml, and it parses', () => {
    const files = fs.readdirSync(path.join(project, 'old')).sort();
    expect(files).toEqual([RECORDED_MODEL_FILE, 'kustomization.yaml', 'shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(project, 'old', 'kustomization.yaml'), 'utf8')).not.toContain(RECORDED_MODEL_FILE);
    const text = fs.readFileSync(path.join(project, 'old', RECORDED_MODEL_FILE), 'utf8');
    const model = parseRecordedModel(text, 'old/.netproof-model');
    expect(model.profile.dataplane).toBe('dataplane-v2');
    expect(model.cluster.cluster.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['kube-system/kube-dns', 'shop/api', 'shop/web']);
    expect(model.cluster.cluster.externals.map((e) => e.name)).toEqual(expect.arrayContaining(['internet', 'partner']));
    expect(model.intents.map((i) => i.name)).toEqual([
      'workload shop/web can reach workload shop/api on TCP 8080',
      'workload shop/api cannot reach the internet on any port',
    ]);
    expect(model.intents[0].intent.subject).toMatchObject({ kind: 'pods', workload: { namespace: 'shop', name: 'web' } });
  });

  test('verify on the folder checks the recorded intents under the recorded profile', async () => {
    const r = await runIn(project, ['verify', '--policies', 'old']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 of 2 intents hold');
    expect(r.stderr).not.toContain('kustomization.yaml');
    // 7 externals: internet, the declared partner, and GKE's own on this GKE profile (metadata server, Cloud DNS, NodeLocal DNSCache, two health-check ranges).
    expect(r.stderr).toContain(`netproof: note: ${RecordMessages.used('old/.netproof-model', ['the cluster (3 pods, 7 externals)', 'dataplane dataplane-v2', '2 intents'])}\n`);
  });

  test('flags override each part: --dataplane, --intents, --cluster', async () => {
    const intents = path.join(project, 'intents.yaml');
    fs.writeFileSync(intents, 'intents:\n  - {from: shop/web, to: partner, expect: deny}\n');
    const r = await runIn(project, ['verify', '--policies', 'old', '--intents', 'intents.yaml', '--dataplane', 'calico']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 of 1 intents hold');
    expect(r.stderr).toContain(`netproof: note: ${RecordMessages.used('old/.netproof-model', ['the cluster (3 pods, 7 externals)'])}\n`);
    const cluster = path.join(project, 'cluster.yaml');
    fs.writeFileSync(cluster, 'pods:\n  - {namespace: shop, name: web, labels: {app: web}}\n');
    const c = await runIn(project, ['reach', '--policies', 'old', '--cluster', 'cluster.yaml', '--port', '80']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('dataplane dataplane-v2');
    expect(c.stdout).toContain('1 pod, 0 externals');
    expect(c.stderr).toContain(RecordMessages.used('old/.netproof-model', ['dataplane dataplane-v2']));
  });

  test('reach, explain and graph use the recorded cluster and dataplane', async () => {
    const reach = await runIn(project, ['reach', '--policies', 'new', '--port', '443', '--format', 'json']);
    expect(reach.code).toBe(0);
    const json = JSON.parse(reach.stdout);
    expect(json).toMatchObject({ dataplane: 'dataplane-v2' });
    expect(json.matrix['shop/web']).toMatchObject({ 'internet': true, 'partner': true, 'shop/api': false });
    const explain = await runIn(project, ['explain', '--policies', 'new', '--from', 'shop/web', '--to', 'partner', '--port', '443']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('shop/web -> partner on TCP 443 (network default, dataplane dataplane-v2): ALLOWED');
    const graph = await runIn(project, ['graph', '--policies', 'new', '--format', 'mermaid']);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('dataplane dataplane-v2');
    expect(graph.stdout).toContain('(["partner"])');
  });

  test('diff compares each side with its recorded model: internet egress shows as gained', async () => {
    const r = await runIn(project, ['diff', 'old', 'new']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(dataplane dataplane-v2; cluster model: recorded by netproof synth in old/.netproof-model and new/.netproof-model)');
    expect(r.stdout).toContain('+ shop/web -> internet TCP 443');
    expect(r.stdout).toContain('+ shop/web -> partner TCP 443');
    expect(r.stderr).not.toContain('Kustomization'); // the folders' own index is no skipped object
    // Without the records, the workloads alone have no externals: the change is invisible.
    for (const side of ['old', 'new']) fs.cpSync(path.join(project, side), path.join(project, `${side}-bare`), { recursive: true });
    for (const side of ['old-bare', 'new-bare']) fs.rmSync(path.join(project, side, RECORDED_MODEL_FILE));
    const bare = await runIn(project, ['diff', 'old-bare', 'new-bare']);
    expect(bare.stdout).toContain('no reachability change');
  });

  test('diff between git refs reads each side\'s record at its commit', async () => {
    const repo = tempDir('netproof-recorded-git-');
    fs.writeFileSync(path.join(repo, 'app.ts'), APP);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: repo });
    const run = async (env: Record<string, string>) => {
      const r = await runIn(repo, ['synth', '--app', appCommand('app.ts', env), '--out', 'dist']);
      expect(r.code).toBe(0);
    };
    git('init', '-q');
    await run({});
    git('add', '.');
    git('commit', '-qm', 'base');
    await run({ EGRESS: '1' });
    git('add', '.');
    git('commit', '-qm', 'egress');
    const r = await runIn(repo, ['diff', 'HEAD~1:dist', 'HEAD:dist', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.cluster).toEqual({ source: 'recorded', files: ['HEAD~1:dist/.netproof-model', 'HEAD:dist/.netproof-model'] });
    expect(json.dataplane).toBe('dataplane-v2');
    expect(json.gained.map((g: { from: string; to: string }) => `${g.from} -> ${g.to}`)).toEqual(expect.arrayContaining(['shop/web -> internet']));
  });

  test('diff refuses two recorded dataplanes unless --dataplane chooses', async () => {
    await synth('calico', { DATAPLANE: 'calico' });
    const r = await runIn(project, ['diff', 'old', 'calico']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.endsWith(`netproof: error: netproof diff --dataplane: ${DiffMessages.dataplanesDiffer('dataplane-v2', 'calico')}\n`)).toBe(true);
    const chosen = await runIn(project, ['diff', 'old', 'calico', '--dataplane', 'calico']);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain('no reachability change');
  });

  test('without a record and without --cluster, the commands ask for --cluster', async () => {
    const r = await runIn(project, ['reach', '--policies', 'old-bare', '--port', '80']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof reach --cluster: ${ArgMessages.required(CLUSTER_FLAG)}\n` });
  });

  test('fails with exit 2 on a record that was edited into something else', async () => {
    const broken = path.join(project, 'broken');
    fs.cpSync(path.join(project, 'old'), broken, { recursive: true });
    const file = path.join(broken, RECORDED_MODEL_FILE);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"dataplane": "dataplane-v2"', '"dataplane": "cilium"'));
    const r = await runIn(project, ['verify', '--policies', 'broken']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^netproof: error: broken\/\.netproof-model.* profile\.dataplane: dataplane "cilium" is not one of upstream, calico, dataplane-v2\. It is written by netproof synth/);
  });
});

/**
 * The README's examples are compiled and run here, so documentation never rots: TypeScript examples
 * are the files they name, CLI examples print exactly what the README shows, and the YAML formats parse.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  ClusterNetworkPolicy, ClusterPeer, ClusterPods, ClusterPolicyChart, ClusterProfile, ClusterRule, ClusterTier, PodNetworkScoped, PolicyChart, Port,
} from '../src';
import { run } from './cli/_run';
import { DEFAULT_TIMEOUT_SECONDS } from '../src/cli/_app';
import { SKIPPED_NAMED } from '../src/cli/_notes';
import { MAX_SECONDS } from '../src/cli/args';
import { MAX_INPUT_FILE_BYTES } from '../src/cli/io';
import { LARGE_MATRIX_PAIRS } from '../src/cli/reach';
import { parseCluster } from '../src/parse/cluster';
import { parseIntents } from '../src/parse/intents';
import { MAX_QUOTED } from '../src/parse/messages';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The fenced block that follows `marker` (the first one after it). */
function blocksAfter(marker: RegExp): { match: RegExpExecArray; body: string }[] {
  const out: { match: RegExpExecArray; body: string }[] = [];
  const re = new RegExp(marker.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(README)) !== null) {
    const rest = README.slice(m.index + m[0].length);
    const fence = /```[a-z]*\n([\s\S]*?)```/.exec(rest);
    if (!fence) throw new Error(`no code block after ${m[0]}`);
    out.push({ match: m, body: fence[1] });
  }
  return out;
}

describe('README', () => {
  const examples = blocksAfter(/<!-- example: (\S+) -->/);

  test('has TypeScript examples, each identical to the file it names', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const { match, body } of examples) expect(body).toBe(fs.readFileSync(path.join(ROOT, match[1]), 'utf8'));
  });

  test('the quick start synthesizes verified NetworkPolicies', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { yaml } = require('../examples/readme/quickstart') as { yaml: string };
    expect(yaml).toContain('kind: NetworkPolicy\nmetadata:\n  name: api-from-web\n  namespace: shop');
    expect(yaml).toContain('name: default-deny');
  });

  test('the quick start without its flow fails with the error the README shows', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples/readme/quickstart.ts'), 'utf8');
    const broken = source.replace(/^Allow\.from\(web\).*\n/m, '').replace('import { Allow, ', 'import { ');
    expect(broken).not.toBe(source);
    const file = path.join(ROOT, 'examples/readme/_quickstart-broken.ts');
    fs.writeFileSync(file, broken);
    let message = '';
    try {
      // A fresh module registry, so the variant runs its own App (a require, since it must be synchronous).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(file));
    } catch (e) {
      message = (e as Error).message;
    } finally {
      fs.rmSync(file);
    }
    const shown = README.split('synth fails before writing anything:')[1];
    const block = /```text\n([\s\S]*?)```/.exec(shown)![1];
    expect(`${message}\n`).toBe(block);
  });

  test('the guardrails example synthesizes ClusterNetworkPolicies of both tiers, once, without a namespace', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { yaml } = require('../examples/readme/guardrails') as { yaml: string };
    const docs = yaml.split('\n---\n');
    const cnps = docs.filter((d) => d.includes('kind: ClusterNetworkPolicy'));
    expect(cnps.map((d) => /\n {2}name: (\S+)/.exec(d)![1])).toEqual([
      'kube-dns-egress', 'kube-dns-ingress', 'prometheus-egress', 'prometheus-ingress', 'no-metadata-server', 'tenants-a', 'tenants-b', 'default-deny',
    ]);
    for (const d of docs) expect(d).not.toContain('namespace: ');
    expect(yaml).toContain('tier: Baseline');
    expect(yaml).toContain('destinationNamedPort: metrics');
  });

  test('the guardrails example without its monitoring Namespace fails with the counterexample the README shows', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples/readme/guardrails.ts'), 'utf8');
    const broken = source.replace(/^new kplus.Namespace\(cluster, 'monitoring'.*\n/m, '');
    expect(broken).not.toBe(source);
    const file = path.join(ROOT, 'examples/readme/_guardrails-broken.ts');
    fs.writeFileSync(file, broken);
    let message = '';
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(file));
    } catch (e) {
      message = (e as Error).message;
    } finally {
      fs.rmSync(file);
    }
    const shown = README.split('whose Prometheus the\nAdmin `Accept` lets into tenant b:')[1];
    const block = /```text\n([\s\S]*?)```/.exec(shown)![1];
    expect(`${message}\n`).toBe(block);
  });

  // `<!-- cli -->` or `<!-- cli exit=N -->`: the command exits N (0 by default) and prints the block.
  const commands = blocksAfter(/<!-- cli(?: exit=(\d))? -->/);

  test.each(commands.map(({ match, body }) => [body.split('\n')[0], body, Number(match[1] ?? 0)]))('%s prints what the README shows', async (_title, body, code) => {
    const [first, ...output] = body.split('\n');
    expect(first.startsWith('$ npx netproof ')).toBe(true);
    const argv = first.slice('$ npx netproof '.length).split(' ');
    const r = await run(argv);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe(output.join('\n'));
  });

  // `<!-- run -->`: a shell command run from the repository root prints the block's other lines.
  const scripts = blocksAfter(/<!-- run -->/);

  test.each(scripts.map(({ body }) => [body.split('\n')[0], body]))('%s prints what the README shows', (_title, body) => {
    const [first, ...output] = body.split('\n');
    expect(first.startsWith('$ ')).toBe(true);
    const r = spawnSync('bash', ['-c', first.slice(2)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(output.join('\n'));
  });

  test('the proof counterexample in JSON is what verify --format json prints', async () => {
    const [block] = blocksAfter(/`--format json` keeps its shape/);
    const shown = JSON.parse(block.body) as Record<string, unknown>;
    const dir = 'test/fixtures/proofs';
    const r = await run(['verify', '--cluster', `${dir}/cluster.yaml`, '--policies', `${dir}/policies.yaml`, '--intents', `${dir}/intents.yaml`, '--format', 'json']);
    expect(r.code).toBe(1);
    const [first] = (JSON.parse(r.stdout) as { intents: { scope: string; counterexamples: Record<string, unknown>[] }[] }).intents;
    expect(first.scope).toBe('all');
    expect(first.counterexamples[0]).toMatchObject(shown);
  });

  const runs = blocksAfter(/<!-- cli-runs -->/).flatMap(({ body }) => body.split('\n').filter((l) => l.startsWith('$ ')));

  test('has commands that only need to run', () => expect(runs.length).toBeGreaterThan(0));

  test.each(runs.map((l) => [l]))('%s runs as the README says', async (line) => {
    expect(line.startsWith('$ npx netproof ')).toBe(true);
    const [command, comment] = line.slice('$ npx netproof '.length).split('  # ');
    const r = await run(command.split(' '));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(Number(/exit (\d)/.exec(comment ?? '')?.[1] ?? 0));
    expect(r.stdout.length).toBeGreaterThan(100);
  });

  test('the set-up block has exactly the two commands .ci/run executes', () => {
    const [setup] = blocksAfter(/<!-- ci:commands -->/);
    expect(setup.body.trim().split('\n')).toEqual(['npm install && npm run synth', 'npm test']);
    expect(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toContain('<!-- ci:commands -->');
  });

  test('the intents file example parses', () => {
    const [block] = blocksAfter(/The intents file:/);
    const intents = parseIntents(block.body, 'README intents');
    expect(intents.map((i) => i.intent.kind)).toEqual(['canReach', 'cannotReach', 'onlyReachableFrom', 'isolated']);
    expect(intents[0].name).toBe('frontend reaches backend');
  });

  test('the cluster model file example parses', () => {
    const [block] = blocksAfter(/### Cluster model file/);
    const { cluster } = parseCluster(block.body, 'README cluster');
    expect(cluster.pods).toEqual([expect.objectContaining({ namespace: 'shop', name: 'frontend', networks: ['default', 'blue-pod-network'] })]);
    expect(cluster.externals.map((e) => e.name)).toEqual(['api.example.com', 'metadata']);
  });
});

describe('README error examples', () => {
  test('are the messages the library gives', () => {
    const flat = README.replace(/\n/g, ' ');
    expect(() => Port.tcp(0)).toThrow(/./);
    try { Port.tcp(0); } catch (e) { expect(flat).toContain(`\`${(e as Error).message}\``); }
    const chart = new PolicyChart(Testing.app(), 'shop', { namespace: 'shop', profile: ClusterProfile.dataplaneV2({ podNetworks: ['blue'] }) });
    let message = '';
    try { new PodNetworkScoped(chart, 'red', { network: 'red' }); } catch (e) { message = (e as Error).message; }
    expect(message).not.toBe('');
    expect(flat).toContain(`\`${message}\``);
    const cluster = new ClusterPolicyChart(Testing.app(), 'cluster');
    let cnpMessage = '';
    try {
      new ClusterNetworkPolicy(cluster, 'from-vpc', {
        tier: ClusterTier.ADMIN, priority: 10, subject: ClusterPods.allNamespaces(), ingress: [ClusterRule.deny([ClusterPeer.networks('10.0.0.0/8')])],
      });
    } catch (e) { cnpMessage = (e as Error).message; }
    expect(cnpMessage).toContain('ClusterNetworkPolicy cluster/from-vpc ingress[0].from[0]: a networks peer in an ingress rule');
    expect(flat).toContain(`\`${cnpMessage}\``);
  });
});

describe('README limits', () => {
  test('state the limits the code has', () => {
    const table = README.split('### Limits')[1].split('\n## ')[0];
    expect(table).toContain(`| ${MAX_INPUT_FILE_BYTES / (1024 * 1024)} MiB |`);
    expect(table).toContain(`past ${LARGE_MATRIX_PAIRS.toLocaleString('en-US')} pairs`);
    expect(table).toContain(`default ${DEFAULT_TIMEOUT_SECONDS} (at most ${MAX_SECONDS})`);
    expect(table).toContain(`| ${MAX_QUOTED} characters quoted`);
    expect(table).toContain(`note | ${SKIPPED_NAMED} |`);
  });
});

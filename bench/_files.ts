/**
 * Input files for the end-to-end benchmarks: a synthetic cluster (see `_generate.ts`) written as the CLI
 * reads it, as a cluster model JSON file (what a script or `kubectl ... -o json` post-processing writes)
 * and the policies as one multi-document block YAML file (the shape `kubectl get -o yaml` and cdk8s write).
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { generate } from './_generate';
import { diffReachability } from '../src/analysis/diff';
import { renderPolicy } from '../src/emit/render';
import { NetworkPolicyModel, RuleModel } from '../src/model/policy';
import { matchesLabels } from '../src/model/selector';

export interface BenchFiles {
  readonly dir: string;
  readonly cluster: string;
  readonly policies: string;
  /** The policies with one changed: a port of an ingress rule of a policy that selects pods (8080 -> 8081). */
  readonly changed: string;
  /** The policies in the reverse order: no reachability change. */
  readonly reordered: string;
  /** 50 intents about the known endpoints (scope existing), and the same with every other one scope all. */
  readonly intentsExisting: string;
  readonly intents: string;
  /** One pod of the cluster, and another: for explain. */
  readonly from: string;
  readonly to: string;
  readonly clusterBytes: number;
  readonly policyBytes: number;
}

/**
 * Writes (once per size and seed) `cluster.json` and `policies.yaml` under `root`: one namespace per 100 pods
 * (1,000 at 100,000 pods, the shape of the issue that asked for these benchmarks).
 */
export function writeBenchFiles(root: string, pods: number, policies: number, seed = 42): BenchFiles {
  const dir = path.join(root, `${pods}-${policies}-${seed}`);
  const file = (name: string) => path.join(dir, name);
  const namespaces = Math.max(5, Math.round(pods / 100));
  const input = generate(pods, policies, seed, 19, namespaces);
  if (!fs.existsSync(file('done'))) {
    fs.mkdirSync(dir, { recursive: true });
    const render = (ps: readonly NetworkPolicyModel[]) => ps.map((p) => stringify(renderPolicy(p), { indentSeq: false })).join('---\n');
    fs.writeFileSync(file('cluster.json'), JSON.stringify(input.cluster));
    fs.writeFileSync(file('policies.yaml'), render(input.policies));
    fs.writeFileSync(file('changed.yaml'), render(withOneChange(input)));
    fs.writeFileSync(file('reordered.yaml'), render([...input.policies].reverse()));
    fs.writeFileSync(file('intents-existing.yaml'), intentsText(namespaces, () => 'existing'));
    fs.writeFileSync(file('intents.yaml'), intentsText(namespaces, (i) => (i % 2 === 0 ? 'all' : 'existing')));
    fs.writeFileSync(file('done'), '');
  }
  const pod = (i: number) => `${input.cluster.pods[i].namespace}/${input.cluster.pods[i].name}`;
  return {
    dir,
    cluster: file('cluster.json'),
    policies: file('policies.yaml'),
    changed: file('changed.yaml'),
    reordered: file('reordered.yaml'),
    intentsExisting: file('intents-existing.yaml'),
    intents: file('intents.yaml'),
    from: pod(1),
    to: pod(Math.floor(input.cluster.pods.length / 2)),
    clusterBytes: fs.statSync(file('cluster.json')).size,
    policyBytes: fs.statSync(file('policies.yaml')).size,
  };
}

/**
 * The policies with one ingress rule on TCP 8080 of a policy that selects pods moved to 8081: the first such
 * change (of the first ten candidates) that changes reachability, as a real one-policy change would.
 */
function withOneChange(input: ReturnType<typeof generate>): NetworkPolicyModel[] {
  const selects = (p: NetworkPolicyModel) => input.cluster.pods
    .some((pod) => pod.namespace === p.namespace && matchesLabels(p.podSelector, pod.labels));
  const on8080 = (r: RuleModel) => r.ports !== 'all' && r.ports.some((e) => e.protocol === 'TCP' && e.port === 8080);
  const moved = (p: NetworkPolicyModel): NetworkPolicyModel => ({
    ...p,
    ingress: p.ingress.map((r) => (on8080(r) && r.ports !== 'all' ? { ...r, ports: r.ports.map((e) => (e.port === 8080 ? { ...e, port: 8081 } : e)) } : r)),
  });
  const candidates = input.policies.map((_, i) => i).filter((i) => input.policies[i].policyTypes.includes('Ingress') && input.policies[i].ingress.some(on8080));
  let fallback: NetworkPolicyModel[] | undefined;
  for (const k of candidates.slice(0, 40)) {
    if (!selects(input.policies[k])) continue;
    const after = input.policies.map((q, i) => (i === k ? moved(q) : q));
    fallback ??= after;
    const diff = diffReachability({ before: input.policies, after, cluster: input.cluster });
    if (diff.gained.length + diff.lost.length > 0) return after;
    if (candidates.indexOf(k) > 10) break;
  }
  return fallback ?? [...input.policies]; // tiny inputs (the start-up rows) do not use it
}

/** 50 intents: onlyFrom, isolation, and allow / deny between apps of two namespaces on TCP 8080. */
function intentsText(namespaces: number, scope: (i: number) => string): string {
  const lines = ['intents:'];
  for (let i = 0; i < 50; i++) {
    const ns = (k: number) => `ns${(i * 37 + k * 11) % namespaces}`;
    const app = (k: number) => `app${(i * 5 + k) % 12}`;
    lines.push(`  - scope: ${scope(i)}`);
    if (i % 5 === 0) {
      lines.push(`    to: {namespace: ${ns(1)}, pods: {app: ${app(1)}}}`, `    onlyFrom: [{namespace: ${ns(1)}}]`);
    } else if (i % 5 === 1) {
      lines.push(`    of: {namespace: ${ns(2)}}`, '    isolated: ingress');
    } else {
      lines.push(`    from: {namespace: ${ns(3)}, pods: {app: ${app(3)}}}`, `    to: {namespace: ${ns(4)}, pods: {app: ${app(4)}}}`,
        '    port: 8080/TCP', `    expect: ${i % 2 === 1 ? 'allow' : 'deny'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

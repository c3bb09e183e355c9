/**
 * Proof benchmark: intents proven over every pod that could exist.
 *   (a) 50 random negative intents (cannotReach, onlyReachableFrom, isIsolated) on the synthetic
 *       10,000-pod / 1,000-policy cluster (bench/_generate.ts), target under 5 s in all;
 *   (b) a cluster whose policies mention 30 label keys with 10 values each, target under 10 s;
 *   (c) the example app's verification (verifyApp: model, intents with proofs, lints), beside the same
 *       app's verification with every intent at scope `existing` (what synth did before proofs).
 * Each row runs in its own child process; the table shows the time, the target and the ratio. Not a test.
 *
 * Run: npm run bench (or npx ts-node --transpile-only --project tsconfig.dev.json bench/proofs.ts)
 */
import { spawnSync } from 'child_process';
import { generate, rng } from './_generate';
import { buildShopApp } from '../examples/shop/main';
import { checkIntents } from '../src/analysis/intents';
import { intentsOf } from '../src/constructs/intents';
import { ClusterModel, PodModel } from '../src/model/cluster';
import { EndpointSetModel, IntentModel } from '../src/model/intent';
import { NetworkPolicyModel, RuleModel } from '../src/model/policy';
import { makeSelector } from '../src/model/selector';
import { withAddressRepresentatives } from '../src/verify/addresses';
import { Verifier } from '../src/verify/verifier';

interface Row { readonly name: string; readonly ms: number; readonly target?: number; readonly detail: string }

function podsIn(ns: string, labels: Record<string, string>, text: string): EndpointSetModel {
  return { kind: 'pods', namespaces: makeSelector({ 'kubernetes.io/metadata.name': ns }), pods: makeSelector(labels), text };
}

function time<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** (a) 50 random negative intents over the 10k-pod / 1k-policy synthetic cluster. */
function synthetic(): Row {
  const { cluster, policies } = generate(10_000, 1_000, 42, 19);
  const r = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const namespaces = Object.keys(cluster.namespaces);
  const apps = Array.from({ length: 12 }, (_, i) => `app${i}`);
  const intents: IntentModel[] = Array.from({ length: 50 }, (_, i) => {
    const a = podsIn(pick(namespaces), { app: pick(apps) }, `set ${i}a`);
    const b = podsIn(pick(namespaces), { app: pick(apps) }, `set ${i}b`);
    const kind = i % 3;
    if (kind === 0) return { kind: 'cannotReach', subject: a, target: b };
    if (kind === 1) return { kind: 'onlyReachableFrom', subject: b, allowedSources: [a] };
    return { kind: 'isolated', subject: a, direction: i % 2 === 0 ? 'ingress' : 'egress' };
  });
  return prove('50 negative intents, 10k pods / 1k policies', cluster, policies, intents, 5000);
}

/**
 * (b) Policies that mention 30 label keys with 10 values each: per namespace a default deny and 30
 * policies, each selecting pods by one key and admitting pods of its namespace by another. The intents
 * hold, so every one is a full proof: nothing but the admitted pods reaches a namespace's pods, and no
 * namespace reaches another.
 */
function wide(): Row {
  const r = rng(11);
  const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
  const value = () => `v${Math.floor(r() * 10)}`;
  const namespaces = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`ns${i}`, { team: `t${i % 3}` }]));
  const pods: PodModel[] = [];
  for (let i = 0; i < 2000; i++) {
    const labels: Record<string, string> = {};
    for (let j = 0; j < 4; j++) labels[keys[Math.floor(r() * 30)]] = value();
    pods.push({ namespace: `ns${i % 10}`, name: `p${i}`, labels, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], networks: ['default'] });
  }
  const policies: NetworkPolicyModel[] = [];
  const peersOf = new Map<string, ReturnType<typeof makeSelector>[]>();
  for (let n = 0; n < 10; n++) {
    const namespace = `ns${n}`;
    policies.push({ kind: 'NetworkPolicy', name: 'default-deny', namespace, labels: {}, annotations: {}, podSelector: makeSelector(), policyTypes: ['Ingress'], ingress: [], egress: [] });
    for (let i = 0; i < 30; i++) {
      const from = makeSelector({ [keys[(i * 7 + n) % 30]]: value() });
      peersOf.set(namespace, [...(peersOf.get(namespace) ?? []), from]);
      const rule: RuleModel = { peers: [{ kind: 'pods', namespaces: { kind: 'own' }, pods: from }], ports: [{ protocol: 'TCP', port: 8080 }] };
      policies.push({
        kind: 'NetworkPolicy',
        name: `allow-${i}`,
        namespace,
        labels: {},
        annotations: {},
        podSelector: makeSelector({ [keys[i]]: value() }),
        policyTypes: ['Ingress'],
        ingress: [rule],
        egress: [],
      });
    }
  }
  const intents: IntentModel[] = [];
  for (let n = 0; n < 10; n++) {
    const ns = `ns${n}`;
    const sources = peersOf.get(ns)!.map((peer, i): EndpointSetModel => ({
      kind: 'pods', namespaces: makeSelector({ 'kubernetes.io/metadata.name': ns }), pods: peer, text: `peer ${i}`,
    }));
    intents.push({ kind: 'onlyReachableFrom', subject: podsIn(ns, { [keys[n]]: value() }, `targets ${n}`), allowedSources: sources });
    intents.push({ kind: 'cannotReach', subject: podsIn(ns, { [keys[29 - n]]: value() }, `a${n}`), target: podsIn(`ns${(n + 3) % 10}`, {}, `b${n}`) });
  }
  return prove('20 intents, 30 label keys x 10 values, 310 policies', { namespaces, pods, externals: [] }, policies, intents, 10000);
}

function prove(name: string, cluster: ClusterModel, policies: NetworkPolicyModel[], intents: IntentModel[], target: number): Row {
  const known = withAddressRepresentatives(cluster, policies);
  const { value: results, ms } = time(() => {
    const verifier = new Verifier({ policies, cluster: known, dataplane: 'upstream' });
    return checkIntents({ verifier, cluster: known, policies, dataplane: 'upstream' }, intents);
  });
  const violated = results.filter((x) => !x.holds).length;
  const hypothetical = results.filter((x) => x.counterexamples.some((c) => c.fromPod || c.toPod || c.pod)).length;
  return { name, ms, target, detail: `${results.length - violated} hold, ${violated} violated (${hypothetical} by a pod that could exist)` };
}

/**
 * (c) The example app: with proofs, and with every intent about the existing workloads only. The two are
 * measured alternately in one process (warm-up first) so that machine noise falls on both alike.
 */
function example(): Row[] {
  const runs: Record<'all' | 'existing', number[]> = { all: [], existing: [] };
  for (let i = 0; i < 25; i++) {
    for (const scope of ['existing', 'all'] as const) {
      const app = buildShopApp();
      if (scope === 'existing') for (const intent of intentsOf(app)) (intent as { scope?: string }).scope = 'existing';
      const ms = time(() => app.synthYaml()).ms;
      if (i >= 5) runs[scope].push(ms);
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (scope: 'all' | 'existing', which: string): Row => ({
    name: `example app synth (app.synthYaml: model, intents, lints, YAML), ${which}`, ms: median(runs[scope]), detail: 'median of 20 after 5 warm-ups',
  });
  return [row('existing', 'every intent at scope existing'), row('all', 'intents as stated (proofs)')];
}

function main(): void {
  const one = process.argv.indexOf('--one');
  if (one >= 0) {
    const which = process.argv[one + 1];
    const rows = which === 'synthetic' ? [synthetic()] : which === 'wide' ? [wide()] : example();
    process.stdout.write(JSON.stringify(rows));
    return;
  }
  const rows: Row[] = [];
  for (const which of ['synthetic', 'wide', 'example']) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', which], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 20 });
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      throw new Error(`bench ${which} failed with status ${child.status}`);
    }
    rows.push(...(JSON.parse(child.stdout) as Row[]));
  }
  const base = rows[2].ms;
  const lines = ['Proofs:', '', '| case | time ms | target ms | ratio | result |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const target = row.target ?? (row === rows[3] ? base * 1.25 : undefined);
    const ratio = target === undefined ? '' : (row.ms / target).toFixed(2);
    lines.push(`| ${row.name} | ${row.ms.toFixed(0)} | ${target === undefined ? '' : target.toFixed(0)} | ${ratio} | ${row.detail} |`);
  }
  lines.push('', 'A ratio at or below 1 meets the target; the example\'s target is 1.25x its verification about existing workloads.');
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main();

/**
 * ClusterNetworkPolicy benchmark: `reach` (the verifier built, one port's all-pairs matrix and its summary)
 * on the synthetic 10,000-pod / 1,000-policy cluster (bench/_generate.ts), with and without 100 seeded
 * ClusterNetworkPolicies in both tiers (namespace and pod subjects; namespaces, pods and networks peers;
 * Accept, Deny and Pass; ports, ranges and named ports). Target: the tiers add at most 30%. The two are
 * measured alternately in one process after a warm-up, so that machine noise falls on both alike.
 *
 * Run: npm run bench (or npx ts-node --transpile-only --project tsconfig.dev.json bench/tiers.ts)
 */
import { generate, rng } from './_generate';
import { ClusterNetworkPolicyModel, CnpPeerModel, CnpProtocolModel, CnpRuleModel, PolicyModel } from '../src/model/policy';
import { makeSelector } from '../src/model/selector';
import { Verifier } from '../src/verify/verifier';

const TEAMS = ['t0', 't1', 't2', 't3', 't4'];
const APPS = Array.from({ length: 12 }, (_, i) => `app${i}`);

/** 100 ClusterNetworkPolicies, priorities distinct within each tier (equal ones that overlap are refused). */
function clusterPolicies(count: number, namespaces: readonly string[]): ClusterNetworkPolicyModel[] {
  const r = rng(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const peer = (egress: boolean): CnpPeerModel => {
    const x = r();
    if (x < 0.35) return { kind: 'pods', namespaces: makeSelector({ team: pick(TEAMS) }) };
    if (x < 0.6) return { kind: 'pods', namespaces: makeSelector({ 'kubernetes.io/metadata.name': pick(namespaces) }), pods: makeSelector({ app: pick(APPS) }) };
    if (x < 0.8 || !egress) return { kind: 'pods', namespaces: makeSelector(), pods: makeSelector({ app: pick(APPS) }) };
    return { kind: 'networks', cidrs: [pick(['10.0.0.0/16', '203.0.113.0/24', '0.0.0.0/0', '169.254.169.254/32'])] };
  };
  const protocols = (): CnpRuleModel['protocols'] => {
    const x = r();
    if (x < 0.3) return 'all';
    const one: CnpProtocolModel = x < 0.6 ? { protocol: 'TCP', port: pick([80, 443, 8080, 9090]) }
      : x < 0.8 ? { protocol: 'TCP', port: 8000, endPort: 8100 } : { namedPort: pick(['http', 'grpc', 'metrics']) };
    return [one];
  };
  const rules = (egress: boolean): CnpRuleModel[] => Array.from({ length: 1 + Math.floor(r() * 3) }, (): CnpRuleModel => {
    const peers = Array.from({ length: 1 + Math.floor(r() * 2) }, () => peer(egress));
    const p = protocols();
    // A named port cannot go with networks peers (the CRD's rule).
    const named = p !== 'all' && p.some((e) => 'namedPort' in e);
    return { name: '', action: pick(['Accept', 'Deny', 'Pass'] as const), peers: named ? peers.filter((x) => x.kind !== 'networks') : peers, protocols: p };
  }).map((rule) => (rule.peers.length > 0 ? rule : { ...rule, peers: [{ kind: 'pods', namespaces: makeSelector() }] }));
  return Array.from({ length: count }, (_, i): ClusterNetworkPolicyModel => ({
    kind: 'ClusterNetworkPolicy',
    name: `cnp${i}`,
    labels: {},
    annotations: {},
    tier: i % 2 === 0 ? 'Admin' : 'Baseline',
    priority: Math.floor(i / 2),
    subject: r() < 0.6
      ? { namespaces: makeSelector({ team: pick(TEAMS) }) }
      : { namespaces: makeSelector(), pods: makeSelector({ app: pick(APPS) }) },
    ingress: rules(false),
    egress: rules(true),
  }));
}

function reachMs(policies: readonly PolicyModel[], cluster: ReturnType<typeof generate>['cluster']): { ms: number; allowed: number } {
  const t0 = performance.now();
  const verifier = new Verifier({ policies, cluster, dataplane: 'upstream' });
  const summary = verifier.reach({ port: 8080, protocol: 'TCP' }).summary();
  const ms = performance.now() - t0;
  return { ms, allowed: summary.reduce((n, row) => n + row.allowed, 0) };
}

function main(): void {
  const { cluster, policies } = generate(10_000, 1_000, 42, 19);
  const cnps = clusterPolicies(100, Object.keys(cluster.namespaces));
  const runs: Record<'without' | 'with', number[]> = { without: [], with: [] };
  const allowed: Record<'without' | 'with', number> = { without: 0, with: 0 };
  for (let i = 0; i < 13; i++) {
    for (const which of ['without', 'with'] as const) {
      const r = reachMs(which === 'with' ? [...policies, ...cnps] : policies, cluster);
      allowed[which] = r.allowed;
      if (i >= 3) runs[which].push(r.ms);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(runs.without);
  const tiers = median(runs.with);
  const target = base * 1.3;
  const lines = [
    'ClusterNetworkPolicy tiers:', '',
    '| case | time ms | target ms | ratio | result |', '| --- | --- | --- | --- | --- |',
    `| reach TCP 8080 + summary, 10k pods / 1k NetworkPolicies | ${base.toFixed(0)} |  |  | ${allowed.without} allowed pairs; median of 10 after 3 warm-ups |`,
    `| the same with 100 ClusterNetworkPolicies (Admin and Baseline) | ${tiers.toFixed(0)} | ${target.toFixed(0)} | ${(tiers / target).toFixed(2)} | ${allowed.with} allowed pairs |`,
    '', 'A ratio at or below 1 meets the target: the tiers add at most 30% to reach.',
  ];
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main();

/**
 * Property tests: on random valid clusters and policies covering every feature, the class-based matrix,
 * its summary, and explain (verdicts and reasons) agree with the naive per-pod evaluator.
 */
import * as fc from 'fast-check';
import { naiveExplain, NaiveEndpoint } from './_naive';
import { ClusterModel, Dataplane, ExternalModel, PodModel } from '../../src/model/cluster';
import { FqdnPolicyModel, NetworkPolicyModel, PeerModel, PolicyModel, PolicyType, RuleModel } from '../../src/model/policy';
import { PortModel, Protocol } from '../../src/model/port';
import { LabelRequirementModel, LabelSelectorModel, makeSelector } from '../../src/model/selector';
import { RuleRef } from '../../src/verify/api';
import { Verifier } from '../../src/verify/verifier';

const NAMESPACES = ['x', 'y', 'z'];
const POD_VOCAB: Record<string, string[]> = { app: ['a', 'b', 'c'], tier: ['f', 'b'], v: ['1'] };
const NS_VOCAB: Record<string, string[]> = { env: ['a', 'b'], team: ['p'] };
const POD_IPS = ['10.0.0.1', '10.0.0.2', '10.0.1.1', '10.1.0.1', 'fd00::1', 'fd00::5', '2001:db8::1'];
const EXT_IPS = ['203.0.113.1', '203.0.113.2', '10.0.0.9', '169.254.169.254', '2001:db8::9', 'fd00::9'];
const HOSTNAMES = ['api.example.com', 'a.b.example.com', 'Example.com.', 'www.example.org'];
const BLOCKS: { cidr: string; except: string[] }[] = [
  { cidr: '10.0.0.0/16', except: ['10.0.0.0/24'] }, { cidr: '10.0.0.0/8', except: [] }, { cidr: '0.0.0.0/0', except: ['10.0.1.0/24'] },
  { cidr: '203.0.113.0/24', except: ['203.0.113.2/32'] }, { cidr: 'fd00::/64', except: ['fd00::/126'] }, { cidr: '::/0', except: [] },
  { cidr: '2001:db8::/32', except: [] }, { cidr: '10.0.0.1/32', except: [] },
];
const CONTAINER_PORTS = [
  { name: 'http', port: 80, protocol: 'TCP' as Protocol }, { name: 'http', port: 81, protocol: 'TCP' as Protocol },
  { name: 'dns', port: 53, protocol: 'UDP' as Protocol }, { name: 'sig', port: 80, protocol: 'SCTP' as Protocol },
  { name: 'web', port: 80, protocol: 'TCP' as Protocol }, { port: 81, protocol: 'UDP' as Protocol },
];
const FQDN_MATCHES = [{ name: 'api.example.com' }, { name: 'EXAMPLE.com' }, { pattern: '*.example.com' }, { pattern: '*.b.example.com' }, { pattern: 'a*.example.com' }, { pattern: '*.*.com' }];
const NETWORKS = ['default', 'blue'];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

const labelsArb = (vocab: Record<string, string[]>) => fc.record(
  Object.fromEntries(Object.entries(vocab).map(([k, vs]) => [k, fc.constantFrom(...vs)])),
  { requiredKeys: [] },
).map((r) => r as Record<string, string>);

const selectorArb = (vocab: Record<string, string[]>): fc.Arbitrary<LabelSelectorModel> => {
  const keys = Object.keys(vocab);
  const values = (k: string) => [...vocab[k], 'zz'];
  const req: fc.Arbitrary<LabelRequirementModel> = fc.constantFrom(...keys).chain((key) => fc.oneof(
    fc.record({ key: fc.constant(key), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.subarray(values(key), { minLength: 1 }) }),
    fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant([] as string[]) }),
  ));
  return fc.tuple(labelsArb(Object.fromEntries(keys.map((k) => [k, values(k)]))), fc.array(req, { maxLength: 2 }))
    .map(([ml, exprs]) => makeSelector(ml, exprs));
};

const sparseSelector = (vocab: Record<string, string[]>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(makeSelector()) }, { weight: 3, arbitrary: selectorArb(vocab) });

const peerArb: fc.Arbitrary<PeerModel> = fc.oneof(
  sparseSelector(POD_VOCAB).map((pods) => ({ kind: 'pods' as const, namespaces: { kind: 'own' as const }, pods })),
  fc.tuple(sparseSelector(NS_VOCAB), sparseSelector(POD_VOCAB)).map(([ns, pods]) => ({ kind: 'pods' as const, namespaces: { kind: 'selector' as const, selector: ns }, pods })),
  fc.constantFrom(...BLOCKS).map((b) => ({ kind: 'ipBlock' as const, cidr: b.cidr, except: b.except })),
);

const portArb: fc.Arbitrary<PortModel> = fc.tuple(
  fc.constantFrom(...PROTOCOLS),
  fc.oneof(fc.constant(undefined), fc.constantFrom(53, 80, 81, 443), fc.constantFrom('http', 'dns', 'sig', 'web'), fc.constantFrom([80, 81] as const, [53, 80] as const)),
).map(([protocol, p]) => {
  if (p === undefined) return { protocol };
  if (Array.isArray(p)) return { protocol, port: p[0], endPort: p[1] };
  return { protocol, port: p as number | string };
});

const portsArb = fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 3, arbitrary: fc.array(portArb, { minLength: 1, maxLength: 3 }) });

const ruleArb: fc.Arbitrary<RuleModel> = fc.record({
  peers: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 4, arbitrary: fc.array(peerArb, { minLength: 1, maxLength: 3 }) }),
  ports: portsArb,
});

const npArb = (i: number): fc.Arbitrary<NetworkPolicyModel> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: sparseSelector(POD_VOCAB),
  types: fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(ruleArb, { maxLength: 2 }),
  egress: fc.array(ruleArb, { maxLength: 2 }),
  network: fc.constantFrom(undefined, undefined, 'default', 'blue', 'green'),
}).map((r) => ({
  kind: 'NetworkPolicy' as const,
  name: `np${i}`,
  namespace: r.namespace,
  ...(r.network !== undefined ? { network: r.network } : {}),
  labels: {},
  annotations: {},
  podSelector: r.podSelector,
  policyTypes: r.types,
  ingress: r.ingress,
  egress: r.egress,
}));

const fqdnArb = (i: number): fc.Arbitrary<FqdnPolicyModel> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: sparseSelector(POD_VOCAB),
  egress: fc.array(fc.record({ matches: fc.subarray(FQDN_MATCHES, { minLength: 1, maxLength: 2 }), ports: portsArb }), { maxLength: 2 }),
}).map((r) => ({ kind: 'FQDNNetworkPolicy' as const, name: `fq${i}`, labels: {}, annotations: {}, ...r }));

const podArb = (i: number): fc.Arbitrary<PodModel> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels: labelsArb(POD_VOCAB),
  ip: fc.option(fc.constantFrom(...POD_IPS), { nil: undefined, freq: 5 }),
  ports: fc.subarray(CONTAINER_PORTS, { maxLength: 3 }),
  networks: fc.subarray(NETWORKS, { minLength: 1 }),
}).map((r) => ({ name: `p${i}`, ...r }));

const externalArb = (i: number): fc.Arbitrary<ExternalModel> => fc.record({
  ip: fc.constantFrom(...EXT_IPS),
  hostname: fc.option(fc.constantFrom(...HOSTNAMES), { nil: undefined }),
}).map((r) => (r.hostname === undefined ? { name: `ext${i}`, ip: r.ip } : { name: `ext${i}`, ip: r.ip, hostname: r.hostname }));

const indexed = <T>(arb: (i: number) => fc.Arbitrary<T>, min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arb(i))) as fc.Arbitrary<T[]>);

interface Scenario {
  cluster: ClusterModel;
  policies: PolicyModel[];
  dataplane: Dataplane;
  flows: { port: number; protocol: Protocol; network: string }[];
}

const scenarioArb = (maxPods: number, maxPolicies: number): fc.Arbitrary<Scenario> => fc.record({
  nsLabels: fc.tuple(...NAMESPACES.map(() => labelsArb(NS_VOCAB))),
  pods: indexed(podArb, 1, maxPods),
  externals: indexed(externalArb, 0, 3),
  dataplane: fc.constantFrom<Dataplane>('upstream', 'calico', 'dataplane-v2'),
  nps: indexed(npArb, 0, maxPolicies),
  fqdns: indexed(fqdnArb, 0, 2),
  flows: fc.array(fc.record({
    port: fc.constantFrom(1, 53, 79, 80, 81, 82, 443, 9000, 65535),
    protocol: fc.constantFrom(...PROTOCOLS),
    network: fc.constantFrom(...NETWORKS),
  }), { minLength: 1, maxLength: 3 }),
}).map((r) => ({
  cluster: {
    // `z` is left out of the namespace list on purpose: its labels are only the implied name label.
    namespaces: { x: r.nsLabels[0], y: r.nsLabels[1] },
    pods: r.pods,
    externals: r.externals,
  },
  policies: r.dataplane === 'dataplane-v2' ? [...r.nps, ...r.fqdns] : r.nps,
  dataplane: r.dataplane,
  flows: r.flows,
}));

const refKey = (r: RuleRef) => `${r.policy.kind}:${r.policy.namespace}/${r.policy.name}|${r.ruleIndex}|${r.peerIndex ?? '-'}|${r.portIndex ?? '-'}`;

function check(s: Scenario): void {
  const v = new Verifier({ policies: s.policies, cluster: s.cluster, dataplane: s.dataplane });
  for (const flow of s.flows) {
    const m = v.reach(flow);
    const interval = v.portIntervals(flow.protocol).find(([first, last]) => first <= flow.port && flow.port <= last)!;
    const twinPort = interval[0] === flow.port ? interval[1] : interval[0];
    const naiveEndpoints: NaiveEndpoint[] = m.endpoints.map((e) => e.kind === 'pod' ? { kind: 'pod', pod: e.pod }
      : { kind: 'external', name: e.external.name, ip: e.external.ip, hostname: e.external.hostname });
    expect(m.endpoints.filter((e) => e.kind === 'pod').length).toBe(s.cluster.pods.filter((p) => p.networks.includes(flow.network)).length);
    const counts = new Map<string, { allowed: number; denied: number }>();
    const group = (e: NaiveEndpoint) => e.kind === 'pod' ? e.pod.namespace : '(externals)';
    for (let i = 0; i < m.endpoints.length; i++) {
      for (let j = 0; j < m.endpoints.length; j++) {
        const a = naiveEndpoints[i];
        const b = naiveEndpoints[j];
        if (a.kind === 'external' && b.kind === 'external') {
          expect(m.allowed(i, j)).toBe(false);
          continue;
        }
        const naive = naiveExplain(s.policies, s.cluster, s.dataplane, a, b, flow);
        // Every port of the flow's interval behaves alike (the naive evaluator knows nothing of intervals).
        const twin = naiveExplain(s.policies, s.cluster, s.dataplane, a, b, { ...flow, port: twinPort }).allowed;
        const where = `${m.endpoints[i].id} -> ${m.endpoints[j].id} ${flow.protocol}/${flow.port} on ${flow.network}`;
        expect({ where, allowed: m.allowed(i, j), twin }).toEqual({ where, allowed: naive.allowed, twin: naive.allowed });
        const verdict = v.explain(m.endpoints[i].id, m.endpoints[j].id, flow);
        expect({
          where,
          allowed: verdict.allowed,
          loopback: verdict.special === 'loopback',
          egress: { isolatedBy: verdict.egress.isolatedBy.map((p) => `${p.kind}:${p.namespace}/${p.name}`), allowedBy: verdict.egress.allowedBy.map(refKey), allowed: verdict.egress.allowed },
          ingress: { isolatedBy: verdict.ingress.isolatedBy.map((p) => `${p.kind}:${p.namespace}/${p.name}`), allowedBy: verdict.ingress.allowedBy.map(refKey), allowed: verdict.ingress.allowed },
        }).toEqual({ where, ...naive });
        const key = `${group(a)}|${group(b)}`;
        const c = counts.get(key) ?? { allowed: 0, denied: 0 };
        if (naive.allowed) c.allowed++; else c.denied++;
        counts.set(key, c);
      }
    }
    const summary = new Map(m.summary().map((r) => [`${r.from}|${r.to}`, { allowed: r.allowed, denied: r.denied }]));
    expect(summary).toEqual(counts);
  }
}

describe('engine agrees with the naive evaluator', () => {
  test('small clusters, every feature (matrix, summary, explain with reasons)', () => {
    fc.assert(fc.property(scenarioArb(6, 4), (s) => check(s)), { numRuns: 2500, seed: 20261122 });
  });

  test('larger clusters with many pods per class', () => {
    fc.assert(fc.property(scenarioArb(24, 8), (s) => check(s)), { numRuns: 200, seed: 7 });
  });

  test('unseeded runs (a fresh sample every CI run)', () => {
    fc.assert(fc.property(scenarioArb(8, 5), (s) => check(s)), { numRuns: 500 });
  });
});

describe('determinism', () => {
  /** The matrix as `from>to` ids of allowed pairs, and the summary: what a user sees. */
  const observe = (s: Scenario, flow: Scenario['flows'][number]) => {
    const m = new Verifier({ policies: s.policies, cluster: s.cluster, dataplane: s.dataplane }).reach(flow);
    const allowed: string[] = [];
    m.endpoints.forEach((a, i) => m.endpoints.forEach((b, j) => { if (m.allowed(i, j)) allowed.push(`${a.id}>${b.id}`); }));
    return { endpoints: m.endpoints.map((e) => e.id), allowed, summary: m.summary() };
  };

  test('the order of pods, externals and namespaces in the input does not change the result', () => {
    fc.assert(fc.property(scenarioArb(10, 5), fc.infiniteStream(fc.nat()), (s, rand) => {
      const shuffle = <T>(xs: readonly T[]): T[] => {
        const out = [...xs];
        for (let i = out.length - 1; i > 0; i--) {
          const j = rand.next().value % (i + 1);
          [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
      };
      const namespaces = Object.fromEntries(shuffle(Object.entries(s.cluster.namespaces)));
      const shuffled: Scenario = { ...s, cluster: { namespaces, pods: shuffle(s.cluster.pods), externals: shuffle(s.cluster.externals) } };
      for (const flow of s.flows) expect(observe(shuffled, flow)).toEqual(observe(s, flow));
    }), { numRuns: 300, seed: 11 });
  });
});

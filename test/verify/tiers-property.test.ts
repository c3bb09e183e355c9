/**
 * Property tests for ClusterNetworkPolicy tiers: on random clusters with NetworkPolicies and Admin and
 * Baseline ClusterNetworkPolicies (every peer kind, named ports, ranges, unknown peers), the class engine's
 * matrix and explain (verdict and deciding tier) agree with the naive tiered evaluator. Equal priorities:
 * when the verifier reports no overlap, the answer does not depend on the order of the two policies;
 * when it reports one, both policies' rules really match the traffic it names.
 */
import * as fc from 'fast-check';
import { naiveExplain, NaiveEndpoint } from './_naive';
import { NetproofError } from '../../src/errors';
import { ClusterModel, Dataplane, ExternalModel, NodeModel, PodModel } from '../../src/model/cluster';
import {
  ClusterNetworkPolicyModel, CnpPeerModel, CnpProtocolModel, CnpRuleModel, NetworkPolicyModel, PeerModel, PolicyModel, PolicyType, RuleModel,
} from '../../src/model/policy';
import { Protocol } from '../../src/model/port';
import { LabelSelectorModel, makeSelector } from '../../src/model/selector';
import { SideVerdict } from '../../src/verify/api';
import { Verifier } from '../../src/verify/verifier';

const NAMESPACES = ['x', 'y', 'z'];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP'];
const POD_IPS = ['10.0.0.1', '10.0.0.2', '10.0.1.1', 'fd00::1'];
const EXT_IPS = ['203.0.113.1', '10.0.0.9', '10.128.0.5', 'fd00::9'];
const HOSTNAMES = ['api.example.com', 'a.b.example.com', 'example.com'];
const NODES: NodeModel[] = [
  { name: 'n1', labels: { pool: 'a' }, ips: ['10.128.0.5'] },
  { name: 'n2', labels: { pool: 'b' }, ips: ['10.128.0.6', 'fd00::9'] },
];
const CONTAINER_PORTS = [
  { name: 'http', port: 80, protocol: 'TCP' as Protocol }, { name: 'http', port: 81, protocol: 'TCP' as Protocol },
  { name: 'dns', port: 53, protocol: 'UDP' as Protocol },
];

const selectorOf = (key: string, values: string[]): fc.Arbitrary<LabelSelectorModel> => fc.oneof(
  { weight: 2, arbitrary: fc.constant(makeSelector()) },
  { weight: 2, arbitrary: fc.constantFrom(...values).map((v) => makeSelector({ [key]: v })) },
  { weight: 1, arbitrary: fc.constantFrom(...values).map((v) => makeSelector({}, [{ key, operator: 'NotIn', values: [v] }])) },
  { weight: 1, arbitrary: fc.constant(makeSelector({}, [{ key, operator: 'Exists', values: [] }])) },
);
const podSel = selectorOf('app', ['a', 'b']);
const nsSel = fc.oneof(selectorOf('env', ['p', 'q']), fc.constantFrom(...NAMESPACES).map((n) => makeSelector({ 'kubernetes.io/metadata.name': n })));

const cnpPeer = (egress: boolean): fc.Arbitrary<CnpPeerModel> => fc.oneof(
  { weight: 3, arbitrary: nsSel.map((namespaces): CnpPeerModel => ({ kind: 'pods', namespaces })) },
  { weight: 3, arbitrary: fc.tuple(nsSel, podSel).map(([namespaces, pods]): CnpPeerModel => ({ kind: 'pods', namespaces, pods })) },
  { weight: 1, arbitrary: fc.constant<CnpPeerModel>({ kind: 'unknown', fields: ['services'] }) },
  ...(egress ? [
    { weight: 2, arbitrary: fc.subarray(['10.0.0.0/24', '0.0.0.0/0', '203.0.113.0/24', 'fd00::/64'], { minLength: 1 }).map((cidrs): CnpPeerModel => ({ kind: 'networks', cidrs })) },
    { weight: 1, arbitrary: selectorOf('pool', ['a', 'b']).map((s): CnpPeerModel => ({ kind: 'nodes', selector: s })) },
  ] : []),
);

const protocolArb: fc.Arbitrary<CnpProtocolModel> = fc.oneof(
  fc.tuple(fc.constantFrom(...PROTOCOLS), fc.constantFrom(53, 80, 443)).map(([protocol, port]): CnpProtocolModel => ({ protocol, port })),
  fc.constantFrom<CnpProtocolModel>({ protocol: 'TCP', port: 80, endPort: 81 }, { protocol: 'UDP', port: 1, endPort: 100 }),
  fc.constantFrom<CnpProtocolModel>({ namedPort: 'http' }, { namedPort: 'dns' }),
);

const cnpRule = (egress: boolean, action: fc.Arbitrary<CnpRuleModel['action']>): fc.Arbitrary<CnpRuleModel> => fc.record({
  action,
  peers: fc.array(cnpPeer(egress), { minLength: 1, maxLength: 2 }),
  protocols: fc.oneof({ weight: 2, arbitrary: fc.constant('all' as const) }, { weight: 3, arbitrary: fc.array(protocolArb, { minLength: 1, maxLength: 2 }) }),
}).map((r) => {
  // A rule with networks or nodes peers has no named ports (the API's rule); domain names need Accept.
  const named = r.protocols !== 'all' && r.protocols.some((p) => 'namedPort' in p);
  const peers = named ? r.peers.filter((p) => p.kind !== 'networks' && p.kind !== 'nodes') : r.peers;
  return { name: '', action: r.action, peers: peers.length > 0 ? peers : [{ kind: 'pods', namespaces: makeSelector() }], protocols: r.protocols };
});

const actionArb = fc.constantFrom<CnpRuleModel['action']>('Accept', 'Deny', 'Pass');

const cnpArb = (i: number): fc.Arbitrary<ClusterNetworkPolicyModel> => fc.record({
  tier: fc.constantFrom<'Admin' | 'Baseline'>('Admin', 'Baseline'),
  priority: fc.constantFrom(1, 2, 3, 4, 5),
  subject: fc.oneof(nsSel.map((namespaces) => ({ namespaces })), fc.tuple(nsSel, podSel).map(([namespaces, pods]) => ({ namespaces, pods }))),
  ingress: fc.array(cnpRule(false, actionArb), { maxLength: 2 }),
  egress: fc.array(cnpRule(true, actionArb), { maxLength: 2 }),
}).map((r) => ({ kind: 'ClusterNetworkPolicy' as const, name: `cnp${i}`, labels: {}, annotations: {}, ...r }));

const npPeer: fc.Arbitrary<PeerModel> = fc.oneof(
  podSel.map((pods): PeerModel => ({ kind: 'pods', namespaces: { kind: 'own' }, pods })),
  fc.tuple(nsSel, podSel).map(([selector, pods]): PeerModel => ({ kind: 'pods', namespaces: { kind: 'selector', selector }, pods })),
);
const npRule: fc.Arbitrary<RuleModel> = fc.record({
  peers: fc.oneof(fc.constant('all' as const), fc.array(npPeer, { minLength: 1, maxLength: 2 })),
  ports: fc.oneof(fc.constant('all' as const), fc.constant([{ protocol: 'TCP' as Protocol, port: 80 }])),
});
const npArb = (i: number): fc.Arbitrary<NetworkPolicyModel> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: podSel,
  types: fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(npRule, { maxLength: 1 }),
  egress: fc.array(npRule, { maxLength: 1 }),
}).map((r) => ({
  kind: 'NetworkPolicy' as const,
  name: `np${i}`,
  namespace: r.namespace,
  labels: {},
  annotations: {},
  podSelector: r.podSelector,
  policyTypes: r.types,
  ingress: r.types.includes('Ingress') ? r.ingress : [],
  egress: r.types.includes('Egress') ? r.egress : [],
}));

const podArb = (i: number): fc.Arbitrary<PodModel> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.constantFrom(undefined, 'a', 'b'),
  ip: fc.option(fc.constantFrom(...POD_IPS), { nil: undefined, freq: 4 }),
  ports: fc.subarray(CONTAINER_PORTS, { maxLength: 2 }),
}).map((r): PodModel => ({
  name: `p${i}`, namespace: r.namespace, labels: r.app ? { app: r.app } : {}, ports: r.ports, networks: ['default'], ...(r.ip ? { ip: r.ip } : {}),
}));

const externalArb = (i: number): fc.Arbitrary<ExternalModel> => fc.record({
  ip: fc.constantFrom(...EXT_IPS),
  hostname: fc.option(fc.constantFrom(...HOSTNAMES), { nil: undefined }),
}).map((r) => ({ name: `ext${i}`, ip: r.ip, ...(r.hostname ? { hostname: r.hostname } : {}) }));

const indexed = <T>(arb: (i: number) => fc.Arbitrary<T>, min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arb(i))) as fc.Arbitrary<T[]>);

interface Scenario {
  cluster: ClusterModel;
  policies: PolicyModel[];
  dataplane: Dataplane;
  flows: { port: number; protocol: Protocol; network: string }[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  env: fc.tuple(fc.constantFrom('p', 'q', undefined), fc.constantFrom('p', 'q', undefined)),
  pods: indexed(podArb, 1, 6),
  externals: indexed(externalArb, 0, 3),
  nps: indexed(npArb, 0, 2),
  cnps: indexed(cnpArb, 1, 4),
  dataplane: fc.constantFrom<Dataplane>('upstream', 'calico', 'dataplane-v2'),
  flows: fc.array(fc.record({ port: fc.constantFrom(1, 53, 80, 81, 443), protocol: fc.constantFrom(...PROTOCOLS), network: fc.constant('default') }), { minLength: 1, maxLength: 2 }),
}).map((r): Scenario => ({
  cluster: {
    namespaces: { x: r.env[0] ? { env: r.env[0] } : {}, y: r.env[1] ? { env: r.env[1] } : {} } as Record<string, Record<string, string>>,
    pods: r.pods,
    externals: r.externals.filter((e, i) => r.externals.findIndex((o) => o.ip === e.ip) === i),
    nodes: NODES,
  },
  policies: [...r.nps, ...r.cnps],
  dataplane: r.dataplane,
  flows: r.flows,
}));

const decidedBy = (side: SideVerdict): string | undefined => {
  if (side.decidedBy === 'Admin' || side.decidedBy === 'Baseline') {
    const step = side.tiers![side.tiers!.length - 1] as { tier: string; rule: { policy: { name: string }; ruleIndex: number } };
    return `${side.decidedBy}:cnp/${step.rule.policy.name}|${step.rule.ruleIndex}`;
  }
  return side.decidedBy;
};

const endpointsOf = (m: ReturnType<Verifier['reach']>): NaiveEndpoint[] => m.endpoints.map((e) => (e.kind === 'pod' ? { kind: 'pod', pod: e.pod }
  : { kind: 'external', name: e.external.name, ip: e.external.ip, hostname: e.external.hostname }));

function check(s: Scenario): 'checked' | 'overlap' {
  const v = new Verifier({ policies: s.policies, cluster: s.cluster, dataplane: s.dataplane });
  let m: ReturnType<Verifier['reach']>;
  try {
    m = v.reach(s.flows[0]);
  } catch (e) {
    if (!(e instanceof NetproofError) || !/are both in the (Admin|Baseline) tier/.test(e.message)) throw e;
    return 'overlap';
  }
  for (const flow of s.flows) {
    m = v.reach(flow);
    const eps = endpointsOf(m);
    for (let i = 0; i < eps.length; i++) {
      for (let j = 0; j < eps.length; j++) {
        if (eps[i].kind === 'external' && eps[j].kind === 'external') continue;
        const naive = naiveExplain(s.policies, s.cluster, s.dataplane, eps[i], eps[j], flow);
        const where = `${m.endpoints[i].id} -> ${m.endpoints[j].id} ${flow.protocol}/${flow.port}`;
        const verdict = v.explain(m.endpoints[i].id, m.endpoints[j].id, flow);
        expect({ where, matrix: m.allowed(i, j), explain: verdict.allowed, egress: decidedBy(verdict.egress), ingress: decidedBy(verdict.ingress) })
          .toEqual({ where, matrix: naive.allowed, explain: naive.allowed, egress: naive.egress.decidedBy, ingress: naive.ingress.decidedBy });
      }
    }
  }
  // No overlap was reported: swapping the names of equal-priority policies (their order) changes nothing.
  const renamed = s.policies.map((p) => (p.kind === 'ClusterNetworkPolicy' ? { ...p, name: `cnp${9 - Number(p.name.slice(3))}` } : p));
  for (const flow of s.flows) {
    const eps = endpointsOf(v.reach(flow));
    for (const a of eps) {
      for (const b of eps) {
        if (a.kind === 'external' && b.kind === 'external') continue;
        const swapped = naiveExplain(renamed, s.cluster, s.dataplane, a, b, flow).allowed;
        expect(swapped).toBe(naiveExplain(s.policies, s.cluster, s.dataplane, a, b, flow).allowed);
      }
    }
  }
  return 'checked';
}

describe('ClusterNetworkPolicy tiers: the engine agrees with the naive tiered evaluator', () => {
  test('matrix, explain and the deciding tier; equal priorities are reported or do not matter', () => {
    const outcomes = { checked: 0, overlap: 0 };
    const runs = { numRuns: Number(process.env.NP_RUNS ?? 1500), seed: Number(process.env.NP_SEED ?? 20261201) };
    fc.assert(fc.property(scenarioArb, (s) => { outcomes[check(s)]++; }), runs);
    expect(outcomes.checked).toBeGreaterThan(200);
    expect(outcomes.overlap).toBeGreaterThan(20);
  }, 300_000);
});

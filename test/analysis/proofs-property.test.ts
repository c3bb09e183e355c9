/**
 * Property: proofs agree with a deliberately naive exhaustive search. The universe is finite here: two
 * known namespaces and a new one (its label drawn from the mentioned value, absent, or a fresh one), pods
 * with every combination of the mentioned label values (plus a fresh one per key), of named-port choices,
 * and of IPs inside and outside an ipBlock of the Pod range. The naive check builds every such pod into
 * one cluster per labelling of the new namespace and asks the verifier's matrices about every pair; the
 * proof must say "holds" exactly when the naive search finds no violation, and every counterexample it
 * prints must replay as a violation in the verifier. Every dataplane; with several Pod-networks, policies
 * scoped to one of them, known pods on some, and intents about one network.
 */
import * as fc from 'fast-check';
import { checkIntents } from '../../src/analysis/intents';
import { ClusterModel, ContainerPortModel, Dataplane, PodModel } from '../../src/model/cluster';
import { EndpointSetModel, IntentModel } from '../../src/model/intent';
import {
  ClusterNetworkPolicyModel, CnpPeerModel, CnpRuleModel, NetworkPolicyModel, PeerModel, PolicyModel, PolicyType, RuleModel,
} from '../../src/model/policy';
import { PortModel, Protocol } from '../../src/model/port';
import { LabelRequirementModel, LabelSelectorModel, Labels, makeSelector, matchesLabels } from '../../src/model/selector';
import { withAddressRepresentatives } from '../../src/verify/addresses';
import { Verifier } from '../../src/verify/verifier';

const POD_RANGE = '10.8.0.0/16';
const KNOWN_NS: Record<string, Labels> = {
  ns1: { 'kubernetes.io/metadata.name': 'ns1', 'team': 'x' },
  ns2: { 'kubernetes.io/metadata.name': 'ns2' },
};
/** Ports the naive search tries: every port a rule or a pod's named port could make special, and others. */
const PROBES: [Protocol, number][] = [['TCP', 1], ['TCP', 80], ['TCP', 81], ['TCP', 82], ['TCP', 9000], ['UDP', 80], ['UDP', 53]];

const selectorArb: fc.Arbitrary<LabelSelectorModel> = fc.oneof(
  fc.constant(makeSelector()),
  fc.constantFrom('a', 'b').map((app) => makeSelector({ app })),
  fc.constantFrom('a', 'b').map((tier) => makeSelector({}, [{ key: 'tier', operator: 'NotIn', values: [tier] }])),
  fc.constant(makeSelector({}, [{ key: 'app', operator: 'Exists', values: [] }])),
  fc.constant(makeSelector({}, [{ key: 'tier', operator: 'DoesNotExist', values: [] }])),
  fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('a', 'b')).map(([app, tier]) => makeSelector({ app, tier })),
  fc.constant(makeSelector({}, [{ key: 'app', operator: 'In', values: ['a', 'b'] } as LabelRequirementModel])),
);

const nsSelectorArb: fc.Arbitrary<LabelSelectorModel> = fc.oneof(
  fc.constant(makeSelector()),
  fc.constant(makeSelector({ team: 'x' })),
  fc.constant(makeSelector({}, [{ key: 'team', operator: 'Exists', values: [] }])),
  fc.constant(makeSelector({}, [{ key: 'team', operator: 'NotIn', values: ['x'] }])),
  fc.constantFrom('ns1', 'ns2').map((n) => makeSelector({ 'kubernetes.io/metadata.name': n })),
);

const peerArb = (withIpBlocks: boolean): fc.Arbitrary<PeerModel> => fc.oneof(
  selectorArb.map((pods): PeerModel => ({ kind: 'pods', namespaces: { kind: 'own' }, pods })),
  fc.tuple(nsSelectorArb, selectorArb).map(([ns, pods]): PeerModel => ({ kind: 'pods', namespaces: { kind: 'selector', selector: ns }, pods })),
  ...(withIpBlocks ? [fc.constant<PeerModel>({ kind: 'ipBlock', cidr: '10.8.0.0/24', except: [] }), fc.constant<PeerModel>({ kind: 'ipBlock', cidr: '0.0.0.0/0', except: ['10.8.0.0/24'] })] : []),
);

const portsArb: fc.Arbitrary<RuleModel['ports']> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('all' as const) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom<PortModel>({ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'http' }, { protocol: 'UDP' }, { protocol: 'TCP', port: 81, endPort: 82 }), { minLength: 1, maxLength: 2 }) },
);

const ruleArb = (withIpBlocks: boolean): fc.Arbitrary<RuleModel> => fc.record({
  peers: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 3, arbitrary: fc.array(peerArb(withIpBlocks), { minLength: 1, maxLength: 2 }) }),
  ports: portsArb,
});

const NETWORKS = ['default', 'blue'];

const policyArb = (i: number, withIpBlocks: boolean, multiNetwork: boolean): fc.Arbitrary<NetworkPolicyModel> => fc.record({
  network: multiNetwork ? fc.constantFrom<string | undefined>(undefined, undefined, 'blue', 'default') : fc.constant<string | undefined>(undefined),
  namespace: fc.constantFrom('ns1', 'ns2'),
  podSelector: selectorArb,
  types: fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(ruleArb(withIpBlocks), { maxLength: 2 }),
  egress: fc.array(ruleArb(withIpBlocks), { maxLength: 2 }),
}).map(({ network, namespace, podSelector, types, ingress, egress }): NetworkPolicyModel => ({
  kind: 'NetworkPolicy',
  name: `p${i}`,
  namespace,
  labels: {},
  annotations: network !== undefined ? { 'networking.gke.io/network': network } : {},
  ...(network ? { network } : {}),
  podSelector,
  policyTypes: [...types],
  ingress: types.includes('Ingress') ? ingress : [],
  egress: types.includes('Egress') ? egress : [],
}));

/** ClusterNetworkPolicies in both tiers, with distinct priorities (equal ones that overlap are refused, not proven). */
const cnpPeerArb = (egress: boolean): fc.Arbitrary<CnpPeerModel> => fc.oneof(
  nsSelectorArb.map((namespaces): CnpPeerModel => ({ kind: 'pods', namespaces })),
  fc.tuple(nsSelectorArb, selectorArb).map(([namespaces, pods]): CnpPeerModel => ({ kind: 'pods', namespaces, pods })),
  ...(egress ? [fc.constantFrom<CnpPeerModel>({ kind: 'networks', cidrs: ['10.8.0.0/24'] }, { kind: 'networks', cidrs: ['0.0.0.0/0'] })] : []),
);
const cnpRuleArb = (egress: boolean): fc.Arbitrary<CnpRuleModel> => fc.record({
  action: fc.constantFrom<CnpRuleModel['action']>('Accept', 'Deny', 'Pass'),
  peers: fc.array(cnpPeerArb(egress), { minLength: 1, maxLength: 2 }),
  protocols: fc.oneof(
    fc.constant('all' as const),
    fc.constantFrom<CnpRuleModel['protocols']>([{ protocol: 'TCP', port: 80 }], [{ protocol: 'TCP', port: 81, endPort: 82 }], [{ protocol: 'UDP', port: 53 }]),
  ),
}).map((r) => ({ name: '', ...r }));
const cnpArb = (i: number): fc.Arbitrary<ClusterNetworkPolicyModel> => fc.record({
  tier: fc.constantFrom<'Admin' | 'Baseline'>('Admin', 'Baseline'),
  subject: fc.oneof(
    nsSelectorArb.map((namespaces) => ({ namespaces })),
    fc.tuple(nsSelectorArb, selectorArb).map(([namespaces, pods]) => ({ namespaces, pods })),
  ),
  ingress: fc.array(cnpRuleArb(false), { maxLength: 2 }),
  egress: fc.array(cnpRuleArb(true), { maxLength: 2 }),
}).map((r) => ({ kind: 'ClusterNetworkPolicy' as const, name: `cnp${i}`, labels: {}, annotations: {}, priority: i, ...r }));

const PORT_CHOICES: ContainerPortModel[][] = [[], [{ name: 'http', port: 80, protocol: 'TCP' }], [{ name: 'http', port: 81, protocol: 'TCP' }], [{ name: 'http', port: 9000, protocol: 'TCP' }]];

const knownPodArb = (i: number, multiNetwork: boolean): fc.Arbitrary<PodModel> => fc.record({
  namespace: fc.constantFrom('ns1', 'ns2'),
  app: fc.constantFrom(undefined, 'a', 'b'),
  tier: fc.constantFrom(undefined, 'a', 'b'),
  ports: fc.constantFrom(...PORT_CHOICES),
  networks: multiNetwork ? fc.constantFrom(['default'], ['default', 'blue'], ['blue']) : fc.constant(['default']),
}).map(({ namespace, app, tier, ports, networks }) => ({
  namespace, name: `k${i}`, labels: { ...(app ? { app } : {}), ...(tier ? { tier } : {}) }, ports, networks, ip: `10.8.${i < 3 ? 0 : 1}.${10 + i}`,
}));

const setArb: fc.Arbitrary<EndpointSetModel> = fc.oneof(
  fc.tuple(fc.constantFrom<LabelSelectorModel | string>('ns1', 'ns2', makeSelector(), makeSelector({ team: 'x' })), selectorArb).map(([ns, pods]) => {
    const namespaces = typeof ns === 'string' ? makeSelector({ 'kubernetes.io/metadata.name': ns }) : ns;
    return { kind: 'pods' as const, namespaces, pods, text: 'pods' };
  }),
  // A concrete pod (a known pod when it was drawn; otherwise the set matches nothing and fails closed).
  fc.tuple(fc.constantFrom('ns1', 'ns2'), fc.constantFrom('k0', 'k1')).map(([namespace, name]): EndpointSetModel => ({ kind: 'pod', namespace, name, text: `${namespace}/${name}` })),
);

const intentKindArb: fc.Arbitrary<IntentModel> = fc.oneof(
  fc.tuple(setArb, setArb, fc.constantFrom<PortModel | undefined>(undefined, { protocol: 'TCP', port: 80 }, { protocol: 'TCP' }))
    .map(([subject, target, port]): IntentModel => ({ kind: 'cannotReach', subject, target, ...(port ? { port } : {}) })),
  fc.tuple(setArb, fc.array(setArb, { maxLength: 2 }), fc.constantFrom<PortModel | undefined>(undefined, { protocol: 'TCP', port: 80 }))
    .map(([subject, allowedSources, port]): IntentModel => ({ kind: 'onlyReachableFrom', subject, allowedSources, ...(port ? { port } : {}) })),
  fc.tuple(setArb, fc.constantFrom<'ingress' | 'egress'>('ingress', 'egress')).map(([subject, direction]): IntentModel => ({ kind: 'isolated', subject, direction })),
  fc.tuple(setArb, setArb, fc.constantFrom<PortModel | undefined>(undefined, { protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'http' }))
    .map(([subject, target, port]): IntentModel => ({ kind: 'canReach', subject, target, scope: 'all', ...(port ? { port } : {}) })),
);

const intentArb = (multiNetwork: boolean): fc.Arbitrary<IntentModel> => (multiNetwork
  ? fc.tuple(intentKindArb, fc.constantFrom(undefined, 'blue')).map(([intent, network]) => (network ? { ...intent, network } : intent))
  : intentKindArb);

/** Every pod of the finite universe in one labelling of the new namespace: every namespace, label combination, port choice and IP choice. */
function universePods(ipChoices: readonly string[], networks: readonly string[]): PodModel[] {
  const pods: PodModel[] = [];
  let n = 0;
  for (const namespace of ['ns1', 'ns2', 'fresh']) {
    for (const app of [undefined, 'a', 'b', 'z']) {
      for (const tier of [undefined, 'a', 'b', 'z']) {
        for (const ports of PORT_CHOICES) {
          for (const ip of ipChoices) {
            pods.push({
              namespace,
              name: `h${n++}`,
              labels: { ...(app ? { app } : {}), ...(tier ? { tier } : {}) },
              ports,
              networks: [...networks],
              ...(ip ? { ip: ip.replace('N', String(n % 200)) } : {}),
            });
          }
        }
      }
    }
  }
  return pods;
}

function inSet(pod: PodModel, set: EndpointSetModel, namespaces: Record<string, Labels>): boolean {
  if (set.kind === 'pod') return pod.namespace === set.namespace && pod.name === set.name;
  if (set.kind !== 'pods') return false;
  return matchesLabels(set.namespaces, namespaces[pod.namespace]) && matchesLabels(set.pods, pod.labels);
}

/** Is there a violation among the known pods and the universe's pods, in any labelling of the new namespace? */
function naiveViolated(intent: IntentModel, policies: PolicyModel[], known: PodModel[], dataplane: Dataplane, multiNetwork: boolean): boolean {
  // IPs matter where ipBlocks match pods, and for ClusterNetworkPolicy networks on every dataplane.
  const cnpNetworks = policies.some((p) => p.kind === 'ClusterNetworkPolicy' && p.egress.some((r) => r.peers.some((peer) => peer.kind === 'networks')));
  const ipChoices = dataplane === 'dataplane-v2' && !cnpNetworks ? [''] : ['10.8.0.N', '10.8.1.N'];
  const network = intent.network ?? 'default';
  for (const team of [undefined, 'x', 'z']) {
    const namespaces: Record<string, Labels> = { ...KNOWN_NS, fresh: { 'kubernetes.io/metadata.name': 'fresh', ...(team ? { team } : {}) } };
    const base: ClusterModel = { namespaces, pods: [...known, ...universePods(ipChoices, multiNetwork ? NETWORKS : ['default'])], externals: [] };
    const cluster = withAddressRepresentatives(base, policies, [POD_RANGE]);
    const verifier = new Verifier({ policies, cluster, dataplane });
    const probes = PROBES.map(([protocol, port]) => ({ protocol, port, m: verifier.reach({ port, protocol, network }) }));
    const endpoints = probes[0].m.endpoints;
    const pods = endpoints.map((e, i) => ({ e, i })).filter((x) => x.e.kind === 'pod');
    const member = (i: number, set: EndpointSetModel) => endpoints[i].kind === 'pod' && inSet((endpoints[i] as { pod: PodModel }).pod, set, namespaces);
    if (intent.kind === 'isolated') {
      for (const { e } of pods) {
        if (!inSet((e as { pod: PodModel }).pod, intent.subject, namespaces)) continue;
        const v = verifier.explain(e.id, e.id, { port: 1, protocol: 'TCP', network });
        if (!(intent.direction === 'egress' ? v.egress : v.ingress).isolated) return true;
      }
      continue;
    }
    const portsFor = (to: number) => probes.filter((p) => {
      const port = intent.port;
      if (port === undefined) return true;
      if (p.protocol !== port.protocol) return false;
      if (port.port === undefined) return true;
      if (typeof port.port === 'number') return p.port >= port.port && p.port <= (port.endPort ?? port.port);
      const e = endpoints[to];
      return e.kind === 'pod' && e.pod.ports.some((cp) => cp.name === port.port && cp.protocol === port.protocol && cp.port === p.port);
    });
    const targets = endpoints.map((_, i) => i).filter((i) => (intent.kind === 'onlyReachableFrom' ? member(i, intent.subject) : member(i, intent.target!)));
    const sources = endpoints.map((_, i) => i).filter((i) => (intent.kind === 'onlyReachableFrom'
      ? !intent.allowedSources!.some((s) => member(i, s)) : member(i, intent.subject)));
    for (const s of sources) {
      for (const t of targets) {
        if (s === t) continue;
        if (endpoints[s].kind === 'external' && endpoints[t].kind === 'external') continue;
        const cases = portsFor(t);
        if (intent.kind === 'canReach') {
          // A known destination without the named port is a violation; a pod that could exist without it has none of the port set.
          const missing = cases.length === 0 && endpoints[t].id.split('/')[1]?.startsWith('k');
          if (intent.port === undefined ? !cases.some((p) => p.m.allowed(s, t)) : missing || cases.some((p) => !p.m.allowed(s, t))) return true;
        } else if (cases.some((p) => p.m.allowed(s, t))) {
          return true;
        }
      }
    }
  }
  return false;
}

describe('proofs agree with an exhaustive search of a finite universe', () => {
  test.each<[Dataplane, boolean, boolean]>([
    ['dataplane-v2', false, true], ['upstream', true, false], ['calico', true, true],
  ])('%s (ipBlocks %s, several networks %s)', (dataplane, ipBlocks, multiNetwork) => {
    let violations = 0;
    let holds = 0;
    fc.assert(fc.property(
      fc.tuple(
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }).chain((ids) => fc.tuple(...ids.map((_, i) => policyArb(i, ipBlocks, multiNetwork)))),
        fc.array(fc.nat(), { maxLength: 2 }).chain((ids) => fc.tuple(...ids.map((_, i) => cnpArb(i)))),
      ).map(([nps, cnps]): PolicyModel[] => [...nps, ...cnps]),
      fc.array(fc.nat(), { maxLength: 3 }).chain((ids) => fc.tuple(...ids.map((_, i) => knownPodArb(i, multiNetwork)))),
      intentArb(multiNetwork),
      (policies, known, intent) => {
        const base: ClusterModel = { namespaces: KNOWN_NS, pods: known, externals: [] };
        const cluster = withAddressRepresentatives(base, policies, [POD_RANGE]);
        const verifier = new Verifier({ policies, cluster, dataplane });
        const [r] = checkIntents({ verifier, cluster, policies, dataplane, podCidrs: [POD_RANGE] }, [intent]);
        if (r.problem !== undefined && r.counterexamples.length === 0) return; // a set that admits nothing: failed closed
        const naive = naiveViolated(intent, policies, known, dataplane, multiNetwork);
        if (naive) violations++; else holds++;
        expect(r.holds).toBe(!naive);
        for (const c of r.counterexamples) {
          // Replay: the counterexample's pods added to the cluster reproduce it.
          const extra: PodModel[] = [];
          const namespaces: Record<string, Labels> = { ...KNOWN_NS };
          for (const [id, p] of [[c.from, c.fromPod ?? c.pod], [c.to, c.toPod]] as const) {
            if (p === undefined) continue;
            const [namespace, name] = id.split('/');
            extra.push({ namespace, name, labels: p.labels, ports: p.ports, networks: [intent.network ?? 'default'], ...(p.ip ? { ip: p.ip } : {}) });
            namespaces[namespace] = p.namespaceLabels;
          }
          const replay = new Verifier({ policies, cluster: { ...cluster, namespaces, pods: [...known, ...extra] }, dataplane });
          const v = replay.explain(c.from, c.to, c.flow);
          if (intent.kind === 'isolated') expect((intent.direction === 'egress' ? v.egress : v.ingress).isolated).toBe(false);
          else expect(v.allowed).toBe(intent.kind !== 'canReach');
        }
      },
    ), { numRuns: Number(process.env.NP_RUNS ?? 120), seed: Number(process.env.NP_SEED ?? 20261201) });
    // Not vacuous: both outcomes occur often.
    expect(violations).toBeGreaterThan(20);
    expect(holds).toBeGreaterThan(10);
  }, 300_000);
});

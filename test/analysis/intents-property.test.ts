/**
 * Property: port ranges and "any port" intents are checked at one representative port per interval; on random policies
 * and pods, their verdict equals a brute force over every port that could matter (all policy and
 * container ports stay below 100 here, so ports 1-101 and 65535 cover every behaviour), for each protocol.
 */
import * as fc from 'fast-check';
import { checkIntents } from '../../src/analysis/intents';
import { ClusterModel, PodModel } from '../../src/model/cluster';
import { IntentModel } from '../../src/model/intent';
import { NetworkPolicyModel, PeerModel, PolicyType, RuleModel } from '../../src/model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../../src/model/port';
import { makeSelector } from '../../src/model/selector';
import { Verifier } from '../../src/verify/verifier';

const APPS = ['a', 'b', 'c'];
const NAMES = ['http', 'dns', 'metrics'];

const portArb: fc.Arbitrary<PortModel> = fc.tuple(
  fc.constantFrom(...PROTOCOLS),
  fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 1, max: 100 }).map((p) => ({ port: p })),
    fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 20 })).map(([p, w]) => ({ port: p, endPort: Math.min(100, p + w) })),
    fc.constantFrom(...NAMES).map((n) => ({ port: n })),
  ),
).map(([protocol, p]) => ({ protocol, ...(p ?? {}) }) as PortModel);

const peerArb: fc.Arbitrary<PeerModel> = fc.oneof(
  fc.constantFrom(...APPS).map((app) => ({ kind: 'pods' as const, namespaces: { kind: 'own' as const }, pods: makeSelector({ app }) })),
  fc.constant({ kind: 'pods' as const, namespaces: { kind: 'selector' as const, selector: makeSelector() }, pods: makeSelector() }),
);

const ruleArb: fc.Arbitrary<RuleModel> = fc.record({
  peers: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 3, arbitrary: fc.array(peerArb, { minLength: 1, maxLength: 2 }) }),
  ports: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 4, arbitrary: fc.array(portArb, { minLength: 1, maxLength: 3 }) }),
});

const policyArb = (i: number): fc.Arbitrary<NetworkPolicyModel> => fc.record({
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  ingress: fc.array(ruleArb, { maxLength: 2 }),
  egress: fc.array(ruleArb, { maxLength: 2 }),
  types: fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
}).map(({ app, ingress, egress, types }) => ({
  kind: 'NetworkPolicy',
  name: `p${i}`,
  namespace: 'ns',
  labels: {},
  annotations: {},
  podSelector: app ? makeSelector({ app }) : makeSelector(),
  policyTypes: [...types],
  ingress: types.includes('Ingress') ? ingress : [],
  egress: types.includes('Egress') ? egress : [],
}));

const podArb = (i: number): fc.Arbitrary<PodModel> => fc.record({
  app: fc.constantFrom(...APPS),
  ports: fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...NAMES), port: fc.integer({ min: 1, max: 100 }), protocol: fc.constantFrom(...PROTOCOLS) }),
    { maxLength: 3, selector: (p) => p.name },
  ),
}).map(({ app, ports }) => ({ namespace: 'ns', name: `pod${i}`, labels: { app }, ports, networks: ['default'] }));

const scenarioArb = fc.record({
  pods: fc.tuple(podArb(0), podArb(1), podArb(2)),
  policies: fc.tuple(policyArb(0), policyArb(1), policyArb(2)).chain((ps) => fc.subarray(ps)),
  intentPort: fc.oneof(fc.constant(undefined), portArb),
});

const BRUTE_PORTS = [...Array.from({ length: 101 }, (_, i) => i + 1), 65535];

test('any-port and range intents agree with a brute force over every port', () => {
  fc.assert(fc.property(scenarioArb, ({ pods, policies, intentPort }) => {
    const cluster: ClusterModel = { namespaces: { ns: { 'kubernetes.io/metadata.name': 'ns' } }, pods: [...pods], externals: [] };
    const verifier = new Verifier({ policies, cluster, dataplane: 'upstream' });
    const matrices = new Map<string, ReturnType<Verifier['reach']>>();
    const allowedAt = (from: number, to: number, protocol: Protocol, port: number): boolean => {
      const key = `${protocol}/${port}`;
      if (!matrices.has(key)) matrices.set(key, verifier.reach({ port, protocol }));
      return matrices.get(key)!.allowed(from, to);
    };
    // Which (protocol, port) flows the intent's port stands for, towards destination pod `to`.
    const flows = (to: number): Array<[Protocol, number]> => {
      const p = intentPort;
      if (p === undefined) return PROTOCOLS.flatMap((proto) => BRUTE_PORTS.map((n): [Protocol, number] => [proto, n]));
      if (p.port === undefined) return BRUTE_PORTS.map((n) => [p.protocol, n]);
      if (typeof p.port === 'string') {
        const cp = pods[to].ports.find((c) => c.name === p.port && c.protocol === p.protocol);
        return cp ? [[p.protocol, cp.port]] : [];
      }
      const first = p.port;
      return BRUTE_PORTS.filter((n) => n >= first && n <= (p.endPort ?? first)).map((n) => [p.protocol, n]);
    };
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        if (from === to) continue;
        const set = (i: number) => ({ kind: 'pod' as const, namespace: 'ns', name: `pod${i}`, text: `pod${i}` });
        const intents: IntentModel[] = [
          { kind: 'canReach', subject: set(from), target: set(to), port: intentPort },
          { kind: 'cannotReach', subject: set(from), target: set(to), port: intentPort },
        ];
        const [can, cannot] = checkIntents({ verifier, cluster, policies, dataplane: 'upstream' }, intents);
        const cases = flows(to);
        const some = cases.some(([proto, n]) => allowedAt(from, to, proto, n));
        // Without a port: some port of some protocol. With a port, range or protocol: every port of it.
        const every = cases.length > 0 && cases.every(([proto, n]) => allowedAt(from, to, proto, n));
        expect(can.holds).toBe(intentPort === undefined ? some : every);
        expect(cannot.holds).toBe(!some);
      }
    }
  }), { numRuns: 150, seed: 20261122 });
});

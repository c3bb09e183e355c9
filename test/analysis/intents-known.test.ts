/**
 * Property: the class-based check of intents over the known endpoints gives exactly what the pair-by-pair
 * check gives (test/analysis/_known-naive.ts): holds, violations, checked pairs, the problem, and the same
 * counterexamples in the same order; on random clusters (replicas, named ports, externals, several
 * namespaces) and policies, for every kind of intent and port.
 */
import * as fc from 'fast-check';
import { NaiveKnownChecker } from './_known-naive';
import { checkIntents } from '../../src/analysis/intents';
import { ClusterModel, ExternalModel, PodModel } from '../../src/model/cluster';
import { EndpointSetModel, IntentModel } from '../../src/model/intent';
import { NetworkPolicyModel, PeerModel, PolicyType, RuleModel } from '../../src/model/policy';
import { PortModel, PROTOCOLS } from '../../src/model/port';
import { makeSelector } from '../../src/model/selector';
import { Verifier } from '../../src/verify/verifier';

const NAMESPACES = ['a', 'b'];
const APPS = ['x', 'y', 'z'];
const NAMES = ['http', 'dns'];

const portArb: fc.Arbitrary<PortModel> = fc.tuple(
  fc.constantFrom(...PROTOCOLS),
  fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 1, max: 40 }).map((p) => ({ port: p })),
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 10 })).map(([p, w]) => ({ port: p, endPort: p + w })),
    fc.constantFrom(...NAMES).map((n) => ({ port: n })),
  ),
).map(([protocol, p]) => ({ protocol, ...(p ?? {}) }) as PortModel);

const peerArb: fc.Arbitrary<PeerModel> = fc.oneof(
  fc.constantFrom(...APPS).map((app) => ({ kind: 'pods' as const, namespaces: { kind: 'own' as const }, pods: makeSelector({ app }) })),
  fc.constantFrom(...NAMESPACES).map((ns) => ({
    kind: 'pods' as const, namespaces: { kind: 'selector' as const, selector: makeSelector({ 'kubernetes.io/metadata.name': ns }) }, pods: makeSelector(),
  })),
  fc.constant<PeerModel>({ kind: 'ipBlock', cidr: '203.0.113.0/24', except: [] }),
);

const ruleArb: fc.Arbitrary<RuleModel> = fc.record({
  peers: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 3, arbitrary: fc.array(peerArb, { minLength: 1, maxLength: 2 }) }),
  ports: fc.oneof({ weight: 1, arbitrary: fc.constant('all' as const) }, { weight: 3, arbitrary: fc.array(portArb, { minLength: 1, maxLength: 2 }) }),
});

const policyArb = (i: number): fc.Arbitrary<NetworkPolicyModel> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  ingress: fc.array(ruleArb, { maxLength: 2 }),
  egress: fc.array(ruleArb, { maxLength: 2 }),
  types: fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
}).map(({ namespace, app, ingress, egress, types }) => ({
  kind: 'NetworkPolicy',
  name: `p${i}`,
  namespace,
  labels: {},
  annotations: {},
  podSelector: app ? makeSelector({ app }) : makeSelector(),
  policyTypes: [...types],
  ingress: types.includes('Ingress') ? ingress : [],
  egress: types.includes('Egress') ? egress : [],
}));

/** Pods come in workloads: a pod, and sometimes its second replica (`name#2`, replicaOf). */
const workloadArb = (i: number): fc.Arbitrary<PodModel[]> => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.constantFrom(...APPS),
  ports: fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...NAMES), port: fc.integer({ min: 1, max: 40 }), protocol: fc.constantFrom(...PROTOCOLS) }),
    { maxLength: 2, selector: (p) => p.name },
  ),
  replicas: fc.constantFrom(1, 1, 2),
}).map(({ namespace, app, ports, replicas }) => {
  const pod: PodModel = { namespace, name: `w${i}`, labels: { app }, ports, networks: ['default'] };
  return replicas === 1 ? [pod] : [pod, { ...pod, name: `w${i}#2`, replicaOf: `w${i}` }];
});

const EXTERNALS: ExternalModel[] = [{ name: 'net', ip: '203.0.113.9' }, { name: 'other', ip: '198.51.100.9' }];

const setArb: fc.Arbitrary<EndpointSetModel> = fc.oneof(
  fc.record({ ns: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }), app: fc.option(fc.constantFrom(...APPS), { nil: undefined }) })
    .map(({ ns, app }) => ({
      kind: 'pods' as const,
      namespaces: ns ? makeSelector({ 'kubernetes.io/metadata.name': ns }) : makeSelector(),
      pods: app ? makeSelector({ app }) : makeSelector(),
      text: `${ns ?? '*'}/${app ?? '*'}`,
    })),
  fc.constantFrom<EndpointSetModel>({ kind: 'external', name: 'net', text: 'external net' }, { kind: 'internet', text: 'the internet' }),
);

const intentArb: fc.Arbitrary<IntentModel> = fc.oneof(
  fc.record({ kind: fc.constantFrom<'canReach' | 'cannotReach'>('canReach', 'cannotReach'), subject: setArb, target: setArb, port: fc.option(portArb, { nil: undefined }) })
    .map((i): IntentModel => ({ ...i, scope: 'existing' })),
  fc.record({ subject: setArb, allowedSources: fc.array(setArb, { maxLength: 2 }), port: fc.option(portArb, { nil: undefined }) })
    .map((i): IntentModel => ({ kind: 'onlyReachableFrom', ...i, scope: 'existing' })),
  fc.record({ subject: setArb, direction: fc.constantFrom<'ingress' | 'egress'>('ingress', 'egress') })
    .map((i): IntentModel => ({ kind: 'isolated', ...i, scope: 'existing' })),
);

const scenarioArb = fc.record({
  workloads: fc.tuple(...Array.from({ length: 7 }, (_, i) => workloadArb(i))),
  policies: fc.tuple(policyArb(0), policyArb(1), policyArb(2), policyArb(3)).chain((ps) => fc.subarray(ps)),
  intents: fc.array(intentArb, { minLength: 1, maxLength: 4 }),
});

const outcome = (run: () => unknown) => {
  try {
    return run();
  } catch (e) {
    return (e as Error).message;
  }
};

test('the class-based check of known endpoints equals the pair-by-pair check', () => {
  let violated = 0;
  fc.assert(fc.property(scenarioArb, ({ workloads, policies, intents }) => {
    const pods = workloads.flat().sort((p, q) => (p.namespace + p.name < q.namespace + q.name ? -1 : 1));
    const cluster: ClusterModel = { namespaces: { a: { team: 'one' }, b: {} }, pods, externals: EXTERNALS };
    const verifier = new Verifier({ policies, cluster, dataplane: 'upstream' });
    const naive = new NaiveKnownChecker({ verifier, cluster });
    for (const intent of intents) {
      const mine = outcome(() => {
        const { scope, ...rest } = checkIntents({ verifier, cluster, policies, dataplane: 'upstream' }, [intent])[0];
        void scope;
        return rest;
      });
      const theirs = outcome(() => naive.checkKnown(intent).result);
      expect(mine).toEqual(theirs);
      if (typeof mine !== 'string' && !(mine as { holds: boolean }).holds) violated++;
    }
  }), { numRuns: 1500, seed: 13 });
  expect(violated).toBeGreaterThan(300);
});

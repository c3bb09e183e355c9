/**
 * Near misses: a denied side lists the rules of its isolating policies that would allow but for the port,
 * the protocol, the peer or the Pod-network, with what each would need; nothing else is listed.
 */
import { ExplainedSide, NearMiss, withNearMisses } from '../../src/analysis/near-miss';
import { parseCluster, parseIntents, parsePolicies, renderSarif, runPipeline, Verifier } from '../../src/analyzer';
import { ClusterModel, Dataplane } from '../../src/model/cluster';
import { PolicyModel } from '../../src/model/policy';
import { formatIntentResults } from '../../src/report/verify/text';
import { describeCnpNearMiss, describeNearMiss, formatVerdict } from '../../src/report/words';

const cluster: ClusterModel = parseCluster(`
namespaces: {shop: {}, payments: {team: pay}}
pods:
  - {namespace: shop, name: frontend, labels: {app: frontend}, ip: 10.8.0.10}
  - {namespace: shop, name: backend, labels: {app: backend}, ip: 10.8.0.11, ports: [{name: http, port: 8080}], networks: [default, blue]}
  - {namespace: shop, name: other, labels: {app: other}, ip: 10.8.0.12}
  - {namespace: payments, name: ledger, labels: {app: ledger}, ip: 10.8.0.13}
externals:
  - {name: partner, ip: 203.0.113.9}
`, 'cluster.yaml').cluster;

const POLICIES = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
    ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
    ports: [{port: 443}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend-blue, namespace: shop, annotations: {networking.gke.io/network: blue}}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: pay}}}]
`;
const policies: readonly PolicyModel[] = parsePolicies(POLICIES, 'policies.yaml').policies;

function explain(from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP', network = 'default', dataplane: Dataplane = 'upstream') {
  const v = new Verifier({ policies, cluster, dataplane }).explain(from, to, { port, protocol, network });
  return withNearMisses({ policies, cluster, dataplane }, v);
}

function misses(from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP', network = 'default'): string[] {
  const v = explain(from, to, port, protocol, network);
  const sides = [v.egress, v.ingress] as { nearMisses?: NearMiss[] }[];
  return sides.flatMap((s) => s.nearMisses ?? []).map(describeNearMiss);
}

describe('near misses', () => {
  test('a port miss says what the rule allows and what was asked', () => {
    expect(misses('shop/frontend', 'shop/backend', 8443)).toEqual(['rule 0 of shop/backend-from-frontend allows TCP 8080; asked TCP 8443']);
    const v = explain('shop/frontend', 'shop/backend', 8443);
    expect((v.ingress as { nearMisses?: NearMiss[] }).nearMisses).toEqual([{
      policy: { kind: 'NetworkPolicy', namespace: 'shop', name: 'backend-from-frontend' },
      direction: 'ingress',
      ruleIndex: 0,
      miss: 'port',
      ports: [{ port: 8080, protocol: 'TCP' }],
      asked: { port: 8443, protocol: 'TCP' },
    }]);
  });

  test('a protocol miss', () => {
    expect(misses('shop/frontend', 'shop/backend', 8080, 'UDP')).toEqual(['rule 0 of shop/backend-from-frontend allows TCP 8080; asked UDP 8080']);
  });

  test('a peer miss says what the other end lacks', () => {
    expect(misses('shop/other', 'shop/backend', 8080)).toEqual([
      'rule 0 of shop/backend-from-frontend allows from pods app=frontend of the policy\'s namespace; asked from shop/other (peer 0: needs labels app=frontend)',
    ]);
    expect(misses('shop/frontend', 'partner', 80)).toEqual(['rule 0 of shop/frontend-egress allows TCP 443; asked TCP 80']);
    expect(misses('shop/frontend', 'shop/other', 443)).toEqual([
      'rule 0 of shop/frontend-egress allows to ipBlock 203.0.113.0/24; asked to shop/other (peer 0: its IP 10.8.0.12 is not in ipBlock 203.0.113.0/24)',
    ]);
  });

  test('a network miss: a rule of a policy scoped to another Pod-network', () => {
    expect(misses('payments/ledger', 'shop/backend', 8080)).toEqual([
      'rule 0 of shop/backend-blue allows it on network blue only (its networking.gke.io/network annotation); asked on network default',
      'rule 0 of shop/backend-from-frontend allows from pods app=frontend of the policy\'s namespace; asked from payments/ledger (peer 0: needs to be in namespace shop (it is in payments) and labels app=frontend)',
    ]);
  });

  test('nothing for a rule that misses on two counts, nor for an allowed connection, which stays as the verifier gave it', () => {
    expect(misses('shop/other', 'shop/backend', 9999)).toEqual([]);
    const verifier = new Verifier({ policies, cluster, dataplane: 'upstream' });
    const allowed = verifier.explain('shop/frontend', 'shop/backend', { port: 8080, protocol: 'TCP' });
    expect(withNearMisses({ policies, cluster, dataplane: 'upstream' }, allowed)).toBe(allowed);
    const far = verifier.explain('shop/other', 'shop/backend', { port: 9999, protocol: 'TCP' });
    expect(JSON.stringify(withNearMisses({ policies, cluster, dataplane: 'upstream' }, far))).toBe(JSON.stringify(far));
  });

  test('explain text lists them under the denied side (the egress rule misses on peer and port both: not listed)', () => {
    expect(formatVerdict(explain('shop/frontend', 'shop/backend', 8443))).toBe([
      'shop/frontend -> shop/backend on TCP 8443 (network default, dataplane upstream): DENIED',
      '  egress of shop/frontend: isolated by shop/frontend-egress; no rule of those policies matches this peer and port, so denied',
      '  ingress of shop/backend: isolated by shop/backend-from-frontend; no rule of those policies matches this peer and port, so denied',
      '    near miss: rule 0 of shop/backend-from-frontend allows TCP 8080; asked TCP 8443',
    ].join('\n'));
  });

  test('intent counterexamples carry them, in text, JSON and SARIF', () => {
    const intents = parseIntents('intents:\n  - from: shop/frontend\n    to: shop/backend\n    port: 8443/TCP\n    expect: allow\n', 'intents.yaml');
    const { results } = runPipeline({ policies, cluster, profile: { dataplane: 'upstream', podCidrs: [], serviceCidrs: [] }, intents: intents.map((i) => i.intent) });
    const text = formatIntentResults(results);
    expect(text).toContain('\n        near miss: rule 0 of shop/backend-from-frontend allows TCP 8080; asked TCP 8443\n');
    expect(JSON.parse(JSON.stringify(results[0].counterexamples[0])).ingress.nearMisses[0]).toMatchObject({ miss: 'port', ruleIndex: 0, asked: { port: 8443, protocol: 'TCP' } });
    const sarif = renderSarif({ intents: [{ name: intents[0].name ?? results[0].text, result: results[0] }], findings: [], policies });
    expect(JSON.stringify(sarif)).toContain('near miss: rule 0 of shop/backend-from-frontend allows TCP 8080; asked TCP 8443');
  });
});

describe('near misses of ClusterNetworkPolicy rules (both tiers)', () => {
  const cnpCluster: ClusterModel = parseCluster(`
namespaces: {web: {tenant: a}, jobs: {tenant: a}, ops: {team: ops}}
pods:
  - {namespace: web, name: api, labels: {app: api}, ip: 10.8.1.10, ports: [{name: http, port: 8080}]}
  - {namespace: jobs, name: batch, labels: {app: batch}, ip: 10.8.1.11}
  - {namespace: ops, name: probe, labels: {app: probe}, ip: 10.8.1.12}
`, 'cluster.yaml').cluster;
  const CNPS = `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ops-access}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {tenant: a}}}
  ingress:
    - name: from-ops
      action: Accept
      from: [{namespaces: {matchLabels: {team: ops}}}]
      protocols: [{tcp: {destinationPort: {number: 9090}}}]
    - name: deny-ops
      action: Deny
      from: [{namespaces: {matchLabels: {team: ops}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: baseline}
spec:
  tier: Baseline
  priority: 5
  subject: {namespaces: {matchLabels: {tenant: a}}}
  ingress:
    - name: from-tenant
      action: Accept
      from: [{pods: {namespaceSelector: {matchLabels: {tenant: a}}, podSelector: {matchLabels: {app: web}}}}]
      protocols: [{tcp: {destinationPort: {number: 8080}}}]
    - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
`;
  const cnps: readonly PolicyModel[] = parsePolicies(CNPS, 'cnps.yaml').policies;
  const explainCnp = (from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => {
    const v = new Verifier({ policies: cnps, cluster: cnpCluster, dataplane: 'dataplane-v2' }).explain(from, to, { port, protocol });
    return withNearMisses({ policies: cnps, cluster: cnpCluster, dataplane: 'dataplane-v2' }, v);
  };
  const cnpMisses = (from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): string[] =>
    (explainCnp(from, to, port, protocol).ingress as ExplainedSide).nearMisses?.map((m) => ('tier' in m ? describeCnpNearMiss(m) : describeNearMiss(m))) ?? [];

  test('an Admin Accept rule that misses on the port, the Deny after it deciding', () => {
    expect(cnpMisses('ops/probe', 'web/api', 8080)).toEqual(['Admin rule 0 "from-ops" (Accept) of cnp/ops-access accepts TCP 9090; asked TCP 8080']);
    expect((explainCnp('ops/probe', 'web/api', 8080).ingress as ExplainedSide).nearMisses).toEqual([{
      policy: { kind: 'ClusterNetworkPolicy', name: 'ops-access', tier: 'Admin', priority: 10 },
      tier: 'Admin',
      direction: 'ingress',
      ruleIndex: 0,
      ruleName: 'from-ops',
      action: 'Accept',
      miss: 'port',
      protocols: [{ protocol: 'TCP', port: 9090 }],
      asked: { port: 8080, protocol: 'TCP' },
    }]);
  });

  test('a protocol miss', () => {
    expect(cnpMisses('ops/probe', 'web/api', 9090, 'UDP')).toEqual(['Admin rule 0 "from-ops" (Accept) of cnp/ops-access accepts TCP 9090; asked UDP 9090']);
  });

  test('a Baseline Accept rule that misses on the peer says what the other end lacks', () => {
    expect(cnpMisses('jobs/batch', 'web/api', 8080)).toEqual([
      'Baseline rule 0 "from-tenant" (Accept) of cnp/baseline accepts from pods app=web of namespaces tenant=a; asked from jobs/batch (peer 0: needs labels app=web)',
    ]);
  });

  test('a Baseline rule is no near miss where the Admin tier decides: relaxing it would not change the verdict', () => {
    // ops/probe on 8080 is denied by the Admin Deny: baseline's from-tenant never gets asked.
    expect(cnpMisses('ops/probe', 'web/api', 8080).some((m) => m.includes('cnp/baseline'))).toBe(false);
    expect(cnpMisses('ops/probe', 'web/api', 7070, 'UDP').filter((m) => m.includes('Baseline'))).toEqual([]);
  });

  test('explain text and JSON carry them under the denied side', () => {
    const v = explainCnp('jobs/batch', 'web/api', 8080);
    expect(formatVerdict(v).split('\n').slice(-1)).toEqual([
      '    near miss: Baseline rule 0 "from-tenant" (Accept) of cnp/baseline accepts from pods app=web of namespaces tenant=a; asked from jobs/batch (peer 0: needs labels app=web)',
    ]);
    expect(JSON.parse(JSON.stringify(v)).ingress.nearMisses).toEqual([expect.objectContaining({ tier: 'Baseline', miss: 'peer', endpoint: 'jobs/batch', needs: ['peer 0: needs labels app=web'] })]);
  });
});

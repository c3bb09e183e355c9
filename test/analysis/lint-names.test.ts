/** NP015 (names nobody declares, with did-you-mean) and NP016 (peers that match nothing): each fires on its mistake, with its message, and is quiet otherwise. */
import { ClusterModel, lint, LintInput, parseCluster, parseIntents, parsePolicies } from '../../src/analyzer';
import { closestNames, didYouMean, editDistance } from '../../src/model/closest';

const cluster: ClusterModel = parseCluster(`
namespaces: {shop: {team: web}, payments: {team: pay}, monitoring: {}}
pods:
  - {namespace: shop, name: frontend, labels: {app: frontend}, ip: 10.8.0.10}
  - {namespace: shop, name: backend, labels: {app: backend}, ip: 10.8.0.11}
  - {namespace: payments, name: ledger, labels: {app: ledger}, ip: 10.8.0.12}
  - {namespace: monitoring, name: prometheus, labels: {app: prometheus}, ip: 10.8.0.13}
externals:
  - {name: metadata, ip: 169.254.169.252}
`, 'cluster.yaml').cluster;

const policy = (from: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend-from, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
  - from:
    - ${from}
`;

function findings(yaml: string, extra: Partial<LintInput> = {}) {
  const policies = yaml ? parsePolicies(yaml, 'policies.yaml').policies : [];
  return lint({ policies, cluster, dataplane: 'upstream', ...extra }).filter((f) => f.id === 'NP015' || f.id === 'NP016');
}

function intents(text: string) {
  return parseIntents(text, 'intents.yaml').map((i) => i.intent);
}

describe('closest names', () => {
  test('edit distance and the closest known names, closest first', () => {
    expect(editDistance('shpo', 'shop')).toBe(2);
    expect(closestNames('shpo', ['shop', 'payments', 'shops'])).toEqual(['shop', 'shops']);
    expect(closestNames('monitorng', ['monitoring', 'shop'])).toEqual(['monitoring']);
    expect(closestNames('zzz', ['shop'])).toEqual([]);
    expect(didYouMean('shpo', ['shop'], 'namespace')).toBe(' (did you mean shop?)');
    expect(didYouMean('zzz', ['b', 'a'], 'namespace')).toBe(' (known namespaces: a, b)');
  });
});

describe('NP015 unknown-name', () => {
  test('a peer naming a namespace nobody declares gets the closest known names', () => {
    expect(findings(policy('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitorng}}'))).toEqual([{
      id: 'NP015',
      name: 'unknown-name',
      severity: 'warning',
      subject: 'shop/backend-from',
      message: 'ingress[0].from[0] names namespace "monitorng", which nothing declares (did you mean monitoring?). '
        + 'Fix the name, or declare the namespace (a PolicyChart, an Inventory or the cluster model file)',
    }]);
  });

  test('quiet on a declared namespace, and on the namespaces every cluster has', () => {
    expect(findings(policy('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}'))).toEqual([]);
    expect(findings(policy('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n      podSelector: {matchLabels: {k8s-app: kube-dns}}'))).toEqual([]);
  });

  test('an intent naming a namespace, pod or external nobody declares', () => {
    const f = findings('', {
      intents: intents(`intents:
  - from: {namespace: paymnets}
    to: {namespace: shop, pods: {app: backend}}
    expect: deny
  - from: shop/fronted
    to: metdata
    expect: allow
`),
    });
    expect(f.map((x) => [x.subject, x.message])).toEqual([
      ['intents[0]', 'intent "all pods in ns paymnets cannot reach pods app=backend in ns shop on any port" names namespace "paymnets", which nothing declares (did you mean payments?). Fix the name, or declare what it names'],
      ['intents[1]', 'intent "pod shop/fronted can reach external metdata on any port" names external "metdata", which is not in the cluster model (did you mean metadata?). Fix the name, or declare what it names'],
      ['intents[1]', 'intent "pod shop/fronted can reach external metdata on any port" names pod shop/fronted, which is not in the cluster model (did you mean shop/frontend?). Fix the name, or declare what it names'],
    ]);
  });

  test('an intent whose pods match no known pod gets the closest label values; quiet on known names', () => {
    const f = findings('', { intents: intents('intents:\n  - from: {namespace: shop, pods: {app: fronted}}\n    to: {namespace: shop, pods: {app: backend}}\n    expect: allow\n') });
    expect(f.map((x) => x.message)).toEqual([
      'intent "pods app=fronted in ns shop can reach pods app=backend in ns shop on any port" selects pods app=fronted in ns shop, which match no known pod: '
        + 'no pod in namespace shop has app=fronted (did you mean app=frontend?). Fix the name, or declare what it names',
    ]);
    expect(findings('', { intents: intents('intents:\n  - from: shop/frontend\n    to: metadata\n    expect: allow\n  - to: {namespace: payments}\n    onlyFrom: [{namespaceSelector: {matchLabels: {team: audit}}}]\n') })).toEqual([]);
  });
});

describe('NP016 peer-matches-nothing', () => {
  test('a pods peer that selects no known pod gets the closest label values', () => {
    expect(findings(policy('podSelector: {matchLabels: {app: fronted}}'))).toEqual([{
      id: 'NP016',
      name: 'peer-matches-nothing',
      severity: 'warning',
      subject: 'shop/backend-from',
      message: 'ingress[0].from[0] (pods app=fronted in the policy\'s namespace shop) matches no known pod: no pod in namespace shop has app=fronted (did you mean app=frontend?). '
        + 'The rule allows nothing for the workloads netproof knows. Fix the selector, or declare the workload',
    }]);
  });

  test('a namespace selector no namespace matches, and a label key no pod has', () => {
    expect(findings(policy('namespaceSelector: {matchLabels: {team: wbe}}')).map((f) => f.message)).toEqual([
      'ingress[0].from[0] (pods all in namespaces team=wbe) matches no known pod: no known namespace has labels team=wbe. '
        + 'The rule allows nothing for the workloads netproof knows. Fix the selector, or declare the workload',
    ]);
    expect(findings(policy('podSelector: {matchLabels: {ap: frontend}}')).map((f) => f.message)).toEqual([
      'ingress[0].from[0] (pods ap=frontend in the policy\'s namespace shop) matches no known pod: no pod in namespace shop has the label key ap (did you mean app?). '
        + 'The rule allows nothing for the workloads netproof knows. Fix the selector, or declare the workload',
    ]);
  });

  test('quiet when the peer selects a known pod, or is not a pods peer', () => {
    expect(findings(policy('podSelector: {matchLabels: {app: frontend}}'))).toEqual([]);
    expect(findings(policy('namespaceSelector: {matchLabels: {team: pay}}\n      podSelector: {matchLabels: {app: ledger}}'))).toEqual([]);
    expect(findings(policy('ipBlock: {cidr: 203.0.113.0/24}'))).toEqual([]);
  });
});

/**
 * ClusterNetworkPolicy parsing: the full model with every default explicit, peers that fail closed, the
 * CRD's limits; rendering and parsing are inverse; nodes in the cluster model file and as Node objects.
 */
import * as Yaml from 'yaml';
import { renderClusterNetworkPolicy } from '../../src/emit/render';
import { ClusterNetworkPolicyModel } from '../../src/model/policy';
import { makeSelector } from '../../src/model/selector';
import { parseCluster } from '../../src/parse/cluster';
import { ParseFix } from '../../src/parse/messages';
import { parsePolicies } from '../../src/parse/policies';
import { errorOf } from '../_helpers-constructs';

const HEAD = 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n';

function one(text: string): ClusterNetworkPolicyModel {
  const { policies } = parsePolicies(text, 'c.yaml');
  expect(policies).toHaveLength(1);
  return policies[0] as ClusterNetworkPolicyModel;
}

describe('ClusterNetworkPolicy parsing', () => {
  test('every field becomes the model: subject forms, peer kinds, protocols, rule names and order', () => {
    const p = one(`${HEAD}metadata: {name: guard, labels: {team: platform}}
spec:
  tier: Admin
  priority: 7
  subject:
    pods: {namespaceSelector: {matchLabels: {env: prod}}, podSelector: {matchExpressions: [{key: app, operator: Exists}]}}
  ingress:
    - {name: from-monitoring, action: Accept, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}
  egress:
    - name: dns
      action: Accept
      to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}}]
      protocols: [{udp: {destinationPort: {number: 53}}}, {tcp: {destinationPort: {range: {start: 8000, end: 8100}}}}, {destinationNamedPort: dns}]
    - {action: Deny, to: [{networks: ["10.0.0.0/8", "fd00::/8"]}, {nodes: {}}]}
    - {action: Accept, to: [{domainNames: ["*.example.com", api.example.org]}]}
    - {action: Pass, to: [{}]}
`);
    expect(p).toMatchObject({
      kind: 'ClusterNetworkPolicy',
      name: 'guard',
      labels: { team: 'platform' },
      tier: 'Admin',
      priority: 7,
      subject: { namespaces: makeSelector({ env: 'prod' }), pods: makeSelector({}, [{ key: 'app', operator: 'Exists', values: [] }]) },
      ingress: [{ name: 'from-monitoring', action: 'Accept', protocols: 'all', peers: [{ kind: 'pods', namespaces: makeSelector({ 'kubernetes.io/metadata.name': 'monitoring' }) }] }],
      egress: [
        {
          name: 'dns',
          action: 'Accept',
          peers: [{ kind: 'pods', namespaces: makeSelector(), pods: makeSelector({ 'k8s-app': 'kube-dns' }) }],
          protocols: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 8000, endPort: 8100 }, { namedPort: 'dns' }],
        },
        { name: '', action: 'Deny', peers: [{ kind: 'networks', cidrs: ['10.0.0.0/8', 'fd00::/8'] }, { kind: 'nodes', selector: makeSelector() }] },
        { action: 'Accept', peers: [{ kind: 'domainNames', names: ['*.example.com', 'api.example.org'] }] },
        { action: 'Pass', peers: [{ kind: 'unknown', fields: [] }] },
      ],
    });
    expect(p.ingress[0].peers[0]).not.toHaveProperty('pods'); // the namespaces form: every pod of those namespaces
  });

  test('a peer of a newer API (an unknown field only) is kept and fails closed', () => {
    const p = one(`${HEAD}metadata: {name: x}\nspec: {tier: Baseline, priority: 0, subject: {namespaces: {}}, egress: [{action: Deny, to: [{services: [a]}]}]}\n`);
    expect(p.egress[0].peers).toEqual([{ kind: 'unknown', fields: ['services'] }]);
  });

  test('the CRD limits: 25 rules, 25 peers, rule names of 100 characters, tcp without destinationPort', () => {
    const rules = (n: number) => Array.from({ length: n }, () => '{action: Deny, to: [{namespaces: {}}]}').join(', ');
    const spec = (egress: string) => `${HEAD}metadata: {name: x}\nspec: {tier: Admin, priority: 1, subject: {namespaces: {}}, egress: [${egress}]}\n`;
    expect(() => one(spec(rules(25)))).not.toThrow();
    expect(errorOf(() => one(spec(rules(26)))).message).toBe(`c.yaml[document 0, line 4] spec.egress: 26 egress rules; at most 25 are allowed. ${ParseFix.cnpRules}`);
    const peers = Array.from({ length: 26 }, () => '{namespaces: {}}').join(', ');
    expect(errorOf(() => one(spec(`{action: Deny, to: [${peers}]}`))).message).toBe(`c.yaml[document 0, line 4] spec.egress[0].to: 26 peers. ${ParseFix.cnpPeers('to')}`);
    expect(errorOf(() => one(spec(`{name: ${'n'.repeat(101)}, action: Deny, to: [{namespaces: {}}]}`))).message)
      .toBe(`c.yaml[document 0, line 4] spec.egress[0].name: rule name of 101 characters. ${ParseFix.cnpRuleName}`);
    expect(errorOf(() => one(spec('{action: Deny, to: [{namespaces: {}}], protocols: [{tcp: {}}]}'))).message)
      .toBe(`c.yaml[document 0, line 4] spec.egress[0].protocols[0].tcp.destinationPort: missing tcp.destinationPort. ${ParseFix.cnpDestinationPort}`);
    expect(errorOf(() => one(spec('{action: Accept, to: [{domainNames: ["a.*.com"]}]}'))).message)
      .toBe(`c.yaml[document 0, line 4] spec.egress[0].to[0].domainNames[0]: "a.*.com": must be a domain name of at least two labels (letters, digits, "-" and "_"), with "*." only as a prefix. ${ParseFix.cnpDomainNames}`);
  });

  test('rendering and parsing are inverse', () => {
    const model: ClusterNetworkPolicyModel = {
      kind: 'ClusterNetworkPolicy',
      name: 'guard',
      labels: {},
      annotations: {},
      tier: 'Baseline',
      priority: 3,
      subject: { namespaces: makeSelector({ tenant: 'a' }) },
      ingress: [{ name: 'deny', action: 'Deny', peers: [{ kind: 'pods', namespaces: makeSelector(), pods: makeSelector({ app: 'x' }) }], protocols: [{ namedPort: 'http' }] }],
      egress: [{ name: '', action: 'Accept', peers: [{ kind: 'networks', cidrs: ['0.0.0.0/0'] }], protocols: [{ protocol: 'SCTP', port: 9000, endPort: 9010 }] }],
    };
    const parsed = one(Yaml.stringify(renderClusterNetworkPolicy(model)));
    const { source, ...rest } = parsed;
    expect(source).toEqual({ file: 'c.yaml', index: 0, line: 1 });
    expect(rest).toEqual(model);
  });
});

describe('nodes in the cluster model', () => {
  test('a model file lists nodes with labels and addresses', () => {
    const { cluster } = parseCluster('nodes:\n  - {name: n1, labels: {pool: a}, ips: [10.128.0.5, "fd00::5"]}\n', 'c.yaml');
    expect(cluster.nodes).toMatchObject([{ name: 'n1', labels: { pool: 'a' }, ips: ['10.128.0.5', 'fd00::5'], source: { file: 'c.yaml', index: 0 } }]);
    expect(errorOf(() => parseCluster('nodes:\n  - {name: n1, ips: []}\n', 'c.yaml')).message)
      .toBe(`c.yaml[document 0, line 2] nodes[0].ips: a node needs at least one address. ${ParseFix.nodeIps}`);
  });

  test('Node objects (kubectl get nodes -o json) give their InternalIP and ExternalIP', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'gke-n1', labels: { 'cloud.google.com/gke-nodepool': 'pool-1' } },
        status: { addresses: [{ type: 'InternalIP', address: '10.128.0.5' }, { type: 'ExternalIP', address: '34.1.2.3' }, { type: 'Hostname', address: 'gke-n1' }] },
      }],
    });
    const { cluster } = parseCluster(list, 'nodes.json');
    expect(cluster.nodes?.map((n) => [n.name, n.labels, n.ips])).toEqual([['gke-n1', { 'cloud.google.com/gke-nodepool': 'pool-1' }, ['10.128.0.5', '34.1.2.3']]]);
  });
});

/** The ClusterNetworkPolicy lints NP010-NP014: each fires on its mistake, with its message, and not otherwise. */
import { ClusterModel, lint, LintInput, parseCluster, parsePolicies } from '../../src/analyzer';
import { VerifyMessages } from '../../src/verify/messages';

const cluster: ClusterModel = parseCluster(`
namespaces: {shop: {team: web}, payments: {team: pay}, monitoring: {}}
pods:
  - {namespace: shop, name: web, labels: {app: web}, ip: 10.8.0.10}
  - {namespace: payments, name: ledger, labels: {app: ledger}, ip: 10.8.0.11}
  - {namespace: monitoring, name: prometheus, labels: {app: prometheus}, ip: 10.8.0.12}
`, 'cluster.yaml').cluster;

const cnp = (name: string, spec: string) => `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}
`;
const denyAll = (ns: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ${ns}}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;

function findings(yaml: string, extra: Partial<LintInput> = {}) {
  const policies = parsePolicies(yaml, 'policies.yaml').policies;
  return lint({ policies, cluster, dataplane: 'dataplane-v2', ...extra }).filter((f) => f.id >= 'NP010');
}

describe('ClusterNetworkPolicy lints', () => {
  test('NP010: equal priorities that a pod that could exist would meet', () => {
    const yaml = cnp('a', 'tier: Admin\npriority: 5\nsubject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: canary}}}}\negress: [{action: Deny, to: [{namespaces: {}}]}]')
      + cnp('b', 'tier: Admin\npriority: 5\nsubject: {namespaces: {matchLabels: {team: web}}}\negress: [{action: Accept, to: [{namespaces: {}}]}]');
    expect(findings(yaml)).toEqual([{
      id: 'NP010',
      name: 'cnp-equal-priority',
      severity: 'error',
      subject: 'cnp/b',
      message: VerifyMessages.cnpOverlap('Admin', 5, 'cnp/a', 'cnp/b', 'egress of a pod that could exist in namespace shop to a pod that could exist'),
    }]);
    // Priorities apart: no finding.
    expect(findings(yaml.replace('priority: 5\n  subject: {namespaces', 'priority: 6\n  subject: {namespaces'))).toEqual([]);
  });

  test('NP011: a rule after one that matches all its traffic', () => {
    const yaml = cnp('guard', `tier: Baseline
priority: 1
subject: {namespaces: {}}
egress:
  - {name: deny-all, action: Deny, to: [{namespaces: {}}, {networks: [0.0.0.0/0]}]}
  - {name: allow-dns, action: Accept, to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}], protocols: [{udp: {destinationPort: {number: 53}}}]}
  - {name: allow-api, action: Accept, to: [{networks: [10.0.0.0/8]}], protocols: [{tcp: {destinationPort: {number: 443}}}]}`);
    expect(findings(yaml).map((f) => [f.id, f.subject, f.message])).toEqual([
      ['NP011', 'cnp/guard', 'egress[1] "allow-dns" (Accept) never matches: egress[0] "deny-all" (Deny) matches all of its traffic first. Remove it, or move it before egress[0]'],
      ['NP011', 'cnp/guard', 'egress[2] "allow-api" (Accept) never matches: egress[0] "deny-all" (Deny) matches all of its traffic first. Remove it, or move it before egress[0]'],
    ]);
    // The Accept first: nothing is shadowed.
    const reordered = cnp('guard', `tier: Baseline
priority: 1
subject: {namespaces: {}}
egress:
  - {name: allow-dns, action: Accept, to: [{namespaces: {}}], protocols: [{udp: {destinationPort: {number: 53}}}]}
  - {name: deny-all, action: Deny, to: [{namespaces: {}}]}`);
    expect(findings(reordered)).toEqual([]);
  });

  test('NP012: a GKE profile without Dataplane V2 or older than 1.36.0-gke.4447000', () => {
    const yaml = cnp('guard', 'tier: Baseline\npriority: 1\nsubject: {namespaces: {}}\ningress: [{action: Deny, from: [{namespaces: {}}]}]');
    expect(findings(yaml, { gkeVersion: '1.36.0-gke.4447000' })).toEqual([]);
    expect(findings(yaml)).toEqual([]); // not GKE: nothing to say
    const [old] = findings(yaml, { gkeVersion: '1.35.2-gke.100' });
    expect(old).toMatchObject({ id: 'NP012', severity: 'error', subject: 'cnp/guard' });
    expect(old.message).toBe('GKE does not run ClusterNetworkPolicy here: GKE 1.35.2-gke.100 is older than 1.36.0-gke.4447000, the first version that has it, '
      + 'so the cluster would ignore this guardrail. Use ClusterProfile.dataplaneV2({ gkeVersion: \'1.36.0-gke.4447000\' }) or newer, or remove the ClusterNetworkPolicy');
    const policies = parsePolicies(yaml, 'p.yaml').policies;
    const calico = lint({ policies, cluster, dataplane: 'calico', gkeVersion: '1.37.0-gke.1' }).filter((f) => f.id === 'NP012');
    expect(calico[0].message).toContain('the dataplane is calico, and GKE runs it on Dataplane V2 only');
  });

  test('NP013: nodes and domainNames peers need the experimental CRD', () => {
    const yaml = cnp('guard', 'tier: Admin\npriority: 1\nsubject: {namespaces: {}}\negress: [{action: Accept, to: [{domainNames: [api.example.com]}, {nodes: {}}]}]');
    expect(findings(yaml).map((f) => [f.id, f.message.split(',')[0]])).toEqual([
      ['NP013', 'egress[0].to[0] is a domainNames peer'],
      ['NP013', 'egress[0].to[1] is a nodes peer'],
    ]);
    expect(findings(yaml, { cnpExperimental: true })).toEqual([]);
  });

  test('NP014: an Admin Accept that overrides a default deny names the namespaces', () => {
    const yaml = `${denyAll('shop')}${denyAll('payments')}${cnp('monitoring', `tier: Admin
priority: 1
subject: {namespaces: {}}
ingress: [{name: from-monitoring, action: Accept, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}]`)}`;
    expect(findings(yaml)).toEqual([{
      id: 'NP014',
      name: 'cnp-accept-overrides-deny',
      severity: 'warning',
      subject: 'cnp/monitoring',
      message: 'ingress[0] "from-monitoring" Accept overrides the ingress default deny of namespaces payments, shop: the traffic it matches is allowed before any '
        + 'NetworkPolicy of theirs is read. Narrow its peers or protocols if that is not meant',
    }]);
    // In the Baseline tier the namespaces' NetworkPolicies come first: nothing to say.
    expect(findings(yaml.replace('tier: Admin', 'tier: Baseline'))).toEqual([]);
  });
});

import { AlwaysAllow, ClusterPods, ClusterProtocol, Selector } from '../../src';
import { ClusterFix, ClusterMessages } from '../../src/errors';
import { errorOf, manifest, manifests, newClusterChart } from '../_helpers-constructs';

const KUBE_DNS = { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } };
const DNS = [{ tcp: { destinationPort: { number: 53 } } }, { udp: { destinationPort: { number: 53 } } }];

describe('AlwaysAllow', () => {
  test('kube-dns: Admin Accept of every pod\'s egress to kube-dns, and of kube-dns\'s ingress from every pod, on DNS', () => {
    const { chart } = newClusterChart();
    const a = new AlwaysAllow(chart, 'allow-kube-dns', { to: ClusterPods.KUBE_DNS, protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP] });
    expect(manifests(chart).map((o) => o.metadata.name)).toEqual(['allow-kube-dns-egress', 'allow-kube-dns-ingress']);
    const egress = manifest(chart, 'allow-kube-dns-egress', 'ClusterNetworkPolicy');
    expect(egress).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'allow-kube-dns-egress' },
      spec: { tier: 'Admin', priority: 10, subject: { namespaces: {} }, egress: [{ name: 'allow-kube-dns', action: 'Accept', to: [KUBE_DNS], protocols: DNS }] },
    });
    expect(manifest(chart, 'allow-kube-dns-ingress', 'ClusterNetworkPolicy').spec).toEqual({
      tier: 'Admin', priority: 10, subject: KUBE_DNS, ingress: [{ name: 'allow-kube-dns', action: 'Accept', from: [{ namespaces: {} }], protocols: DNS }],
    });
    expect(a.models.map((m) => m.name)).toEqual(['allow-kube-dns-egress', 'allow-kube-dns-ingress']);
    expect(chart.policies).toEqual(a.models);
    expect(egress).toMatchSnapshot();
  });

  test('monitoring: from one namespace to every pod on every port; one side only; priority', () => {
    const { chart } = newClusterChart();
    const monitoring = ClusterPods.namespace('monitoring', Selector.labels({ app: 'prometheus' }));
    const a = new AlwaysAllow(chart, 'monitoring', { from: monitoring, ingress: true, egress: false, priority: 5 });
    expect(manifests(chart).map((o) => o.metadata.name)).toEqual(['monitoring-ingress']);
    expect(manifest(chart, 'monitoring-ingress', 'ClusterNetworkPolicy').spec).toEqual({
      tier: 'Admin',
      priority: 5,
      subject: { namespaces: {} },
      ingress: [{
        name: 'monitoring',
        action: 'Accept',
        from: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } } }],
      }],
    });
    expect(a.models).toHaveLength(1);
  });

  test('fails when nothing would be allowed', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new AlwaysAllow(chart, 'a', { to: ClusterPods.KUBE_DNS, egress: false, ingress: false })).message)
      .toBe(`AlwaysAllow cluster/a: ${ClusterMessages.allowNothing}`);
  });

  test('fails when everything would be allowed', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new AlwaysAllow(chart, 'a', {})).message).toBe(`AlwaysAllow cluster/a: ${ClusterMessages.allowEveryone}`);
  });

  test('fails on a priority the CRD refuses', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new AlwaysAllow(chart, 'a', { to: ClusterPods.KUBE_DNS, priority: -1 })).message)
      .toBe(`AlwaysAllow cluster/a priority: priority -1 is not a whole number from 0 to 1000. ${ClusterFix.priority}`);
  });
});

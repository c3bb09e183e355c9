import { BaselineDefaultDeny, Selector } from '../../src';
import { ClusterFix, ConstructMessages, Fix } from '../../src/errors';
import { errorOf, manifest, newClusterChart } from '../_helpers-constructs';

const NOT_SYSTEM = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] };

describe('BaselineDefaultDeny', () => {
  test('Baseline Deny of every pod in, every pod and address out, for every namespace but kube-system, last in the tier', () => {
    const { chart } = newClusterChart();
    const b = new BaselineDefaultDeny(chart, 'baseline-default-deny');
    const obj = manifest(chart, 'baseline-default-deny', 'ClusterNetworkPolicy');
    expect(obj).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'baseline-default-deny' },
      spec: {
        tier: 'Baseline',
        priority: 1000,
        subject: { namespaces: NOT_SYSTEM },
        ingress: [{ name: 'default-deny', action: 'Deny', from: [{ namespaces: {} }] }],
        egress: [{ name: 'default-deny', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }],
      },
    });
    expect(chart.policies).toEqual([b.model]);
    expect(obj).toMatchSnapshot();
  });

  test('some namespaces, other exceptions, one direction, priority', () => {
    const { chart } = newClusterChart();
    new BaselineDefaultDeny(chart, 'deny', { namespaces: Selector.labels({ tenant: 'a' }), exceptNamespaces: ['monitoring', 'kube-system'], ingress: false, priority: 900 });
    expect(manifest(chart, 'deny', 'ClusterNetworkPolicy').spec).toEqual({
      tier: 'Baseline',
      priority: 900,
      subject: { namespaces: { matchLabels: { tenant: 'a' }, matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'monitoring'] }] } },
      egress: [{ name: 'default-deny', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }],
    });
  });

  test('every namespace, kube-system included, when asked', () => {
    const { chart } = newClusterChart();
    new BaselineDefaultDeny(chart, 'deny', { exceptNamespaces: [], egress: false });
    expect(manifest(chart, 'deny', 'ClusterNetworkPolicy').spec.subject).toEqual({ namespaces: {} });
  });

  test('fails when nothing would be denied', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new BaselineDefaultDeny(chart, 'deny', { ingress: false, egress: false })).message).toBe(`BaselineDefaultDeny cluster/deny: ${ConstructMessages.denyNothing}`);
  });

  test('fails on an excepted namespace that is not a DNS-1123 label', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new BaselineDefaultDeny(chart, 'deny', { exceptNamespaces: ['Kube_System'] })).message).toBe(
      `BaselineDefaultDeny cluster/deny exceptNamespaces "Kube_System": must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character (DNS-1123 label). ${Fix.dns1123Label}`);
  });

  test('fails on a priority the CRD refuses', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new BaselineDefaultDeny(chart, 'deny', { priority: 1001 })).message)
      .toBe(`BaselineDefaultDeny cluster/deny priority: priority 1001 is not a whole number from 0 to 1000. ${ClusterFix.priority}`);
  });
});

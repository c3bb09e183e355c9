import { ClusterPods, Selector, TenantIsolation } from '../../src';
import { ClusterMessages, Fix } from '../../src/errors';
import { errorOf, manifest, manifests, newClusterChart } from '../_helpers-constructs';

const KUBE_DNS_PEER = { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } };
const outside = (tenant: string) => ({ namespaces: { matchExpressions: [{ key: 'tenant', operator: 'NotIn', values: [tenant] }] } });

describe('TenantIsolation', () => {
  test('one Admin policy per tenant: pass kube-dns, deny every pod outside the tenant, both ways', () => {
    const { chart } = newClusterChart();
    const t = new TenantIsolation(chart, 'tenant-isolation', { tenants: ['retail', 'telco', 'retail'] });
    expect(manifests(chart).map((o) => o.metadata.name)).toEqual(['tenant-isolation-retail', 'tenant-isolation-telco']);
    const obj = manifest(chart, 'tenant-isolation-retail', 'ClusterNetworkPolicy');
    expect(obj).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'tenant-isolation-retail' },
      spec: {
        tier: 'Admin',
        priority: 100,
        subject: { namespaces: { matchLabels: { tenant: 'retail' } } },
        ingress: [
          { name: 'exceptions', action: 'Pass', from: [KUBE_DNS_PEER] },
          { name: 'outside-tenant', action: 'Deny', from: [outside('retail')] },
        ],
        egress: [
          { name: 'exceptions', action: 'Pass', to: [KUBE_DNS_PEER] },
          { name: 'outside-tenant', action: 'Deny', to: [outside('retail')] },
        ],
      },
    });
    expect(t.models.map((m) => m.name)).toEqual(['tenant-isolation-retail', 'tenant-isolation-telco']);
    expect(chart.policies).toEqual(t.models);
    expect(t.models[1].subject).toEqual({ namespaces: { matchLabels: { tenant: 'telco' }, matchExpressions: [] } });
    expect(obj).toMatchSnapshot();
  });

  test('a label of your own, exceptions, priority and name', () => {
    const { chart } = newClusterChart();
    new TenantIsolation(chart, 'iso', {
      tenants: ['a'], label: 'example.com/team', exceptions: [ClusterPods.namespace('monitoring'), ClusterPods.KUBE_DNS], priority: 300, policyName: 'teams',
    });
    const spec = manifest(chart, 'teams-a', 'ClusterNetworkPolicy').spec;
    expect(spec.priority).toBe(300);
    expect(spec.subject).toEqual({ namespaces: { matchLabels: { 'example.com/team': 'a' } } });
    expect(spec.ingress[0]).toEqual({ name: 'exceptions', action: 'Pass', from: [KUBE_DNS_PEER, { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] });
    expect(spec.egress[1].to).toEqual([{ namespaces: { matchExpressions: [{ key: 'example.com/team', operator: 'NotIn', values: ['a'] }] } }]);
  });

  test('without exceptions only the deny', () => {
    const { chart } = newClusterChart();
    new TenantIsolation(chart, 'iso', { tenants: ['a'], exceptions: [] });
    const spec = manifest(chart, 'iso-a', 'ClusterNetworkPolicy').spec;
    expect(spec.ingress).toEqual([{ name: 'outside-tenant', action: 'Deny', from: [outside('a')] }]);
    expect(spec.egress).toEqual([{ name: 'outside-tenant', action: 'Deny', to: [outside('a')] }]);
  });

  test('fails without tenants', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new TenantIsolation(chart, 'iso', { tenants: [] })).message).toBe(`TenantIsolation cluster/iso: ${ClusterMessages.noTenants}`);
  });

  test('fails on a tenant that is not a label value', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new TenantIsolation(chart, 'iso', { tenants: ['-a'] })).message).toBe(
      `TenantIsolation cluster/iso tenants "-a": a label value must be empty or consist of alphanumeric characters, "-", "_" or ".", and start and end with an alphanumeric character. ${Fix.labelValue}`);
  });

  test('fails on a tenant that cannot name a policy', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new TenantIsolation(chart, 'iso', { tenants: ['Team_A'] })).message).toBe(`TenantIsolation cluster/iso tenants "Team_A": ${ClusterMessages.tenantPolicyName('Team_A', 'iso-Team_A',
      'must consist of lower case alphanumeric characters, "-" or ".", and start and end with an alphanumeric character (DNS-1123 subdomain)')}`);
  });

  test('fails on a label that is not a label key', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new TenantIsolation(chart, 'iso', { tenants: ['a'], label: 'a/b/c' })).message)
      .toBe(`TenantIsolation cluster/iso label "a/b/c": a label key has at most one "/" (optional DNS subdomain prefix, then a name). ${Fix.labelKey}`);
  });

  test('fails on a priority the CRD refuses', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new TenantIsolation(chart, 'iso', { tenants: ['a'], priority: 5000 })).message)
      .toBe('TenantIsolation cluster/iso priority: priority 5000 is not a whole number from 0 to 1000. Use a whole number from 0 to 1000; lower goes first within the tier, e.g. 10');
  });

  test('selects namespaces by the tenant label', () => {
    expect(String(ClusterPods.namespaces(Selector.labels({ tenant: 'a' })))).toBe('all pods in namespaces tenant=a');
  });
});

import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PolicyChart } from '../../src';
import { ClusterFix, ClusterMessages, Fix } from '../../src/errors';
import { ClusterPeer, ClusterPods } from '../../src/values/cluster-peer';
import { LabelExpression, Selector } from '../../src/values/selector';
import { errorOf } from '../_helpers-constructs';

const NAME = 'kubernetes.io/metadata.name';

describe('ClusterPods', () => {
  test('namespaces by labels: the namespaces form', () => {
    const p = ClusterPods.namespaces(Selector.labels({ tenant: 'a' }));
    expect(p.model).toEqual({ namespaces: { matchLabels: { tenant: 'a' }, matchExpressions: [] } });
    expect(String(p)).toBe('all pods in namespaces tenant=a');
    expect(p.toClusterPeer().model).toEqual({ kind: 'pods', namespaces: { matchLabels: { tenant: 'a' }, matchExpressions: [] } });
    expect(p.toClusterPeer().isIngressPeer).toBe(true);
  });

  test('pods of namespaces: the pods form (namespace AND pod labels)', () => {
    const p = ClusterPods.namespaces(Selector.labels({ tenant: 'a' }), Selector.labels({ app: 'web' }));
    expect(p.model).toEqual({ namespaces: { matchLabels: { tenant: 'a' }, matchExpressions: [] }, pods: { matchLabels: { app: 'web' }, matchExpressions: [] } });
    expect(String(p)).toBe('pods app=web in namespaces tenant=a');
  });

  test('a pod selector of every pod is the namespaces form', () => {
    expect(ClusterPods.allNamespaces(Selector.all()).model).toEqual({ namespaces: { matchLabels: {}, matchExpressions: [] } });
    expect(String(ClusterPods.allNamespaces())).toBe('all pods in all namespaces');
  });

  test('one namespace by name, several by an In expression', () => {
    expect(ClusterPods.namespace('monitoring').model).toEqual({ namespaces: { matchLabels: { [NAME]: 'monitoring' }, matchExpressions: [] } });
    expect(String(ClusterPods.namespace('monitoring'))).toBe('all pods in ns monitoring');
    expect(ClusterPods.podsIn({ namespaces: ['b', 'a', 'b'] }).model.namespaces.matchExpressions).toEqual([{ key: NAME, operator: 'In', values: ['a', 'b'] }]);
  });

  test('names and labels of namespaces are ANDed', () => {
    const p = ClusterPods.podsIn({ namespaces: ['x'], namespaceSelector: Selector.expressions(LabelExpression.exists('tenant')), pods: Selector.labels({ app: 'a' }) });
    expect(p.model).toEqual({
      namespaces: { matchLabels: { [NAME]: 'x' }, matchExpressions: [{ key: 'tenant', operator: 'Exists', values: [] }] },
      pods: { matchLabels: { app: 'a' }, matchExpressions: [] },
    });
  });

  test('kube-dns', () => {
    expect(ClusterPods.KUBE_DNS.model).toEqual({
      namespaces: { matchLabels: { [NAME]: 'kube-system' }, matchExpressions: [] },
      pods: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] },
    });
  });

  test('a cdk8s-plus workload: its template selector in its namespace', () => {
    const chart = new PolicyChart(Testing.app(), 'shop', { namespace: 'shop' });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web' }] });
    const p = ClusterPods.workload(web);
    expect(p.model.namespaces).toEqual({ matchLabels: { [NAME]: 'shop' }, matchExpressions: [] });
    expect(p.model.pods!.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
  });

  test('is immutable', () => {
    expect(Object.isFrozen(ClusterPods.namespace('a').model)).toBe(true);
  });

  test('fails on a workload without a namespace', () => {
    expect(errorOf(() => ClusterPods.workload(Selector.labels({ app: 'web' }))).message).toBe(`ClusterPods.workload: ${ClusterMessages.noNamespace('app=web')}`);
  });

  test('fails on a namespace name that is not a DNS-1123 label', () => {
    expect(errorOf(() => ClusterPods.namespace('Shop')).message).toBe(
      `ClusterPods.namespace namespace "Shop": must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character (DNS-1123 label). ${Fix.dns1123Label}`);
  });

  test('fails on an empty list of namespaces', () => {
    expect(errorOf(() => ClusterPods.podsIn({ namespaces: [] })).message).toBe(`ClusterPods.podsIn: ${ClusterMessages.emptyNamespaces}`);
  });
});

describe('ClusterPeer', () => {
  test('networks: canonical, sorted, de-duplicated, IPv4 and IPv6; egress only', () => {
    const p = ClusterPeer.networks('fd00::/8', '10.0.0.0/8', '10.0.0.0/8', '2600:2d00:0:0::/64');
    expect(p.model).toEqual({ kind: 'networks', cidrs: ['10.0.0.0/8', '2600:2d00::/64', 'fd00::/8'] });
    expect(String(p)).toBe('networks 10.0.0.0/8,2600:2d00::/64,fd00::/8');
    expect(p.isIngressPeer).toBe(false);
    expect(p.toClusterPeer()).toBe(p);
  });

  test('nodes by labels', () => {
    expect(ClusterPeer.nodes(Selector.labels({ pool: 'gpu' })).model).toEqual({ kind: 'nodes', selector: { matchLabels: { pool: 'gpu' }, matchExpressions: [] } });
    expect(String(ClusterPeer.nodes(Selector.all()))).toBe('nodes all');
  });

  test('domain names, sorted and de-duplicated', () => {
    const p = ClusterPeer.domainNames('*.googleapis.com', 'api.example.com', 'api.example.com');
    expect(p.model).toEqual({ kind: 'domainNames', names: ['*.googleapis.com', 'api.example.com'] });
    expect(String(p)).toBe('domain names *.googleapis.com,api.example.com');
  });

  test('is immutable', () => {
    expect(Object.isFrozen(ClusterPeer.networks('10.0.0.0/8').model)).toBe(true);
  });

  test('fails on a CIDR with host bits set', () => {
    expect(errorOf(() => ClusterPeer.networks('10.0.0.1/8')).message).toBe(`ClusterPeer.networks cidrs[0]: CIDR "10.0.0.1/8" has host bits set. ${Fix.cidrHostBits('10.0.0.0/8')}`);
  });

  test('fails on an invalid CIDR', () => {
    expect(errorOf(() => ClusterPeer.networks('10.0.0.0/8', '999.1.1.1/8')).message).toMatch(/^ClusterPeer\.networks cidrs\[1\]: invalid CIDR "999\.1\.1\.1\/8": .+\. Write an address and a prefix length/);
  });

  test('fails without networks, or with more than 25', () => {
    expect(errorOf(() => ClusterPeer.networks()).message).toBe(`ClusterPeer.networks: 0 CIDRs in a networks peer; it has 1 to 25. ${ClusterFix.networks}`);
    const many = Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`);
    expect(errorOf(() => ClusterPeer.networks(...many)).message).toBe(`ClusterPeer.networks: 26 CIDRs in a networks peer; it has 1 to 25. ${ClusterFix.networks}`);
  });

  test('fails on a domain name the CRD refuses', () => {
    expect(errorOf(() => ClusterPeer.domainNames('api.*.example.com')).message).toBe(
      `ClusterPeer.domainNames: domain name "api.*.example.com" must be a domain name of at least two labels (letters, digits, "-" and "_"), with "*." only as a prefix. ${ClusterFix.domainName}`);
    expect(errorOf(() => ClusterPeer.domainNames('localhost')).message).toContain('domain name "localhost" must be a domain name of at least two labels');
  });

  test('fails without domain names', () => {
    expect(errorOf(() => ClusterPeer.domainNames()).message).toBe(`ClusterPeer.domainNames: 0 names in a domainNames peer; it has 1 to 25. ${ClusterFix.domainNames}`);
  });
});

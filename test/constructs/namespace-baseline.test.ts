import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BASELINE_POLICY_NAMES, DeclaredWorkload, Externals, NamespaceBaseline, PolicyChart, Port, Selector, verifyApp,
} from '../../src';
import { BaselineMessages } from '../../src/errors';
import { DPV2, errorOf, manifest, manifests, validateAll } from '../_helpers-constructs';

function threeNamespaces() {
  const app = Testing.app();
  const charts = ['shop', 'payments', 'search'].map((ns) => new PolicyChart(app, ns, { namespace: ns, profile: DPV2 }));
  const apps = charts.map((c) => {
    const d = new kplus.Deployment(c, 'app', { select: false, podMetadata: { labels: { app: c.namespace } }, containers: [{ image: 'example/app:1', ports: [{ number: 9100, name: 'metrics' }, { number: 8080 }] }] });
    d.select(kplus.LabelSelector.of({ labels: { app: c.namespace } }));
    return d;
  });
  const monitoring = new PolicyChart(app, 'monitoring', { namespace: 'monitoring', profile: DPV2 });
  const prometheus = new DeclaredWorkload(monitoring, 'prometheus', { labels: { app: 'prometheus' } });
  return { app, charts, apps, monitoring, prometheus };
}

describe('NamespaceBaseline', () => {
  test('over three namespaces: default deny, DNS, metrics scraping and metadata server in each chart', () => {
    const { app, charts, apps, monitoring, prometheus } = threeNamespaces();
    const baseline = new NamespaceBaseline(app, 'baseline', {
      namespaces: ['shop', 'payments', 'search'],
      nodeLocalDnsCache: true,
      metricsNamespace: 'monitoring',
      metricsPods: Selector.labels({ app: 'prometheus' }),
      metricsPorts: [Port.named('metrics')],
      metadataServer: true,
    });
    expect(baseline.namespaces).toEqual(['shop', 'payments', 'search']);
    for (const chart of charts) {
      const names = manifests(chart).filter((m) => m.kind === 'NetworkPolicy').map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
      expect(names).toEqual(['default-deny', 'allow-dns', 'allow-metrics-scraping', 'allow-metadata-server'].map((n) => `${chart.namespace}/${n}`));
      expect(baseline.policiesOf(chart.namespace).map((p) => p.policyName)).toEqual(Object.values(BASELINE_POLICY_NAMES));
      expect(validateAll(manifests(chart))).toBe(4);
    }
    expect(manifests(monitoring).filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
    const payments = charts[1];
    expect(manifest(payments, 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(manifest(payments, 'allow-metrics-scraping').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
        ports: [{ port: 'metrics', protocol: 'TCP' }],
      }],
    });
    expect(manifest(payments, 'allow-dns').spec.egress[0].to).toContainEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
    expect(manifest(payments, 'allow-metadata-server').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ port: 80, protocol: 'TCP' }] }]);

    const [shop] = charts;
    shop.expect(apps[0]).cannotReach(apps[1]);
    shop.expect(apps[2]).cannotReach(apps[0]);
    shop.expect(apps[0]).canReach(Externals.KUBE_DNS, Port.DNS_UDP);
    shop.expect(apps[0]).canReach(Externals.NODE_LOCAL_DNS, Port.DNS_UDP);
    shop.expect(apps[0]).canReach(Externals.METADATA_SERVER, Port.tcp(80));
    shop.expect(prometheus).canReach(apps[2], Port.tcp(9100));
    shop.expect(prometheus).cannotReach(apps[2], Port.tcp(8080));
    shop.expect(apps[2]).cannotReach(Externals.INTERNET);
    expect(verifyApp(app).results.map((r) => [r.intent.kind, r.holds])).toEqual([
      ['cannotReach', true], ['cannotReach', true], ['canReach', true], ['canReach', true], ['canReach', true],
      ['canReach', true], ['cannotReach', true], ['cannotReach', true],
    ]);
  });

  test('charts instead of names; without options only default deny and kube-dns', () => {
    const { app, charts } = threeNamespaces();
    const baseline = new NamespaceBaseline(app, 'baseline', { charts: [charts[0]], namespaces: ['search'] });
    expect(baseline.namespaces).toEqual(['shop', 'search']);
    expect(manifests(charts[0]).filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name)).toEqual(['default-deny', 'allow-dns']);
    expect(manifest(charts[2], 'allow-dns').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
    }]);
    expect(manifests(charts[1]).filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('fails when a namespace has no PolicyChart', () => {
    const { app } = threeNamespaces();
    expect(errorOf(() => new NamespaceBaseline(app, 'baseline', { namespaces: ['shop', 'ledger'] })).message)
      .toBe(`NamespaceBaseline baseline namespaces[1]: ${BaselineMessages.noChart('ledger')}`);
  });

  test('fails when a namespace is listed twice', () => {
    const { app, charts } = threeNamespaces();
    expect(errorOf(() => new NamespaceBaseline(app, 'baseline', { namespaces: ['shop'], charts: [charts[0]] })).message)
      .toBe(`NamespaceBaseline baseline: ${BaselineMessages.twice('shop')}`);
  });

  test('fails when nothing is given', () => {
    const { app } = threeNamespaces();
    expect(errorOf(() => new NamespaceBaseline(app, 'baseline', {})).message).toBe(`NamespaceBaseline baseline: ${BaselineMessages.nothing}`);
  });

  test('fails when a chart already has a policy of a baseline name', () => {
    const { app, charts } = threeNamespaces();
    new NamespaceBaseline(app, 'first', { namespaces: ['shop'] });
    expect(errorOf(() => new NamespaceBaseline(app, 'second', { namespaces: ['shop'] })).message)
      .toBe(`NamespaceBaseline second: ${BaselineMessages.taken('shop', 'default-deny')}`);
    expect(charts[0].policies.length).toBe(2);
  });

  test('fails when metrics are half configured', () => {
    const { app } = threeNamespaces();
    expect(errorOf(() => new NamespaceBaseline(app, 'a', { namespaces: ['shop'], metricsNamespace: 'monitoring' })).message)
      .toBe(`NamespaceBaseline a metricsPorts: ${BaselineMessages.metricsPorts}`);
    expect(errorOf(() => new NamespaceBaseline(app, 'b', { namespaces: ['shop'], metricsPorts: [Port.tcp(9100)] })).message)
      .toBe(`NamespaceBaseline b: ${BaselineMessages.metricsWithoutNamespace}`);
    expect(errorOf(() => new NamespaceBaseline(app, 'c', { namespaces: ['shop'], metricsNamespace: 'Monitoring', metricsPorts: [Port.tcp(9100)] })).message)
      .toMatch(/^NamespaceBaseline c metricsNamespace: namespace "Monitoring" /);
  });
});

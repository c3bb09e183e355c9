import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowFrom, AllowMetadataServer, DefaultDeny, impliedExternalsOf, policiesOf, PolicyChart } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { policyId } from '../../src/model/policy';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { Peer } from '../../src/values/peer';
import { DPV2, errorOf, manifests, newChart } from '../_helpers-constructs';

describe('PolicyChart', () => {
  test('binds a namespace and a profile', () => {
    const { chart } = newChart(DPV2);
    expect(chart.namespace).toBe('shop');
    expect(chart.profile).toBe(DPV2);
    expect(newChart(undefined, 'x').chart.profile.dataplane).toBe('upstream');
  });

  test('PolicyChart.of finds the chart from a nested construct', () => {
    const { chart } = newChart();
    const inner = new Construct(new Construct(chart, 'a'), 'b');
    expect(PolicyChart.of(inner)).toBe(chart);
    expect(PolicyChart.of(chart)).toBe(chart);
  });

  test('fails on an invalid namespace', () => {
    const app = Testing.app();
    expect(errorOf(() => new PolicyChart(app, 'c', { namespace: 'Shop' })).message)
      .toContain('PolicyChart c: namespace "Shop" must consist of lower case alphanumeric characters');
  });

  test('fails on a namespace that is too long', () => {
    const app = Testing.app();
    expect(errorOf(() => new PolicyChart(app, 'c', { namespace: 'n'.repeat(64) })).reason).toContain('must be at most 63 characters, got 64');
  });

  test('fails on an invalid label key', () => {
    const app = Testing.app();
    expect(errorOf(() => new PolicyChart(app, 'c', { namespace: 'shop', labels: { 'a b': 'x' } })).message).toContain('PolicyChart c labels key "a b"');
  });

  test('labels reach the objects and the models', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'c', { namespace: 'shop', labels: { team: 'web' } });
    const deny = new DefaultDeny(chart, 'deny');
    expect(deny.model.labels).toEqual({ team: 'web' });
    expect(manifests(chart)[0].metadata.labels).toEqual({ team: 'web' });
  });

  test('a policy outside any PolicyChart is refused', () => {
    const chart = new Chart(Testing.app(), 'plain');
    expect(errorOf(() => new DefaultDeny(chart, 'deny')).reason).toBe(ConstructMessages.notInPolicyChart);
  });

  test('chart.policies holds explicit models with the construct path', () => {
    const { chart } = newChart();
    new DefaultDeny(chart, 'deny');
    new AllowFrom(chart, 'from-web', { from: [Peer.namespace('web')] });
    expect(chart.policies.map((p) => p.name)).toEqual(['deny', 'from-web']);
    expect(chart.policies[1]).toEqual({
      kind: 'NetworkPolicy',
      name: 'from-web',
      namespace: 'shop',
      labels: {},
      annotations: {},
      podSelector: { matchLabels: {}, matchExpressions: [] },
      policyTypes: ['Ingress'],
      ingress: [{
        peers: [{ kind: 'pods', namespaces: { kind: 'selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' }, matchExpressions: [] } }, pods: { matchLabels: {}, matchExpressions: [] } }],
        ports: 'all',
      }],
      egress: [],
      source: { constructPath: 'shop/from-web' },
    });
    expect(Object.isFrozen(chart.policies[1])).toBe(true);
  });

  test('policiesOf collects across charts, sorted, and by scope', () => {
    const app = Testing.app();
    const b = new PolicyChart(app, 'b', { namespace: 'zeta' });
    const a = new PolicyChart(app, 'a', { namespace: 'alpha' });
    new DefaultDeny(b, 'z-deny');
    new DefaultDeny(b, 'a-deny');
    new DefaultDeny(a, 'deny');
    expect(policiesOf(app).map(policyId)).toEqual(['alpha/deny', 'zeta/a-deny', 'zeta/z-deny']);
    expect(policiesOf(b).map((p) => p.name)).toEqual(['a-deny', 'z-deny']);
  });

  test('fails on two policies with the same name in a chart', () => {
    const { chart } = newChart();
    const scope = new Construct(chart, 'scope');
    new DefaultDeny(chart, 'deny');
    expect(errorOf(() => new DefaultDeny(scope, 'deny')).message)
      .toBe(`DefaultDeny shop/scope/deny: ${ConstructMessages.duplicatePolicy('NetworkPolicy', 'shop', 'deny', 'shop/deny')}`);
  });

  test('fails (at synth and in policiesOf) on the same policy from two charts of one namespace', () => {
    const app = new App({ outdir: '/nonexistent-netproof' });
    new DefaultDeny(new PolicyChart(app, 'one', { namespace: 'shop' }), 'deny');
    new DefaultDeny(new PolicyChart(app, 'two', { namespace: 'shop' }), 'deny');
    expect(() => app.synthYaml()).toThrow(/a NetworkPolicy named "deny" already exists in namespace "shop"/);
    expect(errorOf(() => policiesOf(app)).message).toContain('two/deny: a NetworkPolicy named "deny" already exists');
  });

  test('implied externals are recorded', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'c', { namespace: 'shop', profile: ClusterProfile.upstream({ gkeVersion: '1.27.3-gke.100' }) });
    new AllowMetadataServer(chart, 'md');
    expect(chart.impliedExternals).toEqual([
      { name: 'metadata-server', ip: '169.254.169.252', cidr: '169.254.169.252/32', hostname: 'metadata.google.internal', source: { constructPath: 'c/md' } },
    ]);
    expect(impliedExternalsOf(app)).toEqual(chart.impliedExternals);
  });
});

import { Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowFrom, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterPods, ClusterPolicyChart, ClusterProfile, ClusterRule, ClusterTier, DefaultDeny,
  Endpoints, policiesOf, PolicyChart, PodNetworkScoped, Selector, verifyApp,
} from '../../src';
import { layOut } from '../../src/cli/_app';
import { ClusterMessages, ConstructMessages } from '../../src/errors';
import { policyId } from '../../src/model/policy';
import { Peer } from '../../src/values/peer';
import { CNP_DPV2, errorOf, manifests, newClusterChart } from '../_helpers-constructs';

describe('ClusterPolicyChart', () => {
  test('its objects have no namespace and carry the chart labels', () => {
    const app = Testing.app();
    const chart = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2, labels: { 'app.kubernetes.io/managed-by': 'platform' } });
    new kplus.Namespace(chart, 'shop', { metadata: { name: 'shop', labels: { tenant: 'retail' } } });
    new BaselineDefaultDeny(chart, 'baseline');
    const objs = manifests(chart);
    expect(objs.map((o) => [o.kind, o.metadata.name, o.metadata.namespace, o.metadata.labels])).toEqual([
      ['Namespace', 'shop', undefined, { 'app.kubernetes.io/managed-by': 'platform', 'tenant': 'retail' }],
      ['ClusterNetworkPolicy', 'baseline', undefined, { 'app.kubernetes.io/managed-by': 'platform' }],
    ]);
    expect(chart.namespace).toBeUndefined();
    expect(chart.policies.map(policyId)).toEqual(['cnp/baseline']);
    expect(chart.policies[0].labels).toEqual({ 'app.kubernetes.io/managed-by': 'platform' });
  });

  test('is a netproof chart but not a PolicyChart', () => {
    const { chart } = newClusterChart();
    expect(ClusterPolicyChart.isClusterPolicyChart(chart)).toBe(true);
    expect(PolicyChart.isPolicyChart(chart)).toBe(false);
    expect(ClusterPolicyChart.isClusterPolicyChart(new PolicyChart(Testing.app(), 'shop', { namespace: 'shop' }))).toBe(false);
    expect(chart.profile).toBe(CNP_DPV2);
    expect(new ClusterPolicyChart(Testing.app(), 'c').profile.dataplane).toBe('upstream');
  });

  test('ClusterPolicyChart.of finds the chart from a nested construct', () => {
    const { chart } = newClusterChart();
    const p = new BaselineDefaultDeny(chart, 'baseline');
    expect(ClusterPolicyChart.of(p)).toBe(chart);
    expect(p.chart).toBe(chart);
  });

  test('cluster-scoped policies of every chart are listed first, and synthesize once', () => {
    const app = Testing.app();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop', profile: CNP_DPV2 });
    new DefaultDeny(shop, 'deny');
    const cluster = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2 });
    new BaselineDefaultDeny(cluster, 'baseline');
    expect(policiesOf(app).map(policyId)).toEqual(['cnp/baseline', 'shop/deny']);
    const all = app.charts.flatMap((c) => c.toJson());
    expect(all.filter((o: any) => o.kind === 'ClusterNetworkPolicy')).toHaveLength(1);
    expect(verifyApp(app).model.policies.map(policyId)).toEqual(['cnp/baseline', 'shop/deny']);
  });

  test('netproof synth --layout namespace writes its objects to _cluster.yaml', () => {
    const app = Testing.app();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop', profile: CNP_DPV2 });
    new DefaultDeny(shop, 'deny');
    const cluster = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2 });
    new kplus.Namespace(cluster, 'ns', { metadata: { name: 'shop' } });
    new BaselineDefaultDeny(cluster, 'baseline');
    const files = new Map(app.charts.map((c) => [`${c.node.id}.k8s.yaml`, Yaml.stringify(...c.toJson())]));
    const out = layOut(files, 'namespace');
    expect([...out.keys()]).toEqual(['_cluster.yaml', 'kustomization.yaml', 'shop.yaml']);
    expect(out.get('_cluster.yaml')).toContain('kind: Namespace');
    expect(out.get('_cluster.yaml')).toContain('kind: ClusterNetworkPolicy\nmetadata:\n  name: baseline\nspec:');
    expect(out.get('shop.yaml')).not.toContain('ClusterNetworkPolicy');
    expect(layOut(files, 'chart').get('cluster.k8s.yaml')).toBe(files.get('cluster.k8s.yaml'));
  });

  test('intents name namespaces (a bare Selector has no namespace here)', () => {
    const { chart } = newClusterChart();
    expect(() => chart.expect(Endpoints.namespace('shop')).cannotReach(Endpoints.namespace('cnf'))).not.toThrow();
    expect(chart.intents).toHaveLength(1);
    expect(errorOf(() => chart.expect(Selector.labels({ app: 'web' })).isIsolated('ingress')).message).toContain('Endpoints.pods: no namespace for pods app=web');
  });

  test('must agree with the other charts on the cluster', () => {
    const app = Testing.app();
    new PolicyChart(app, 'shop', { namespace: 'shop', profile: CNP_DPV2 });
    new ClusterPolicyChart(app, 'cluster', { profile: ClusterProfile.dataplaneV2({ gkeVersion: '1.36.1-gke.100' }) });
    expect(errorOf(() => verifyApp(app)).message).toBe('ClusterPolicyChart cluster: its cluster profile has GKE version 1.36.1-gke.100, but PolicyChart shop has 1.36.0-gke.4447000; '
      + 'one app describes one cluster. Give every PolicyChart of the app the same ClusterProfile');
  });

  test('fails on a label that is not a Kubernetes label', () => {
    expect(errorOf(() => new ClusterPolicyChart(Testing.app(), 'cluster', { labels: { 'bad key': 'x' } })).message)
      .toContain('ClusterPolicyChart cluster labels key "bad key": the name part must consist of alphanumeric characters');
  });

  test('fails when a NetworkPolicy construct is created in it', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new DefaultDeny(chart, 'deny')).message).toBe(`PolicyChart.of cluster/deny: ${ClusterMessages.inClusterChart('cluster')}`);
    expect(errorOf(() => new AllowFrom(chart, 'from', { from: [Peer.anyone()] })).message).toBe(`PolicyChart.of cluster/from: ${ClusterMessages.inClusterChart('cluster')}`);
    expect(errorOf(() => new PodNetworkScoped(chart, 'blue', { network: 'blue' })).message).toBe(`PolicyChart.of cluster/blue: ${ClusterMessages.inClusterChart('cluster')}`);
  });

  test('fails when a ClusterNetworkPolicy is created in a PolicyChart, or outside any chart', () => {
    const app = Testing.app();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop', profile: CNP_DPV2 });
    const all = ClusterPods.allNamespaces();
    const props = { tier: ClusterTier.ADMIN, priority: 1, subject: all, ingress: [ClusterRule.deny([all])] };
    expect(errorOf(() => new ClusterNetworkPolicy(shop, 'p', props)).message).toBe(`ClusterNetworkPolicy shop/p: ${ClusterMessages.inPolicyChart('shop', 'shop')}`);
    expect(errorOf(() => new BaselineDefaultDeny(app, 'b')).message).toBe(`BaselineDefaultDeny b: ${ClusterMessages.notInClusterChart}`);
    expect(errorOf(() => ClusterPolicyChart.of(shop)).message).toBe(`ClusterPolicyChart.of shop: ${ClusterMessages.inPolicyChart('shop', 'shop')}`);
  });

  test('fails on two policies of one name, in one chart or in two', () => {
    const { app, chart } = newClusterChart();
    new BaselineDefaultDeny(chart, 'baseline');
    expect(errorOf(() => new BaselineDefaultDeny(chart, 'again', { policyName: 'baseline' })).message)
      .toBe(`BaselineDefaultDeny cluster/again: ${ConstructMessages.duplicatePolicy('ClusterNetworkPolicy', '(cluster)', 'baseline', 'cluster/baseline')}`);
    const other = new ClusterPolicyChart(app, 'other', { profile: CNP_DPV2 });
    new BaselineDefaultDeny(other, 'baseline');
    expect(errorOf(() => policiesOf(app)).message)
      .toBe(`policiesOf: other/baseline: ${ConstructMessages.duplicatePolicy('ClusterNetworkPolicy', '(cluster)', 'baseline', 'cluster/baseline')}`);
    expect(() => Testing.synth(other)).toThrow(ConstructMessages.duplicatePolicy('ClusterNetworkPolicy', '(cluster)', 'baseline', 'cluster/baseline'));
  });
});

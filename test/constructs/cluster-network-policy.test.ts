import * as kplus from 'cdk8s-plus-28';
import {
  ClusterNetworkPolicy, ClusterPeer, ClusterPods, ClusterProfile, ClusterProtocol, ClusterRule, ClusterTier, PolicyChart, Selector,
} from '../../src';
import { ClusterFix, ClusterMessages, ConstructMessages } from '../../src/errors';
import { CNP_MIN_GKE_VERSION } from '../../src/model/gke';
import { CNP_DPV2, errorOf, manifest, manifests, newClusterChart } from '../_helpers-constructs';

const ALL = ClusterPods.allNamespaces();
const TENANT_A = ClusterPods.namespaces(Selector.labels({ tenant: 'a' }));
const denyAll = ClusterRule.deny([ALL]);

describe('ClusterNetworkPolicy', () => {
  test('emits a cluster-scoped policy.networking.k8s.io/v1alpha2 object, rules in order', () => {
    const { chart } = newClusterChart();
    const p = new ClusterNetworkPolicy(chart, 'TenantA', {
      tier: ClusterTier.ADMIN,
      priority: 20,
      subject: TENANT_A,
      ingress: [
        ClusterRule.pass([TENANT_A], { name: 'same-tenant' }),
        ClusterRule.accept([ClusterPods.namespace('monitoring', Selector.labels({ app: 'prometheus' }))], { protocols: [ClusterProtocol.namedPort('metrics')] }),
        denyAll,
      ],
      egress: [
        ClusterRule.accept([ClusterPeer.domainNames('*.googleapis.com')], { protocols: [ClusterProtocol.HTTPS] }),
        ClusterRule.deny([ClusterPeer.networks('169.254.169.254/32'), ClusterPeer.nodes(Selector.all())], { protocols: [ClusterProtocol.allTcp(), ClusterProtocol.udpRange(1, 1024)] }),
      ],
    });
    const obj = manifest(chart, 'tenant-a', 'ClusterNetworkPolicy');
    expect(obj).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'tenant-a' },
      spec: {
        tier: 'Admin',
        priority: 20,
        subject: { namespaces: { matchLabels: { tenant: 'a' } } },
        ingress: [
          { name: 'same-tenant', action: 'Pass', from: [{ namespaces: { matchLabels: { tenant: 'a' } } }] },
          {
            action: 'Accept',
            from: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } } }],
            protocols: [{ destinationNamedPort: 'metrics' }],
          },
          { action: 'Deny', from: [{ namespaces: {} }] },
        ],
        egress: [
          { action: 'Accept', to: [{ domainNames: ['*.googleapis.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] },
          {
            action: 'Deny',
            to: [{ networks: ['169.254.169.254/32'] }, { nodes: {} }],
            protocols: [
              { tcp: { destinationPort: { range: { start: 1, end: 65535 } } } },
              { udp: { destinationPort: { range: { start: 1, end: 1024 } } } },
            ],
          },
        ],
      },
    });
    expect(obj.metadata.namespace).toBeUndefined();
    expect(p.model).toMatchObject({ kind: 'ClusterNetworkPolicy', name: 'tenant-a', tier: 'Admin', priority: 20, source: { constructPath: 'cluster/TenantA' } });
    expect(chart.policies).toEqual([p.model]);
    expect(Object.isFrozen(p.model.ingress[0])).toBe(true);
    expect(obj).toMatchSnapshot();
  });

  test('a Baseline policy, the pods form of the subject, a workload, policyName', () => {
    const { app, chart } = newClusterChart();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop', profile: CNP_DPV2 });
    const db = new kplus.StatefulSet(shop, 'db', { containers: [{ image: 'postgres', portNumber: 5432 }], select: false, podMetadata: { labels: { app: 'db' } } });
    db.select(kplus.LabelSelector.of({ labels: { app: 'db' } }));
    new ClusterNetworkPolicy(chart, 'db', {
      tier: ClusterTier.BASELINE, priority: 0, policyName: 'db-baseline', subject: ClusterPods.workload(db), ingress: [denyAll],
    });
    expect(manifest(chart, 'db-baseline', 'ClusterNetworkPolicy').spec).toEqual({
      tier: 'Baseline',
      priority: 0,
      subject: { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'db' } } } },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
    });
  });

  test('runs on any profile without a GKE version (any implementation), and on GKE from 1.36.0-gke.4447000 on Dataplane V2', () => {
    const profiles = [
      ClusterProfile.upstream(), ClusterProfile.calico(), ClusterProfile.dataplaneV2(),
      ClusterProfile.dataplaneV2({ gkeVersion: CNP_MIN_GKE_VERSION }),
    ];
    for (const profile of profiles) {
      const { chart } = newClusterChart(profile);
      new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, ingress: [denyAll] });
      expect(manifests(chart)).toHaveLength(1);
    }
  });

  test('fails on GKE without Dataplane V2', () => {
    const { chart } = newClusterChart(ClusterProfile.calico({ gkeVersion: '1.36.1-gke.100' }));
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, ingress: [denyAll] })).message)
      .toBe(`ClusterNetworkPolicy cluster/p: ${ConstructMessages.needsDataplaneV2('ClusterNetworkPolicy on GKE', 'calico')}`);
  });

  test('fails on GKE before 1.36.0-gke.4447000', () => {
    const { chart } = newClusterChart(ClusterProfile.dataplaneV2({ gkeVersion: '1.36.0-gke.4446999' }));
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, ingress: [denyAll] })).message)
      .toBe(`ClusterNetworkPolicy cluster/p: ${ClusterMessages.gkeVersion('1.36.0-gke.4446999', '1.36.0-gke.4447000')}`);
    expect(ClusterMessages.gkeVersion('1.29.1-gke.1589000', CNP_MIN_GKE_VERSION)).toBe(
      'ClusterNetworkPolicy on GKE needs GKE 1.36.0-gke.4447000 or later (a Preview on Dataplane V2), but the chart\'s cluster profile has GKE 1.29.1-gke.1589000. '
      + 'Upgrade the cluster and set gkeVersion to its version, or remove the construct');
  });

  test('fails without rules', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, ingress: [], egress: [] })).message)
      .toBe(`ClusterNetworkPolicy cluster/p: ${ClusterMessages.nothing}`);
  });

  test('fails when priority is 1001, negative or not whole', () => {
    const { chart } = newClusterChart();
    [1001, -1, 2.5].forEach((priority, i) => {
      expect(errorOf(() => new ClusterNetworkPolicy(chart, `p${i}`, { tier: ClusterTier.ADMIN, priority, subject: ALL, ingress: [denyAll] })).message)
        .toBe(`ClusterNetworkPolicy cluster/p${i} priority: priority ${priority} is not a whole number from 0 to 1000. ${ClusterFix.priority}`);
    });
  });

  test('fails on an unknown tier', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: 'Developer' as ClusterTier, priority: 1, subject: ALL, ingress: [denyAll] })).message)
      .toBe(`ClusterNetworkPolicy cluster/p tier: tier "Developer" is not Admin or Baseline. ${ClusterFix.tier}`);
  });

  test('fails on a networks, nodes or domainNames peer in an ingress rule', () => {
    const { chart } = newClusterChart();
    const cases: [ClusterPeer, string][] = [[ClusterPeer.networks('10.0.0.0/8'), 'networks'], [ClusterPeer.nodes(Selector.all()), 'nodes'], [ClusterPeer.domainNames('a.example.com'), 'domainNames']];
    cases.forEach(([peer, kind], i) => {
      const rule = kind === 'domainNames' ? ClusterRule.accept([ALL, peer]) : ClusterRule.deny([ALL, peer]);
      expect(errorOf(() => new ClusterNetworkPolicy(chart, `p${i}`, { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, ingress: [rule] })).message)
        .toBe(`ClusterNetworkPolicy cluster/p${i} ingress[0].from[1]: a ${kind} peer in an ingress rule; ingress peers are namespaces and pods only. ${ClusterFix.ingressPeer}`);
    });
  });

  test('fails with more than 25 rules in a direction', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, egress: Array.from({ length: 26 }, () => denyAll) })).message)
      .toBe(`ClusterNetworkPolicy cluster/p egress: 26 egress rules; at most 25 are allowed. ${ClusterFix.rules}`);
  });

  test('fails on a policy name that is not a DNS-1123 subdomain', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, ingress: [denyAll], policyName: 'Tenant_A' })).message)
      .toBe(`ClusterNetworkPolicy cluster/p: ${ConstructMessages.policyName('Tenant_A', 'must consist of lower case alphanumeric characters, "-" or ".", and start and end with an alphanumeric character (DNS-1123 subdomain)')}`);
  });

  test('fails on a subject or a rule that is not a netproof value', () => {
    const { chart } = newClusterChart();
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN, priority: 1, subject: Selector.all() as any, ingress: [denyAll] })).message)
      .toBe(`ClusterNetworkPolicy cluster/p subject: ${ClusterMessages.subject('all')}`);
    expect(errorOf(() => new ClusterNetworkPolicy(chart, 'q', { tier: ClusterTier.ADMIN, priority: 1, subject: ALL, egress: [denyAll, { action: 'Deny' } as any] })).message)
      .toBe(`ClusterNetworkPolicy cluster/q egress[1]: ${ClusterMessages.rule('[object Object]')}`);
  });
});

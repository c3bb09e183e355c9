import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AlwaysAllow, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterPeer, ClusterPods, ClusterPolicyChart, ClusterProfile, ClusterProtocol,
  ClusterRule, ClusterTier, Endpoints, Externals, Port, Selector, TenantIsolation,
} from '../../src';

const app = new App();
// Cluster-scoped: no namespace; written once (`_cluster.yaml` under `netproof synth --layout namespace`).
const cluster = new ClusterPolicyChart(app, 'cluster', {
  profile: ClusterProfile.dataplaneV2({ gkeVersion: '1.36.0-gke.4447000', podCidrs: ['10.8.0.0/14'] }),
});
for (const team of ['a', 'b']) {
  new kplus.Namespace(cluster, `team-${team}`, { metadata: { name: `team-${team}`, labels: { tenant: team } } });
}
new kplus.Namespace(cluster, 'monitoring', { metadata: { name: 'monitoring' } }); // no tenant

// Admin tier, lowest priorities first: Accept here cannot be overridden by any NetworkPolicy.
new AlwaysAllow(cluster, 'kube-dns', { to: ClusterPods.KUBE_DNS, protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP] });
new AlwaysAllow(cluster, 'prometheus', {
  from: ClusterPods.namespace('monitoring', Selector.labels({ app: 'prometheus' })),
  protocols: [ClusterProtocol.namedPort('metrics')],
  priority: 20,
});
new ClusterNetworkPolicy(cluster, 'no-metadata-server', {
  tier: ClusterTier.ADMIN,
  priority: 50,
  subject: ClusterPods.namespaces(Selector.labels({ tenant: 'a' })),
  egress: [ClusterRule.deny([ClusterPeer.networks('169.254.169.254/32')], { name: 'metadata-server' })],
});
new TenantIsolation(cluster, 'tenants', { tenants: ['a', 'b'] }); // priority 100
// Baseline tier: what no NetworkPolicy decides is denied.
new BaselineDefaultDeny(cluster, 'default-deny');

const tenant = (t: string) => Endpoints.namespaces(Selector.labels({ tenant: t }));
cluster.expect(tenant('a')).cannotReach(tenant('b'));
cluster.expect(Endpoints.namespaces(Selector.all())).canReach(Externals.KUBE_DNS, Port.DNS_UDP, { scope: 'all' });
cluster.expect(tenant('a')).cannotReach(Externals.METADATA_SERVER);

export const yaml = app.synthYaml();

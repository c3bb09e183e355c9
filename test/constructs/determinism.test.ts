import { App, Testing } from 'cdk8s';
import {
  AllowDns, AllowFrom, AllowTo, AlwaysAllow, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterPeer, ClusterPods, ClusterPolicyChart, ClusterProtocol,
  ClusterRule, ClusterTier, DefaultDeny, PolicyChart, TenantIsolation,
} from '../../src';
import { Peer } from '../../src/values/peer';
import { Port } from '../../src/values/port';
import { Selector } from '../../src/values/selector';
import { CNP_DPV2, DPV2 } from '../_helpers-constructs';

function build(reverse: boolean): App {
  const app = Testing.app();
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: DPV2 });
  const r = <T>(xs: T[]): T[] => (reverse ? [...xs].reverse() : xs);
  new DefaultDeny(chart, 'deny');
  new AllowDns(chart, 'dns', { nodeLocalDnsCache: true });
  new AllowFrom(chart, 'backend-from-frontend', {
    pods: Selector.labels({ tier: 'backend', app: 'api' }),
    from: r([Peer.pods(Selector.labels({ app: 'web' })), Peer.namespace('monitoring'), Peer.cidr('10.0.0.0/8', { except: r(['10.2.0.0/16', '10.1.0.0/16']) })]),
    ports: r([Port.tcp(8080), Port.allUdp(), Port.named('metrics'), Port.tcp(8080)]),
  });
  new AllowTo(chart, 'to-db', { to: r([Peer.pods(Selector.labels({ app: 'db' })), Peer.pods(Selector.labels({ app: 'db' }))]), ports: [Port.tcp(5432)] });
  return app;
}

/** ClusterNetworkPolicies: rules keep their order (the first that matches decides); everything else is a set. */
function buildCluster(reverse: boolean): App {
  const app = Testing.app();
  const cluster = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2 });
  const r = <T>(xs: T[]): T[] => (reverse ? [...xs].reverse() : xs);
  new TenantIsolation(cluster, 'tenants', { tenants: r(['b', 'a', 'c']), exceptions: r([ClusterPods.namespace('monitoring'), ClusterPods.KUBE_DNS]) });
  new AlwaysAllow(cluster, 'dns', { to: ClusterPods.KUBE_DNS, protocols: r([ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP]) });
  new BaselineDefaultDeny(cluster, 'baseline', { exceptNamespaces: r(['kube-system', 'gke-managed-system']) });
  new ClusterNetworkPolicy(cluster, 'egress', {
    tier: ClusterTier.ADMIN,
    priority: 20,
    subject: ClusterPods.allNamespaces(),
    egress: [
      ClusterRule.accept(r([ClusterPeer.domainNames('b.example.com', 'a.example.com'), ClusterPods.namespace('x')]), { protocols: r([ClusterProtocol.HTTPS, ClusterProtocol.HTTP]) }),
      ClusterRule.deny(r([ClusterPeer.networks('fd00::/8', '10.0.0.0/8'), ClusterPeer.nodes(Selector.all())])),
    ],
  });
  return app;
}

describe('determinism', () => {
  test('ClusterNetworkPolicies: two synths are byte-identical, and sets given in another order give identical YAML', () => {
    expect(buildCluster(false).synthYaml()).toBe(buildCluster(false).synthYaml());
    expect(buildCluster(true).synthYaml()).toBe(buildCluster(false).synthYaml());
  });

  test('two synths are byte-identical', () => {
    expect(build(false).synthYaml()).toBe(build(false).synthYaml());
  });

  test('rules, peers, ports and excepts given in another order give identical YAML', () => {
    expect(build(true).synthYaml()).toBe(build(false).synthYaml());
  });

  test('no hash suffixes, no time', () => {
    const yaml = build(false).synthYaml();
    expect(yaml).toContain('name: backend-from-frontend\n');
    expect(yaml).not.toMatch(/name: [a-z-]+-c8[0-9a-f]{6}/);
  });
});

/**
 * One semantics, one place: the YAML the emitter writes, read back by the independent YAML parser
 * (src/parse), gives exactly the models the constructs registered.
 */
import { Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildShopApp } from '../../examples/shop/main';
import {
  AllowDns, AllowFqdn, AllowFrom, AllowTo, AlwaysAllow, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterPeer, ClusterPods, ClusterPolicyChart,
  ClusterProtocol, ClusterRule, ClusterTier, DefaultDeny, NamespaceIsolation, policiesOf, PolicyChart, TenantIsolation,
} from '../../src';
import { comparePolicies, PolicyModel } from '../../src/model/policy';
import { parsePolicies } from '../../src/parse/policies';
import { Peer } from '../../src/values/peer';
import { Port } from '../../src/values/port';
import { LabelExpression, Selector } from '../../src/values/selector';
import { CNP_DPV2, DPV2 } from '../_helpers-constructs';

/** The model without its source (the parser records file and index, the constructs the path). */
function semantic(p: PolicyModel): unknown {
  const { source, ...rest } = p;
  void source;
  return rest;
}

function readBack(app: ReturnType<typeof Testing.app>): PolicyModel[] {
  const yaml = Yaml.stringify(...app.charts.flatMap((c) => c.toJson()));
  return [...parsePolicies(yaml, 'synth.yaml').policies].sort(comparePolicies);
}

describe('emitted YAML read back by the parser', () => {
  test('the example app', () => {
    const app = buildShopApp();
    expect(readBack(app).map(semantic)).toEqual(policiesOf(app).map(semantic));
  });

  test('every peer and port form (upstream)', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', labels: { team: 'web' } });
    new DefaultDeny(chart, 'deny', { egress: false });
    new AllowDns(chart, 'dns', { nodeLocalDnsCache: true, cloudDns: true });
    new AllowFrom(chart, 'mixed', {
      pods: Selector.expressions(LabelExpression.in('tier', ['web', 'api']), LabelExpression.doesNotExist('canary')),
      from: [
        Peer.pods(Selector.labels({ app: 'a' })),
        Peer.podsIn({ namespaces: ['x', 'y'], namespaceSelector: Selector.labels({ env: 'prod' }), pods: Selector.expressions(LabelExpression.exists('team')) }),
        Peer.allNamespaces(),
        Peer.cidr('10.0.0.0/8', { except: ['10.8.0.0/14'] }),
        Peer.cidr('2600:2d00:1:1::/64'),
      ],
      ports: [Port.tcp(80), Port.udpRange(30000, 32767), Port.named('metrics'), Port.allSctp()],
    });
    new AllowTo(chart, 'anywhere', { to: [Peer.anyone()] });
    new NamespaceIsolation(chart, 'isolation', { exceptions: [Peer.namespace('monitoring')] });
    expect(readBack(app).map(semantic)).toEqual(policiesOf(app).map(semantic));
  });

  test('Dataplane V2: all ports of a protocol come back as the equivalent 1-65535 range', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: DPV2 });
    new AllowFrom(chart, 'all-udp', { from: [Peer.anyone()], ports: [Port.allUdp()] });
    new AllowFqdn(chart, 'fqdn', { names: ['api.example.com'], patterns: ['*.googleapis.com'], ports: [Port.HTTPS] });
    const [fqdn, np] = readBack(app);
    expect(semantic(fqdn)).toEqual(semantic(policiesOf(app).find((p) => p.name === 'fqdn')!));
    expect((np as any).ingress).toEqual([{ peers: 'all', ports: [{ protocol: 'UDP', port: 1, endPort: 65535 }] }]);
  });

  test('every ClusterNetworkPolicy construct, peer and protocol form', () => {
    const app = Testing.app();
    const cluster = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2, labels: { owner: 'platform' } });
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop', profile: CNP_DPV2 });
    const web = new kplus.Deployment(shop, 'web', { containers: [{ image: 'web', portNumber: 8080 }] });
    new TenantIsolation(cluster, 'tenants', { tenants: ['a', 'b'], exceptions: [ClusterPods.namespace('monitoring'), ClusterPods.KUBE_DNS] });
    new AlwaysAllow(cluster, 'kube-dns', { to: ClusterPods.KUBE_DNS, protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP] });
    new AlwaysAllow(cluster, 'monitoring', { from: ClusterPods.namespace('monitoring'), egress: false, priority: 11 });
    new BaselineDefaultDeny(cluster, 'baseline', { namespaces: Selector.expressions(LabelExpression.exists('tenant')) });
    new ClusterNetworkPolicy(cluster, 'everything', {
      tier: ClusterTier.BASELINE,
      priority: 5,
      subject: ClusterPods.workload(web),
      ingress: [ClusterRule.accept([ClusterPods.podsIn({ namespaces: ['x', 'y'], namespaceSelector: Selector.labels({ env: 'prod' }), pods: Selector.labels({ app: 'a' }) })], {
        protocols: [ClusterProtocol.namedPort('http'), ClusterProtocol.sctp(9)], name: 'from-prod',
      })],
      egress: [
        ClusterRule.accept([ClusterPeer.domainNames('*.googleapis.com', 'api.example.com')], { protocols: [ClusterProtocol.HTTPS] }),
        ClusterRule.pass([ClusterPeer.nodes(Selector.labels({ pool: 'gpu' })), ClusterPeer.networks('fd00::/8', '10.0.0.0/8')], {
          protocols: [ClusterProtocol.allUdp(), ClusterProtocol.tcpRange(8000, 8100), ClusterProtocol.tcpRange(22, 22)],
        }),
        ClusterRule.deny([ClusterPods.allNamespaces()]),
      ],
    });
    const constructs = policiesOf(app).filter((p) => p.kind === 'ClusterNetworkPolicy');
    expect(constructs).toHaveLength(7);
    expect(readBack(app).filter((p) => p.kind === 'ClusterNetworkPolicy').map(semantic)).toEqual(constructs.map(semantic));
  });
});

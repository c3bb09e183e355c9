import { ClusterFix, ClusterMessages } from '../../src/errors';
import { ClusterPeer, ClusterPods } from '../../src/values/cluster-peer';
import { ClusterProtocol } from '../../src/values/cluster-protocol';
import { ClusterRule } from '../../src/values/cluster-rule';
import { Selector } from '../../src/values/selector';
import { errorOf } from '../_helpers-constructs';

const ALL = { matchLabels: {}, matchExpressions: [] };

describe('ClusterRule', () => {
  test('accept, deny and pass; no protocols means every port', () => {
    expect(ClusterRule.accept([ClusterPods.allNamespaces()]).model).toEqual({ name: '', action: 'Accept', peers: [{ kind: 'pods', namespaces: ALL }], protocols: 'all' });
    expect(ClusterRule.deny([ClusterPods.allNamespaces()]).action).toBe('Deny');
    expect(ClusterRule.pass([ClusterPods.allNamespaces()]).action).toBe('Pass');
  });

  test('peers and protocols sorted, equal ones once; a name', () => {
    const r = ClusterRule.accept(
      [ClusterPeer.networks('169.254.20.10/32'), ClusterPods.KUBE_DNS, ClusterPods.KUBE_DNS],
      { protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP, ClusterProtocol.udp(53)], name: 'dns' },
    );
    expect(r.model).toEqual({
      name: 'dns',
      action: 'Accept',
      peers: [{ kind: 'pods', ...ClusterPods.KUBE_DNS.model }, { kind: 'networks', cidrs: ['169.254.20.10/32'] }],
      protocols: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
    });
    expect(String(r)).toBe('Accept "dns" pods k8s-app=kube-dns in ns kube-system; networks 169.254.20.10/32 on TCP 53, UDP 53');
    expect(String(ClusterRule.deny([ClusterPods.namespaces(Selector.labels({ tenant: 'a' }))]))).toBe('Deny all pods in namespaces tenant=a on every port');
  });

  test('the order of peers and protocols does not show', () => {
    const peers = [ClusterPeer.domainNames('a.example.com'), ClusterPeer.nodes(Selector.all()), ClusterPeer.networks('10.0.0.0/8'), ClusterPods.namespace('b'), ClusterPods.namespace('a')];
    const protocols = [ClusterProtocol.namedPort('http'), ClusterProtocol.sctp(9), ClusterProtocol.udpRange(1, 9), ClusterProtocol.tcp(443), ClusterProtocol.tcp(80)];
    const forward = ClusterRule.accept(peers, { protocols: protocols.slice(1) });
    const backward = ClusterRule.accept([...peers].reverse(), { protocols: protocols.slice(1).reverse() });
    expect(backward.model).toEqual(forward.model);
    expect(forward.model.peers.map((p) => p.kind)).toEqual(['pods', 'pods', 'networks', 'nodes', 'domainNames']);
    expect(forward.model.protocols).toEqual([{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }, { protocol: 'UDP', port: 1, endPort: 9 }, { protocol: 'SCTP', port: 9 }]);
    const named = ClusterRule.deny([ClusterPods.allNamespaces()], { protocols: [ClusterProtocol.namedPort('http'), ClusterProtocol.tcp(80)] });
    expect(named.model.protocols).toEqual([{ protocol: 'TCP', port: 80 }, { namedPort: 'http' }]);
  });

  test('is immutable', () => {
    expect(Object.isFrozen(ClusterRule.deny([ClusterPods.allNamespaces()]).model)).toBe(true);
  });

  test('fails without peers', () => {
    expect(errorOf(() => ClusterRule.accept([])).message).toBe(`ClusterRule.accept: ${ClusterMessages.noPeers('ClusterRule.accept')}`);
  });

  test('fails with more than 25 peers', () => {
    const peers = Array.from({ length: 26 }, (_, i) => ClusterPods.namespace(`ns-${i}`));
    expect(errorOf(() => ClusterRule.deny(peers)).message).toBe(`ClusterRule.deny: a rule has 26 peers; it needs 1 to 25. ${ClusterFix.peers}`);
  });

  test('fails on an empty protocols list', () => {
    expect(errorOf(() => ClusterRule.deny([ClusterPods.allNamespaces()], { protocols: [] })).message).toBe(`ClusterRule.deny: ${ClusterMessages.emptyProtocols}`);
  });

  test('fails with more than 25 protocols entries', () => {
    const protocols = Array.from({ length: 26 }, (_, i) => ClusterProtocol.tcp(i + 1));
    expect(errorOf(() => ClusterRule.deny([ClusterPods.allNamespaces()], { protocols })).message)
      .toBe(`ClusterRule.deny: 26 protocols entries; a rule has 1 to 25, or none for every port. ${ClusterFix.protocols}`);
  });

  test('fails on domain names in a Deny or Pass rule', () => {
    expect(errorOf(() => ClusterRule.deny([ClusterPeer.domainNames('example.com')])).message)
      .toBe(`ClusterRule.deny: a domainNames peer in a Deny rule; domainNames work only in Accept rules. ${ClusterFix.domainAccept}`);
    expect(errorOf(() => ClusterRule.pass([ClusterPeer.domainNames('example.com')])).message)
      .toBe(`ClusterRule.pass: a domainNames peer in a Pass rule; domainNames work only in Accept rules. ${ClusterFix.domainAccept}`);
  });

  test('fails on a named port with networks, nodes or domain names', () => {
    for (const peer of [ClusterPeer.networks('10.0.0.0/8'), ClusterPeer.nodes(Selector.all()), ClusterPeer.domainNames('example.com')]) {
      expect(errorOf(() => ClusterRule.accept([ClusterPods.allNamespaces(), peer], { protocols: [ClusterProtocol.namedPort('http')] })).message)
        .toBe(`ClusterRule.accept: a destinationNamedPort in a rule with networks, nodes or domainNames peers, which have no named ports. ${ClusterFix.namedPortPeer}`);
    }
  });

  test('fails on a rule name longer than 100 characters', () => {
    expect(errorOf(() => ClusterRule.deny([ClusterPods.allNamespaces()], { name: 'n'.repeat(101) })).message)
      .toBe(`ClusterRule.deny: rule name of 101 characters; at most 100 are allowed. ${ClusterFix.ruleName}`);
  });
});

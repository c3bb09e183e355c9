import { AllowFqdn, AllowFrom, DefaultDeny, PodNetworkScoped } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { Peer } from '../../src/values/peer';
import { Port } from '../../src/values/port';
import { DPV2, errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

describe('PodNetworkScoped', () => {
  test('every policy under it carries the network annotation', () => {
    const { chart } = newChart(DPV2, 'cnf');
    const blue = new PodNetworkScoped(chart, 'blue', { network: 'blue' });
    new DefaultDeny(blue, 'deny-blue');
    const allow = new AllowFrom(blue, 'from-peer', { from: [Peer.cidr('192.168.10.0/24')], ports: [Port.udp(2152)] });
    new DefaultDeny(chart, 'deny-default-network');
    const np = manifest(chart, 'deny-blue');
    expect(np.metadata).toEqual({ annotations: { 'networking.gke.io/network': 'blue' }, name: 'deny-blue', namespace: 'cnf' });
    expect(manifest(chart, 'from-peer').metadata.annotations).toEqual({ 'networking.gke.io/network': 'blue' });
    expect(manifest(chart, 'deny-default-network').metadata.annotations).toBeUndefined();
    expect(allow.model.network).toBe('blue');
    expect(allow.model.annotations).toEqual({ 'networking.gke.io/network': 'blue' });
    expect(allow.network).toBe('blue');
    expect(validateAll(manifests(chart))).toBe(3);
    expect(np).toMatchSnapshot();
  });

  test('fails on an undeclared Pod-network', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new PodNetworkScoped(chart, 'green', { network: 'green' })).message)
      .toBe(`PodNetworkScoped shop/green: ${ConstructMessages.undeclaredNetwork('green', ['blue'])}`);
  });

  test('fails on a non-Dataplane-V2 profile', () => {
    const { chart } = newChart(ClusterProfile.calico({ podNetworks: ['blue'] }));
    expect(errorOf(() => new PodNetworkScoped(chart, 'blue', { network: 'blue' })).message)
      .toBe(`PodNetworkScoped shop/blue: ${ConstructMessages.needsDataplaneV2('a Pod-network scope (networking.gke.io/network)', 'calico')}`);
  });

  test('fails for AllowFqdn under it', () => {
    const { chart } = newChart(DPV2);
    const blue = new PodNetworkScoped(chart, 'blue', { network: 'blue' });
    expect(errorOf(() => new AllowFqdn(blue, 'fqdn', { names: ['api.example.com'] })).message)
      .toBe(`AllowFqdn shop/blue/fqdn: ${ConstructMessages.fqdnUnderNetwork('blue')}`);
  });
});

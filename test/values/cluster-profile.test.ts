import { ConstructMessages } from '../../src/errors';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { errorOf } from '../_helpers-constructs';

describe('ClusterProfile', () => {
  test('holds validated facts', () => {
    const p = ClusterProfile.dataplaneV2({
      gkeVersion: '1.29.1-gke.1589000',
      podCidrs: ['10.8.0.0/14'],
      serviceCidrs: ['10.12.0.0/20'],
      nodeCidrs: ['10.128.0.0/20'],
      podNetworks: ['blue', 'red', 'blue', 'default'],
      proxyOnlySubnet: '10.129.0.0/23',
      controlPlaneIp: '172.16.0.2',
    });
    expect(p.dataplane).toBe('dataplane-v2');
    expect(p.isDataplaneV2).toBe(true);
    expect(String(p.gkeVersion)).toBe('1.29.1-gke.1589000');
    expect(p.podCidrs.map(String)).toEqual(['10.8.0.0/14']);
    expect(p.podNetworks).toEqual(['blue', 'red']);
    expect(p.hasPodNetwork('default')).toBe(true);
    expect(p.hasPodNetwork('green')).toBe(false);
    expect(String(p.proxyOnlySubnet)).toBe('10.129.0.0/23');
    expect(p.controlPlaneIp).toBe('172.16.0.2');
    expect(String(p)).toBe('dataplane-v2, GKE 1.29.1-gke.1589000, networks blue,red');
    expect(Object.isFrozen(p)).toBe(true);
  });

  test('defaults', () => {
    const p = ClusterProfile.upstream();
    expect(p.dataplane).toBe('upstream');
    expect(p.gkeVersion).toBeUndefined();
    expect(p.nodeCidrs).toEqual([]);
    expect(ClusterProfile.calico().dataplane).toBe('calico');
    expect(ClusterProfile.of('dataplane-v2').dataplane).toBe('dataplane-v2');
  });

  test('IPv6 control plane is canonical', () => {
    expect(ClusterProfile.upstream({ controlPlaneIp: 'fd00:0:0::2' }).controlPlaneIp).toBe('fd00::2');
  });

  test('fails on a bad CIDR with the field', () => {
    expect(errorOf(() => ClusterProfile.dataplaneV2({ podCidrs: ['10.0.0.0/8', '999.1.1.1/33'] })).message)
      .toContain('ClusterProfile.dataplaneV2 podCidrs[1]: invalid CIDR "999.1.1.1/33"');
    expect(errorOf(() => ClusterProfile.calico({ proxyOnlySubnet: '10.0.0.1/8' })).message)
      .toContain('ClusterProfile.calico proxyOnlySubnet: CIDR "10.0.0.1/8" has host bits set');
  });

  test('fails on an unparseable GKE version', () => {
    expect(errorOf(() => ClusterProfile.upstream({ gkeVersion: '1.27' })).message)
      .toBe(`ClusterProfile.upstream gkeVersion: ${ConstructMessages.gkeVersion('1.27')}`);
  });

  test('fails on an invalid Pod-network name', () => {
    expect(errorOf(() => ClusterProfile.dataplaneV2({ podNetworks: ['Blue_Net'] })).message).toContain('Pod-network name "Blue_Net"');
  });

  test('fails on an invalid control-plane IP', () => {
    expect(errorOf(() => ClusterProfile.upstream({ controlPlaneIp: '172.16.0.300' })).message)
      .toContain('ClusterProfile.upstream controlPlaneIp: control-plane IP "172.16.0.300" is not an IP address: octet 300 is greater than 255');
  });

  test('fails on an unknown dataplane', () => {
    expect(errorOf(() => ClusterProfile.of('cilium' as any)).reason).toContain('dataplane must be one of upstream, calico, dataplane-v2, got "cilium"');
  });
});

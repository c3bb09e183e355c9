import { AllowControlPlane } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { Port } from '../../src/values/port';
import { DPV2, errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

describe('AllowControlPlane', () => {
  test('egress to the control-plane IP on 443 by default', () => {
    const { chart } = newChart(DPV2);
    new AllowControlPlane(chart, 'to-control-plane');
    const np = manifest(chart, 'to-control-plane');
    expect(np.spec).toEqual({ egress: [{ ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '172.16.0.2/32' } }] }], podSelector: {}, policyTypes: ['Egress'] });
    expect(chart.impliedExternals).toMatchObject([{ name: 'control-plane', ip: '172.16.0.2', cidr: '172.16.0.2/32' }]);
    expect(validateAll(manifests(chart))).toBe(1);
    expect(np).toMatchSnapshot();
  });

  test('other ports and IPv6', () => {
    const { chart } = newChart(ClusterProfile.upstream({ controlPlaneIp: 'fd00::2' }));
    new AllowControlPlane(chart, 'cp', { ports: [Port.tcp(443), Port.tcp(8132)] });
    expect(manifest(chart, 'cp').spec.egress).toEqual([{ ports: [{ port: 443, protocol: 'TCP' }, { port: 8132, protocol: 'TCP' }], to: [{ ipBlock: { cidr: 'fd00::2/128' } }] }]);
  });

  test('fails when the profile lacks the control-plane IP', () => {
    const { chart } = newChart(ClusterProfile.dataplaneV2());
    expect(errorOf(() => new AllowControlPlane(chart, 'cp')).message).toBe(`AllowControlPlane shop/cp: ${ConstructMessages.needsControlPlaneIp}`);
  });
});

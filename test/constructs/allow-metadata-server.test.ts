import { AllowMetadataServer } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { metadataServerEndpoint } from '../../src/values/metadata-endpoint';
import { Selector } from '../../src/values/selector';
import { DPV2, errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

function egressOf(profile: ClusterProfile): any {
  const { chart } = newChart(profile);
  new AllowMetadataServer(chart, 'metadata', { pods: Selector.labels({ app: 'web' }) });
  expect(validateAll(manifests(chart))).toBe(1);
  return manifest(chart, 'metadata').spec.egress;
}

describe('AllowMetadataServer', () => {
  test('GKE >= 1.21.0-gke.1000: 169.254.169.252/32 TCP 988', () => {
    expect(egressOf(ClusterProfile.upstream({ gkeVersion: '1.21.0-gke.1000' }))).toEqual([{ ports: [{ port: 988, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.169.252/32' } }] }]);
    expect(egressOf(ClusterProfile.calico({ gkeVersion: '1.27.3-gke.100' }))[0].to).toEqual([{ ipBlock: { cidr: '169.254.169.252/32' } }]);
  });

  test('earlier GKE: 127.0.0.1/32 TCP 988', () => {
    expect(egressOf(ClusterProfile.upstream({ gkeVersion: '1.21.0-gke.999' }))).toEqual([{ ports: [{ port: 988, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '127.0.0.1/32' } }] }]);
    expect(egressOf(ClusterProfile.calico({ gkeVersion: '1.20.15-gke.5000' }))[0].to).toEqual([{ ipBlock: { cidr: '127.0.0.1/32' } }]);
  });

  test('Dataplane V2: 169.254.169.254/32 TCP 80 (with or without version)', () => {
    expect(egressOf(DPV2)).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }]);
    expect(egressOf(ClusterProfile.dataplaneV2())[0].to).toEqual([{ ipBlock: { cidr: '169.254.169.254/32' } }]);
  });

  test('records the metadata server as an implied external; snapshot', () => {
    const { chart } = newChart(ClusterProfile.upstream({ gkeVersion: '1.27.3-gke.100' }));
    new AllowMetadataServer(chart, 'workload-identity');
    expect(chart.impliedExternals).toMatchObject([{ name: 'metadata-server', ip: '169.254.169.252', hostname: 'metadata.google.internal' }]);
    const np = manifest(chart, 'workload-identity');
    expect(np.spec.policyTypes).toEqual(['Egress']);
    expect(np).toMatchSnapshot();
  });

  test('fails on an unknown GKE version (missing) on a non-Dataplane-V2 profile', () => {
    const { chart } = newChart(ClusterProfile.calico());
    expect(errorOf(() => new AllowMetadataServer(chart, 'md')).message).toBe(`AllowMetadataServer shop/md: ${ConstructMessages.metadataNeedsVersion}`);
    expect(errorOf(() => metadataServerEndpoint(ClusterProfile.upstream())).reason).toBe(ConstructMessages.metadataNeedsVersion);
  });

  test('fails on an unparseable GKE version (at the profile)', () => {
    expect(errorOf(() => ClusterProfile.upstream({ gkeVersion: '1.21-gke' })).message)
      .toBe(`ClusterProfile.upstream gkeVersion: ${ConstructMessages.gkeVersion('1.21-gke')}`);
  });
});

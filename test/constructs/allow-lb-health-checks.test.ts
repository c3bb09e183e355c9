import { AllowLbHealthChecks } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { Port } from '../../src/values/port';
import { Selector } from '../../src/values/selector';
import { DPV2, errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

const cidrsOf = (np: any): string[] => np.spec.ingress[0].from.map((p: any) => p.ipBlock.cidr);

describe('AllowLbHealthChecks', () => {
  test('ingress on the serving ports from the Google health-check ranges', () => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'frontend-health-checks', { pods: Selector.labels({ app: 'frontend' }), ports: [Port.tcp(8080)] });
    const np = manifest(chart, 'frontend-health-checks');
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'frontend' } });
    expect(cidrsOf(np)).toEqual(['130.211.0.0/22', '35.191.0.0/16']);
    expect(np.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(chart.impliedExternals.map((e) => e.name)).toEqual(['lb-health-check-130.211.0.0_22', 'lb-health-check-35.191.0.0_16']);
    expect(validateAll(manifests(chart))).toBe(1);
    expect(np).toMatchSnapshot();
  });

  test('IPv6 ranges when asked', () => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], ipv6: true });
    expect(cidrsOf(manifest(chart, 'hc'))).toEqual(['130.211.0.0/22', '2600:2d00:1:1::/64', '2600:2d00:1:b029::/64', '35.191.0.0/16']);
  });

  test('internal ALB adds the proxy-only subnet', () => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], internalAlb: true });
    expect(cidrsOf(manifest(chart, 'hc'))).toContain('10.129.0.0/23');
  });

  test('without container-native LB and with externalTrafficPolicy Cluster, adds node CIDRs', () => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], containerNativeLoadBalancing: false });
    expect(cidrsOf(manifest(chart, 'hc'))).toContain('10.128.0.0/20');
    new AllowLbHealthChecks(chart, 'hc-local', { ports: [Port.tcp(80)], containerNativeLoadBalancing: false, externalTrafficPolicyLocal: true });
    expect(cidrsOf(manifest(chart, 'hc-local'))).not.toContain('10.128.0.0/20');
  });

  test('fails for an internal ALB when the profile lacks the proxy-only subnet', () => {
    const { chart } = newChart(ClusterProfile.dataplaneV2());
    expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], internalAlb: true })).message)
      .toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.needsProxyOnlySubnet}`);
  });

  test('fails for node traffic when the profile lacks node CIDRs', () => {
    const { chart } = newChart(ClusterProfile.dataplaneV2());
    expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], containerNativeLoadBalancing: false })).message)
      .toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.needsNodeCidrs}`);
  });

  test('fails without serving ports', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc', { ports: [] })).message).toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.healthCheckPorts}`);
  });
});

import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowLbHealthChecks, LoadBalancerKind } from '../../src';
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
      .toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.needsProxyOnlySubnet('regional internal Application Load Balancer')}`);
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

  test('internalAlb alone is the regional internal ALB: IPv6 only 2600:2d00:1:b029::/64 (Google lists no 2600:2d00:1:1::/64 for it)', () => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], internalAlb: true, ipv6: true });
    expect(cidrsOf(manifest(chart, 'hc'))).toEqual(['10.129.0.0/23', '130.211.0.0/22', '2600:2d00:1:b029::/64', '35.191.0.0/16']);
  });
});

/** Per kind: the exact ipBlocks without and with ipv6 (DPV2's proxy-only subnet is 10.129.0.0/23); undefined: ipv6 is an error. */
const KINDS: Array<{ kind: LoadBalancerKind; v4: string[]; v6?: string[] }> = [
  { kind: LoadBalancerKind.GLOBAL_EXTERNAL_ALB, v4: ['130.211.0.0/22', '35.191.0.0/16'], v6: ['130.211.0.0/22', '2600:2d00:1:1::/64', '2600:2d00:1:b029::/64', '35.191.0.0/16'] },
  { kind: LoadBalancerKind.GLOBAL_EXTERNAL_PROXY_NLB, v4: ['130.211.0.0/22', '35.191.0.0/16'], v6: ['130.211.0.0/22', '2600:2d00:1:1::/64', '2600:2d00:1:b029::/64', '35.191.0.0/16'] },
  { kind: LoadBalancerKind.CLASSIC_ALB, v4: ['130.211.0.0/22', '35.191.0.0/16'] },
  { kind: LoadBalancerKind.CLASSIC_PROXY_NLB, v4: ['130.211.0.0/22', '35.191.0.0/16'] },
  ...[LoadBalancerKind.REGIONAL_EXTERNAL_ALB, LoadBalancerKind.REGIONAL_INTERNAL_ALB, LoadBalancerKind.CROSS_REGION_INTERNAL_ALB,
    LoadBalancerKind.REGIONAL_EXTERNAL_PROXY_NLB, LoadBalancerKind.REGIONAL_INTERNAL_PROXY_NLB, LoadBalancerKind.CROSS_REGION_INTERNAL_PROXY_NLB]
    .map((kind) => ({ kind, v4: ['10.129.0.0/23', '130.211.0.0/22', '35.191.0.0/16'], v6: ['10.129.0.0/23', '130.211.0.0/22', '2600:2d00:1:b029::/64', '35.191.0.0/16'] })),
  { kind: LoadBalancerKind.INTERNAL_PASSTHROUGH_NLB, v4: ['130.211.0.0/22', '35.191.0.0/16'], v6: ['130.211.0.0/22', '2600:2d00:1:b029::/64', '35.191.0.0/16'] },
  { kind: LoadBalancerKind.EXTERNAL_PASSTHROUGH_NLB, v4: ['209.85.152.0/22', '209.85.204.0/22', '35.191.0.0/16'], v6: ['209.85.152.0/22', '209.85.204.0/22', '2600:1901:8001::/48', '35.191.0.0/16'] },
];

describe('AllowLbHealthChecks by load balancer kind', () => {
  test.each(KINDS.map((k) => [k.kind.title, k] as const))('%s', (_, { kind, v4, v6 }) => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(8080)], loadBalancer: kind });
    expect(cidrsOf(manifest(chart, 'hc'))).toEqual(v4);
    if (v6) {
      new AllowLbHealthChecks(chart, 'hc6', { ports: [Port.tcp(8080)], loadBalancer: kind, ipv6: true });
      expect(cidrsOf(manifest(chart, 'hc6'))).toEqual(v6);
    } else {
      expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc6', { ports: [Port.tcp(8080)], loadBalancer: kind, ipv6: true })).message)
        .toBe(`AllowLbHealthChecks shop/hc6: ${ConstructMessages.noIpv6HealthChecks(kind.title)}`);
    }
    expect(validateAll(manifests(chart))).toBe(v6 ? 2 : 1);
  });

  test('every kind is covered above', () => {
    const constants = Object.values(LoadBalancerKind).filter((v) => v instanceof LoadBalancerKind);
    expect(new Set(KINDS.map((k) => k.kind))).toEqual(new Set(constants));
  });

  test('the externals follow the kind: a passthrough NLB implies its own probe ranges', () => {
    const { chart } = newChart(DPV2);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(8080)], loadBalancer: LoadBalancerKind.EXTERNAL_PASSTHROUGH_NLB, ipv6: true });
    expect(chart.impliedExternals.map((e) => [e.name, e.cidr])).toEqual([
      ['lb-health-check-209.85.152.0_22', '209.85.152.0/22'],
      ['lb-health-check-209.85.204.0_22', '209.85.204.0/22'],
      ['lb-health-check-2600:1901:8001::_48', '2600:1901:8001::/48'],
      ['lb-health-check-35.191.0.0_16', '35.191.0.0/16'],
    ]);
  });

  test('fails when loadBalancer is not a LoadBalancerKind', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], loadBalancer: 'classic-alb' as any })).message)
      .toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.loadBalancerKind('the string "classic-alb"')}`);
  });

  test('fails when internalAlb contradicts loadBalancer', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], internalAlb: true, loadBalancer: LoadBalancerKind.EXTERNAL_PASSTHROUGH_NLB })).message)
      .toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.internalAlbConflict('regional external passthrough Network Load Balancer')}`);
  });

  test('fails for an Envoy-based kind when the profile lacks the proxy-only subnet', () => {
    const { chart } = newChart(ClusterProfile.dataplaneV2());
    expect(errorOf(() => new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(80)], loadBalancer: LoadBalancerKind.REGIONAL_EXTERNAL_ALB })).message)
      .toBe(`AllowLbHealthChecks shop/hc: ${ConstructMessages.needsProxyOnlySubnet('regional external Application Load Balancer')}`);
  });
});

describe('LoadBalancerKind from a Service or Ingress', () => {
  const svc = (chart: any, id: string, type: kplus.ServiceType, annotations: Record<string, string> = {}) =>
    new kplus.Service(chart, id, { type, metadata: { annotations }, ports: [{ port: 80, targetPort: 8080 }] });

  test('a LoadBalancer Service is a regional external passthrough NLB, an Internal one an internal passthrough NLB', () => {
    const { chart } = newChart(DPV2);
    expect(LoadBalancerKind.ofService(svc(chart, 'ext', kplus.ServiceType.LOAD_BALANCER))).toBe(LoadBalancerKind.EXTERNAL_PASSTHROUGH_NLB);
    expect(LoadBalancerKind.ofService(svc(chart, 'int', kplus.ServiceType.LOAD_BALANCER, { 'networking.gke.io/load-balancer-type': 'Internal' })))
      .toBe(LoadBalancerKind.INTERNAL_PASSTHROUGH_NLB);
    const l1 = new ApiObject(chart, 'l1', {
      apiVersion: 'v1', kind: 'Service', metadata: { annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    expect(LoadBalancerKind.ofService(l1)).toBe(LoadBalancerKind.INTERNAL_PASSTHROUGH_NLB);
  });

  test('an Ingress without class or of class gce is a classic ALB, gce-internal a regional internal ALB', () => {
    const { chart } = newChart(DPV2);
    const backend = kplus.IngressBackend.fromService(svc(chart, 'web', kplus.ServiceType.CLUSTER_IP), { port: 80 });
    const ing = (id: string, annotations: Record<string, string>) =>
      new kplus.Ingress(chart, id, { metadata: { annotations }, defaultBackend: backend });
    expect(LoadBalancerKind.ofIngress(ing('plain', {}))).toBe(LoadBalancerKind.CLASSIC_ALB);
    expect(LoadBalancerKind.ofIngress(ing('gce', { 'kubernetes.io/ingress.class': 'gce' }))).toBe(LoadBalancerKind.CLASSIC_ALB);
    expect(LoadBalancerKind.ofIngress(ing('internal', { 'kubernetes.io/ingress.class': 'gce-internal' }))).toBe(LoadBalancerKind.REGIONAL_INTERNAL_ALB);
  });

  test('the derived kind decides the ipBlocks', () => {
    const { chart } = newChart(DPV2);
    const lb = svc(chart, 'lb', kplus.ServiceType.LOAD_BALANCER);
    new AllowLbHealthChecks(chart, 'hc', { ports: [Port.tcp(8080)], loadBalancer: LoadBalancerKind.ofService(lb) });
    expect(cidrsOf(manifest(chart, 'hc'))).toEqual(['209.85.152.0/22', '209.85.204.0/22', '35.191.0.0/16']);
  });

  test('fails for a Service that is not of type LoadBalancer', () => {
    const { chart } = newChart(DPV2);
    const s = svc(chart, 'web', kplus.ServiceType.CLUSTER_IP);
    expect(errorOf(() => LoadBalancerKind.ofService(s)).message)
      .toBe(`LoadBalancerKind.ofService: ${ConstructMessages.notLoadBalancerService(s.node.path, 'ClusterIP')}`);
    expect(errorOf(() => LoadBalancerKind.ofService(s)).message).toContain('Service shop/web has type ClusterIP');
  });

  test('fails for an Ingress of another controller', () => {
    const { chart } = newChart(DPV2);
    const backend = kplus.IngressBackend.fromService(svc(chart, 'web', kplus.ServiceType.CLUSTER_IP), { port: 80 });
    const i = new kplus.Ingress(chart, 'nginx', { metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, defaultBackend: backend });
    expect(errorOf(() => LoadBalancerKind.ofIngress(i)).message)
      .toBe(`LoadBalancerKind.ofIngress: ${ConstructMessages.notGkeIngress('shop/nginx', 'nginx')}`);
    const byClass = new kplus.Ingress(chart, 'by-class', { className: 'nginx', defaultBackend: backend });
    expect(errorOf(() => LoadBalancerKind.ofIngress(byClass)).message)
      .toBe('LoadBalancerKind.ofIngress: Ingress shop/by-class has spec.ingressClassName "nginx", which GKE\'s Ingress controller does not serve (it serves "gce", the default, and "gce-internal"), so no Google load balancer checks its backends. Allow that controller\'s pods instead, or name the kind, e.g. LoadBalancerKind.CLASSIC_ALB');
  });

  test('fails for something that is not a Kubernetes object construct', () => {
    expect(errorOf(() => LoadBalancerKind.ofService({} as any)).message)
      .toBe(`LoadBalancerKind.ofService: ${ConstructMessages.notKubeObject('Service', 'a Object')}`);
    expect(errorOf(() => LoadBalancerKind.ofIngress(undefined as any)).message)
      .toBe(`LoadBalancerKind.ofIngress: ${ConstructMessages.notKubeObject('Ingress', 'undefined')}`);
  });
});

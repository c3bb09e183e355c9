import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { blockExternalName, EXTERNAL_NAMES } from '../model/gke';
import { NetworkPolicyModel, PeerModel } from '../model/policy';
import { LoadBalancerKind } from '../values/load-balancer-kind';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';


export interface AllowLbHealthChecksProps {
  /**
   * The serving pods.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /** The serving ports the load balancer checks (at least one). */
  readonly ports: Port[];
  /**
   * The load balancer in front of the pods: its health-check ranges (and, when it is Envoy-based, the
   * proxy-only subnet) are allowed. Name a kind, or read it from the Service or Ingress:
   * `LoadBalancerKind.ofIngress(ingress)`, `LoadBalancerKind.ofService(service)`.
   * @default - the global external Application Load Balancer (35.191.0.0/16 and 130.211.0.0/22; the
   * IPv4 ranges of GKE Ingress's classic Application Load Balancer too); with `internalAlb`, the regional
   * internal Application Load Balancer
   */
  readonly loadBalancer?: LoadBalancerKind;
  /**
   * Also allow the load balancer's IPv6 health-check ranges (for IPv6 backends). An error for a load
   * balancer that has none (the classic ones send IPv4 only).
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * The load balancer is an internal Application Load Balancer: also allow the proxy-only subnet of the
   * cluster profile. Same as `loadBalancer: LoadBalancerKind.REGIONAL_INTERNAL_ALB`.
   * @deprecated use `loadBalancer`
   * @default false
   */
  readonly internalAlb?: boolean;
  /**
   * The load balancer sends traffic straight to pods (NEGs). When false and the Service keeps
   * externalTrafficPolicy Cluster, traffic arrives from node IPs, so the profile's nodeCidrs are allowed.
   * @default true
   */
  readonly containerNativeLoadBalancing?: boolean;
  /**
   * The Service uses `externalTrafficPolicy: Local` (only relevant without container-native load balancing).
   * @default false - Kubernetes' default, Cluster
   */
  readonly externalTrafficPolicyLocal?: boolean;
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** The load balancer of the props: `loadBalancer`, or the default (see AllowLbHealthChecksProps). */
function loadBalancerOf(where: string, props: AllowLbHealthChecksProps): LoadBalancerKind {
  const kind = props.loadBalancer;
  if (kind === undefined) return props.internalAlb ? LoadBalancerKind.REGIONAL_INTERNAL_ALB : LoadBalancerKind.GLOBAL_EXTERNAL_ALB;
  if (!(kind instanceof LoadBalancerKind)) {
    throw new NetproofError(where, ConstructMessages.loadBalancerKind(typeof kind === 'string' ? `the string "${kind}"` : typeof kind));
  }
  if (props.internalAlb && kind !== LoadBalancerKind.REGIONAL_INTERNAL_ALB && kind !== LoadBalancerKind.CROSS_REGION_INTERNAL_ALB) {
    throw new NetproofError(where, ConstructMessages.internalAlbConflict(kind.title));
  }
  return kind;
}

/**
 * Allows ingress on the serving ports from Google Cloud load balancer health checks, by load balancer
 * kind (and, for Envoy-based load balancers, from the proxy-only subnet their proxies send from).
 */
export class AllowLbHealthChecks extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowLbHealthChecksProps) {
    super(scope, id, 'AllowLbHealthChecks', props.policyName);
    if (props.ports === undefined || props.ports.length === 0) throw new NetproofError(this.where, ConstructMessages.healthCheckPorts);
    const ports = this.portsOf(props.ports);
    const profile = this.chart.profile;
    const kind = loadBalancerOf(this.where, props);
    const named = (c: string): [string, string] => [blockExternalName(EXTERNAL_NAMES.healthCheckPrefix, c), c];
    const cidrs: Array<[string, string]> = kind.ipv4Ranges.map(named);
    if (props.ipv6) {
      if (kind.ipv6Ranges.length === 0) throw new NetproofError(this.where, ConstructMessages.noIpv6HealthChecks(kind.title));
      for (const c of kind.ipv6Ranges) cidrs.push(named(c));
    }
    if (kind.usesProxyOnlySubnet) {
      if (profile.proxyOnlySubnet === undefined) throw new NetproofError(this.where, ConstructMessages.needsProxyOnlySubnet(kind.title));
      cidrs.push([EXTERNAL_NAMES.proxyOnlySubnet, profile.proxyOnlySubnet.toString()]);
    }
    if (!(props.containerNativeLoadBalancing ?? true) && !props.externalTrafficPolicyLocal) {
      if (profile.nodeCidrs.length === 0) throw new NetproofError(this.where, ConstructMessages.needsNodeCidrs);
      for (const c of profile.nodeCidrs) cidrs.push([blockExternalName(EXTERNAL_NAMES.nodesPrefix, c.toString()), c.toString()]);
    }
    const peers: PeerModel[] = cidrs.map(([, c]) => PolicyConstructBase.ipBlock(c));
    for (const [name, c] of cidrs) this.addExternal(name, c);
    this.model = this.emitNetworkPolicy({ podSelector: this.podSelectorOf(props.pods), policyTypes: ['Ingress'], ingress: [{ peers, ports }] });
  }
}

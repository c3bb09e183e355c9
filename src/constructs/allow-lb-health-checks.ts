import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { NetworkPolicyModel, PeerModel } from '../model/policy';
import { Port } from '../values/port';
import { IWorkloadLike, Selector } from '../values/selector';

/** Google Cloud health-check source ranges (IPv4). */
export const LB_HEALTH_CHECK_CIDRS: readonly string[] = Object.freeze(['35.191.0.0/16', '130.211.0.0/22']);
/** Google Cloud health-check source ranges (IPv6, global external Application Load Balancer). */
export const LB_HEALTH_CHECK_CIDRS_IPV6: readonly string[] = Object.freeze(['2600:2d00:1:b029::/64', '2600:2d00:1:1::/64']);

export interface AllowLbHealthChecksProps {
  /**
   * The serving pods.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: Selector | IWorkloadLike;
  /** The serving ports the load balancer checks (at least one). */
  readonly ports: Port[];
  /**
   * Also allow the IPv6 health-check ranges (global external Application Load Balancer).
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * The load balancer is an internal Application Load Balancer: also allow the proxy-only subnet of the
   * cluster profile.
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

/** Allows ingress on the serving ports from Google Cloud load balancer health checks (and proxies). */
export class AllowLbHealthChecks extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowLbHealthChecksProps) {
    super(scope, id, 'AllowLbHealthChecks', props.policyName);
    if (props.ports === undefined || props.ports.length === 0) throw new NetproofError(this.where, ConstructMessages.healthCheckPorts);
    const ports = this.portsOf(props.ports);
    const profile = this.chart.profile;
    const cidrs: Array<[string, string]> = LB_HEALTH_CHECK_CIDRS.map((c) => [`lb-health-check-${c.replace('/', '_')}`, c]);
    if (props.ipv6) cidrs.push(...LB_HEALTH_CHECK_CIDRS_IPV6.map((c): [string, string] => [`lb-health-check-${c.replace('/', '_')}`, c]));
    if (props.internalAlb) {
      if (profile.proxyOnlySubnet === undefined) throw new NetproofError(this.where, ConstructMessages.needsProxyOnlySubnet);
      cidrs.push(['proxy-only-subnet', profile.proxyOnlySubnet.toString()]);
    }
    if (!(props.containerNativeLoadBalancing ?? true) && !props.externalTrafficPolicyLocal) {
      if (profile.nodeCidrs.length === 0) throw new NetproofError(this.where, ConstructMessages.needsNodeCidrs);
      cidrs.push(...profile.nodeCidrs.map((c): [string, string] => [`nodes-${c.toString().replace('/', '_')}`, c.toString()]));
    }
    const peers: PeerModel[] = cidrs.map(([, c]) => PolicyConstructBase.ipBlock(c));
    for (const [name, c] of cidrs) this.addExternal(name, c);
    this.model = this.emitNetworkPolicy({ podSelector: this.podSelectorOf(props.pods), policyTypes: ['Ingress'], ingress: [{ peers, ports }] });
  }
}

import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { blockExternalName, EXTERNAL_NAMES, LB_HEALTH_CHECK_CIDRS, LB_HEALTH_CHECK_CIDRS_IPV6 } from '../model/gke';
import { NetworkPolicyModel, PeerModel } from '../model/policy';
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
    const named = (c: string): [string, string] => [blockExternalName(EXTERNAL_NAMES.healthCheckPrefix, c), c];
    const cidrs: Array<[string, string]> = LB_HEALTH_CHECK_CIDRS.map(named);
    if (props.ipv6) for (const c of LB_HEALTH_CHECK_CIDRS_IPV6) cidrs.push(named(c));
    if (props.internalAlb) {
      if (profile.proxyOnlySubnet === undefined) throw new NetproofError(this.where, ConstructMessages.needsProxyOnlySubnet);
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

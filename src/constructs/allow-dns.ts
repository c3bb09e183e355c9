import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { NAMESPACE_NAME_LABEL, NetworkPolicyModel, PeerModel, RuleModel } from '../model/policy';
import { makeSelector } from '../model/selector';
import { Port } from '../values/port';
import { IWorkloadLike, Selector } from '../values/selector';

/** kube-dns pods: `k8s-app=kube-dns` in `kube-system`. */
export const KUBE_DNS_PEER: PeerModel = Object.freeze({
  kind: 'pods',
  namespaces: { kind: 'selector' as const, selector: makeSelector({ [NAMESPACE_NAME_LABEL]: 'kube-system' }) },
  pods: makeSelector({ 'k8s-app': 'kube-dns' }),
});
/** NodeLocal DNSCache listens on this link-local address on every node (host network). */
export const NODE_LOCAL_DNS_CIDR = '169.254.20.10/32';
/** Cloud DNS for GKE answers on the metadata address, port 53. */
export const CLOUD_DNS_CIDR = '169.254.169.254/32';

export interface AllowDnsProps {
  /**
   * The pods that resolve names.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: Selector | IWorkloadLike;
  /**
   * Allow kube-dns pods (`k8s-app=kube-dns` in `kube-system`) on UDP and TCP 53.
   * @default true
   */
  readonly kubeDns?: boolean;
  /**
   * Also allow NodeLocal DNSCache (169.254.20.10/32, UDP and TCP 53); it runs in the host network, so it
   * needs an ipBlock.
   * @default false
   */
  readonly nodeLocalDnsCache?: boolean;
  /**
   * Also allow Cloud DNS for GKE (169.254.169.254/32, UDP and TCP 53).
   * @default false
   */
  readonly cloudDns?: boolean;
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** Allows DNS egress (UDP and TCP 53) to kube-dns and, optionally, NodeLocal DNSCache and Cloud DNS. */
export class AllowDns extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowDnsProps = {}) {
    super(scope, id, 'AllowDns', props.policyName);
    const ports = [Port.DNS_UDP.model, Port.DNS_TCP.model];
    const peers: PeerModel[] = [];
    if (props.kubeDns ?? true) peers.push(KUBE_DNS_PEER);
    if (props.nodeLocalDnsCache) {
      peers.push(PolicyConstructBase.ipBlock(NODE_LOCAL_DNS_CIDR));
      this.addExternal('node-local-dns', NODE_LOCAL_DNS_CIDR);
    }
    if (props.cloudDns) {
      peers.push(PolicyConstructBase.ipBlock(CLOUD_DNS_CIDR));
      this.addExternal('cloud-dns', CLOUD_DNS_CIDR);
    }
    if (peers.length === 0) {
      throw new NetproofError(this.where, ConstructMessages.dnsNothing);
    }
    const egress: RuleModel[] = [{ peers, ports }];
    this.model = this.emitNetworkPolicy({ podSelector: this.podSelectorOf(props.pods), policyTypes: ['Egress'], egress });
  }
}

import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { CLOUD_DNS_CIDR, EXTERNAL_NAMES, KUBE_DNS_LABELS, KUBE_DNS_NAMESPACE, NODE_LOCAL_DNS_CIDR } from '../model/gke';
import { NAMESPACE_NAME_LABEL, NetworkPolicyModel, PeerModel, RuleModel } from '../model/policy';
import { makeSelector } from '../model/selector';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';

/** kube-dns pods: `k8s-app=kube-dns` in `kube-system`. */
export const KUBE_DNS_PEER: PeerModel = Object.freeze({
  kind: 'pods',
  namespaces: { kind: 'selector' as const, selector: makeSelector({ [NAMESPACE_NAME_LABEL]: KUBE_DNS_NAMESPACE }) },
  pods: makeSelector(KUBE_DNS_LABELS),
});

export interface AllowDnsProps {
  /**
   * The pods that resolve names.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
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
      this.addExternal(EXTERNAL_NAMES.nodeLocalDns, NODE_LOCAL_DNS_CIDR);
    }
    if (props.cloudDns) {
      peers.push(PolicyConstructBase.ipBlock(CLOUD_DNS_CIDR));
      this.addExternal(EXTERNAL_NAMES.cloudDns, CLOUD_DNS_CIDR);
    }
    if (peers.length === 0) {
      throw new NetproofError(this.where, ConstructMessages.dnsNothing);
    }
    const egress: RuleModel[] = [{ peers, ports }];
    this.model = this.emitNetworkPolicy({ podSelector: this.podSelectorOf(props.pods), policyTypes: ['Egress'], egress });
  }
}

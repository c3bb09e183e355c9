import { Construct } from 'constructs';
import { ClusterPolicyConstructBase } from './_cluster-base';
import { ConstructMessages, Fix, NetproofError } from '../errors';
import { ClusterNetworkPolicyModel, NAMESPACE_NAME_LABEL } from '../model/policy';
import { checkDns1123Label } from '../model/validate';
import { ClusterPeer, ClusterPods } from '../values/cluster-peer';
import { ClusterRule } from '../values/cluster-rule';
import { LabelExpression, Selector } from '../values/selector';

export interface BaselineDefaultDenyProps {
  /**
   * The namespaces whose pods are denied by default.
   * @default - every namespace (but `exceptNamespaces`)
   */
  readonly namespaces?: Selector;
  /**
   * Namespaces left out, by name.
   * @default ['kube-system']: GKE's system pods (kube-dns among them) keep working
   */
  readonly exceptNamespaces?: string[];
  /**
   * Deny ingress from every pod.
   * @default true
   */
  readonly ingress?: boolean;
  /**
   * Deny egress to every pod and every address.
   * @default true
   */
  readonly egress?: boolean;
  /**
   * Priority in the Baseline tier (0 to 1000, lower first): last, so that more specific Baseline policies
   * come before it.
   * @default 1000
   */
  readonly priority?: number;
  /**
   * metadata.name of the ClusterNetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/**
 * A cluster-wide default deny in the Baseline tier: what no NetworkPolicy decides is denied. It applies
 * only to a pod and direction that no NetworkPolicy isolates (a namespace's own policies override it)
 * and after the Admin tier (AlwaysAllow still gets through). Egress is denied to every pod and every
 * IPv4 and IPv6 address; ingress from every pod (ClusterNetworkPolicy ingress peers are pods: traffic
 * from outside the cluster to a pod no NetworkPolicy isolates stays allowed; use DefaultDeny for that).
 */
export class BaselineDefaultDeny extends ClusterPolicyConstructBase {
  public readonly model: ClusterNetworkPolicyModel;

  constructor(scope: Construct, id: string, props: BaselineDefaultDenyProps = {}) {
    super(scope, id, 'BaselineDefaultDeny', props.policyName);
    const ingress = props.ingress ?? true;
    const egress = props.egress ?? true;
    if (!ingress && !egress) throw new NetproofError(this.where, ConstructMessages.denyNothing);
    const except = [...new Set(props.exceptNamespaces ?? ['kube-system'])].sort();
    for (const n of except) {
      const bad = checkDns1123Label(n);
      if (bad !== undefined) throw new NetproofError(this.where, `${bad}. ${Fix.dns1123Label}`, `exceptNamespaces "${n}"`);
    }
    let namespaces = props.namespaces ?? Selector.all();
    if (except.length > 0) namespaces = namespaces.withExpressions(LabelExpression.notIn(NAMESPACE_NAME_LABEL, except));
    const everyPod = ClusterPods.allNamespaces();
    this.model = this.emitClusterNetworkPolicy('Resource', {
      name: this.policyName,
      tier: 'Baseline',
      priority: props.priority ?? 1000,
      subject: ClusterPods.namespaces(namespaces),
      ingress: ingress ? [ClusterRule.deny([everyPod], { name: 'default-deny' })] : [],
      egress: egress ? [ClusterRule.deny([everyPod, ClusterPeer.networks('0.0.0.0/0', '::/0')], { name: 'default-deny' })] : [],
    });
  }
}

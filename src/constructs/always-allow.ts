import { Construct } from 'constructs';
import { ClusterPolicyConstructBase } from './_cluster-base';
import { ClusterMessages, NetproofError } from '../errors';
import { ClusterNetworkPolicyModel } from '../model/policy';
import { ClusterPods } from '../values/cluster-peer';
import { ClusterProtocol } from '../values/cluster-protocol';
import { ClusterRule } from '../values/cluster-rule';

export interface AlwaysAllowProps {
  /**
   * The sources.
   * @default - every pod of every namespace (give `to`)
   */
  readonly from?: ClusterPods;
  /**
   * The destinations.
   * @default - every pod of every namespace (give `from`)
   */
  readonly to?: ClusterPods;
  /**
   * The ports and protocols allowed.
   * @default - every port of every protocol
   */
  readonly protocols?: ClusterProtocol[];
  /**
   * Accept the egress of `from` to `to` (policy `<policyName>-egress`, subject `from`).
   * @default true
   */
  readonly egress?: boolean;
  /**
   * Accept the ingress of `to` from `from` (policy `<policyName>-ingress`, subject `to`).
   * @default true
   */
  readonly ingress?: boolean;
  /**
   * Priority in the Admin tier (0 to 1000, lower first): below the Admin policies it must get through,
   * such as TenantIsolation (100). Two AlwaysAllow whose traffic can overlap need different priorities:
   * equal priorities that match the same traffic have no defined order, and synth refuses them (NP010).
   * @default 10
   */
  readonly priority?: number;
  /**
   * The stem of the policies' names: `<policyName>-egress` and `<policyName>-ingress`.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/**
 * Traffic that always gets through (kube-dns, monitoring): Admin-tier Accept rules, which no
 * NetworkPolicy and no later Admin or Baseline policy can override. Two-sided, since each direction is
 * decided on its own: the sources' egress to the destinations and the destinations' ingress from the
 * sources, on the protocols.
 */
export class AlwaysAllow extends ClusterPolicyConstructBase {
  /** The egress policy (subject `from`), then the ingress policy (subject `to`), as enabled. */
  public readonly models: readonly ClusterNetworkPolicyModel[];

  constructor(scope: Construct, id: string, props: AlwaysAllowProps) {
    super(scope, id, 'AlwaysAllow', props.policyName);
    const egress = props.egress ?? true;
    const ingress = props.ingress ?? true;
    if (!egress && !ingress) throw new NetproofError(this.where, ClusterMessages.allowNothing);
    if (props.from === undefined && props.to === undefined) throw new NetproofError(this.where, ClusterMessages.allowEveryone);
    const from = props.from ?? ClusterPods.allNamespaces();
    const to = props.to ?? ClusterPods.allNamespaces();
    const priority = props.priority ?? 10;
    const options = { name: this.policyName, ...(props.protocols === undefined ? {} : { protocols: props.protocols }) };
    const models: ClusterNetworkPolicyModel[] = [];
    if (egress) {
      models.push(this.emitClusterNetworkPolicy('Egress', {
        name: `${this.policyName}-egress`, tier: 'Admin', priority, subject: from, ingress: [], egress: [ClusterRule.accept([to], options)],
      }));
    }
    if (ingress) {
      models.push(this.emitClusterNetworkPolicy('Ingress', {
        name: `${this.policyName}-ingress`, tier: 'Admin', priority, subject: to, ingress: [ClusterRule.accept([from], options)], egress: [],
      }));
    }
    this.models = models;
  }
}

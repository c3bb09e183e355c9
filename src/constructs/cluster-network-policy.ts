import { Construct } from 'constructs';
import { ClusterPolicyConstructBase } from './_cluster-base';
import { ClusterMessages, NetproofError } from '../errors';
import { ClusterNetworkPolicyModel } from '../model/policy';
import { ClusterPods } from '../values/cluster-peer';
import { ClusterRule } from '../values/cluster-rule';

/** The tier a ClusterNetworkPolicy is evaluated in. */
export enum ClusterTier {
  /** Before NetworkPolicies, which cannot override it. */
  ADMIN = 'Admin',
  /** After NetworkPolicies: it decides only for pods no NetworkPolicy isolates in that direction. */
  BASELINE = 'Baseline',
}

export interface ClusterNetworkPolicyProps {
  /** Admin (before NetworkPolicies) or Baseline (after them). */
  readonly tier: ClusterTier;
  /** 0 to 1000; within a tier, lower goes first. Two policies of one tier and priority must not match the same traffic. */
  readonly priority: number;
  /** The pods the policy applies to (host-network pods never are subjects). */
  readonly subject: ClusterPods;
  /**
   * Ingress rules, in precedence order (at most 25; peers are ClusterPods).
   * @default - none: the policy does not affect the subject's ingress
   */
  readonly ingress?: ClusterRule[];
  /**
   * Egress rules, in precedence order (at most 25).
   * @default - none: the policy does not affect the subject's egress
   */
  readonly egress?: ClusterRule[];
  /**
   * metadata.name of the ClusterNetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/**
 * A `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy: cluster-scoped, in the Admin or the
 * Baseline tier. Each direction of a connection is decided on its own: the Admin tier (policies by
 * priority, rules in order; the first rule that matches decides: Accept, Deny, or Pass to
 * NetworkPolicies), then NetworkPolicies for the pods they isolate, then the Baseline tier the same way,
 * then allow. Created in a ClusterPolicyChart; checked as the API server checks it.
 */
export class ClusterNetworkPolicy extends ClusterPolicyConstructBase {
  public readonly model: ClusterNetworkPolicyModel;

  constructor(scope: Construct, id: string, props: ClusterNetworkPolicyProps) {
    super(scope, id, 'ClusterNetworkPolicy', props.policyName);
    const ingress = props.ingress ?? [];
    const egress = props.egress ?? [];
    if (ingress.length === 0 && egress.length === 0) throw new NetproofError(this.where, ClusterMessages.nothing);
    this.model = this.emitClusterNetworkPolicy('Resource', {
      name: this.policyName,
      tier: props.tier,
      priority: props.priority,
      subject: props.subject,
      ingress,
      egress,
    });
  }
}

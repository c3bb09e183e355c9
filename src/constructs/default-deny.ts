import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { NetworkPolicyModel, PolicyType } from '../model/policy';
import { IPodSelector } from '../values/selector';

export interface DefaultDenyProps {
  /**
   * The pods that are isolated.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /**
   * Deny all ingress to the selected pods (except what other policies allow).
   * @default true
   */
  readonly ingress?: boolean;
  /**
   * Deny all egress from the selected pods (except what other policies allow).
   * @default true
   */
  readonly egress?: boolean;
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** Isolates pods for ingress, egress or both, with no allow rule: a NetworkPolicy with empty rules. */
export class DefaultDeny extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: DefaultDenyProps = {}) {
    super(scope, id, 'DefaultDeny', props.policyName);
    const ingress = props.ingress ?? true;
    const egress = props.egress ?? true;
    if (!ingress && !egress) throw new NetproofError(this.where, ConstructMessages.denyNothing);
    const policyTypes: PolicyType[] = [];
    if (ingress) policyTypes.push('Ingress');
    if (egress) policyTypes.push('Egress');
    this.model = this.emitNetworkPolicy({ podSelector: this.podSelectorOf(props.pods), policyTypes });
  }
}

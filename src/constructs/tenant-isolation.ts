import { Construct } from 'constructs';
import { ClusterPolicyConstructBase } from './_cluster-base';
import { ClusterMessages, Fix, NetproofError } from '../errors';
import { ClusterNetworkPolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';
import { checkDns1123Subdomain, checkLabelKey, checkLabelValue } from '../model/validate';
import { ClusterPods } from '../values/cluster-peer';
import { ClusterRule } from '../values/cluster-rule';
import { LabelExpression, Selector } from '../values/selector';

export interface TenantIsolationProps {
  /**
   * The tenants: values of the tenant label. Each gets a ClusterNetworkPolicy `<policyName>-<tenant>`
   * whose subject is the namespaces labelled with that value.
   */
  readonly tenants: string[];
  /**
   * The namespace label whose value names a namespace's tenant.
   * @default 'tenant'
   */
  readonly label?: string;
  /**
   * Pods outside the tenant that its pods may still reach and be reached by, as the NetworkPolicies of
   * both ends allow (the traffic is passed to them instead of denied).
   * @default - [ClusterPods.KUBE_DNS]: name resolution keeps working; give [] to isolate tenants from it too
   */
  readonly exceptions?: ClusterPods[];
  /**
   * Priority in the Admin tier (0 to 1000, lower first). Give AlwaysAllow policies a lower number, so
   * that what they accept gets through.
   * @default 100
   */
  readonly priority?: number;
  /**
   * The stem of the policies' names: `<policyName>-<tenant>`.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/**
 * Tenants of namespaces: pods of the namespaces that share one value of the tenant label reach only
 * each other and are reached only by each other, whatever NetworkPolicies say. One Admin-tier
 * ClusterNetworkPolicy per tenant denies ingress from and egress to every pod whose namespace does not
 * carry that value (including namespaces without the label); traffic within the tenant matches no rule,
 * so the tenant's NetworkPolicies (then the Baseline tier) decide it, and so do later Admin policies.
 * Traffic to and from outside the cluster is not affected (ClusterNetworkPolicy ingress peers are pods).
 */
export class TenantIsolation extends ClusterPolicyConstructBase {
  /** One policy per tenant, in the order of `tenants` (sorted, de-duplicated). */
  public readonly models: readonly ClusterNetworkPolicyModel[];

  constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    super(scope, id, 'TenantIsolation', props.policyName);
    const label = props.label ?? 'tenant';
    const badKey = checkLabelKey(label);
    if (badKey !== undefined) throw new NetproofError(this.where, `${badKey}. ${Fix.labelKey}`, `label "${label}"`);
    const tenants = [...new Set(props.tenants ?? [])].sort(compareStrings);
    if (tenants.length === 0) throw new NetproofError(this.where, ClusterMessages.noTenants);
    for (const tenant of tenants) {
      const bad = checkLabelValue(tenant);
      if (bad !== undefined) throw new NetproofError(this.where, `${bad}. ${Fix.labelValue}`, `tenants "${tenant}"`);
      const name = `${this.policyName}-${tenant}`;
      const badName = checkDns1123Subdomain(name);
      if (badName !== undefined) throw new NetproofError(this.where, ClusterMessages.tenantPolicyName(tenant, name, badName), `tenants "${tenant}"`);
    }
    const exceptions = props.exceptions ?? [ClusterPods.KUBE_DNS];
    const priority = props.priority ?? 100;
    this.models = tenants.map((tenant) => {
      const outside = ClusterPods.namespaces(Selector.expressions(LabelExpression.notIn(label, [tenant])));
      const rules = [
        ...(exceptions.length > 0 ? [ClusterRule.pass(exceptions, { name: 'exceptions' })] : []),
        ClusterRule.deny([outside], { name: 'outside-tenant' }),
      ];
      return this.emitClusterNetworkPolicy(tenant, {
        name: `${this.policyName}-${tenant}`,
        tier: 'Admin',
        priority,
        subject: ClusterPods.namespaces(Selector.labels({ [label]: tenant })),
        ingress: rules,
        egress: rules,
      });
    });
  }
}

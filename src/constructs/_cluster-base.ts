/**
 * Internal base of the ClusterNetworkPolicy constructs: finds the ClusterPolicyChart, checks the cluster
 * profile (on GKE: Dataplane V2 and a GKE version that has the API), names policies from the construct
 * id, checks each model against the CRD's rules (model/validate-cnp.ts) with the construct path in the
 * message, and registers the model before rendering the manifest from it.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { deepFreeze, kebabCase } from './_base';
import { ClusterPolicyChart } from './cluster-policy-chart';
import { renderClusterNetworkPolicy } from '../emit/render';
import { ClusterFix, ClusterMessages, ConstructMessages, NetproofError } from '../errors';
import { CNP_MIN_GKE_VERSION } from '../model/gke';
import { ClusterNetworkPolicyModel, CnpPodsModel, CnpRuleModel, CnpTier } from '../model/policy';
import { checkDns1123Subdomain } from '../model/validate';
import { cnpProblems } from '../model/validate-cnp';
import { ClusterPods } from '../values/cluster-peer';
import { ClusterRule } from '../values/cluster-rule';
import { GkeVersion } from '../values/gke-version';

const MIN_GKE_VERSION = GkeVersion.parse(CNP_MIN_GKE_VERSION);

/** One ClusterNetworkPolicy to emit. */
export interface ClusterPolicySpec {
  readonly name: string;
  readonly tier: CnpTier;
  readonly priority: number;
  readonly subject: ClusterPods;
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
}

export abstract class ClusterPolicyConstructBase extends Construct {
  /** The cluster-scoped chart this construct belongs to. */
  public readonly chart: ClusterPolicyChart;
  /** metadata.name of the (first) emitted policy, or the stem of several. */
  public readonly policyName: string;
  /** `<Construct> <path>`, the prefix of every error message. @internal */
  protected readonly where: string;

  protected constructor(scope: Construct, id: string, constructName: string, policyName: string | undefined) {
    super(scope, id);
    this.where = `${constructName} ${this.node.path}`;
    this.chart = ClusterPolicyChart.of(this, this.where);
    const profile = this.chart.profile;
    // On GKE (the profile names a GKE version) ClusterNetworkPolicy is a Preview of Dataplane V2 from
    // CNP_MIN_GKE_VERSION on; without a GKE version the cluster may be any implementation of the API.
    if (profile.gkeVersion !== undefined) {
      if (!profile.isDataplaneV2) {
        throw new NetproofError(this.where, ConstructMessages.needsDataplaneV2('ClusterNetworkPolicy on GKE', profile.dataplane));
      }
      if (!profile.gkeVersion.isAtLeast(MIN_GKE_VERSION)) {
        throw new NetproofError(this.where, ClusterMessages.gkeVersion(String(profile.gkeVersion), CNP_MIN_GKE_VERSION));
      }
    }
    const name = policyName ?? kebabCase(id);
    const bad = checkDns1123Subdomain(name);
    if (bad !== undefined) throw new NetproofError(this.where, ConstructMessages.policyName(name, bad));
    this.policyName = name;
  }

  /**
   * Checks the policy as the API server would, registers its canonical model and emits the manifest
   * rendered from it as the child `childId` (no namespace: the chart is cluster-scoped).
   */
  protected emitClusterNetworkPolicy(childId: string, spec: ClusterPolicySpec): ClusterNetworkPolicyModel {
    if (!(spec.subject instanceof ClusterPods)) throw new NetproofError(this.where, ClusterMessages.subject(String(spec.subject)), 'subject');
    const rules = (list: readonly ClusterRule[], field: string): CnpRuleModel[] => list.map((r, i) => {
      if (!(r instanceof ClusterRule)) throw new NetproofError(this.where, ClusterMessages.rule(String(r)), `${field}[${i}]`);
      return r.model;
    });
    const subject: CnpPodsModel = spec.subject.model;
    const model: ClusterNetworkPolicyModel = deepFreeze({
      kind: 'ClusterNetworkPolicy',
      name: spec.name,
      labels: { ...this.chart.policyLabels },
      annotations: {},
      tier: spec.tier,
      priority: spec.priority,
      subject,
      ingress: rules(spec.ingress, 'ingress'),
      egress: rules(spec.egress, 'egress'),
      source: { constructPath: this.node.path },
    });
    const problem = cnpProblems(model)[0];
    if (problem !== undefined) throw new NetproofError(this.where, `${problem.reason}. ${ClusterFix[problem.code]}`, fieldOf(problem.field));
    this.chart._registerPolicy(model, this.where);
    new ApiObject(this, childId, renderClusterNetworkPolicy(model) as any);
    return model;
  }
}

/** The field as the props name it: `ingress[0].from[1]` stays, `metadata.name` is the policy name. */
function fieldOf(field: string): string {
  return field === 'metadata.name' ? 'policyName' : field;
}

import { Construct, IConstruct } from 'constructs';
import { ClusterMessages, NetproofError } from '../errors';
import { PolicyChartBase, PolicyChartBaseProps } from './_policy-chart-base';

export interface ClusterPolicyChartProps extends PolicyChartBaseProps {}

const CLUSTER_POLICY_CHART = Symbol.for('netproof.ClusterPolicyChart');

/**
 * A cdk8s Chart for cluster-scoped objects: ClusterNetworkPolicies (and the Namespaces a platform team
 * labels for them), with no namespace, synthesized once for the whole cluster (`_cluster.yaml` under
 * `netproof synth --layout namespace`). Bound to the app's cluster profile like every PolicyChart;
 * `chart.expect(...)` states intents about any namespace (`Endpoints.namespaces(...)`; a bare Selector
 * has no namespace here).
 */
export class ClusterPolicyChart extends PolicyChartBase {
  /** Is `x` a ClusterPolicyChart (also across copies of the library)? */
  public static isClusterPolicyChart(x: unknown): x is ClusterPolicyChart {
    return x !== null && typeof x === 'object' && (x as any)[CLUSTER_POLICY_CHART] === true;
  }

  /**
   * The ClusterPolicyChart that contains `construct` (or is it); throws when there is none, or when the
   * nearest chart is a (namespaced) PolicyChart. `where` names the caller in the error.
   */
  public static of(construct: IConstruct, where = `ClusterPolicyChart.of ${construct.node.path || '<root>'}`): ClusterPolicyChart {
    const chart = PolicyChartBase._nearest(construct);
    if (chart === undefined) throw new NetproofError(where, ClusterMessages.notInClusterChart);
    if (!ClusterPolicyChart.isClusterPolicyChart(chart)) {
      throw new NetproofError(where, ClusterMessages.inPolicyChart(chart.node.path, String(chart.namespace)));
    }
    return chart;
  }

  declare public readonly namespace: undefined;

  constructor(scope: Construct, id: string, props: ClusterPolicyChartProps = {}) {
    super(scope, id, 'ClusterPolicyChart', undefined, props);
    Object.defineProperty(this, CLUSTER_POLICY_CHART, { value: true });
  }
}

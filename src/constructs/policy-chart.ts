import { Construct, IConstruct } from 'constructs';
import { ClusterMessages, ConstructMessages, NetproofError } from '../errors';
import { PolicyChartBase, PolicyChartBaseProps } from './_policy-chart-base';
import { checkDns1123Label } from '../model/validate';

export { ImpliedExternal, impliedExternalsOf, policiesOf } from './_policy-chart-base';

export interface PolicyChartProps extends PolicyChartBaseProps {
  /** The namespace every policy of this chart lives in (DNS-1123 label). */
  readonly namespace: string;
}

const POLICY_CHART = Symbol.for('netproof.PolicyChart');

/**
 * A cdk8s Chart bound to one namespace and one cluster profile. netproof constructs created in it (or
 * under a scope inside it) register their policy models here; the YAML is rendered from those models.
 * Cluster-scoped policies (ClusterNetworkPolicy) live in a ClusterPolicyChart instead.
 */
export class PolicyChart extends PolicyChartBase {
  /** Is `x` a PolicyChart (also across copies of the library)? A ClusterPolicyChart is not. */
  public static isPolicyChart(x: unknown): x is PolicyChart {
    return x !== null && typeof x === 'object' && (x as any)[POLICY_CHART] === true;
  }

  /** The PolicyChart that contains `construct` (or is it); throws when there is none, or when the nearest chart is a ClusterPolicyChart. */
  public static of(construct: IConstruct): PolicyChart {
    const chart = PolicyChartBase._nearest(construct);
    const where = `PolicyChart.of ${construct.node.path || '<root>'}`;
    if (chart === undefined) throw new NetproofError(where, ConstructMessages.notInPolicyChart);
    if (!PolicyChart.isPolicyChart(chart)) throw new NetproofError(where, ClusterMessages.inClusterChart(chart.node.path));
    return chart;
  }

  declare public readonly namespace: string;

  constructor(scope: Construct, id: string, props: PolicyChartProps) {
    const bad = checkDns1123Label(props.namespace);
    if (bad !== undefined) throw new NetproofError(`PolicyChart ${[scope.node.path, id].filter((s) => s).join('/')}`, ConstructMessages.namespace(String(props.namespace), bad));
    super(scope, id, 'PolicyChart', props.namespace, props);
    Object.defineProperty(this, POLICY_CHART, { value: true });
  }
}

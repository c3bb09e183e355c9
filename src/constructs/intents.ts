import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { appAnalyzer } from './_analyzer';
import { Expectation, EndpointsLike } from './expect';
import { IntentModel } from '../model/intent';

const ID = 'netproof-intents';
const INTENTS = Symbol.for('netproof.Intents');

/**
 * The intents stated on one chart. `PolicyChart.expect(...)` records them here; before cdk8s writes any
 * file, validation checks every intent of the app and fails synth with a counterexample and the
 * verifier's explanation for each one that does not hold.
 */
export class Intents extends Construct {
  /** The Intents of a chart, created on first use. */
  public static of(chart: Chart): Intents {
    return (chart.node.tryFindChild(ID) as Intents | undefined) ?? new Intents(chart, ID);
  }

  /** Is `x` an Intents holder (also across copies of the library)? */
  public static isIntents(x: unknown): x is Intents {
    return x !== null && typeof x === 'object' && (x as any)[INTENTS] === true;
  }

  private readonly list: IntentModel[] = [];
  private readonly chart: Chart;

  private constructor(chart: Chart, id: string) {
    super(chart, id);
    Object.defineProperty(this, INTENTS, { value: true });
    this.chart = chart;
    this.node.addValidation({ validate: () => (this.list.length === 0 ? [] : appAnalyzer(this.node.path).intentErrors(this, this.list)) });
  }

  /** Intents about `subject`; selectors without a namespace mean the chart's namespace. */
  public expect(subject: EndpointsLike): Expectation {
    return new Expectation((i) => this.list.push(i), subject, this.chart.namespace, this.chart.node.path);
  }

  public get intents(): readonly IntentModel[] {
    return [...this.list];
  }
}

/** Every intent stated under `scope`'s app, in construct path order. */
export function intentsOf(scope: IConstruct): IntentModel[] {
  return scope.node.root.node.findAll()
    .filter(Intents.isIntents)
    .flatMap((c) => c.intents);
}

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Expectation, EndpointsLike } from './expect';
import { IntentModel } from './model';
import { markIntentsHolder, verifyApp } from './verify-app';
import { formatIntentResults } from '../report/explain';

const ID = 'netproof-intents';

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

  private readonly list: IntentModel[] = [];
  private readonly chart: Chart;

  private constructor(chart: Chart, id: string) {
    super(chart, id);
    markIntentsHolder(this);
    this.chart = chart;
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** Intents about `subject`; selectors without a namespace mean the chart's namespace. */
  public expect(subject: EndpointsLike): Expectation {
    return new Expectation((i) => this.list.push(i), subject, this.chart.namespace, this.chart.node.path);
  }

  public get intents(): readonly IntentModel[] {
    return [...this.list];
  }

  private validate(): string[] {
    if (this.list.length === 0) return [];
    const mine = new Set<IntentModel>(this.list);
    const errors: string[] = [];
    const results = verifyApp(this).results;
    const checked = new Set(results.map((r) => r.intent));
    const unchecked = this.list.filter((i) => !checked.has(i)).length;
    if (unchecked > 0) errors.push(`internal: ${unchecked} intent(s) of this chart were not checked; synth refuses to pass them unchecked`);
    for (const r of results) {
      if (!mine.has(r.intent) || r.holds) continue;
      // The report of this one intent, without its summary line.
      errors.push(`intent violated: ${formatIntentResults([r]).split('\n').slice(0, -1).join('\n').replace(/^✗ /, '')}`);
    }
    return errors;
  }
}

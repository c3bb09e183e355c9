/**
 * The app layer: a cdk8s App becomes the verification model, and its charts' synth-time checks (violated
 * intents, lint errors) are answered here. Loading this module registers those checks with the
 * constructs, which know nothing about analyses themselves.
 */
import { IConstruct } from 'constructs';
import { strictFromEnvironment, writeWarnings } from './_synth-io';
import { ownedWarnings, warningOutcome } from './_warnings';
import { writeRecordedModel } from './record';
import { AppVerification, verifyApp } from './verify';
import { explainSets } from '../analysis/explain';
import { registerAppAnalyzer } from '../constructs/_analyzer';
import { PolicyChartBase } from '../constructs/_policy-chart-base';
import { NetproofError } from '../errors';
import { DEFAULT_NETWORK } from '../model/cluster';
import { IntentModel } from '../model/intent';
import { policyId } from '../model/policy';
import { formatIntentViolation } from '../report/verify/text';

export * from './model';
export * from './verify';

/**
 * The verification of the current validation pass of each app: cdk8s validates the whole app once per
 * chart it synthesizes (N charts: N + 1 passes), and every chart's checks ask for the app's verification;
 * within one synchronous pass nothing changes, so they share the one the pass began with. Dropped after
 * the current task, so a later change of the app is always seen.
 */
const passes = new WeakMap<IConstruct, AppVerification>();

function passVerification(scope: IConstruct): AppVerification {
  return passes.get(scope.node.root) ?? verifyApp(scope);
}

registerAppAnalyzer({
  lintErrors(chart, strict) {
    const policyChart = chart as PolicyChartBase;
    // The policies the chart writes: its constructs' and its raw objects' (their sources are construct paths).
    const verification = passVerification(chart);
    const path = chart.node.path;
    const under = (p: string | undefined) => p !== undefined && (p === path || p.startsWith(`${path}/`));
    const mine = new Set([...policyChart.policies, ...verification.model.policies.filter((p) => under(p.source?.constructPath))].map(policyId));
    const errors = verification.findings
      .filter((f) => f.severity === 'error' && mine.has(f.subject))
      .map((f) => `${f.id} ${f.name} ${f.subject}: ${f.message}`);
    const { errors: failing, printed } = warningOutcome(chart, ownedWarnings(policyChart, verification), strict || strictFromEnvironment());
    if (printed) writeWarnings(printed);
    return [...errors, ...failing];
  },
  intentErrors(holder, intents: readonly IntentModel[]) {
    const mine = new Set<IntentModel>(intents);
    const errors: string[] = [];
    const results = passVerification(holder).results;
    const checked = new Set(results.map((r) => r.intent));
    const unchecked = intents.filter((i) => !checked.has(i)).length;
    if (unchecked > 0) errors.push(`internal: ${unchecked} intent(s) of this chart were not checked; synth refuses to pass them unchecked`);
    for (const r of results) if (mine.has(r.intent) && !r.holds) errors.push(formatIntentViolation(r));
    return errors;
  },
  explain(scope, from, to, port, portText, options) {
    return explainSets(verifyApp(scope).model, from, to, port, portText, options.network ?? DEFAULT_NETWORK);
  },
  beginValidation(root) {
    passes.delete(root);
    try {
      passes.set(root, verifyApp(root));
      queueMicrotask(() => passes.delete(root));
    } catch (e) {
      // A model that cannot be built: each chart's own check builds it again and reports why.
      if (!(e instanceof NetproofError)) throw e;
    }
  },
  recordModel(root) {
    try {
      writeRecordedModel(root);
    } catch (e) {
      // A model that cannot be built fails the charts' own checks, which say why; then nothing is written.
      if (!(e instanceof NetproofError)) throw e;
    }
  },
});

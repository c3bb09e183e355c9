/**
 * The app layer: a cdk8s App becomes the verification model, and its charts' synth-time checks (violated
 * intents, lint errors) are answered here. Loading this module registers those checks with the
 * constructs, which know nothing about analyses themselves.
 */
import { writeRecordedModel } from './record';
import { verifyApp } from './verify';
import { explainSets } from '../analysis/explain';
import { registerAppAnalyzer } from '../constructs/_analyzer';
import { PolicyChart } from '../constructs/policy-chart';
import { NetproofError } from '../errors';
import { DEFAULT_NETWORK } from '../model/cluster';
import { IntentModel } from '../model/intent';
import { policyId } from '../model/policy';
import { formatIntentViolation } from '../report/verify/text';

export * from './model';
export * from './verify';

registerAppAnalyzer({
  lintErrors(chart) {
    const mine = new Set((chart as PolicyChart).policies.map(policyId));
    return verifyApp(chart).findings
      .filter((f) => f.severity === 'error' && mine.has(f.subject))
      .map((f) => `${f.id} ${f.name} ${f.subject}: ${f.message}`);
  },
  intentErrors(holder, intents: readonly IntentModel[]) {
    const mine = new Set<IntentModel>(intents);
    const errors: string[] = [];
    const results = verifyApp(holder).results;
    const checked = new Set(results.map((r) => r.intent));
    const unchecked = intents.filter((i) => !checked.has(i)).length;
    if (unchecked > 0) errors.push(`internal: ${unchecked} intent(s) of this chart were not checked; synth refuses to pass them unchecked`);
    for (const r of results) if (mine.has(r.intent) && !r.holds) errors.push(formatIntentViolation(r));
    return errors;
  },
  explain(scope, from, to, port, portText, options) {
    return explainSets(verifyApp(scope).model, from, to, port, portText, options.network ?? DEFAULT_NETWORK);
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

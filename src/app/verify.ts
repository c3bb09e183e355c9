/**
 * Verification of a whole cdk8s app: its model, every intent stated on its charts, and the lints, by the
 * one pipeline. Used by the synth-time checks of the charts and by scripts that want the report.
 */
import { IConstruct } from 'constructs';
import { AppModel, modelOfApp } from './model';
import { explainSets } from '../analysis/explain';
import { IntentResult } from '../analysis/intents';
import { LintFinding } from '../analysis/lint';
import { runPipeline } from '../analysis/pipeline';
import { ExplainOptions } from '../constructs/expect';
import { intentsOf } from '../constructs/intents';
import { DEFAULT_NETWORK } from '../model/cluster';
import { EndpointSetModel } from '../model/intent';
import { Port } from '../values/port';
import { Verdict } from '../verify/api';

export interface AppVerification {
  readonly model: AppModel;
  readonly results: readonly IntentResult[];
  /** Lint findings over the app's policies and model (errors fail synth; warnings are reported). */
  readonly findings: readonly LintFinding[];
}

const cache = new WeakMap<IConstruct, { fingerprint: string; verification: AppVerification }>();

/**
 * Builds the app's model and checks every intent. The model is rebuilt on every call (workloads and
 * intents may have changed since the last one); the checks are reused only while the model and the
 * intents are exactly the same, so the validations of several charts share one run.
 */
export function verifyApp(scope: IConstruct): AppVerification {
  const root = scope.node.root;
  const model = modelOfApp(root);
  const intents = intentsOf(root);
  const fingerprint = JSON.stringify([model.policies, model.cluster, model.profile, model.manifests, intents]);
  const hit = cache.get(root);
  if (hit && hit.fingerprint === fingerprint) return hit.verification;
  const { results, findings } = runPipeline({
    policies: model.policies, cluster: model.cluster, profile: model.profile, intents, manifests: model.manifests,
  });
  const verification = { model, results, findings };
  cache.set(root, { fingerprint, verification });
  return verification;
}

/**
 * Why (or why not) each pod or external of `from` reaches each of `to` on `port`, with every reason:
 * one verdict per concrete pair of the app's model (a named port is resolved on each destination pod).
 */
export function explainApp(scope: IConstruct, from: EndpointSetModel, to: EndpointSetModel, port: Port, options: ExplainOptions = {}): Verdict[] {
  const { model } = verifyApp(scope);
  return explainSets(model, from, to, port.model, port.toString(), options.network ?? DEFAULT_NETWORK);
}

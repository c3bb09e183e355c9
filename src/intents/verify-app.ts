/**
 * Verification of a whole cdk8s app: its model, every intent stated on its charts, and the lints.
 * Used by the synth-time validation of `Intents` and by scripts that want the report.
 */
import { IConstruct } from 'constructs';
import { Verifier } from '../verify/verifier';
import { AppModel, modelOfApp } from './app-model';
import { checkIntents, IntentResult } from './check';
import { IntentModel } from './model';

export interface AppVerification {
  readonly model: AppModel;
  readonly results: readonly IntentResult[];
}

const INTENTS = Symbol.for('netproof.Intents');

/** Every intent stated under `scope`'s app, in construct path order. */
export function intentsOf(scope: IConstruct): IntentModel[] {
  return scope.node.root.node.findAll()
    .filter((c) => (c as any)[INTENTS] === true)
    .flatMap((c) => (c as unknown as { intents: readonly IntentModel[] }).intents);
}

/** Marks a construct as an intents holder (so `intentsOf` finds it across library copies). @internal */
export function markIntentsHolder(c: IConstruct): void {
  Object.defineProperty(c, INTENTS, { value: true });
}

const cache = new WeakMap<IConstruct, { size: number; verification: AppVerification }>();

/**
 * Builds the app's model and checks every intent. Cached per app while the construct tree does not
 * grow, so the validations of several charts share one verification.
 */
export function verifyApp(scope: IConstruct): AppVerification {
  const root = scope.node.root;
  const size = root.node.findAll().length;
  const hit = cache.get(root);
  if (hit && hit.size === size) return hit.verification;
  const model = modelOfApp(root);
  const verifier = new Verifier({ policies: model.policies, cluster: model.cluster, dataplane: model.dataplane });
  const results = checkIntents({ verifier, cluster: model.cluster, policies: model.policies }, intentsOf(root));
  const verification = { model, results };
  cache.set(root, { size, verification });
  return verification;
}

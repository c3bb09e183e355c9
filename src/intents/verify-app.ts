/**
 * Verification of a whole cdk8s app: its model, every intent stated on its charts, and the lints.
 * Used by the synth-time validation of `Intents` and by scripts that want the report.
 */
import { IConstruct } from 'constructs';
import { AppModel, modelOfApp } from './app-model';
import { checkIntents, IntentResult } from './check';
import { IntentModel } from './model';
import { ClusterProfile } from '../constructs/cluster-profile';
import { metadataServerEndpoint } from '../constructs/metadata-endpoint';
import { lint, LintFinding } from '../lint/lint';
import { Verifier } from '../verify/verifier';

export interface AppVerification {
  readonly model: AppModel;
  readonly results: readonly IntentResult[];
  /** Lint findings over the app's policies and model (errors fail synth; warnings are reported). */
  readonly findings: readonly LintFinding[];
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
  const findings = lint({
    policies: model.policies,
    cluster: model.cluster,
    dataplane: model.dataplane,
    declaredNetworks: model.profile ? ['default', ...model.profile.podNetworks] : undefined,
    podCidrs: model.profile?.podCidrs.map(String),
    serviceCidrs: model.profile?.serviceCidrs.map(String),
    metadataServer: model.profile ? metadataOf(model.profile) : undefined,
    manifests: model.manifests,
  });
  const verification = { model, results, findings };
  cache.set(root, { size, verification });
  return verification;
}

function metadataOf(profile: ClusterProfile): { ip: string; port: number } | undefined {
  try {
    const e = metadataServerEndpoint(profile);
    return { ip: e.cidr.replace(/\/\d+$/, ''), port: e.port.model.port as number };
  } catch {
    return undefined; // no GKE version on a non-Dataplane-V2 profile: the endpoint is unknown, NP006 is skipped
  }
}

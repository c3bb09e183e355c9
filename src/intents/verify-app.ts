/**
 * Verification of a whole cdk8s app: its model, every intent stated on its charts, and the lints.
 * Used by the synth-time validation of `Intents` and by scripts that want the report.
 */
import { IConstruct } from 'constructs';
import { withAddressRepresentatives } from './addresses';
import { AppModel, modelOfApp } from './app-model';
import { checkIntents, endpointInSet, IntentResult } from './check';
import { EndpointSetModel, IntentModel } from './model';
import { withWitnessPods } from './witnesses';
import { ClusterProfile } from '../constructs/cluster-profile';
import { metadataServerEndpoint } from '../constructs/metadata-endpoint';
import { NetproofError } from '../errors';
import { lint, LintFinding } from '../lint/lint';
import { DEFAULT_NETWORK } from '../model/cluster';
import { Port } from '../values/port';
import { Endpoint, Verdict } from '../verify/api';
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

const cache = new WeakMap<IConstruct, { fingerprint: string; verification: AppVerification }>();

/**
 * Builds the app's model and checks every intent. The model is rebuilt on every call (workloads and
 * intents may have changed since the last one); the checks are reused only while the model, the
 * intents and the profile are exactly the same, so the validations of several charts share one run.
 */
export function verifyApp(scope: IConstruct): AppVerification {
  const root = scope.node.root;
  const model = modelOfApp(root);
  const intents = intentsOf(root);
  const fingerprint = JSON.stringify([model.policies, model.cluster, model.dataplane, model.manifests, String(model.profile), model.facts, intents]);
  const hit = cache.get(root);
  if (hit && hit.fingerprint === fingerprint) return hit.verification;
  // Intents are checked against every address an ipBlock could admit and against pods that could exist
  // (witnesses of every peer selector), not only against the declared endpoints.
  const excluded = [...model.facts.podCidrs, ...model.facts.serviceCidrs];
  const { cluster, witnesses } = withWitnessPods(withAddressRepresentatives(model.cluster, model.policies, excluded), model.policies);
  const verifier = new Verifier({ policies: model.policies, cluster, dataplane: model.dataplane });
  const results = checkIntents({ verifier, cluster, policies: model.policies, witnesses }, intents);
  const findings = lint({
    policies: model.policies,
    cluster: model.cluster,
    dataplane: model.dataplane,
    declaredNetworks: model.profile ? model.facts.podNetworks : undefined,
    podCidrs: model.facts.podCidrs,
    serviceCidrs: model.facts.serviceCidrs,
    metadataServer: model.profile ? metadataOf(model.profile) : undefined,
    manifests: model.manifests,
  });
  const verification = { model, results, findings };
  cache.set(root, { fingerprint, verification });
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

export interface ExplainOptions {
  /** @default 'default' */
  readonly network?: string;
}

/**
 * Why (or why not) each pod or external of `from` reaches each of `to` on `port`, with every reason:
 * one verdict per concrete pair of the app's model (a named port is resolved on each destination pod).
 */
export function explainApp(scope: IConstruct, from: EndpointSetModel, to: EndpointSetModel, port: Port, options: ExplainOptions = {}): Verdict[] {
  const { model } = verifyApp(scope);
  const network = options.network ?? DEFAULT_NETWORK;
  const verifier = new Verifier({ policies: model.policies, cluster: model.cluster, dataplane: model.dataplane });
  const endpoints = (set: EndpointSetModel): Endpoint[] => [
    ...model.cluster.pods.filter((p) => p.networks.includes(network)).map((pod): Endpoint => ({ kind: 'pod', id: `${pod.namespace}/${pod.name}`, pod })),
    ...model.cluster.externals.map((external): Endpoint => ({ kind: 'external', id: external.name, external })),
  ].filter((e) => endpointInSet(e, set, model.cluster));
  const sources = endpoints(from);
  const targets = endpoints(to);
  if (sources.length === 0 || targets.length === 0) {
    const empty = sources.length === 0 ? from : to;
    throw new NetproofError('explain', `${empty.text} matches no pod or external on network ${network}. Declare the workload, or fix the selector`);
  }
  const verdicts: Verdict[] = [];
  for (const s of sources) {
    for (const t of targets) {
      if (s.kind === 'external' && t.kind === 'external') continue;
      const p = port.model;
      let number: number | undefined;
      if (typeof p.port === 'number') number = p.port;
      else if (typeof p.port === 'string' && t.kind === 'pod') number = t.pod.ports.find((cp) => cp.name === p.port && cp.protocol === p.protocol)?.port;
      if (number === undefined) {
        throw new NetproofError('explain', `${port} is not one concrete port for ${t.id}. Give a port number, or a container port name the destination has`);
      }
      verdicts.push(verifier.explain(s.id, t.id, { port: number, protocol: p.protocol, network }));
    }
  }
  return verdicts;
}

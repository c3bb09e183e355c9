/**
 * The one verification pipeline. The SDK (`verifyApp`, synth-time checks) and every CLI command that
 * verifies (`verify`, `diff`, `graph`, ...) call it with what they read, so they never disagree:
 * {policies, cluster, profile, intents, manifests} -> {model, intent results, lint findings}.
 */
import { checkIntents, IntentResult } from './intents';
import { lint, LintFinding } from './lint';
import { withNearMisses } from './near-miss';
import { ClusterModel, Dataplane, ManifestFacts, NO_MANIFEST_FACTS, ProfileModel } from '../model/cluster';
import { IntentModel } from '../model/intent';
import { PolicyModel } from '../model/policy';
import { withAddressRepresentatives } from '../verify/addresses';
import { Verifier } from '../verify/verifier';

export interface PipelineInput {
  readonly policies: readonly PolicyModel[];
  /** Namespaces, pods and externals, as read (no address representatives yet). */
  readonly cluster: ClusterModel;
  readonly profile: ProfileModel;
  /** @default - none */
  readonly intents?: readonly IntentModel[];
  /** @default - none */
  readonly manifests?: ManifestFacts;
}

/** What intents are checked against: the cluster as read, plus what it implies. */
export interface VerificationModel {
  readonly policies: readonly PolicyModel[];
  /** The cluster as read. */
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  readonly profile: ProfileModel;
  readonly manifests: ManifestFacts;
}

export interface PipelineResult {
  readonly model: VerificationModel;
  /** One result per intent, in the order given. */
  readonly results: readonly IntentResult[];
  /** Lint findings, sorted by id, subject and message. */
  readonly findings: readonly LintFinding[];
}

/** Verifies: checks every intent against every endpoint the universe holds, and runs the lints. */
export function runPipeline(input: PipelineInput): PipelineResult {
  const { policies, cluster, profile } = input;
  const manifests = input.manifests ?? NO_MANIFEST_FACTS;
  const dataplane = profile.dataplane;
  // Intents hold for every address an ipBlock could admit (one representative per interval of address
  // space) and, with scope all, for every pod and namespace that could exist (proofs), not only for the
  // declared endpoints.
  const excluded = [...profile.podCidrs, ...profile.serviceCidrs];
  const intents = input.intents ?? [];
  let results: IntentResult[] = [];
  if (intents.length > 0) {
    const known = withAddressRepresentatives(cluster, policies, excluded);
    const verifier = new Verifier({ policies, cluster: known, dataplane });
    const { podCidrs, serviceCidrs } = profile;
    // A denial in a counterexample lists the rules that nearly allowed it (port, protocol, peer, network).
    const near = { policies, cluster: known, dataplane };
    results = checkIntents({ verifier, cluster: known, policies, dataplane, podCidrs, serviceCidrs }, intents)
      .map((r) => (r.holds ? r : { ...r, counterexamples: r.counterexamples.map((c) => withNearMisses(near, c)) }));
  }
  const findings = lint({
    policies,
    cluster,
    dataplane,
    declaredNetworks: profile.podNetworks,
    podCidrs: profile.podCidrs,
    serviceCidrs: profile.serviceCidrs,
    metadataServer: profile.metadataServer,
    manifests,
    intents,
    ...(profile.gkeVersion !== undefined ? { gkeVersion: profile.gkeVersion } : {}),
    ...(profile.cnpExperimental !== undefined ? { cnpExperimental: profile.cnpExperimental } : {}),
  });
  return { model: { policies, cluster, dataplane, profile, manifests }, results, findings };
}

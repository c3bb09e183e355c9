/**
 * Intents as data: what the author of a chart means reachability to be. Built by the intent API of
 * PolicyChart or read from an intents file; checked by `checkIntents` against the verifier.
 */
import { DEFAULT_NETWORK } from './cluster';
import { Direction, NAMESPACE_NAME_LABEL, SourceRef } from './policy';
import { describePort, PortModel } from './port';
import { describeSelector, isSelectAll, LabelSelectorModel } from './selector';

/** A set of endpoints an intent talks about. */
export type EndpointSetModel =
  /** Pods whose namespace labels match `namespaces` and whose labels match `pods`. */
  | {
    readonly kind: 'pods';
    readonly namespaces: LabelSelectorModel;
    readonly pods: LabelSelectorModel;
    readonly text: string;
    /**
     * Set for a workload (cdk8s-plus, L1, DeclaredWorkload): the pods it makes are the ones its template
     * makes (its pod in the model, by namespace and name); the selectors still find its known pods.
     */
    readonly workload?: { readonly namespace: string; readonly name: string };
  }
  /** The external endpoint of that name in the cluster model. */
  | { readonly kind: 'external'; readonly name: string; readonly text: string }
  /** The internet: the modelled `internet` endpoint and one representative of every public address interval. */
  | { readonly kind: 'internet'; readonly text: string }
  /** Every external whose name starts with `prefix` (e.g. all Google health-check ranges). */
  | { readonly kind: 'externalGroup'; readonly prefix: string; readonly text: string }
  /** One pod by name (cluster inventories, `netproof explain`). */
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string; readonly text: string }
  /** Externals whose hostname is this name (what an FQDN policy allows). */
  | { readonly kind: 'hostname'; readonly hostname: string; readonly text: string };

export type IntentKind = 'canReach' | 'cannotReach' | 'isolated' | 'onlyReachableFrom';

export interface IntentModel {
  readonly kind: IntentKind;
  /** canReach/cannotReach: the sources; isolated/onlyReachableFrom: the pods the intent is about. */
  readonly subject: EndpointSetModel;
  /** canReach/cannotReach: the destinations. */
  readonly target?: EndpointSetModel;
  /** onlyReachableFrom: the only sources allowed to reach `subject`. */
  readonly allowedSources?: readonly EndpointSetModel[];
  /** isolated: the direction. */
  readonly direction?: Direction;
  /** The port; absent means any port of any protocol; a PortModel without `port` means any port of its protocol. */
  readonly port?: PortModel;
  /** @default 'default' */
  readonly network?: string;
  /**
   * What the intent quantifies over: `all`, every pod and namespace that could exist (a proof), or
   * `existing`, the known workloads.
   * @default - `existing` for canReach, `all` for the others
   */
  readonly scope?: IntentScope;
  /** Where the intent was stated, for reports. */
  readonly source?: SourceRef;
}

export type IntentScope = 'all' | 'existing';

/** The scope an intent has: its own, or its kind's default. */
export function scopeOf(intent: IntentModel): IntentScope {
  return intent.scope ?? (intent.kind === 'canReach' ? 'existing' : 'all');
}

/** The intent in words: `pods app=frontend in ns shop can reach pods app=backend in ns shop on TCP 80`. */
export function describeIntent(intent: IntentModel): string {
  const port = intent.port ? ` on ${describePort(intent.port)}` : ' on any port';
  const net = intent.network && intent.network !== DEFAULT_NETWORK ? ` (network ${intent.network})` : '';
  const plural = intent.subject.kind === 'externalGroup' || (intent.subject.kind === 'pods' && /^(all )?pods /.test(intent.subject.text));
  const verb = plural ? 'are' : 'is';
  switch (intent.kind) {
    case 'canReach': return `${intent.subject.text} can reach ${intent.target!.text}${port}${net}`;
    case 'cannotReach': return `${intent.subject.text} cannot reach ${intent.target!.text}${port}${net}`;
    case 'isolated': return `${intent.subject.text} ${verb} isolated for ${intent.direction}${net}`;
    case 'onlyReachableFrom': return `${intent.subject.text} ${verb} reachable${port} only from ${intent.allowedSources!.map((s) => s.text).join(' or ')}${net}`;
  }
}

/** `pods app=web in ns shop`, `all pods in namespaces team=a`. */
export function describePodSet(namespaces: LabelSelectorModel, pods: LabelSelectorModel): string {
  const podText = isSelectAll(pods) ? 'all pods' : `pods ${describeSelector(pods)}`;
  const name = namespaces.matchLabels[NAMESPACE_NAME_LABEL];
  if (name !== undefined && Object.keys(namespaces.matchLabels).length === 1 && namespaces.matchExpressions.length === 0) return `${podText} in ns ${name}`;
  return isSelectAll(namespaces) ? `${podText} in all namespaces` : `${podText} in namespaces ${describeSelector(namespaces)}`;
}

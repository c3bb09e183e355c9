/**
 * Intents as data: what the author of a chart means reachability to be. Built by the intent API of
 * PolicyChart or read from an intents file; checked by `checkIntents` against the verifier.
 */
import { Direction, SourceRef } from '../model/policy';
import { PortModel } from '../model/port';
import { LabelSelectorModel } from '../model/selector';

/** A set of endpoints an intent talks about. */
export type EndpointSetModel =
  /** Pods whose namespace labels match `namespaces` and whose labels match `pods`. */
  | { readonly kind: 'pods'; readonly namespaces: LabelSelectorModel; readonly pods: LabelSelectorModel; readonly text: string }
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
  /** Where the intent was stated, for reports. */
  readonly source?: SourceRef;
}

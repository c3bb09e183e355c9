/**
 * The policy IR shared by constructs, the YAML parser, the emitter and the verifier. Every Kubernetes
 * default is explicit here: protocols, policyTypes, own-namespace peers, "all peers" and "all ports".
 */
import { PortModel } from './port';
import { LabelSelectorModel } from './selector';

export type PolicyType = 'Ingress' | 'Egress';
export type Direction = 'ingress' | 'egress';

/** Where a model object came from, for error messages and explanations. */
export interface SourceRef {
  /** File the object was read from (YAML input). */
  readonly file?: string;
  /** Zero-based document index within the file (an intents file: the intent's entry index). */
  readonly index?: number;
  /** Zero-based item index when the object is an item of a `List` document (`items[item]` of document `index`). */
  readonly item?: number;
  /** cdk8s construct path (construct input). */
  readonly constructPath?: string;
  /**
   * One-based line where the object (its document, its `items[item]` entry, or an intents file's entry)
   * starts in the file, when it was read from text.
   */
  readonly line?: number;
}

/**
 * Pods selected by a rule peer. `namespaces` is `own` when the peer had no namespaceSelector (the
 * policy's namespace); otherwise a selector over namespace labels ({} = all namespaces).
 * `pods` is the pod selector ({} = all pods of those namespaces).
 */
export interface PodPeerModel {
  readonly kind: 'pods';
  readonly namespaces: { readonly kind: 'own' } | { readonly kind: 'selector'; readonly selector: LabelSelectorModel };
  readonly pods: LabelSelectorModel;
}

export interface IpBlockPeerModel {
  readonly kind: 'ipBlock';
  /** Canonical CIDR text. */
  readonly cidr: string;
  /** Canonical CIDR texts, sorted; each strictly inside `cidr`, same family. */
  readonly except: readonly string[];
}

export type PeerModel = PodPeerModel | IpBlockPeerModel;

export interface RuleModel {
  /** `all` when the rule had no (or an empty) from/to: every source or destination, pods and non-pods. */
  readonly peers: 'all' | readonly PeerModel[];
  /** `all` when the rule had no (or an empty) ports: every port of every protocol. */
  readonly ports: 'all' | readonly PortModel[];
}

export interface NetworkPolicyModel {
  readonly kind: 'NetworkPolicy';
  readonly name: string;
  readonly namespace: string;
  /** GKE multi-network: the `networking.gke.io/network` annotation, when present. */
  readonly network?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podSelector: LabelSelectorModel;
  /** Explicit, after the API server's defaulting (Ingress always unless given; Egress when egress rules exist). */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly RuleModel[];
  readonly egress: readonly RuleModel[];
  readonly source?: SourceRef;
}

/** One `matches` entry of a GKE FQDNNetworkPolicy egress rule: exactly one of name and pattern. */
export interface FqdnMatchModel {
  readonly name?: string;
  readonly pattern?: string;
}

export interface FqdnRuleModel {
  readonly matches: readonly FqdnMatchModel[];
  readonly ports: 'all' | readonly PortModel[];
}

/** GKE `networking.gke.io/v1alpha1` FQDNNetworkPolicy: isolates egress of selected pods, allows to names. */
export interface FqdnPolicyModel {
  readonly kind: 'FQDNNetworkPolicy';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podSelector: LabelSelectorModel;
  readonly egress: readonly FqdnRuleModel[];
  readonly source?: SourceRef;
}

export type PolicyModel = NetworkPolicyModel | FqdnPolicyModel;

export const NETWORK_ANNOTATION = 'networking.gke.io/network';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Defaulting of policyTypes exactly as the API server does it. */
export function defaultPolicyTypes(hasEgressRules: boolean): PolicyType[] {
  return hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress'];
}

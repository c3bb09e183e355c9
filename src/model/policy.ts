/**
 * The policy IR shared by constructs, the YAML parser, the emitter and the verifier. Every Kubernetes
 * default is explicit here: protocols, policyTypes, own-namespace peers, "all peers" and "all ports".
 */
import { PortModel, Protocol } from './port';
import { compareStrings, LabelSelectorModel, makeSelector } from './selector';

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

export type CnpTier = 'Admin' | 'Baseline';
export const CNP_TIERS: readonly CnpTier[] = ['Admin', 'Baseline'];
export type CnpAction = 'Accept' | 'Deny' | 'Pass';
export const CNP_ACTIONS: readonly CnpAction[] = ['Accept', 'Deny', 'Pass'];

/**
 * Pods selected by namespace labels AND pod labels: a ClusterNetworkPolicy subject or pod peer. `pods`
 * is absent for the `namespaces` form (every pod of the selected namespaces).
 */
export interface CnpPodsModel {
  readonly namespaces: LabelSelectorModel;
  readonly pods?: LabelSelectorModel;
}

/**
 * A ClusterNetworkPolicy peer. `networks` match pod IPs too, on every dataplane; `nodes` match the
 * externals declared at a node's IP; `domainNames` match externals by hostname (`*.` one or more labels).
 * `unknown` is a peer with no field netproof knows (an empty peer, or a newer API's): it fails closed,
 * matching nothing for Accept and everything for Deny and Pass.
 */
export type CnpPeerModel =
  | ({ readonly kind: 'pods' } & CnpPodsModel)
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  | { readonly kind: 'nodes'; readonly selector: LabelSelectorModel }
  | { readonly kind: 'domainNames'; readonly names: readonly string[] }
  | { readonly kind: 'unknown'; readonly fields: readonly string[] };

/**
 * One `protocols` entry: a protocol with an optional port or range (`endPort` after `port`), or a
 * destination container port name (any protocol the container port has).
 */
export type CnpProtocolModel =
  | { readonly protocol: Protocol; readonly port?: number; readonly endPort?: number }
  | { readonly namedPort: string };

export interface CnpRuleModel {
  /** At most 100 characters; empty when absent. */
  readonly name: string;
  readonly action: CnpAction;
  readonly peers: readonly CnpPeerModel[];
  /** `all` when `protocols` is absent: every port of every protocol. */
  readonly protocols: 'all' | readonly CnpProtocolModel[];
}

/**
 * `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy: cluster-scoped, in the Admin tier (before
 * NetworkPolicies) or the Baseline tier (after them); within a tier lower `priority` goes first, rules in
 * order, and the first rule that matches decides (Accept, Deny, or Pass to the next tier).
 */
export interface ClusterNetworkPolicyModel {
  readonly kind: 'ClusterNetworkPolicy';
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly tier: CnpTier;
  /** 0..1000. */
  readonly priority: number;
  readonly subject: CnpPodsModel;
  readonly ingress: readonly CnpRuleModel[];
  readonly egress: readonly CnpRuleModel[];
  readonly source?: SourceRef;
}

/** Policies that live in a namespace (NetworkPolicy, FQDNNetworkPolicy). */
export type NamespacedPolicyModel = NetworkPolicyModel | FqdnPolicyModel;

export type PolicyModel = NamespacedPolicyModel | ClusterNetworkPolicyModel;

export const CNP_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

/** Is the policy namespaced (NetworkPolicy, FQDNNetworkPolicy)? */
export function isNamespaced(p: PolicyModel): p is NamespacedPolicyModel {
  return p.kind !== 'ClusterNetworkPolicy';
}

/**
 * A policy's id in reports: `namespace/name`, or `cnp/name` for a ClusterNetworkPolicy (cluster-scoped;
 * read with its kind, as every report shows it).
 */
export function policyId(p: PolicyModel): string {
  return p.kind === 'ClusterNetworkPolicy' ? `cnp/${p.name}` : `${p.namespace}/${p.name}`;
}

export const NETWORK_ANNOTATION = 'networking.gke.io/network';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Defaulting of policyTypes exactly as the API server does it. */
export function defaultPolicyTypes(hasEgressRules: boolean): PolicyType[] {
  return hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The container port names a policy's rules mention (resolved on destination pods). */
export function portNamesOf(p: PolicyModel): string[] {
  const names: string[] = [];
  if (p.kind === 'ClusterNetworkPolicy') {
    for (const r of [...p.ingress, ...p.egress]) if (r.protocols !== 'all') for (const e of r.protocols) if ('namedPort' in e) names.push(e.namedPort);
    return names;
  }
  const rules = p.kind === 'NetworkPolicy' ? [...p.ingress, ...p.egress] : p.egress;
  for (const r of rules) if (r.ports !== 'all') for (const e of r.ports) if (typeof e.port === 'string') names.push(e.port);
  return names;
}

/** The order policies are listed in: by namespace (cluster-scoped first), kind, then name. */
export function comparePolicies(a: PolicyModel, b: PolicyModel): number {
  const ns = (p: PolicyModel) => (p.kind === 'ClusterNetworkPolicy' ? '' : p.namespace);
  return compareStrings(ns(a), ns(b)) || compareStrings(a.kind, b.kind) || compareStrings(a.name, b.name);
}

/** A peer with its selectors and except list in canonical order (equal peers give equal models). */
export function canonicalPeer(p: PeerModel): PeerModel {
  if (p.kind === 'ipBlock') return { kind: 'ipBlock', cidr: p.cidr, except: [...new Set(p.except)].sort(compareStrings) };
  const pods = makeSelector(p.pods.matchLabels, p.pods.matchExpressions);
  return p.namespaces.kind === 'own'
    ? { kind: 'pods', namespaces: { kind: 'own' }, pods }
    : { kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector(p.namespaces.selector.matchLabels, p.namespaces.selector.matchExpressions) }, pods };
}

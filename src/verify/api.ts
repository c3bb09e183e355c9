/**
 * The verifier's public contract: who reaches whom, on which port and protocol, on which Pod-network,
 * under which dataplane, and why. Pure: no I/O, no console, no process state.
 */
import { ClusterModel, Dataplane, ExternalModel, PodModel } from '../model/cluster';
import { CnpAction, CnpPeerModel, CnpTier, Direction, PeerModel, PolicyModel } from '../model/policy';
import { PortModel, Protocol } from '../model/port';

export interface VerifierInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  /** @default 'upstream' */
  readonly dataplane?: Dataplane;
  /**
   * Policies that shape the pod classes and port intervals besides `policies`, without being evaluated:
   * two verifiers given the same policies plus observers (the two sides of a diff) share their classes.
   * @default - none
   */
  readonly observers?: readonly PolicyModel[];
}

/** Pods that no policy (nor observer) can tell apart: every answer about one holds for all. */
export interface PodClassInfo {
  readonly namespace: string;
  /** Pod ids, sorted. */
  readonly members: readonly EndpointId[];
  readonly networks: ReadonlySet<string>;
}

/** One connection attempt: destination port and protocol, on one Pod-network. */
export interface Flow {
  readonly port: number;
  readonly protocol: Protocol;
  /** @default 'default' */
  readonly network?: string;
}

/** A pod (`namespace/name`) or an external (its name). */
export type EndpointId = string;

export type Endpoint =
  | { readonly kind: 'pod'; readonly id: EndpointId; readonly pod: PodModel }
  | { readonly kind: 'external'; readonly id: EndpointId; readonly external: ExternalModel };

/** A policy, identified for reports. */
export interface PolicyRef {
  readonly kind: 'NetworkPolicy' | 'FQDNNetworkPolicy';
  readonly namespace: string;
  readonly name: string;
}

/** The rule (and, when one matched, the peer and port entries) that allowed one side of a connection. */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  /** Zero-based index into the policy's ingress/egress list. */
  readonly ruleIndex: number;
  /** Zero-based index of the peer that matched; undefined when the rule admits all peers. */
  readonly peerIndex?: number;
  readonly peer: PeerModel | 'all' | { readonly kind: 'fqdn'; readonly match: string };
  /** The port entry that matched; `all` when the rule admits all ports. */
  readonly port: PortModel | 'all';
  /** Zero-based index of the port entry that matched; undefined when the rule admits all ports. */
  readonly portIndex?: number;
}

/** A ClusterNetworkPolicy, identified for reports (cluster-scoped: no namespace). */
export interface ClusterPolicyRef {
  readonly kind: 'ClusterNetworkPolicy';
  readonly name: string;
  readonly tier: CnpTier;
  readonly priority: number;
}

/** The ClusterNetworkPolicy rule that matched one side of a connection first in its tier. */
export interface TierRuleRef {
  readonly policy: ClusterPolicyRef;
  readonly direction: Direction;
  /** Zero-based index into the policy's ingress/egress list. */
  readonly ruleIndex: number;
  /** The rule's name; empty when it has none. */
  readonly ruleName: string;
  readonly action: CnpAction;
  /** Zero-based index of the peer that matched. */
  readonly peerIndex: number;
  readonly peer: CnpPeerModel;
}

/**
 * One tier's part in a side's decision, in evaluation order: the Admin or Baseline tier's first
 * matching rule (absent when none matched), or the NetworkPolicy tier (isolated or not).
 */
export type TierStep =
  | { readonly tier: 'Admin' | 'Baseline'; readonly rule: TierRuleRef }
  | { readonly tier: 'NetworkPolicy'; readonly isolated: boolean };

/** One side (egress of the source, or ingress of the destination) of a verdict. */
export interface SideVerdict {
  readonly direction: Direction;
  /** Whether the endpoint on this side is isolated for this direction (external endpoints never are). */
  readonly isolated: boolean;
  /** Policies selecting the endpoint with this policyType (on this network). */
  readonly isolatedBy: readonly PolicyRef[];
  /** Every rule that allowed the connection on this side (empty when not isolated or denied). */
  readonly allowedBy: readonly RuleRef[];
  readonly allowed: boolean;
  /**
   * With ClusterNetworkPolicies in the input: the tiers that took part, in order (Admin, NetworkPolicy,
   * Baseline), ending with the one that decided; absent otherwise.
   */
  readonly tiers?: readonly TierStep[];
  /** With ClusterNetworkPolicies: the tier that decided this side (`default`: nothing did, so allowed). */
  readonly decidedBy?: 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';
}

export interface Verdict {
  readonly from: EndpointId;
  readonly to: EndpointId;
  readonly flow: Required<Flow>;
  readonly dataplane: Dataplane;
  readonly allowed: boolean;
  /** Set when the verdict does not come from policies (a pod reaching itself). */
  readonly special?: 'loopback';
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

/** Allowed and denied ordered pairs between two groups (a namespace, or `(externals)`: EXTERNALS_GROUP). */
export interface GroupPairCount {
  readonly from: string;
  readonly to: string;
  readonly allowed: number;
  readonly denied: number;
}

/**
 * Allowed-pair counts between groups (namespaces, then `(externals)`: EXTERNALS_GROUP), without one object
 * per group pair: what a summary of a large cluster (a million namespace pairs at 1,000 namespaces) reads.
 */
export interface GroupCounts {
  /** Namespaces with a pod on the flow's network, sorted by name; then `(externals)` when there are externals. */
  readonly groups: readonly string[];
  /** Endpoints per group, in group order. */
  readonly sizes: readonly number[];
  /** Allowed ordered pairs from group `from` to group `to` (indices into `groups`); a pod reaching itself counts. */
  allowed(from: number, to: number): number;
  /** Modelled ordered pairs from `from` to `to`: the product of their sizes, and 0 from `(externals)` to itself. */
  pairs(from: number, to: number): number;
}

/**
 * All-pairs reachability for one flow. Backed by equivalence classes, so asking for one pair or for the
 * namespace summary never materialises a pods² matrix.
 */
export interface ReachMatrix {
  readonly flow: Required<Flow>;
  readonly dataplane: Dataplane;
  /** Pods attached to the flow's network sorted by id, then externals sorted by name. */
  readonly endpoints: readonly Endpoint[];
  /** Indices into `endpoints`. External→external is not modelled and answers false. */
  allowed(from: number, to: number): boolean;
  /**
   * Counts per (source group, destination group), groups being namespaces and `(externals)`; sorted. One
   * row per group pair: for small clusters and tests; `groupCounts` gives the same counts without the rows.
   */
  summary(): readonly GroupPairCount[];
  /** The counts of `summary` as a table indexed by group. */
  groupCounts(): GroupCounts;
}

/** Engine targets (pod classes by `podClasses` index, then externals), as one side of a class admits them. */
export interface TargetSet {
  has(target: number): boolean;
  /** Each member, ascending. */
  forEach(visit: (target: number) => void): void;
}

/** Implemented by `Verifier` in `./verifier` (constructed from a VerifierInput). */
export interface IVerifier {
  /** Every endpoint pair for one flow. */
  reach(flow: Flow): ReachMatrix;
  /** One pair, with reasons. Throws NetproofError for an unknown endpoint id. */
  explain(from: EndpointId, to: EndpointId, flow: Flow): Verdict;
  /**
   * The port space of a protocol as the intervals within which no policy (nor named container port) can
   * tell ports apart: sorted `[first, last]` pairs covering 1..65535.
   */
  portIntervals(protocol: Protocol): readonly (readonly [number, number])[];
}

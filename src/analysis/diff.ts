/**
 * The reachability diff of two policy sets over one cluster model: every connection (ordered endpoint
 * pair, protocol, port, Pod-network) that one set allows and the other does not, with the verdict sides
 * responsible. Pure data: the formats of `report/diff` put it in words.
 *
 * Exact, and never pods² × 65535:
 * - Both sides are verified with the other side's policies as observers, so the two verifiers share one
 *   set of pod classes and port intervals (the engine's): inside one interval neither set can tell ports
 *   apart, and the members of one class behave identically under both sets. Pairs are compared between
 *   classes (plus externals) and expanded to pod pairs only for the changes that are reported.
 * - Pairs: a source's egress depends only on the policies selecting it, a destination's ingress likewise.
 *   Policies present in both sets with the same meaning (whatever their name or rule order) change
 *   nothing, so only pairs with a side in a class a changed policy selects are compared.
 * Cost: networks × protocols × intervals × affected classes × (classes + externals), each an O(1)
 * bitset lookup in the verifiers' class matrices; plus one `explain` per changed class pair and interval
 * for the reasons, and the output, which grows with the number of changed pod pairs.
 */
import { ClusterModel, Dataplane, DEFAULT_NETWORK } from '../model/cluster';
import { canonicalJson } from '../model/json';
import { CnpRuleModel, Direction, PolicyModel, RuleModel } from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings } from '../model/selector';
import { EndpointId, Flow, PodClassInfo, ReachMatrix, SideVerdict } from '../verify/api';
import { mergePortRanges, PortRange } from '../verify/ports';
import { Verifier } from '../verify/verifier';

export { PortRange } from '../verify/ports';

/** One side of a changed connection: the verdict of that side before and after. */
export interface SideChange {
  /** `egress` is the source's side, `ingress` the destination's. */
  readonly direction: Direction;
  readonly before: SideVerdict;
  readonly after: SideVerdict;
}

/** One (from, to, protocol, network) whose reachability changed on `ports`, and why. */
export interface ReachChange {
  readonly from: EndpointId;
  readonly to: EndpointId;
  readonly protocol: Protocol;
  readonly network: string;
  /** Sorted, disjoint, non-adjacent ranges. */
  readonly ports: readonly PortRange[];
  /** The sides of the connection (pod sides only) at one port per interval of the change, de-duplicated in order. */
  readonly sides: readonly SideChange[];
}

export interface DiffInput {
  /** The policies before the change (OLD). */
  readonly before: readonly PolicyModel[];
  /** The policies after the change (NEW). */
  readonly after: readonly PolicyModel[];
  /** One cluster model for both sides, so that only the policies make a difference. */
  readonly cluster: ClusterModel;
  /** @default 'upstream' */
  readonly dataplane?: Dataplane;
  /**
   * Compare on this Pod-network only.
   * @default - every network some pod is attached to (`default` when there are no pods)
   */
  readonly network?: string;
}

/** Sizes that decide the cost of a diff. */
export interface DiffStats {
  readonly pods: number;
  readonly externals: number;
  /** Pod classes (pods that behave identically under both policy sets). */
  readonly classes: number;
  /** Port intervals, summed over protocols. */
  readonly intervals: number;
}

export interface ReachDiff {
  readonly dataplane: Dataplane;
  readonly networks: readonly string[];
  /** Allowed after, denied before. Sorted by from, to, protocol (TCP, UDP, SCTP), network. */
  readonly gained: readonly ReachChange[];
  /** Allowed before, denied after. Same order. */
  readonly lost: readonly ReachChange[];
  readonly stats: DiffStats;
}

/** A class (or an external) on one network: matrix indices of its first and second member. */
interface Target {
  readonly members: readonly string[];
  readonly pod: boolean;
  /** Selected by a policy that is not in both sets: only pairs with such a side can change. */
  readonly affected: boolean;
  readonly index: number;
  readonly second?: number;
}

interface Pending {
  readonly from: number;
  readonly to: number;
  readonly gained: number[];
  readonly lost: number[];
}

/** Computes the reachability change from `before` to `after`. */
export function diffReachability(input: DiffInput): ReachDiff {
  const dataplane = input.dataplane ?? 'upstream';
  const before = new Verifier({ policies: input.before, cluster: input.cluster, dataplane, observers: input.after });
  const after = new Verifier({ policies: input.after, cluster: input.cluster, dataplane, observers: input.before });
  const classes = before.podClasses();
  const affected = affectedClasses(classes.length, before, after, input.before, input.after);
  const networks = input.network !== undefined ? [input.network] : clusterNetworks(input.cluster);
  const intervals = new Map<Protocol, readonly PortRange[]>();
  for (const protocol of PROTOCOLS) intervals.set(protocol, before.portIntervals(protocol));

  const gained: ReachChange[] = [];
  const lost: ReachChange[] = [];
  for (const network of networks) {
    const targets = networkTargets(before.reach({ port: 1, protocol: 'TCP', network }), classes, affected, network);
    for (const protocol of PROTOCOLS) {
      const ivs = intervals.get(protocol)!;
      const pending = compare(before, after, targets, ivs, protocol, network);
      for (const p of pending) {
        const a = targets[p.from];
        const b = targets[p.to];
        // The representative pair; within one class, two distinct members (loopback never changes).
        const pair = p.from === p.to ? [a.members[0], a.members[1]] : [a.members[0], b.members[0]];
        for (const [list, out] of [[p.gained, gained], [p.lost, lost]] as const) {
          if (list.length === 0) continue;
          const ports = mergePortRanges(list.map((k) => ivs[k]));
          const sides = sideChanges(before, after, pair, { from: a.pod, to: b.pod }, list.map((k) => ({ port: ivs[k][0], protocol, network })));
          for (const from of a.members) {
            for (const to of b.members) {
              if (from !== to) out.push({ from, to, protocol, network, ports, sides });
            }
          }
        }
      }
    }
  }
  const order = (x: ReachChange, y: ReachChange) => compareStrings(x.from, y.from) || compareStrings(x.to, y.to)
    || PROTOCOLS.indexOf(x.protocol) - PROTOCOLS.indexOf(y.protocol) || compareStrings(x.network, y.network);
  gained.sort(order);
  lost.sort(order);
  return {
    dataplane,
    networks,
    gained,
    lost,
    stats: {
      pods: input.cluster.pods.length,
      externals: input.cluster.externals.length,
      classes: classes.length,
      intervals: [...intervals.values()].reduce((n, l) => n + l.length, 0),
    },
  };
}

/** Every class pair (and class/external pair) whose verdict differs on some interval, with those intervals. */
function compare(
  before: Verifier, after: Verifier, targets: readonly Target[], ivs: readonly PortRange[], protocol: Protocol, network: string,
): Pending[] {
  const T = targets.length;
  const pending = new Map<number, Pending>();
  if (!targets.some((t) => t.affected)) return [];
  ivs.forEach(([port], k) => {
    const mb = before.reach({ port, protocol, network });
    const ma = after.reach({ port, protocol, network });
    for (let a = 0; a < T; a++) {
      const ta = targets[a];
      for (let b = 0; b < T; b++) {
        const tb = targets[b];
        if (!ta.affected && !tb.affected) continue;
        if (!ta.pod && !tb.pod) continue;
        let to = tb.index;
        if (a === b) {
          // A pod always reaches itself; members of one class reach each other as the class does.
          if (ta.second === undefined) continue;
          to = ta.second;
        }
        const was = mb.allowed(ta.index, to);
        if (was === ma.allowed(ta.index, to)) continue;
        const key = a * T + b;
        let p = pending.get(key);
        if (p === undefined) {
          p = { from: a, to: b, gained: [], lost: [] };
          pending.set(key, p);
        }
        (was ? p.lost : p.gained).push(k);
      }
    }
  });
  return [...pending.values()];
}

/** The classes and externals attached to `network`, with their indices in the matrix's endpoints. */
function networkTargets(matrix: ReachMatrix, classes: readonly PodClassInfo[], affected: readonly boolean[], network: string): Target[] {
  const index = new Map<string, number>();
  matrix.endpoints.forEach((e, i) => index.set(e.id, i));
  const targets: Target[] = [];
  classes.forEach((c, k) => {
    if (!c.networks.has(network)) return;
    const first = index.get(c.members[0])!;
    const second = c.members.length > 1 ? index.get(c.members[1])! : undefined;
    targets.push({ members: c.members, pod: true, affected: affected[k], index: first, ...(second !== undefined ? { second } : {}) });
  });
  matrix.endpoints.forEach((e, i) => {
    if (e.kind === 'external') targets.push({ members: [e.id], pod: false, affected: false, index: i });
  });
  return targets;
}

/**
 * Which classes some changed policy selects. A policy counts as unchanged when the other set holds one
 * with the same meaning (kind, namespace, network, pod selector, policy types, and rules, peers and ports
 * as unordered sets), whatever its name. Egress of a source depends only on the policies selecting it,
 * ingress of a destination likewise, so a pair whose two sides no changed policy selects cannot change.
 */
function affectedClasses(count: number, before: Verifier, after: Verifier, old: readonly PolicyModel[], nu: readonly PolicyModel[]): boolean[] {
  const keysBefore = new Set(old.map(meaningKey));
  const keysAfter = new Set(nu.map(meaningKey));
  const affected = new Array<boolean>(count).fill(false);
  const mark = (verifier: Verifier, policies: readonly PolicyModel[], other: ReadonlySet<string>) => {
    policies.forEach((p, i) => {
      if (other.has(meaningKey(p))) return;
      for (const c of verifier.selectedClasses(i)) affected[c] = true;
    });
  };
  mark(before, old, keysAfter);
  mark(after, nu, keysBefore);
  return affected;
}

function meaningKey(p: PolicyModel): string {
  const set = (items: readonly unknown[]) => items.map(canonicalJson).sort(compareStrings);
  // Rules of a ClusterNetworkPolicy keep their order: the first that matches decides.
  if (p.kind === 'ClusterNetworkPolicy') {
    const rules = (rs: readonly CnpRuleModel[]) => rs.map((r) => ({ action: r.action, peers: set(r.peers), protocols: r.protocols === 'all' ? 'all' : set(r.protocols) }));
    return canonicalJson({
      kind: p.kind, tier: p.tier, priority: p.priority, subject: p.subject, ingress: rules(p.ingress), egress: rules(p.egress),
    });
  }
  const ports = (r: { readonly ports: RuleModel['ports'] }) => (r.ports === 'all' ? 'all' : set(r.ports));
  if (p.kind === 'NetworkPolicy') {
    const rules = (rs: readonly RuleModel[]) => set(rs.map((r) => ({ peers: r.peers === 'all' ? 'all' : set(r.peers), ports: ports(r) })));
    return canonicalJson({
      kind: p.kind,
      namespace: p.namespace,
      network: p.network ?? null,
      podSelector: p.podSelector,
      policyTypes: set(p.policyTypes),
      ingress: rules(p.ingress),
      egress: rules(p.egress),
    });
  }
  return canonicalJson({
    kind: p.kind,
    namespace: p.namespace,
    podSelector: p.podSelector,
    egress: set(p.egress.map((r) => ({ matches: set(r.matches), ports: ports(r) }))),
  });
}

function clusterNetworks(cluster: ClusterModel): string[] {
  const networks = new Set(cluster.pods.flatMap((p) => p.networks));
  return networks.size === 0 ? [DEFAULT_NETWORK] : [...networks].sort(compareStrings);
}

/** The pod sides of both verdicts at one port per interval; de-duplicated, in order. */
function sideChanges(
  before: Verifier, after: Verifier, [from, to]: readonly string[], pods: { readonly from: boolean; readonly to: boolean }, flows: readonly Flow[],
): SideChange[] {
  const out = new Map<string, SideChange>();
  for (const flow of flows) {
    const was = before.explain(from, to, flow);
    const now = after.explain(from, to, flow);
    const sides: SideChange[] = [];
    if (pods.from) sides.push({ direction: 'egress', before: was.egress, after: now.egress });
    if (pods.to) sides.push({ direction: 'ingress', before: was.ingress, after: now.ingress });
    for (const side of sides) {
      const key = canonicalJson(side);
      if (!out.has(key)) out.set(key, side);
    }
  }
  return [...out.values()];
}

/**
 * The reachability diff of two policy sets over one cluster model: every connection (ordered endpoint
 * pair, protocol, port, Pod-network) that one set allows and the other does not, with the verdict sides
 * responsible. Pure data: the formats of `report/diff` put it in words.
 *
 * Exact, and in proportion to the change, not to the cluster:
 * - Both sides are verified over one set of pod classes and port intervals (the engine's; the second
 *   verifier shares the first one's, `withPolicies`): inside one interval neither set can tell ports apart,
 *   and the members of one class behave identically under both sets. Pairs are compared between classes
 *   (plus externals) and expanded to pod pairs only for the changes that are reported.
 * - A source's egress depends only on the policies selecting it, a destination's ingress likewise.
 *   Policies present in both sets with the same meaning (whatever their name or rule order) change
 *   nothing. So per interval only the egress sides of the classes a changed egress policy selects, and
 *   the ingress sides of those a changed ingress policy selects, are computed in both sets (`sideTargets`,
 *   the engine's rules for one class); where one differs between the sets, the other side of the pair,
 *   unchanged, decides whether the connection changed.
 * Cost: networks × protocols × intervals × affected classes × (rules selecting them), plus one check of the
 * unchanged side per target whose side differs, plus one `explain` per changed class pair and interval for
 * the reasons, and the output, which grows with the number of changed pod pairs.
 */
import { ClusterModel, Dataplane, DEFAULT_NETWORK } from '../model/cluster';
import { canonicalJson } from '../model/json';
import { canonicalPeer, CnpRuleModel, Direction, PolicyModel, policyId, RuleModel } from '../model/policy';
import { canonicalPorts, Protocol, PROTOCOLS } from '../model/port';
import { compareStrings, makeSelector } from '../model/selector';
import { EndpointId, Flow, PodClassInfo, SideVerdict, TargetSet } from '../verify/api';
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

/** A pending change between two targets (engine targets: classes, then externals): the intervals gained and lost. */
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
  const after = before.withPolicies(input.after);
  const classes = before.podClasses();
  const affected = affectedSides(classes.length, before, after, input.before, input.after);
  const networks = input.network !== undefined ? [input.network] : clusterNetworks(input.cluster);
  const intervals = new Map<Protocol, readonly PortRange[]>();
  for (const protocol of PROTOCOLS) intervals.set(protocol, before.portIntervals(protocol));
  const externals = before.externalIds();
  const C = classes.length;
  /** Members of a target: a class's pods, or the external. */
  const members = (t: number) => (t < C ? classes[t].members : [externals[t - C]]);

  const gained: ReachChange[] = [];
  const lost: ReachChange[] = [];
  for (const network of networks) {
    const onNetwork: number[] = [];
    classes.forEach((c, k) => { if (c.networks.has(network)) onNetwork.push(k); });
    for (let e = 0; e < externals.length; e++) onNetwork.push(C + e);
    for (const protocol of PROTOCOLS) {
      const ivs = intervals.get(protocol)!;
      const pending = compare(before, after, { affected, network, protocol, ivs, onNetwork, classes });
      for (const p of pending) {
        const a = members(p.from);
        const b = members(p.to);
        // The representative pair; within one class, two distinct members (loopback never changes).
        const pair = p.from === p.to ? [a[0], a[1]] : [a[0], b[0]];
        for (const [list, out] of [[p.gained, gained], [p.lost, lost]] as const) {
          if (list.length === 0) continue;
          const ports = mergePortRanges(list.map((k) => ivs[k]));
          const flows = list.map((k) => ({ port: ivs[k][0], protocol, network }));
          const sides = sideChanges(before, after, pair, { from: p.from < C, to: p.to < C }, flows);
          for (const from of a) {
            for (const to of b) {
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

interface CompareScope {
  readonly affected: AffectedSides;
  readonly network: string;
  readonly protocol: Protocol;
  readonly ivs: readonly PortRange[];
  /** The targets on the network: its pod classes, then every external. */
  readonly onNetwork: readonly number[];
  readonly classes: readonly PodClassInfo[];
}

/**
 * Every class pair (and class/external pair) whose verdict differs on some interval, with those intervals;
 * in order of first change. Only the sides that changed policies select are computed in both sets.
 */
function compare(before: Verifier, after: Verifier, scope: CompareScope): Pending[] {
  const { affected, network, protocol, ivs, onNetwork, classes } = scope;
  const C = classes.length;
  const sources = onNetwork.filter((t) => t < C && affected.egress[t]);
  const destinations = onNetwork.filter((t) => t < C && affected.ingress[t]);
  if (sources.length === 0 && destinations.length === 0) return [];
  const pending = new Map<number, Pending>();
  const record = (from: number, to: number, k: number, was: boolean) => {
    const key = from * (C + onNetwork.length + 1) + to;
    let p = pending.get(key);
    if (p === undefined) {
      p = { from, to, gained: [], lost: [] };
      pending.set(key, p);
    }
    (was ? p.lost : p.gained).push(k);
  };
  /** A pod always reaches itself: a class pair with itself is about two of its members. */
  const loopbackOnly = (a: number, b: number) => a === b && classes[a].members.length < 2;
  const admits = (side: TargetSet | undefined, t: number) => side === undefined || side.has(t);
  ivs.forEach(([port], k) => {
    const flow: Flow = { port, protocol, network };
    const outBefore = new Map<number, TargetSet | undefined>();
    const outAfter = new Map<number, TargetSet | undefined>();
    // Sources whose egress may have changed: where it did, the destination's ingress (unchanged, unless that
    // destination is affected too: then both sides are compared below) says whether the connection did.
    for (const a of sources) {
      const was = before.sideTargets(flow, 'egress', a);
      const now = after.sideTargets(flow, 'egress', a);
      outBefore.set(a, was);
      outAfter.set(a, now);
      differing(was, now, onNetwork, (t) => {
        if (t < C && (affected.ingress[t] || loopbackOnly(a, t) || !before.sideAdmits(flow, 'ingress', t, a))) return;
        record(a, t, k, admits(was, t));
      });
    }
    // Destinations whose ingress may have changed, from sources whose egress did not.
    for (const b of destinations) {
      const was = before.sideTargets(flow, 'ingress', b);
      const now = after.sideTargets(flow, 'ingress', b);
      differing(was, now, onNetwork, (s) => {
        if (s < C && (affected.egress[s] || loopbackOnly(s, b) || !before.sideAdmits(flow, 'egress', s, b))) return;
        record(s, b, k, admits(was, s));
      });
      // Both sides may have changed.
      for (const a of sources) {
        if (loopbackOnly(a, b)) continue;
        const allowedBefore = admits(outBefore.get(a), b) && admits(was, a);
        const allowedAfter = admits(outAfter.get(a), b) && admits(now, a);
        if (allowedBefore !== allowedAfter) record(a, b, k, allowedBefore);
      }
    }
  });
  return [...pending.values()];
}

/** Calls `visit` for each target of `among` that one side admits and the other does not (undefined admits all). */
function differing(a: TargetSet | undefined, b: TargetSet | undefined, among: readonly number[], visit: (t: number) => void): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined) {
    const set = (a ?? b)!;
    for (const t of among) if (!set.has(t)) visit(t);
    return;
  }
  const on = new Set<number>();
  a.forEach((t) => { if (!b.has(t)) on.add(t); });
  b.forEach((t) => { if (!a.has(t)) on.add(t); });
  if (on.size === 0) return;
  for (const t of among) if (on.has(t)) visit(t);
}

/** Per class, whether a changed policy selects it and isolates its egress, and likewise its ingress. */
interface AffectedSides {
  readonly egress: readonly boolean[];
  readonly ingress: readonly boolean[];
}

/**
 * Which classes a changed policy selects, per side it isolates. A policy counts as unchanged when the other
 * set holds one with the same meaning (kind, namespace, network, pod selector, policy types, and rules,
 * peers and ports as unordered sets), whatever its name. Egress of a source depends only on the policies
 * selecting it that isolate egress, ingress of a destination likewise, so a pair neither of whose sides a
 * changed policy isolates cannot change.
 */
function affectedSides(count: number, before: Verifier, after: Verifier, old: readonly PolicyModel[], nu: readonly PolicyModel[]): AffectedSides {
  // Most policies of a change are written exactly as before under the same name: equal data, equal meaning;
  // only the others need the canonical (order-free, name-free) key. Counting an unchanged policy as changed
  // would only cost time: the sides it selects are compared and found equal.
  const id = (p: PolicyModel) => `${p.kind}\u0000${policyId(p)}`;
  const byIdBefore = new Map(old.map((p) => [id(p), p]));
  const unchanged = new Set<PolicyModel>();
  for (const p of nu) {
    const q = byIdBefore.get(id(p));
    if (q !== undefined && sameData(q, p)) { unchanged.add(p); unchanged.add(q); }
  }
  const unmatchedBefore = old.filter((p) => !unchanged.has(p));
  const unmatchedAfter = nu.filter((p) => !unchanged.has(p));
  const meaningsBefore = new Set(unmatchedBefore.map(meaningKey));
  const meaningsAfter = new Set(unmatchedAfter.map(meaningKey));
  for (const p of unmatchedBefore) if (meaningsAfter.has(meaningKey(p))) unchanged.add(p);
  for (const p of unmatchedAfter) if (meaningsBefore.has(meaningKey(p))) unchanged.add(p);
  const egress = new Array<boolean>(count).fill(false);
  const ingress = new Array<boolean>(count).fill(false);
  const mark = (verifier: Verifier, policies: readonly PolicyModel[]) => {
    policies.forEach((p, i) => {
      if (unchanged.has(p)) return;
      // A ClusterNetworkPolicy decides (in its tier) both sides of the pods it is about, whatever its rules.
      const isolatesEgress = p.kind === 'ClusterNetworkPolicy' || p.kind === 'FQDNNetworkPolicy' || p.policyTypes.includes('Egress');
      const isolatesIngress = p.kind === 'ClusterNetworkPolicy' || (p.kind === 'NetworkPolicy' && p.policyTypes.includes('Ingress'));
      for (const c of verifier.selectedClasses(i)) {
        if (isolatesEgress) egress[c] = true;
        if (isolatesIngress) ingress[c] = true;
      }
    });
  };
  mark(before, old);
  mark(after, nu);
  return { egress, ingress };
}

/** Two policies with equal data but for their source (where they were read). */
function sameData(a: PolicyModel, b: PolicyModel): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('source');
  for (const k of keys) if (!equalData((a as unknown as Record<string, unknown>)[k], (b as unknown as Record<string, unknown>)[k])) return false;
  return true;
}

/** Deep equality of plain model data (bounded depth: the model's own nesting). */
function equalData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!equalData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
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

/** Whether two policy sets mean the same for every pod and namespace, and if not, what only one of them says. */
export interface PolicyEquivalence {
  readonly equivalent: boolean;
  /** Statements (canonical JSON, sorted) only the first set makes, and only the second. */
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
}

/**
 * Decides, for every pod and namespace that exists or could exist, that two policy sets allow the same
 * traffic, by a normal form both sets are brought to. NetworkPolicies are grouped by what selects pods
 * (namespace, Pod-network, pod selector): per group, whether it isolates ingress and egress, and the set of
 * rules of each isolated direction (peers and ports as sets). A pod is isolated for a direction when some
 * group selecting it is, and admits a peer when some rule of such a group does, so equal normal forms allow
 * the same connections on every dataplane, however the rules are spread over policies, named or ordered.
 * FQDN policies and ClusterNetworkPolicies are compared whole (their meaning, not their names). Sound, not
 * complete: two sets that select the same pods by different selectors are reported as different.
 */
export function equivalentPolicies(before: readonly PolicyModel[], after: readonly PolicyModel[]): PolicyEquivalence {
  const a = normalForm(before);
  const b = normalForm(after);
  const onlyBefore = [...a].filter((x) => !b.has(x)).sort(compareStrings);
  const onlyAfter = [...b].filter((x) => !a.has(x)).sort(compareStrings);
  return { equivalent: onlyBefore.length === 0 && onlyAfter.length === 0, onlyBefore, onlyAfter };
}

/**
 * Ports under the identities of the API: a set, an all-ports entry of a protocol absorbing the others of it,
 * and 1-65535 meaning every port of its protocol (what constructs write on Dataplane V2).
 */
function normalPorts(ports: RuleModel['ports']): 'all' | string[] {
  const canonical = canonicalPorts(ports === 'all' ? 'all' : ports.map((p) => (p.port === 1 && p.endPort === 65535 ? { protocol: p.protocol } : p)));
  return canonical === 'all' ? 'all' : canonical.map(canonicalJson).sort(compareStrings);
}

/** The statements a policy set makes: one per selecting group and direction (its isolation and rules), one per other policy. */
function normalForm(policies: readonly PolicyModel[]): Set<string> {
  const set = (items: readonly unknown[]) => items.map(canonicalJson).sort(compareStrings);
  const groups = new Map<string, { ingress: Set<string> | undefined; egress: Set<string> | undefined; head: object }>();
  const out = new Set<string>();
  for (const p of policies) {
    if (p.kind === 'ClusterNetworkPolicy') {
      out.add(meaningKey(p));
      continue;
    }
    const podSelector = makeSelector(p.podSelector.matchLabels, p.podSelector.matchExpressions);
    if (p.kind === 'FQDNNetworkPolicy') {
      const egress = set(p.egress.map((r) => ({ matches: set(r.matches), ports: normalPorts(r.ports) })));
      out.add(canonicalJson({ kind: p.kind, namespace: p.namespace, podSelector, egress }));
      continue;
    }
    const head = { namespace: p.namespace, network: p.network ?? null, podSelector };
    const key = canonicalJson(head);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, g = { ingress: undefined, egress: undefined, head });
    for (const direction of ['ingress', 'egress'] as const) {
      // Rules of a direction the policy does not isolate have no effect.
      if (!p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      const rules = g[direction] ?? (g[direction] = new Set());
      for (const r of p[direction]) {
        // Peers are a set too.
        const peers = r.peers === 'all' || r.peers.length === 0 ? 'all' : set(r.peers.map(canonicalPeer));
        rules.add(canonicalJson({ peers, ports: normalPorts(r.ports) }));
      }
    }
  }
  for (const g of groups.values()) {
    for (const direction of ['ingress', 'egress'] as const) {
      const rules = g[direction];
      if (rules !== undefined) out.add(canonicalJson({ kind: 'NetworkPolicy', ...g.head, isolates: direction, rules: [...rules].sort(compareStrings) }));
    }
  }
  return out;
}

function clusterNetworks(cluster: ClusterModel): string[] {
  const networks = new Set<string>();
  for (const p of cluster.pods) for (const n of p.networks) networks.add(n);
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

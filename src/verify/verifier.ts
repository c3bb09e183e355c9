/**
 * The verifier: Kubernetes NetworkPolicy semantics (plus GKE multi-network and FQDNNetworkPolicy) over a
 * cluster model, for the three dataplane profiles. `reach` answers all pairs through equivalence classes;
 * `explain` answers one pair with every reason. Both use the same matchers (`_match.ts`).
 *
 * Choices beyond the Kubernetes API:
 * - Externals take part on every Pod-network: a network annotation scopes policies and pods, not the
 *   outside world. Only pod ingress rules constrain external→pod and only pod egress rules pod→external.
 * - FQDNNetworkPolicy cannot be scoped to a network, so it applies on every network of the pods it
 *   selects; it needs Dataplane V2 and the constructor fails closed under any other dataplane.
 * - A pod always reaches itself (`special: 'loopback'`); both sides are still evaluated and reported.
 */
import { NetproofError } from '../errors';
import { Bitset, hasBit } from './_bitset';
import { ClassIndex } from './_classes';
import { Engine, FlowResult } from './_engine';
import {
  cnpPortEffect, effectAdmits, fqdnMatches, fqdnMatchText, IpBlock, ipBlockMatchesPods, parseIpBlock, parseIpOrThrow, ParsedIp, portEntryMatches,
} from './_match';
import { countAllowed } from './_summary';
import {
  ClusterPolicyRef, Endpoint, EndpointId, Flow, GroupCounts, GroupPairCount, IVerifier, PodClassInfo, PolicyRef, ReachMatrix, RuleRef, SideVerdict,
  TargetSet, TierRuleRef, TierStep, Verdict, VerifierInput,
} from './api';
import { VerifyMessages } from './messages';
import { Dataplane, DATAPLANES, DEFAULT_NETWORK, ExternalModel, PodModel } from '../model/cluster';
import { objectId } from '../model/ids';
import { ClusterNetworkPolicyModel, CnpTier, Direction, IpBlockPeerModel, NAMESPACE_NAME_LABEL, policyId, PolicyModel, RuleModel, SourceRef } from '../model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../model/port';
import { compareStrings, Labels } from '../model/selector';

/**
 * The group name of externals in `ReachMatrix.summary()` and the graph. Parenthesised so that it is not
 * a DNS label: no namespace can have this name (a namespace may be called `externals`).
 */
export const EXTERNALS_GROUP = '(externals)';

type EndpointIndex = { readonly kind: 'pod'; readonly index: number } | { readonly kind: 'external'; readonly index: number };

interface NetworkView {
  readonly endpoints: readonly Endpoint[];
  readonly podCount: number;
  /** Endpoint index → engine target (class index, or classes + external index). */
  readonly target: Int32Array;
}

/** What a verifier derives from its cluster; shared by the verifiers that `withPolicies` makes. */
interface ClusterState {
  readonly pods: readonly PodModel[];
  readonly podIps: readonly (ParsedIp | undefined)[];
  readonly externals: readonly ExternalModel[];
  readonly externalIps: readonly ParsedIp[];
  readonly byId: Map<EndpointId, EndpointIndex>;
  /** `namespace/name` of each pod, in input order. */
  readonly podIds: readonly EndpointId[];
  readonly sortedPods: readonly number[];
  readonly namespaceLabels: Map<string, Labels>;
  readonly blocks: Map<string, IpBlock>;
  readonly views: Map<string, NetworkView>;
  /** Every policy the pod classes are built for (policies and observers). */
  readonly shaping: readonly PolicyModel[];
  index?: ClassIndex;
  classInfo?: readonly PodClassInfo[];
}

export class Verifier implements IVerifier {
  private static clusterState(input: VerifierInput, blocks: Map<string, IpBlock>): ClusterState {
    const pods = input.cluster.pods;
    const byId = new Map<EndpointId, EndpointIndex>();
    const podIds = pods.map(objectId);
    const podIps = pods.map((pod, i) => {
      const id = podIds[i];
      if (byId.has(id)) throw new NetproofError(`pod ${id}`, VerifyMessages.duplicateEndpoint(id));
      byId.set(id, { kind: 'pod', index: byId.size });
      return pod.ip === undefined ? undefined : parseIpOrThrow(pod.ip, `pod ${id}`, VerifyMessages.badPodIp);
    });
    const externals = [...input.cluster.externals].sort((a, b) => compareStrings(a.name, b.name));
    const externalIps = externals.map((x, e) => {
      if (byId.has(x.name)) throw new NetproofError(`external ${x.name}`, VerifyMessages.duplicateEndpoint(x.name));
      byId.set(x.name, { kind: 'external', index: e });
      return parseIpOrThrow(x.ip, `external ${x.name}`, VerifyMessages.badExternalIp);
    });
    return {
      pods,
      podIps,
      externals,
      externalIps,
      byId,
      podIds,
      sortedPods: sortedIndices(podIds),
      namespaceLabels: new Map(),
      blocks,
      views: new Map(),
      shaping: [...input.policies, ...(input.observers ?? [])],
    };
  }

  public readonly dataplane: Dataplane;
  private readonly policies: readonly PolicyModel[];
  private readonly refs: readonly (PolicyRef | ClusterPolicyRef)[];
  private readonly pods: readonly PodModel[];
  private readonly externals: readonly ExternalModel[];
  private readonly state: ClusterState;
  private readonly blocks: Map<string, IpBlock>;
  private engine?: Engine;

  /** `from` (internal, see `withPolicies`): a verifier over the same cluster whose state and classes to share. */
  constructor(private readonly input: VerifierInput, from?: Verifier) {
    // Policies are checked before the cluster (their errors come first); parsed ipBlocks go into the shared state.
    this.blocks = from !== undefined ? from.state.blocks : new Map();
    const dataplane = input.dataplane ?? 'upstream';
    if (!DATAPLANES.includes(dataplane)) throw new NetproofError('verifier', VerifyMessages.unknownDataplane(dataplane), 'dataplane');
    this.dataplane = dataplane;
    this.policies = input.policies;
    this.refs = input.policies.map((p, i) => {
      const where = policyWhere(p);
      if (p.kind !== 'NetworkPolicy' && p.kind !== 'FQDNNetworkPolicy' && p.kind !== 'ClusterNetworkPolicy') {
        throw new NetproofError(`policies[${i}] ${where}`, VerifyMessages.unknownPolicyKind(String((p as { kind?: unknown }).kind)), 'kind');
      }
      if (p.kind === 'FQDNNetworkPolicy' && dataplane !== 'dataplane-v2') {
        throw new NetproofError(where, VerifyMessages.fqdnNeedsDataplaneV2(dataplane));
      }
      if (p.kind === 'NetworkPolicy') {
        for (const dir of ['ingress', 'egress'] as const) {
          p[dir].forEach((r, ri) => {
            if (r.peers === 'all') return;
            r.peers.forEach((peer, pi) => {
              if (peer.kind === 'ipBlock') this.ipBlock(peer, `${where} ${dir}[${ri}].peers[${pi}]`);
            });
          });
        }
      }
      if (p.kind === 'ClusterNetworkPolicy') return { kind: p.kind, name: p.name, tier: p.tier, priority: p.priority };
      return { kind: p.kind, namespace: p.namespace, name: p.name };
    });
    this.state = from !== undefined ? from.state : Verifier.clusterState(input, this.blocks);
    this.pods = this.state.pods;
    this.externals = this.state.externals;
  }

  /**
   * A verifier of `policies` over this one's cluster and dataplane that shares its pod classes, and with them
   * every selector and peer set: the second side of a comparison (a diff) at little cost. The policies must be
   * among this verifier's policies and observers, which shaped the classes.
   */
  public withPolicies(policies: readonly PolicyModel[]): Verifier {
    const shaping = new Set(this.state.shaping);
    const stranger = policies.find((p) => !shaping.has(p));
    if (stranger !== undefined) {
      throw new Error(`withPolicies: ${policyWhere(stranger)} is neither a policy nor an observer of this verifier, so the pod classes were not built for it`);
    }
    return new Verifier({ ...this.input, policies, observers: this.state.shaping }, this);
  }

  /** Does one side of a pod class admit a target on a flow (see `sideTargets`)? */
  public sideAdmits(flow: Flow, direction: Direction, cls: number, target: number): boolean {
    const f = normalizeFlow(flow);
    return this.getEngine().sideAdmits(cls, direction, target, f.port, f.protocol, f.network);
  }

  /** The engine target of an endpoint: its pod's class (a `podClasses` index), or `podClasses().length` + the external's index. */
  public targetOf(id: EndpointId): number | undefined {
    const e = this.state.byId.get(id);
    if (e === undefined) return undefined;
    const engine = this.getEngine();
    return e.kind === 'pod' ? engine.podClass[e.index] : engine.classes.length + e.index;
  }

  /**
   * Whether a connection between two distinct endpoints of the given targets (see `targetOf`; not both
   * externals) is allowed on a flow: the same answer `reach` gives for every such pair, without a matrix.
   */
  public targetsAllowed(flow: Flow, from: number, to: number): boolean {
    const f = normalizeFlow(flow);
    const engine = this.getEngine();
    const C = engine.classes.length;
    return allowedBetween(engine.result(f.port, f.protocol, f.network), from, from < C, to, to < C);
  }

  /**
   * `targetsAllowed` decided from the two sides alone (`sideAdmits`): the same answer, without evaluating the
   * flow for every class; the cheaper way when a flow is asked about few pairs.
   */
  public sidesAllow(flow: Flow, from: number, to: number): boolean {
    const f = normalizeFlow(flow);
    const engine = this.getEngine();
    const C = engine.classes.length;
    // The destination's ingress first: its side is made once per flow and refuses most sources when isolated.
    if (to < C) {
      const ingress = engine.side(to, 'ingress', f.port, f.protocol, f.network);
      if (ingress !== undefined && !hasBit(ingress, from)) return false;
    }
    return from >= C || engine.sideAdmits(from, 'egress', to, f.port, f.protocol, f.network);
  }

  /** External names in target order: external `e` is target `podClasses().length + e`. */
  public externalIds(): readonly EndpointId[] {
    return this.externals.map((x) => x.name);
  }

  /**
   * Whether NetworkPolicies (or FQDN policies) isolate a pod class for a direction on a network: what
   * Kubernetes calls isolation. ClusterNetworkPolicies decide traffic in their tiers but never isolate.
   */
  public isolatedClass(direction: Direction, cls: number, network: string = DEFAULT_NETWORK): boolean {
    return this.getEngine().isolated(cls, direction, network);
  }

  /**
   * One side of a pod class (an index into `podClasses`) on a flow: `undefined` when no policy isolates the class
   * for that direction (it admits everything), else the targets it admits (pod classes, then externals:
   * `externalIds`), as `reach` and `explain` decide them. For analyses that compare a few classes (the diff).
   */
  public sideTargets(flow: Flow, direction: Direction, cls: number): TargetSet | undefined {
    const f = normalizeFlow(flow);
    const set = this.getEngine().side(cls, direction, f.port, f.protocol, f.network);
    return set === undefined ? undefined : new BitsetTargets(set, this.getEngine().targets);
  }

  /**
   * Pods without an IP (sorted ids) while an ipBlock could match pods (see `podsWithoutIp`): the answers
   * treat them as matching no ipBlock. Empty when that cannot change an answer.
   */
  public podsWithoutIp(): readonly EndpointId[] {
    return podsWithoutIp(this.input);
  }

  public reach(flow: Flow): ReachMatrix {
    const f = normalizeFlow(flow);
    const engine = this.getEngine();
    const view = this.view(f.network, engine);
    const result = engine.result(f.port, f.protocol, f.network);
    return new ClassMatrix(f, this.dataplane, view, engine, result);
  }

  /**
   * The port space of a protocol as the intervals that policies mention (numeric ports and ranges, and
   * the container ports that mentioned names resolve to): within one interval every flow has the same
   * reachability, so one port per interval covers them all. Sorted, covering 1..65535.
   */
  public portIntervals(protocol: Protocol): readonly (readonly [number, number])[] {
    if (!PROTOCOLS.includes(protocol)) throw new NetproofError('portIntervals', VerifyMessages.badProtocol(protocol), 'protocol');
    return this.getEngine().intervals(protocol);
  }

  /**
   * The pod classes: pods that agree on everything the policies (and observers) can observe. Indices are
   * stable for this verifier; `selectedClasses` refers to them.
   */
  public podClasses(): readonly PodClassInfo[] {
    if (this.state.classInfo === undefined) {
      const engine = this.getEngine();
      const members: EndpointId[][] = engine.classes.map(() => []);
      for (const i of this.state.sortedPods) members[engine.podClass[i]].push(this.state.podIds[i]);
      this.state.classInfo = engine.classes.map((c, k) => ({ namespace: c.namespace, members: members[k], networks: c.networks }));
    }
    return this.state.classInfo;
  }


  /** Indices (into `podClasses`) of the classes the `policy`-th policy selects, on any network. */
  public selectedClasses(policy: number): readonly number[] {
    return this.getEngine().selected(policy);
  }

  /** Sizes that decide the cost of `reach`: pods, externals, policies and pod equivalence classes. */
  public stats(): { readonly pods: number; readonly externals: number; readonly policies: number; readonly classes: number } {
    return { pods: this.pods.length, externals: this.externals.length, policies: this.policies.length, classes: this.getEngine().classes.length };
  }

  public explain(from: EndpointId, to: EndpointId, flow: Flow): Verdict {
    const f = normalizeFlow(flow);
    const src = this.endpoint(from, f.network);
    const dst = this.endpoint(to, f.network);
    if (src.kind === 'external' && dst.kind === 'external') {
      throw new NetproofError('explain', VerifyMessages.externalToExternal(from, to));
    }
    const egress = src.kind === 'pod' ? this.side('egress', src.index, dst, f) : unconstrained('egress');
    const ingress = dst.kind === 'pod' ? this.side('ingress', dst.index, src, f) : unconstrained('ingress');
    const loopback = src.kind === 'pod' && dst.kind === 'pod' && src.index === dst.index;
    return {
      from,
      to,
      flow: f,
      dataplane: this.dataplane,
      allowed: loopback || (egress.allowed && ingress.allowed),
      ...(loopback ? { special: 'loopback' as const } : {}),
      egress,
      ingress,
    };
  }

  /**
   * One side of a connection for `pod`: egress towards `other`, or ingress from `other`. Which policies
   * select the pod and which peers admit the other endpoint come from the class engine, the same answers
   * `reach` uses; ports from the one port matcher.
   */
  private side(direction: Direction, podIndex: number, other: EndpointIndex, f: Required<Flow>): SideVerdict {
    const engine = this.getEngine();
    const pod = this.pods[podIndex];
    const cls = engine.podClass[podIndex];
    const otherTarget = other.kind === 'pod' ? engine.podClass[other.index] : engine.classes.length + other.index;
    const isolatedBy: PolicyRef[] = [];
    const allowedBy: RuleRef[] = [];
    const dest = direction === 'ingress' ? pod : other.kind === 'pod' ? this.pods[other.index] : undefined;
    const destPorts = dest?.ports;
    // The policies that select the class, in policy order (the engine's index, not a scan of every policy).
    for (const p of engine.selecting(cls)) {
      const policy = this.policies[p];
      if (policy.kind === 'ClusterNetworkPolicy') continue;
      if (policy.kind === 'NetworkPolicy' && policy.network !== undefined && policy.network !== f.network) continue;
      const ref = this.refs[p] as PolicyRef;
      if (policy.kind === 'FQDNNetworkPolicy') {
        if (direction !== 'egress') continue;
        isolatedBy.push(ref);
        if (other.kind !== 'external') continue;
        const hostname = this.externals[other.index].hostname;
        policy.egress.forEach((rule, ruleIndex) => {
          const ports = matchingPorts(rule.ports, f, undefined);
          if (ports.length === 0) return;
          rule.matches.forEach((m, peerIndex) => {
            if (!fqdnMatches(m, hostname)) return;
            for (const port of ports) {
              allowedBy.push({ policy: ref, direction, ruleIndex, peerIndex, peer: { kind: 'fqdn', match: fqdnMatchText(m) }, ...port });
            }
          });
        });
        continue;
      }
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      isolatedBy.push(ref);
      policy[direction].forEach((rule: RuleModel, ruleIndex) => {
        const ports = matchingPorts(rule.ports, f, destPorts);
        if (ports.length === 0) return;
        const peers: { peerIndex?: number; peer: RuleRef['peer'] }[] = [];
        if (rule.peers === 'all') {
          peers.push({ peer: 'all' });
        } else {
          rule.peers.forEach((peer, peerIndex) => {
            if (engine.peerAdmits(peer, policy.namespace, otherTarget)) peers.push({ peerIndex, peer });
          });
        }
        for (const peer of peers) {
          for (const port of ports) allowedBy.push({ policy: ref, direction, ruleIndex, ...peer, ...port });
        }
      });
    }
    const isolated = isolatedBy.length > 0;
    const npAllowed = !isolated || allowedBy.length > 0;
    if (!engine.hasTiers) return { direction, isolated, isolatedBy, allowedBy, allowed: npAllowed };
    // Tiers: the Admin tier's first matching rule, then the NetworkPolicies (when they isolate the pod),
    // then the Baseline tier's first matching rule; nothing decided is allowed.
    const tiers: TierStep[] = [];
    const match = (tier: CnpTier) => this.tierMatch(tier, direction, cls, otherTarget, f, destPorts);
    const admin = match('Admin');
    if (admin) tiers.push({ tier: 'Admin', rule: admin });
    if (admin && admin.action !== 'Pass') return { direction, isolated, isolatedBy, allowedBy: [], allowed: admin.action === 'Accept', tiers, decidedBy: 'Admin' };
    tiers.push({ tier: 'NetworkPolicy', isolated });
    if (isolated) return { direction, isolated, isolatedBy, allowedBy, allowed: npAllowed, tiers, decidedBy: 'NetworkPolicy' };
    const baseline = match('Baseline');
    if (baseline) tiers.push({ tier: 'Baseline', rule: baseline });
    if (baseline && baseline.action !== 'Pass') {
      return { direction, isolated, isolatedBy, allowedBy, allowed: baseline.action === 'Accept', tiers, decidedBy: 'Baseline' };
    }
    return { direction, isolated, isolatedBy, allowedBy, allowed: true, tiers, decidedBy: 'default' };
  }

  /**
   * The first rule of a tier (policies in precedence order, rules in order) that matches: it selects the
   * pod's class, one of its peers admits the other endpoint, and its protocols admit the flow towards
   * the destination.
   */
  private tierMatch(
    tier: CnpTier, direction: Direction, cls: number, otherTarget: number, f: Required<Flow>, destPorts: PodModel['ports'] | undefined,
  ): TierRuleRef | undefined {
    const engine = this.getEngine();
    for (const p of engine.tier(tier)) {
      if (!engine.selects(p, cls)) continue;
      const policy = this.policies[p] as ClusterNetworkPolicyModel;
      const rules = policy[direction];
      for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
        const rule = rules[ruleIndex];
        if (!effectAdmits(cnpPortEffect(rule.protocols, f.port, f.protocol), destPorts, f.port, f.protocol)) continue;
        const peerIndex = rule.peers.findIndex((peer) => (peer.kind === 'unknown' ? rule.action !== 'Accept' : hasBit(engine.cnpPeerSet(peer), otherTarget)));
        if (peerIndex < 0) continue;
        const ref = this.refs[p] as ClusterPolicyRef;
        return { policy: ref, direction, ruleIndex, ruleName: rule.name, action: rule.action, peerIndex, peer: rule.peers[peerIndex] };
      }
    }
    return undefined;
  }

  private endpoint(id: EndpointId, network: string): EndpointIndex {
    const e = this.state.byId.get(id);
    if (e === undefined) throw new NetproofError('explain', VerifyMessages.unknownEndpoint(id));
    if (e.kind === 'pod' && !this.pods[e.index].networks.includes(network)) {
      throw new NetproofError('explain', VerifyMessages.notOnNetwork(id, network));
    }
    return e;
  }

  private nsLabels(namespace: string): Labels {
    let labels = this.state.namespaceLabels.get(namespace);
    if (labels === undefined) {
      labels = { ...(this.input.cluster.namespaces[namespace] ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
      this.state.namespaceLabels.set(namespace, labels);
    }
    return labels;
  }

  private ipBlock(peer: IpBlockPeerModel, where: string): IpBlock {
    const key = `${peer.cidr}|${peer.except.join(',')}`;
    let block = this.blocks.get(key);
    if (block === undefined) {
      block = parseIpBlock(peer, where);
      this.blocks.set(key, block);
    }
    return block;
  }

  private getEngine(): Engine {
    if (this.engine === undefined) {
      const state = this.state;
      state.index ??= new ClassIndex({
        dataplane: this.dataplane,
        policies: state.shaping,
        pods: state.pods,
        podIps: state.podIps,
        externals: state.externals,
        externalIps: state.externalIps,
        nsLabels: (ns) => this.nsLabels(ns),
        ipBlock: (peer) => this.ipBlock(peer, 'ipBlock'),
        nodes: (this.input.cluster.nodes ?? []).map((n) => ({
          labels: n.labels, ips: n.ips.map((ip) => parseIpOrThrow(ip, `node ${n.name}`, VerifyMessages.badNodeIp)),
        })),
      });
      const engine = new Engine(state.index, this.policies);
      const overlap = engine.cnpOverlap();
      if (overlap !== undefined) {
        const C = engine.classes.length;
        const name = (t: number) => (t < C ? objectId(this.pods[engine.classes[t].rep]) : this.externals[t - C].name);
        const a = this.policies[overlap.a] as ClusterNetworkPolicyModel;
        const b = this.policies[overlap.b] as ClusterNetworkPolicyModel;
        const traffic = `${overlap.direction} ${overlap.direction === 'ingress' ? `of ${name(overlap.to)} from ${name(overlap.from)}` : `of ${name(overlap.from)} to ${name(overlap.to)}`}`
          + ` on ${overlap.protocol} ${overlap.port}`;
        throw new NetproofError(policyWhere(b), VerifyMessages.cnpOverlap(a.tier, a.priority, policyId(a), policyId(b), traffic));
      }
      this.engine = engine;
    }
    return this.engine;
  }

  private view(network: string, engine: Engine): NetworkView {
    let view = this.state.views.get(network);
    if (view === undefined) {
      const endpoints: Endpoint[] = [];
      const target: number[] = [];
      for (const i of this.state.sortedPods) {
        const pod = this.pods[i];
        if (!pod.networks.includes(network)) continue;
        endpoints.push({ kind: 'pod', id: this.state.podIds[i], pod });
        target.push(engine.podClass[i]);
      }
      const podCount = endpoints.length;
      this.externals.forEach((external, e) => {
        endpoints.push({ kind: 'external', id: external.name, external });
        target.push(engine.classes.length + e);
      });
      view = { endpoints, podCount, target: Int32Array.from(target) };
      this.state.views.set(network, view);
    }
    return view;
  }
}

class ClassMatrix implements ReachMatrix {
  public readonly endpoints: readonly Endpoint[];
  private counts?: GroupCounts;

  constructor(
    public readonly flow: Required<Flow>,
    public readonly dataplane: Dataplane,
    private readonly view: NetworkView,
    private readonly engine: Engine,
    private readonly result: FlowResult,
  ) {
    this.endpoints = view.endpoints;
  }

  public allowed(from: number, to: number): boolean {
    const n = this.endpoints.length;
    if (!Number.isInteger(from) || from < 0 || from >= n) throw new NetproofError('ReachMatrix.allowed', VerifyMessages.badIndex(from, n));
    if (!Number.isInteger(to) || to < 0 || to >= n) throw new NetproofError('ReachMatrix.allowed', VerifyMessages.badIndex(to, n));
    const fromPod = from < this.view.podCount;
    const toPod = to < this.view.podCount;
    if (!fromPod && !toPod) return false;
    if (from === to) return true;
    return this.targetsAllowed(this.view.target[from], fromPod, this.view.target[to], toPod);
  }

  private targetsAllowed(a: number, aPod: boolean, b: number, bPod: boolean): boolean {
    return allowedBetween(this.result, a, aPod, b, bPod);
  }

  public summary(): readonly GroupPairCount[] {
    const counts = this.groupCounts();
    const G = counts.groups.length;
    const rows: GroupPairCount[] = [];
    for (let i = 0; i < G; i++) {
      for (let j = 0; j < G; j++) {
        if (i === j && counts.groups[i] === EXTERNALS_GROUP) continue; // external→external is not modelled
        const allowed = counts.allowed(i, j);
        rows.push({ from: counts.groups[i], to: counts.groups[j], allowed, denied: counts.pairs(i, j) - allowed });
      }
    }
    return rows;
  }

  public groupCounts(): GroupCounts {
    if (this.counts !== undefined) return this.counts;
    const { classes } = this.engine;
    const C = classes.length;
    const network = this.flow.network;
    const namespaces: string[] = [];
    const groupOf = new Int32Array(C).fill(-1);
    const sizes: number[] = [];
    for (let c = 0; c < C; c++) {
      if (!classes[c].networks.has(network)) continue;
      const ns = classes[c].namespace;
      if (namespaces.length === 0 || namespaces[namespaces.length - 1] !== ns) { namespaces.push(ns); sizes.push(0); }
      groupOf[c] = namespaces.length - 1;
      sizes[groupOf[c]] += classes[c].size;
    }
    const externalCount = this.endpoints.length - this.view.podCount;
    const groups = externalCount > 0 ? [...namespaces, EXTERNALS_GROUP] : namespaces;
    if (externalCount > 0) sizes.push(externalCount);
    const G = groups.length;
    const X = externalCount > 0 ? namespaces.length : -1;
    const allowed = countAllowed({
      sizes: classes.map((c) => c.size), groupOf, groups: namespaces.length, externals: externalCount, result: this.result,
    });
    const check = (i: number) => {
      if (!Number.isInteger(i) || i < 0 || i >= G) throw new NetproofError('GroupCounts', VerifyMessages.badIndex(i, G));
    };
    this.counts = {
      groups,
      sizes,
      allowed: (from, to) => {
        check(from);
        check(to);
        return allowed[from * G + to];
      },
      pairs: (from, to) => {
        check(from);
        check(to);
        return from === X && to === X ? 0 : sizes[from] * sizes[to];
      },
    };
    return this.counts;
  }
}

/** Between engine targets (class or external) in one flow result; at least one side is a pod class. */
function allowedBetween(result: FlowResult, a: number, aPod: boolean, b: number, bPod: boolean): boolean {
  const { outSig, outSets, inSig, inSets } = result;
  if (aPod) {
    const s = outSig[a];
    if (s >= 0 && !hasBit(outSets[s], b)) return false;
  }
  if (bPod) {
    const s = inSig[b];
    if (s >= 0 && !hasBit(inSets[s], a)) return false;
  }
  return true;
}

/** Indices of `ids` in id order (pods usually come sorted already: then without sorting). */
function sortedIndices(ids: readonly string[]): number[] {
  const order = ids.map((_, i) => i);
  for (let i = 1; i < ids.length; i++) {
    if (ids[i - 1] > ids[i]) return order.sort((a, b) => compareStrings(ids[a], ids[b]));
  }
  return order;
}

/** A TargetSet over one of the engine's bitsets (read-only: the engine keeps and reuses it). */
class BitsetTargets implements TargetSet {
  constructor(private readonly bits: Bitset, private readonly size: number) {}

  public has(target: number): boolean {
    return target >= 0 && target < this.size && hasBit(this.bits, target);
  }

  public forEach(visit: (target: number) => void): void {
    const bits = this.bits;
    for (let w = 0; w < bits.length; w++) {
      let x = bits[w];
      while (x !== 0) {
        const low = x & -x;
        visit((w << 5) + 31 - Math.clz32(low));
        x ^= low;
      }
    }
  }
}

function unconstrained(direction: Direction): SideVerdict {
  return { direction, isolated: false, isolatedBy: [], allowedBy: [], allowed: true };
}

function matchingPorts(ports: 'all' | readonly PortModel[], f: Required<Flow>, destPorts: PodModel['ports'] | undefined): { port: PortModel | 'all'; portIndex?: number }[] {
  if (ports === 'all') return [{ port: 'all' }];
  const out: { port: PortModel; portIndex: number }[] = [];
  ports.forEach((port, portIndex) => {
    if (portEntryMatches(port, f.port, f.protocol, destPorts)) out.push({ port, portIndex });
  });
  return out;
}

/** Where a policy came from, for messages: its construct path, or its file and document, and its name. */
function policyWhere(p: PolicyModel): string {
  const name = `${p.kind ?? 'policy'} ${p.kind === 'ClusterNetworkPolicy' ? p.name : `${p.namespace}/${p.name}`}`;
  const src = p.source;
  if (src?.constructPath !== undefined) return `${src.constructPath} (${name})`;
  if (src?.file !== undefined) return `${sourceText(src)} ${name}`;
  return name;
}

/**
 * Pods without an IP, sorted by id, when some policy has an ipBlock peer and the dataplane matches ipBlocks
 * against pod IPs (upstream, calico). Such pods match no ipBlock in every answer, which is only right if their
 * real IPs are outside every ipBlock; callers report them (fail closed) rather than answer silently.
 * Empty under dataplane-v2 (ipBlocks never match pods) or when no policy has an ipBlock.
 */
export function podsWithoutIp(input: VerifierInput): EndpointId[] {
  if (!ipBlockMatchesPods(input.dataplane ?? 'upstream')) return [];
  const hasIpBlock = input.policies.some((p) => p.kind === 'NetworkPolicy'
    && [...p.ingress, ...p.egress].some((r) => r.peers !== 'all' && r.peers.some((peer) => peer.kind === 'ipBlock')));
  if (!hasIpBlock) return [];
  return input.cluster.pods.filter((p) => p.ip === undefined).map(objectId).sort(compareStrings);
}

/** `file[document 2]`, `file[document 0] items[3]` for an item of a List, or the file alone. */
export function sourceText(src: SourceRef): string {
  const doc = src.index !== undefined ? `[document ${src.index}]` : '';
  return `${src.file ?? src.constructPath ?? ''}${doc}${src.item !== undefined ? ` items[${src.item}]` : ''}`;
}


function normalizeFlow(flow: Flow): Required<Flow> {
  const { port, protocol } = flow;
  const network = flow.network ?? DEFAULT_NETWORK;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new NetproofError('flow', VerifyMessages.badPort(port), 'port');
  }
  if (!PROTOCOLS.includes(protocol)) throw new NetproofError('flow', VerifyMessages.badProtocol(protocol), 'protocol');
  if (typeof network !== 'string' || network.length === 0) throw new NetproofError('flow', VerifyMessages.badNetwork(network), 'network');
  return { port, protocol, network };
}

/**
 * Checks intents, and explains every failure with a concrete counterexample (source, destination, port,
 * protocol, network) and the verifier's reasons. The known endpoints are checked with the verifier's
 * matrices; an intent with scope `all` is then proven over every pod and namespace that could exist
 * (`proofs.ts`), or comes with one that breaks it.
 */
import { Counterexample } from './counterexamples';
import { ProofInput, Prover } from './proofs';
import { NetproofError } from '../errors';
import { ClusterModel, Dataplane, DEFAULT_NETWORK } from '../model/cluster';
import { idOf, objectId } from '../model/ids';
import { describeIntent, EndpointSetModel, IntentModel, IntentScope, scopeOf } from '../model/intent';
import { NAMESPACE_NAME_LABEL, PolicyModel } from '../model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../model/port';
import { Labels, matchesLabels } from '../model/selector';
import { ADDRESS_PREFIX, INTERNET_PREFIX, isInternet } from '../verify/addresses';
import { Endpoint, Flow } from '../verify/api';
import { SearchBudgetExceeded } from '../verify/symbolic/solver';
import { Verifier } from '../verify/verifier';

/** How many counterexamples a failed intent keeps (the count of all of them is kept too). */
export const MAX_COUNTEREXAMPLES = 5;

export interface IntentResult {
  readonly intent: IntentModel;
  /** The intent in words: `pods app=frontend in ns shop can reach pods app=backend in ns shop on TCP 80`. */
  readonly text: string;
  readonly holds: boolean;
  /** What it quantified over: every endpoint that could exist (`all`), or the known ones. */
  readonly scope: IntentScope;
  /** Why it fails without a counterexample (e.g. an endpoint set that matches nothing, or a proof that could not be decided). */
  readonly problem?: string;
  /**
   * Up to MAX_COUNTEREXAMPLES verdicts that contradict the intent: known pairs first, then (scope `all`,
   * when every known pair holds) one with a pod that could exist.
   */
  readonly counterexamples: readonly Counterexample[];
  /** How many (source, destination) cases contradict it: known pairs, plus 1 for a pod that could exist. */
  readonly violations: number;
  /** How many known (source, destination) pairs were checked. */
  readonly checked: number;
}

export interface IntentCheckInput {
  /** The verifier over `cluster` and `policies`. */
  readonly verifier: Verifier;
  /** The known endpoints: pods, declared externals and the address representatives. */
  readonly cluster: ClusterModel;
  readonly policies: readonly PolicyModel[];
  readonly dataplane: Dataplane;
  /**
   * Pod ranges, where pods that could exist have their IPs.
   * @default - unknown: any address
   */
  readonly podCidrs?: readonly string[];
  /** @default - none */
  readonly serviceCidrs?: readonly string[];
}

/** Checks every intent; never throws for a failing intent, only for input it cannot model. */
export function checkIntents(input: IntentCheckInput, intents: readonly IntentModel[]): IntentResult[] {
  const checker = new IntentChecker(input, intents);
  return intents.map((intent) => checker.check(intent));
}

export const IntentMessages = {
  matchesNothing: (set: string, network: string) =>
    `${set} matches no pod or external on network ${network}, so the intent cannot be checked. Declare the workload (or fix the selector)`,
  admitsNothing: (set: string, network: string) =>
    `${set} admits no pod or external on network ${network}, not even one that could exist, so the intent cannot be checked. Fix the selector`,
  noNamedPort: (id: string, port: PortModel) => `${id} has no ${port.protocol} container port named ${String(port.port)}, so nothing can reach it on that port`,
  undecided: (steps: number) =>
    `the proof over every pod that could exist could not be completed within its budget of ${steps} steps, so the intent is not proven. Narrow the intent (a namespace, a workload), or use scope: existing`,
} as const;


/** A flow to check plus, for named ports, the destination pods it applies to. */
interface FlowCase { readonly flow: Required<Flow> }

class IntentChecker {
  private readonly representatives = new Map<Protocol, number[]>();
  private readonly all = new Map<string, readonly Endpoint[]>();
  private readonly targets = new Map<Endpoint, number>();
  private readonly proofIntents: readonly IntentModel[];
  private readonly endpointIndex = new Map<string, Map<string, Endpoint>>();
  private prover?: Prover;

  constructor(private readonly input: IntentCheckInput, intents: readonly IntentModel[]) {
    this.proofIntents = intents.filter((i) => scopeOf(i) === 'all');
  }

  public check(intent: IntentModel): IntentResult {
    const scope = scopeOf(intent);
    const { result: known, empty } = this.checkKnown(intent);
    if (scope === 'existing') return { ...known, scope };
    const network = intent.network ?? DEFAULT_NETWORK;
    try {
      const prover = this.getProver();
      let base = known;
      if (empty !== undefined) {
        // No known endpoint is in the set; pods that could exist may be.
        if (!prover.admits(empty, network)) return { ...known, scope, problem: IntentMessages.admitsNothing(empty.text, network) };
        base = { ...known, holds: true, problem: undefined };
        // A known destination without the named port cannot be reached on it, whoever the source.
        const lacking = intent.kind === 'canReach' && empty === intent.subject ? this.lackingNamedPort(intent, network) : undefined;
        if (lacking !== undefined) return { ...base, scope, holds: false, violations: 1, problem: IntentMessages.noNamedPort(lacking, intent.port!) };
      }
      if (!base.holds) return { ...base, scope };
      const found = prover.violation(intent, network, (id, set) => this.isIn(id, set, network));
      if (found === undefined) return { ...base, scope };
      const counterexamples = [...base.counterexamples, found].slice(0, MAX_COUNTEREXAMPLES);
      return { ...base, scope, holds: false, counterexamples, violations: base.violations + 1 };
    } catch (e) {
      if (e instanceof SearchBudgetExceeded) return { ...known, scope, holds: false, problem: IntentMessages.undecided(e.steps) };
      throw e;
    }
  }

  /** A known destination of a canReach that has no container port of the intent's port name. */
  private lackingNamedPort(intent: IntentModel, network: string): string | undefined {
    const port = intent.port;
    if (port === undefined || typeof port.port !== 'string') return undefined;
    return this.endpoints(intent.target!, network).find((e) => e.kind === 'external'
      || !e.pod.ports.some((cp) => cp.name === port.port && cp.protocol === port.protocol))?.id;
  }

  private getProver(): Prover {
    if (this.prover === undefined) {
      const input: ProofInput = {
        policies: this.input.policies,
        cluster: this.input.cluster,
        dataplane: this.input.dataplane,
        podCidrs: this.input.podCidrs ?? [],
        serviceCidrs: this.input.serviceCidrs ?? [],
        verifier: this.input.verifier,
      };
      this.prover = new Prover(input, this.proofIntents);
    }
    return this.prover;
  }

  private isIn(id: string, set: EndpointSetModel, network: string): boolean {
    const e = this.endpointById(network).get(id);
    return e !== undefined && endpointInSet(e, set, this.input.cluster);
  }

  private endpointById(network: string): Map<string, Endpoint> {
    let m = this.endpointIndex.get(network);
    if (m === undefined) {
      m = new Map(this.allEndpoints(network).map((e) => [e.id, e]));
      this.endpointIndex.set(network, m);
    }
    return m;
  }

  /**
   * The intent over the known endpoints only; `empty` names a set without a known endpoint. By pod classes:
   * the members of a class behave alike, so each (source class, destination class and port cases) pair is
   * decided once and counted for all its pod pairs; counterexamples are the first pairs in source, then
   * destination order, as a pair-by-pair check finds them. Cost grows with classes, not pods².
   */
  private checkKnown(intent: IntentModel): { result: Omit<IntentResult, 'scope'>; empty?: EndpointSetModel } {
    const text = describeIntent(intent);
    const network = intent.network ?? DEFAULT_NETWORK;
    const result = (holds: boolean, counterexamples: Counterexample[], violations: number, checked: number, problem?: string) =>
      ({ result: { intent, text, holds, counterexamples, violations, checked, problem } });
    const emptySet = (set: EndpointSetModel) => ({ ...result(false, [], 0, 0, IntentMessages.matchesNothing(set.text, network)), empty: set });
    const verifier = this.input.verifier;

    const subject = this.endpoints(intent.subject, network);
    if (subject.length === 0) return emptySet(intent.subject);

    if (intent.kind === 'isolated') {
      const external = subject.find((e) => e.kind !== 'pod');
      if (external) throw new NetproofError('intent', `${text}: isolation applies to pods, but ${external.id} is an external endpoint. Select pods`);
      const flow: Required<Flow> = { port: 1, protocol: 'TCP', network };
      const isolatedClass = new Map<number, boolean>();
      const bad: Counterexample[] = [];
      let violations = 0;
      for (const e of subject) {
        const cls = this.targetOf(e);
        let isolated = isolatedClass.get(cls);
        if (isolated === undefined) {
          isolated = verifier.isolatedClass(intent.direction!, cls, flow.network);
          isolatedClass.set(cls, isolated);
        }
        if (!isolated) {
          violations++;
          if (bad.length < MAX_COUNTEREXAMPLES) bad.push(verifier.explain(e.id, e.id, flow));
        }
      }
      return result(violations === 0, bad, violations, subject.length);
    }

    let sources: Endpoint[];
    let targets: Endpoint[];
    if (intent.kind === 'onlyReachableFrom') {
      const allowed = new Set<string>();
      for (const s of intent.allowedSources!) for (const e of this.endpoints(s, network)) allowed.add(e.id);
      sources = this.allEndpoints(network).filter((e) => !allowed.has(e.id));
      targets = subject;
    } else {
      sources = subject;
      targets = this.endpoints(intent.target!, network);
      if (targets.length === 0) return emptySet(intent.target!);
    }
    return this.checkPairs(intent, sources, targets, network, result);
  }

  /** `checkKnown` for the intents about (source, destination) pairs. */
  private checkPairs(
    intent: IntentModel, sources: readonly Endpoint[], targets: readonly Endpoint[], network: string,
    result: (holds: boolean, counterexamples: Counterexample[], violations: number, checked: number, problem?: string) => { result: Omit<IntentResult, 'scope'> },
  ): { result: Omit<IntentResult, 'scope'> } {
    const verifier = this.input.verifier;
    const classCount = verifier.stats().classes;
    const wantAllowed = intent.kind === 'canReach';
    // canReach without a port: some port of some protocol must be allowed. canReach with a port, a range or a
    // protocol: every port of it. cannotReach/onlyReachableFrom: no case may be allowed.
    const everyPort = wantAllowed && intent.port !== undefined;
    // The cases towards a destination depend on it only for a named port (the container port it resolves to).
    const named = intent.port !== undefined && typeof intent.port.port === 'string';
    const casesFor = new Map<string, FlowCase[]>();
    const casesOf = (e: Endpoint): FlowCase[] => {
      if (named) return this.flowCases(intent.port, e, network);
      let cases = casesFor.get(e.kind);
      if (cases === undefined) casesFor.set(e.kind, cases = this.flowCases(intent.port, e, network));
      return cases;
    };

    // Sources by engine target; destinations by engine target and cases.
    const sourceGroups = new Map<number, number>(); // target -> members
    const sourceIds = new Set<string>();
    for (const e of sources) {
      const t = this.targetOf(e);
      sourceGroups.set(t, (sourceGroups.get(t) ?? 0) + 1);
      sourceIds.add(e.id);
    }
    interface TargetGroup { readonly target: number; readonly cases: FlowCase[]; members: number; alsoSources: number; readonly external: boolean }
    const targetGroups = new Map<string, TargetGroup>();
    const groupOfTarget: TargetGroup[] = [];
    for (const e of targets) {
      const t = this.targetOf(e);
      const cases = casesOf(e);
      const key = `${t}\u0000${cases.map((c) => `${c.flow.protocol}/${c.flow.port}`).join(',')}`;
      let g = targetGroups.get(key);
      if (g === undefined) {
        g = { target: t, cases, members: 0, alsoSources: 0, external: e.kind === 'external' };
        targetGroups.set(key, g);
      }
      g.members++;
      if (sourceIds.has(e.id)) g.alsoSources++;
      groupOfTarget.push(g);
    }

    // Verdicts per (source group, destination group) for two distinct endpoints; flow by flow, so that each
    // flow is evaluated once.
    interface PairVerdict { readonly source: number; readonly group: TargetGroup; readonly distinct: number; readonly ok: boolean[] }
    const pairs: PairVerdict[] = [];
    const byFlow = new Map<string, { flow: Required<Flow>; at: [PairVerdict, number][] }>();
    let checked = 0;
    let violations = 0;
    for (const [source, count] of sourceGroups) {
      for (const group of targetGroups.values()) {
        if (source >= classCount && group.external) continue; // external to external: not modelled
        const distinct = count * group.members - (source === group.target ? group.alsoSources : 0);
        if (distinct === 0) continue;
        checked += distinct;
        if (group.cases.length === 0) {
          // A named port the destination does not have: nothing can be reached on it.
          if (wantAllowed) violations += distinct;
          continue;
        }
        const pair: PairVerdict = { source, group, distinct, ok: new Array<boolean>(group.cases.length) };
        pairs.push(pair);
        group.cases.forEach((c, i) => {
          const key = `${c.flow.protocol}/${c.flow.port}`;
          let entry = byFlow.get(key);
          if (entry === undefined) byFlow.set(key, entry = { flow: c.flow, at: [] });
          entry.at.push([pair, i]);
        });
      }
    }
    for (const { flow, at } of byFlow.values()) {
      // Few pairs: from their two sides; many: from the flow evaluated for every class. The same answers.
      const few = at.length < classCount;
      for (const [pair, i] of at) {
        pair.ok[i] = few ? verifier.sidesAllow(flow, pair.source, pair.group.target) : verifier.targetsAllowed(flow, pair.source, pair.group.target);
      }
    }
    /** Per source target, per destination group: the flow of a counterexample. */
    const violating = new Map<number, Map<TargetGroup, Required<Flow>>>();
    for (const pair of pairs) {
      const w = pair.ok.findIndex((ok) => (everyPort ? !ok : ok));
      const holds = everyPort ? w < 0 : wantAllowed ? w >= 0 : w < 0;
      if (holds) continue;
      violations += pair.distinct;
      let m = violating.get(pair.source);
      if (m === undefined) violating.set(pair.source, m = new Map());
      m.set(pair.group, pair.group.cases[w >= 0 ? w : 0].flow);
    }
    // A pod paired with itself: left out of cannotReach and onlyReachableFrom (it always reaches itself); for
    // canReach it holds, but on a named port it does not have.
    let problem: string | undefined;
    if (wantAllowed) {
      targets.forEach((e, k) => {
        if (e.kind !== 'pod' || !sourceIds.has(e.id)) return;
        checked++;
        if (groupOfTarget[k].cases.length === 0) violations++;
      });
      // The first pair, in source then destination order, whose destination lacks the named port.
      if (named) {
        const lacking = (pods: boolean) => targets.find((e, k) => (!pods || e.kind === 'pod') && groupOfTarget[k].cases.length === 0);
        const first = sources[0].kind === 'pod' ? lacking(false) : lacking(true) ?? (sources.some((e) => e.kind === 'pod') ? lacking(false) : undefined);
        if (first !== undefined) problem = IntentMessages.noNamedPort(first.id, intent.port!);
      }
    }

    // Counterexamples: the first violating pairs in source, then destination order, one per pair of workloads.
    const counterexamples: Counterexample[] = [];
    const shownPairs = new Set<string>();
    found: for (const src of sources) {
      const bad = violating.get(this.targetOf(src));
      if (bad === undefined) continue;
      for (let k = 0; k < targets.length; k++) {
        const dst = targets[k];
        if ((src.kind === 'external' && dst.kind === 'external') || src.id === dst.id) continue;
        const flow = bad.get(groupOfTarget[k]);
        if (flow === undefined) continue;
        // Replicas of one workload behave alike: one counterexample per pair of workloads.
        const pair = `${workloadOf(src)}\u0000${workloadOf(dst)}`;
        if (shownPairs.has(pair)) continue;
        shownPairs.add(pair);
        counterexamples.push(withAddresses(verifier.explain(src.id, dst.id, flow), src, dst));
        if (counterexamples.length >= MAX_COUNTEREXAMPLES) break found;
      }
    }
    return result(violations === 0, counterexamples, violations, checked, problem);
  }

  /** The concrete flows that stand for an intent's port towards one destination. */
  private flowCases(port: PortModel | undefined, dst: Endpoint, network: string): FlowCase[] {
    if (port === undefined) return PROTOCOLS.flatMap((p) => this.representativePorts(p).map((n) => ({ flow: { port: n, protocol: p, network } })));
    if (port.port === undefined) return this.representativePorts(port.protocol).map((n) => ({ flow: { port: n, protocol: port.protocol, network } }));
    if (typeof port.port === 'string') {
      if (dst.kind !== 'pod') return [];
      const cp = dst.pod.ports.find((p) => p.name === port.port && p.protocol === port.protocol);
      return cp ? [{ flow: { port: cp.port, protocol: port.protocol, network } }] : [];
    }
    const first = port.port;
    const last = port.endPort ?? first;
    return this.representativePorts(port.protocol)
      .filter((n) => n > first && n <= last)
      .concat([first])
      .sort((a, b) => a - b)
      .map((n) => ({ flow: { port: n, protocol: port.protocol, network } }));
  }

  /**
   * One port per interval on which every policy and container port behaves alike (the engine's
   * intervals): reachability is constant between these boundaries, so checking them checks every port.
   */
  private representativePorts(protocol: Protocol): number[] {
    let list = this.representatives.get(protocol);
    if (list === undefined) {
      list = this.input.verifier.portIntervals(protocol).map(([first]) => first);
      this.representatives.set(protocol, list);
    }
    return list;
  }

  /** The engine target of a known endpoint (its pod class, or the external). */
  private targetOf(e: Endpoint): number {
    let t = this.targets.get(e);
    if (t === undefined) this.targets.set(e, t = this.input.verifier.targetOf(e.id)!);
    return t;
  }

  /** Every known endpoint on a network: pods in cluster order, then externals (made once per network). */
  private allEndpoints(network: string): readonly Endpoint[] {
    let all = this.all.get(network);
    if (all === undefined) {
      const pods: Endpoint[] = this.input.cluster.pods
        .filter((p) => p.networks.includes(network))
        .map((pod) => ({ kind: 'pod', id: objectId(pod), pod }));
      const externals: Endpoint[] = this.input.cluster.externals.map((external) => ({ kind: 'external', id: external.name, external }));
      all = pods.concat(externals);
      this.all.set(network, all);
    }
    return all;
  }

  private endpoints(set: EndpointSetModel, network: string): Endpoint[] {
    if (set.kind !== 'pods') return this.allEndpoints(network).filter((e) => endpointInSet(e, set, this.input.cluster));
    // Pods of one namespace, and pods sharing one label set (replicas do), answer alike: each is matched once.
    const namespaces = new Map<string, boolean>();
    const labels = new Map<Labels, boolean>();
    return this.allEndpoints(network).filter((e) => {
      if (e.kind !== 'pod') return false;
      let inNamespace = namespaces.get(e.pod.namespace);
      if (inNamespace === undefined) {
        inNamespace = matchesLabels(set.namespaces, namespaceLabels(this.input.cluster, e.pod.namespace));
        namespaces.set(e.pod.namespace, inNamespace);
      }
      if (!inNamespace) return false;
      let matching = labels.get(e.pod.labels);
      if (matching === undefined) labels.set(e.pod.labels, matching = matchesLabels(set.pods, e.pod.labels));
      return matching;
    });
  }
}

export function endpointInSet(e: Endpoint, set: EndpointSetModel, cluster: ClusterModel): boolean {
  switch (set.kind) {
    case 'external': return e.kind === 'external' && e.external.name === set.name;
    case 'internet': return e.kind === 'external' && isInternet(e.external);
    case 'externalGroup': return e.kind === 'external' && e.external.name.startsWith(set.prefix);
    // A workload's pod names its replicas too (`shop/web` is `shop/web` and `shop/web#2`).
    case 'pod': return e.kind === 'pod' && e.pod.namespace === set.namespace && (e.pod.name === set.name || e.pod.replicaOf === set.name);
    case 'hostname': return e.kind === 'external' && e.external.hostname !== undefined
      && e.external.hostname.toLowerCase().replace(/\.$/, '') === set.hostname.toLowerCase().replace(/\.$/, '');
    case 'pods': {
      if (e.kind !== 'pod') return false;
      return matchesLabels(set.namespaces, namespaceLabels(cluster, e.pod.namespace)) && matchesLabels(set.pods, e.pod.labels);
    }
  }
}


/** A namespace's labels with the implied name label; made once per cluster and namespace (a check per pod). */
const NAMESPACE_LABELS = new WeakMap<ClusterModel, Map<string, Labels>>();

function namespaceLabels(cluster: ClusterModel, namespace: string): Labels {
  let byName = NAMESPACE_LABELS.get(cluster);
  if (byName === undefined) NAMESPACE_LABELS.set(cluster, byName = new Map());
  let labels = byName.get(namespace);
  if (labels === undefined) byName.set(namespace, labels = { ...(cluster.namespaces[namespace] ?? {}), [NAMESPACE_NAME_LABEL]: namespace });
  return labels;
}

/** A known counterexample, with the address of an end that is not a declared external (an address representative). */
function withAddresses(v: Counterexample, from: Endpoint, to: Endpoint): Counterexample {
  const address = (e: Endpoint) => (e.kind === 'external' && isRepresentative(e.external.name) ? { ip: e.external.ip } : undefined);
  const fromExternal = address(from);
  const toExternal = address(to);
  return { ...v, ...(fromExternal ? { fromExternal } : {}), ...(toExternal ? { toExternal } : {}) };
}

function isRepresentative(name: string): boolean {
  return name.startsWith(INTERNET_PREFIX) || name.startsWith(ADDRESS_PREFIX);
}

/** The id of the workload an endpoint is a replica of (its own id otherwise). */
function workloadOf(e: Endpoint): string {
  return e.kind === 'pod' && e.pod.replicaOf !== undefined ? idOf(e.pod.namespace, e.pod.replicaOf) : e.id;
}

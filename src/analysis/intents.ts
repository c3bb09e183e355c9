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
import { Endpoint, Flow, ReachMatrix } from '../verify/api';
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
  private readonly matrices = new Map<string, { matrix: ReachMatrix; index: Map<string, number> }>();
  private readonly representatives = new Map<Protocol, number[]>();
  private readonly proofIntents: readonly IntentModel[];
  private readonly endpointIndex = new Map<string, Map<string, Endpoint>>();
  private readonly members = new WeakMap<EndpointSetModel, Map<string, Set<string>>>();
  private readonly namespaceLabels = new Map<string, Labels>();
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
    return this.memberIds(set, network).has(id);
  }

  /** The ids of the known endpoints in a set on a network (cached per set object). */
  private memberIds(set: EndpointSetModel, network: string): Set<string> {
    let perNetwork = this.members.get(set);
    if (perNetwork === undefined) { perNetwork = new Map(); this.members.set(set, perNetwork); }
    let ids = perNetwork.get(network);
    if (ids === undefined) {
      ids = new Set(this.endpoints(set, network).map((e) => e.id));
      perNetwork.set(network, ids);
    }
    return ids;
  }

  private endpointById(network: string): Map<string, Endpoint> {
    let m = this.endpointIndex.get(network);
    if (m === undefined) {
      m = new Map(this.allEndpoints(network).map((e) => [e.id, e]));
      this.endpointIndex.set(network, m);
    }
    return m;
  }

  /** The intent over the known endpoints only; `empty` names a set without a known endpoint. */
  private checkKnown(intent: IntentModel): { result: Omit<IntentResult, 'scope'>; empty?: EndpointSetModel } {
    const text = describeIntent(intent);
    const network = intent.network ?? DEFAULT_NETWORK;
    const result = (holds: boolean, counterexamples: Counterexample[], violations: number, checked: number, problem?: string) =>
      ({ result: { intent, text, holds, counterexamples, violations, checked, problem } });
    const emptySet = (set: EndpointSetModel) => ({ ...result(false, [], 0, 0, IntentMessages.matchesNothing(set.text, network)), empty: set });

    const subject = this.endpoints(intent.subject, network);
    if (subject.length === 0) return emptySet(intent.subject);

    if (intent.kind === 'isolated') {
      const bad: Counterexample[] = [];
      let violations = 0;
      for (const e of subject) {
        if (e.kind !== 'pod') throw new NetproofError('intent', `${text}: isolation applies to pods, but ${e.id} is an external endpoint. Select pods`);
        const v = this.input.verifier.explain(e.id, e.id, { port: 1, protocol: 'TCP', network });
        const side = intent.direction === 'egress' ? v.egress : v.ingress;
        if (!side.isolated) { violations++; if (bad.length < MAX_COUNTEREXAMPLES) bad.push(v); }
      }
      return result(violations === 0, bad, violations, subject.length);
    }

    let sources: Endpoint[];
    let targets: Endpoint[];
    if (intent.kind === 'onlyReachableFrom') {
      const allowed = new Set<string>();
      for (const s of intent.allowedSources!) for (const e of this.endpoints(s, network)) allowed.add(e.id);
      sources = [...this.endpointById(network).values()].filter((e) => !allowed.has(e.id));
      targets = subject;
    } else {
      sources = subject;
      targets = this.endpoints(intent.target!, network);
      if (targets.length === 0) return emptySet(intent.target!);
    }

    const wantAllowed = intent.kind === 'canReach';
    const counterexamples: Counterexample[] = [];
    const shownPairs = new Set<string>();
    const decided = new Map<number, FlowCase | null>();
    const verifier = this.input.verifier;
    let violations = 0;
    let checked = 0;
    let problem: string | undefined;
    // Pods of one class behave alike: a pair is decided once per source class and destination group
    // (its class and its port cases).
    const groups = new Map<string, number>();
    const dsts = targets.map((dst) => {
      const cases = this.flowCases(intent.port, dst, network);
      const key = `${verifier.targetOf(dst.id)}|${cases.map((c) => `${c.flow.protocol}${c.flow.port}`).join(',')}`;
      let group = groups.get(key);
      if (group === undefined) { group = groups.size; groups.set(key, group); }
      return { dst, cases, group };
    });
    const G = Math.max(1, groups.size);
    // canReach without a port: some port of some protocol must be allowed. canReach with a port, a
    // range or a protocol: every port of it. cannotReach/onlyReachableFrom: no case may be allowed.
    const everyPort = wantAllowed && intent.port !== undefined;
    for (const src of sources) {
      const srcTarget = verifier.targetOf(src.id);
      for (const { dst, cases, group } of dsts) {
        if (src.kind === 'external' && dst.kind === 'external') continue; // not modelled
        if (src.id === dst.id && !wantAllowed) continue; // a pod always reaches itself; no policy can say otherwise
        checked++;
        if (cases.length === 0) {
          // A named port the destination does not have: nothing can be reached on it.
          if (wantAllowed) {
            violations++;
            problem ??= IntentMessages.noNamedPort(dst.id, intent.port!);
          }
          continue;
        }
        // A pod reaching itself is loopback, never its class's answer for two pods.
        const key = src.id === dst.id ? -1 - group : srcTarget * G + group;
        let witness = decided.get(key);
        if (witness === undefined) {
          witness = null;
          for (const c of cases) {
            const ok = this.allowed(src.id, dst.id, c.flow);
            if (everyPort ? !ok : ok) { witness = c; break; }
          }
          decided.set(key, witness);
        }
        const holds = everyPort ? witness === null : wantAllowed ? witness !== null : witness === null;
        if (holds) continue;
        violations++;
        // Replicas of one workload behave alike: one counterexample per pair of workloads.
        const pair = `${workloadOf(src)}\u0000${workloadOf(dst)}`;
        if (counterexamples.length < MAX_COUNTEREXAMPLES && !shownPairs.has(pair)) {
          shownPairs.add(pair);
          counterexamples.push(withAddresses(this.input.verifier.explain(src.id, dst.id, (witness ?? cases[0]).flow), src, dst));
        }
      }
    }
    return result(violations === 0, counterexamples, violations, checked, problem);
  }

  private allowed(from: string, to: string, flow: Required<Flow>): boolean {
    const key = `${flow.protocol}/${flow.port}/${flow.network}`;
    let entry = this.matrices.get(key);
    if (!entry) {
      const matrix = this.input.verifier.reach(flow);
      entry = { matrix, index: new Map(matrix.endpoints.map((e, i) => [e.id, i])) };
      this.matrices.set(key, entry);
    }
    return entry.matrix.allowed(entry.index.get(from)!, entry.index.get(to)!);
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

  private allEndpoints(network: string): Endpoint[] {
    const pods: Endpoint[] = this.input.cluster.pods
      .filter((p) => p.networks.includes(network))
      .map((pod) => ({ kind: 'pod', id: objectId(pod), pod }));
    const externals: Endpoint[] = this.input.cluster.externals.map((external) => ({ kind: 'external', id: external.name, external }));
    return pods.concat(externals);
  }

  private endpoints(set: EndpointSetModel, network: string): Endpoint[] {
    return [...this.endpointById(network).values()].filter((e) => endpointInSet(e, set, this.input.cluster, this.namespaceLabels));
  }
}

/**
 * Is the endpoint in the set? `namespaceLabels` caches each namespace's labels with its name label
 * (pass one map per cluster to share the work between calls).
 */
export function endpointInSet(e: Endpoint, set: EndpointSetModel, cluster: ClusterModel, namespaceLabels = new Map<string, Labels>()): boolean {
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
      let nsLabels = namespaceLabels.get(e.pod.namespace);
      if (nsLabels === undefined) {
        nsLabels = { ...(cluster.namespaces[e.pod.namespace] ?? {}), [NAMESPACE_NAME_LABEL]: e.pod.namespace };
        namespaceLabels.set(e.pod.namespace, nsLabels);
      }
      return matchesLabels(set.namespaces, nsLabels) && matchesLabels(set.pods, e.pod.labels);
    }
  }
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

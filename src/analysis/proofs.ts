/**
 * Proofs: an intent with scope `all` holds for every endpoint of the universe (README "Semantics", DESIGN
 * "Proofs"), the pods and namespaces that could exist included. A violation is searched for symbolically
 * (verify/symbolic): for each way the two ends can be (a pod that could exist in each namespace that
 * could hold it, or a known endpoint), the violation is a formula over the unknown parts, and the solver
 * either finds an assignment or shows there is none. A found one becomes a small, concrete
 * counterexample (labels removed while it still violates) and is replayed through the verifier before
 * it is reported: every counterexample printed is real.
 */
import { Counterexample, HypotheticalPod } from './counterexamples';
import { NetproofError } from '../errors';
import { ClusterModel, CONTROLLER_LABEL_KEYS, ContainerPortModel, Dataplane, ExternalModel, PodModel } from '../model/cluster';
import { idOf, objectId } from '../model/ids';
import { EndpointSetModel, IntentModel } from '../model/intent';
import { ClusterNetworkPolicyModel, NAMESPACE_NAME_LABEL, policyId, PolicyModel, portNamesOf } from '../model/policy';
import { PortModel } from '../model/port';
import { compareStrings, Labels } from '../model/selector';
import { parseIpOrThrow } from '../verify/_match';
import { ADDRESS_PREFIX, INTERNET_PREFIX } from '../verify/addresses';
import { Verdict } from '../verify/api';
import { VerifyMessages } from '../verify/messages';
import { and, Atoms, Formula, FALSE, evaluate, not, or, TRUE } from '../verify/symbolic/formula';
import { EndpointTerm, LabelTerm, Semantics } from '../verify/symbolic/semantics';
import { Assignment, Solver } from '../verify/symbolic/solver';
import { Cube, LABEL_ABSENT, LABEL_OTHER, setOf } from '../verify/symbolic/space';
import { FlowClass, flowClasses, NamespaceChoice, Universe } from '../verify/symbolic/universe';
import { Verifier } from '../verify/verifier';

/** Entities of a search: the source (or the pod of an isolation intent), the destination, the flow. */
const S = 0;
const T = 1;
const FLOW = 2;

export interface ProofInput {
  readonly policies: readonly PolicyModel[];
  /** The known endpoints (address representatives included). */
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  readonly podCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
  /** The verifier over `cluster` (its port intervals split the flows). */
  readonly verifier: Verifier;
}

/** What one side of an intent can be: a pod that could exist (in one namespace), or one known endpoint. */
type Term = EndpointTerm & { readonly known?: string };

/** One end of a counterexample: its id, and the known or made-up endpoint it is. */
interface End {
  readonly id: string;
  readonly pod?: PodModel;
  readonly external?: ExternalModel;
  /** Set when the end is a pod that could exist. */
  readonly made?: HypotheticalPod;
}

/** An address representative (an interval of address space), not a declared external. */
function isRepresentative(e: ExternalModel): boolean {
  return e.name.startsWith(INTERNET_PREFIX) || e.name.startsWith(ADDRESS_PREFIX);
}

export class Prover {
  private readonly universe: Universe;
  private readonly byId = new Map<string, PodModel>();
  private readonly knownCache = new Map<string, Term[]>();
  private readonly tierOrderChecked = new Set<string>();

  constructor(private readonly input: ProofInput, intents: readonly IntentModel[]) {
    const bounds = new Map<PortModel['protocol'], Set<number>>();
    const podSelectors = [];
    const namespaceSelectors = [];
    const namespaceNames: string[] = [];
    const templateLabels: Labels[] = [];
    for (const p of input.cluster.pods) this.byId.set(objectId(p), p);
    const sets = intents.flatMap((i) => [i.subject, ...(i.target ? [i.target] : []), ...(i.allowedSources ?? [])]);
    for (const set of sets) {
      if (set.kind === 'pods') {
        podSelectors.push(set.pods);
        namespaceSelectors.push(set.namespaces);
        const template = this.template(set);
        if (template) templateLabels.push(template.labels);
      }
      if (set.kind === 'pod') namespaceNames.push(set.namespace);
    }
    const cut = (protocol: PortModel['protocol'], first: number, last: number) => {
      const b = bounds.get(protocol) ?? new Set<number>();
      b.add(first);
      b.add(last + 1);
      bounds.set(protocol, b);
    };
    for (const i of intents) {
      const port = i.port;
      if (port?.port === undefined) continue;
      if (typeof port.port === 'number') {
        cut(port.protocol, port.port, port.endPort ?? port.port);
        continue;
      }
      // An intent's named port is, on a known pod, the number its container port has: a flow of its own.
      for (const pod of input.cluster.pods) {
        for (const cp of pod.ports) if (cp.name === port.port && cp.protocol === port.protocol) cut(cp.protocol, cp.port, cp.port);
      }
    }
    const flows = flowClasses((p) => input.verifier.portIntervals(p), bounds);
    this.universe = new Universe({
      policies: input.policies,
      cluster: input.cluster,
      dataplane: input.dataplane,
      podCidrs: input.podCidrs,
      serviceCidrs: input.serviceCidrs,
      flows,
      podSelectors,
      namespaceSelectors,
      templateLabels,
      namespaceNames,
    });
  }

  /**
   * A counterexample among the pods that could exist (at least one end unknown), or undefined when there
   * is none. `known` answers whether a known endpoint is in a set (the known-only pairs are checked by
   * the verifier's matrices, not here).
   */
  public violation(intent: IntentModel, network: string, known: (id: string, set: EndpointSetModel) => boolean): Counterexample | undefined {
    this.checkTierOrder(network);
    const atoms = new Atoms();
    const sem = new Semantics(this.universe, atoms, network, { entity: FLOW });
    if (intent.kind === 'isolated') {
      for (const x of this.symbolicTerms(intent.subject, S)) {
        const v = and(this.member(sem, x, intent.subject), not(sem.isolated(x, intent.direction!)));
        const found = this.solve(v, x, undefined);
        if (found) return this.counterexample(intent, network, found.s, undefined, undefined, found.assignment);
      }
      return undefined;
    }
    const sourceSets = intent.kind === 'onlyReachableFrom' ? intent.allowedSources! : [intent.subject];
    const targetSet = intent.kind === 'onlyReachableFrom' ? intent.subject : intent.target!;
    const sources: Term[] = intent.kind === 'onlyReachableFrom' ? this.complementTerms(S) : this.symbolicTerms(intent.subject, S);
    const targets: Term[] = this.symbolicTerms(targetSet, T);
    const allSources = intent.kind === 'onlyReachableFrom'
      ? this.knownTerms(S, network).filter((e) => !sourceSets.some((set) => known(e.known!, set)))
      : this.knownTerms(S, network).filter((e) => known(e.known!, intent.subject));
    const allTargets = this.knownTerms(T, network).filter((e) => known(e.known!, targetSet));
    // A known pod that a pod that could exist of the same set stands for is covered by the symbolic pairs:
    // deciding needs only the others. A violation found is then shown with known ends where one works.
    const coveredS = (e: Term) => sources.length > 0 && this.covered(e, intent.kind === 'onlyReachableFrom' ? undefined : intent.subject);
    const coveredT = (e: Term) => targets.length > 0 && this.covered(e, targetSet);
    const knownSources = this.onePerTarget(allSources.filter((e) => !coveredS(e)));
    const knownTargets = this.onePerTarget(allTargets.filter((e) => !coveredT(e)));
    const pairs: [Term, Term][] = [];
    for (const s of sources) for (const t of knownTargets) pairs.push([s, t]);
    for (const s of knownSources) for (const t of targets) pairs.push([s, t]);
    for (const s of sources) for (const t of targets) pairs.push([s, t]);
    // Known ends were chosen by membership already (the sources' outside, for onlyReachableFrom).
    const memberS = (sm: Semantics, x: Term): Formula => {
      if (x.known !== undefined) return TRUE;
      return intent.kind === 'onlyReachableFrom' ? and(...sourceSets.map((set) => not(this.member(sm, x, set)))) : this.member(sm, x, intent.subject);
    };
    const attempt = (s: Term, t: Term) => {
      if (s.kind === 'external' && t.kind === 'external') return undefined;
      // Two known ends are the verifier's matrices' to decide (and one pod on both ends is loopback).
      if (s.known !== undefined && t.known !== undefined) return undefined;
      const v = this.violationFormula(intent, atoms, sem, network, s, t, memberS, targetSet);
      return v === FALSE ? undefined : this.solve(v, s, t);
    };
    for (const [s, t] of pairs) {
      const found = attempt(s, t);
      if (found === undefined) continue;
      if (t.known === undefined || s.known === undefined) {
        const nicer = this.withKnownEnd(allSources.filter(coveredS), allTargets.filter(coveredT), sources, targets, attempt, s, t);
        if (nicer) return this.counterexample(intent, network, nicer.s, nicer.t, nicer.found.flow, nicer.found.assignment);
      }
      return this.counterexample(intent, network, s, t, found.flow, found.assignment);
    }
    return undefined;
  }

  /**
   * A violation with known ends where one works (a known destination first, then a known source), among
   * the first known pods that the symbolic search covered; undefined when none of them shows it.
   */
  private withKnownEnd(
    coveredSources: readonly Term[], coveredTargets: readonly Term[], sources: readonly Term[], targets: readonly Term[],
    attempt: (s: Term, t: Term) => ReturnType<Prover['solve']>, s: Term, t: Term,
  ): { s: Term; t: Term; found: NonNullable<ReturnType<Prover['solve']>> } | undefined {
    // A few tries only: this makes the counterexample easier to read, it decides nothing.
    const LIMIT = 8;
    const tries: [Term, Term][] = [];
    if (t.known === undefined) for (const k of coveredTargets.slice(0, LIMIT)) tries.push([s, k]);
    if (s.known === undefined) for (const k of coveredSources.slice(0, LIMIT)) tries.push([k, t]);
    if (s.known === undefined && t.known === undefined) {
      for (const k of coveredTargets.slice(0, LIMIT)) for (const x of sources.slice(0, 2)) if (x !== s) tries.push([x, k]);
      for (const k of coveredSources.slice(0, LIMIT)) for (const x of targets.slice(0, 2)) if (x !== t) tries.push([k, x]);
    }
    for (const [a, b] of tries) {
      const found = attempt(a, b);
      if (found) return { s: a, t: b, found };
    }
    return undefined;
  }

  /**
   * One known endpoint per class of the verifier: pods of one class are alike to every policy (labels as
   * selectors see them, named ports, networks, addresses), so a pair with one decides the pair with any.
   */
  private onePerTarget(terms: readonly Term[]): Term[] {
    const seen = new Set<number>();
    return terms.filter((e) => {
      const target = this.input.verifier.targetOf(e.known!);
      if (target === undefined) throw new Error(`internal: ${e.known} is not an endpoint of the verifier`);
      if (seen.has(target)) return false;
      seen.add(target);
      return true;
    });
  }

  /**
   * Two ClusterNetworkPolicies of one tier and priority that can match the same traffic of a pod that
   * could exist have no defined order: netproof refuses to guess (the verifier does the same for the
   * known pods). Checked once per network.
   */
  private checkTierOrder(network: string): void {
    if (this.tierOrderChecked.has(network)) return;
    this.tierOrderChecked.add(network);
    const problem = this.tierOrderProblem(network);
    if (problem !== undefined) throw new NetproofError(`ClusterNetworkPolicy ${problem.policy}`, problem.message);
  }

  /**
   * The first pair of ClusterNetworkPolicies of one tier and priority that can match the same traffic of
   * a pod that could exist on the network (the later name, and the message), or undefined.
   */
  public tierOrderProblem(network: string): { policy: string; message: string } | undefined {
    const cnps = this.input.policies.filter((p): p is ClusterNetworkPolicyModel => p.kind === 'ClusterNetworkPolicy');
    for (let i = 0; i < cnps.length; i++) {
      for (let j = i + 1; j < cnps.length; j++) {
        const [a, b] = [cnps[i], cnps[j]].sort((x, y) => compareStrings(x.name, y.name));
        if (a.tier !== b.tier || a.priority !== b.priority) continue;
        const sem = new Semantics(this.universe, new Atoms(), network, { entity: FLOW });
        for (const direction of ['ingress', 'egress'] as const) {
          for (const x of this.complementTerms(S)) {
            if (x.kind !== 'pod') continue;
            for (const y of [...this.complementTerms(T), ...this.knownTerms(T, network)]) {
              for (const ra of a[direction]) {
                for (const rb of b[direction]) {
                  const both = and(sem.cnpRuleMatches(a, ra, direction, x, y), sem.cnpRuleMatches(b, rb, direction, x, y));
                  if (both === FALSE || this.solve(both, x, y) === undefined) continue;
                  const traffic = `${direction} of a pod that could exist in namespace ${x.namespace.name} ${direction === 'egress' ? 'to' : 'from'} `
                    + `${y.known ?? 'a pod that could exist'}`;
                  return { policy: b.name, message: VerifyMessages.cnpOverlap(a.tier, a.priority, policyId(a), policyId(b), traffic) };
                }
              }
            }
          }
        }
      }
    }
    return undefined;
  }

  /** Does the set admit a pod that could exist on the network? */
  public admits(set: EndpointSetModel, network: string): boolean {
    const sem = new Semantics(this.universe, new Atoms(), network, { entity: FLOW });
    return this.symbolicTerms(set, S).some((x) => this.solve(this.member(sem, x, set), x, undefined) !== undefined);
  }

  private violationFormula(
    intent: IntentModel, atoms: Atoms, sem: Semantics, network: string, s: Term, t: Term,
    memberS: (sm: Semantics, s: Term) => Formula, targetSet: EndpointSetModel,
  ): Formula {
    const base = and(memberS(sem, s), this.member(sem, t, targetSet));
    if (base === FALSE) return FALSE;
    if (intent.kind !== 'canReach') return and(base, this.portSet(sem, intent.port, t), sem.allowed(s, t));
    // Every port of the intent's port set: a pod that could exist without the named port has none of it.
    if (intent.port !== undefined) return and(base, this.portSet(sem, intent.port, t), not(sem.allowed(s, t)));
    // Some port of some protocol must be allowed: a violation is denied on every flow. Per flow, a port
    // name of a pod that could exist maps to that flow's port or not, and one name maps to one port.
    const perFlow = this.universe.flows.map((_, f) => not(new Semantics(this.universe, atoms, network, { fixed: f }).allowed(s, t)));
    return and(base, ...perFlow, this.onePortPerName(atoms, t));
  }

  /** A named port of a pod that could exist is one port: it maps to at most one flow's port. */
  private onePortPerName(atoms: Atoms, t: Term): Formula {
    if (t.kind !== 'pod' || t.ports !== 'symbolic') return TRUE;
    const names = new Set<string>();
    for (const p of this.input.policies) for (const name of portNamesOf(p)) names.add(name);
    const clauses: Formula[] = [];
    const flows = this.universe.flows.length;
    for (const name of names) {
      const maps = (f: number) => atoms.lit(t.entity, Cube.of(this.universe.portKey(name, f), setOf(2, [1])));
      for (let f = 0; f < flows; f++) for (let g = f + 1; g < flows; g++) clauses.push(or(not(maps(f)), not(maps(g))));
    }
    return and(...clauses);
  }

  /** The intent's port set, towards destination `t`. */
  private portSet(sem: Semantics, port: PortModel | undefined, t: Term): Formula {
    if (port === undefined) return TRUE;
    if (typeof port.port === 'string') return sem.namedPort(t, port.port, port.protocol);
    const first = port.port ?? 1;
    const last = port.port === undefined ? 65535 : port.endPort ?? port.port;
    const flows = this.universe.flows;
    return sem.flowIn(this.universe.flowsOf(port.protocol).filter((f) => flows[f].first >= first && flows[f].last <= last));
  }

  /** Is the term in the set? Constants for known endpoints; a formula for a pod that could exist. */
  private member(sem: Semantics, x: Term, set: EndpointSetModel): Formula {
    if (x.known !== undefined) return TRUE; // known terms are listed by set membership already
    if (x.kind !== 'pod') return FALSE;
    switch (set.kind) {
      case 'pods': {
        const template = this.template(set);
        if (template) return this.templateMember(sem, x, template);
        return and(sem.namespaceSelector(x, set.namespaces), sem.podSelector(x, set.pods));
      }
      default:
        return FALSE; // a named pod, externals and hosts are known endpoints only
    }
  }

  /**
   * A pod is one its template makes: its namespace, and the template's labels (controller-added ones
   * aside) on every key a selector mentions; no policy nor intent can tell it from one otherwise.
   */
  private templateMember(sem: Semantics, x: Term & { kind: 'pod' }, template: PodModel): Formula {
    if (x.namespace.name !== template.namespace) return FALSE;
    const wanted: Record<string, string> = {};
    for (const [k, v] of Object.entries(template.labels)) if (!CONTROLLER_LABEL_KEYS.includes(k)) wanted[k] = v;
    const reqs = [...this.universe.selectorKeys].filter((k) => !CONTROLLER_LABEL_KEYS.includes(k)).map((k) => (
      wanted[k] !== undefined ? { key: k, operator: 'In' as const, values: [wanted[k]] } : { key: k, operator: 'DoesNotExist' as const, values: [] }));
    return sem.podSelector(x, { matchLabels: {}, matchExpressions: reqs });
  }

  /** The known pod that stands for a workload's template, when the set is a workload's. */
  private template(set: EndpointSetModel): PodModel | undefined {
    if (set.kind !== 'pods' || set.workload === undefined) return undefined;
    return this.byId.get(`${set.workload.namespace}/${set.workload.name}`);
  }

  /** Pods that could exist in a set: one term per namespace that could hold one. */
  private symbolicTerms(set: EndpointSetModel, entity: number): Term[] {
    if (set.kind !== 'pods') return [];
    const template = this.template(set);
    if (template) {
      const ns = this.universe.namespaces.find((c) => c.name === template.namespace)!;
      const fixed: Record<string, string> = {};
      for (const [k, v] of Object.entries(template.labels)) if (!CONTROLLER_LABEL_KEYS.includes(k)) fixed[k] = v;
      return [{ kind: 'pod', entity, namespace: ns, labels: { fixed, free: new Set(CONTROLLER_LABEL_KEYS) }, ports: template.ports, ip: this.symbolicIp() }];
    }
    return this.universe.namespaces.map((ns) => this.freePod(entity, ns));
  }

  /** Pods that could exist anywhere (the outside of a set is decided by the membership formula). */
  private complementTerms(entity: number): Term[] {
    return this.universe.namespaces.map((ns) => this.freePod(entity, ns));
  }

  private freePod(entity: number, namespace: NamespaceChoice): Term {
    const labels: LabelTerm = { fixed: {}, free: 'all' };
    return { kind: 'pod', entity, namespace, labels, ports: 'symbolic', ip: this.symbolicIp() };
  }

  private symbolicIp(): 'symbolic' | undefined {
    return this.universe.ipKey === undefined ? undefined : 'symbolic';
  }

  /**
   * Does a pod that could exist stand for this known pod in every pair (so the known one need not be
   * paired with pods that could exist itself)? Yes for a pod of a set given by selectors (or of the
   * outside of the sources, `set` undefined), whose pods that could exist lie in every namespace with any
   * labels and ports, when its IP (where IPs matter) is one such a pod may have.
   */
  private covered(x: Term, set: EndpointSetModel | undefined): boolean {
    if (x.kind !== 'pod') return false;
    if (set !== undefined && (set.kind !== 'pods' || this.template(set) !== undefined)) return false;
    if (this.universe.ipKey === undefined) return true;
    if (x.ip === undefined || x.ip === 'symbolic') return false;
    return this.universe.podIpIntervals!.includes(this.universe.addresses.indexOf(x.ip.family, x.ip.value));
  }

  /** Known endpoints on the network, one term per distinct pod and per external (cached per network). */
  private knownTerms(entity: number, network: string): Term[] {
    const key = `${entity}|${network}`;
    let terms = this.knownCache.get(key);
    if (terms === undefined) {
      terms = this.computeKnownTerms(entity, network);
      this.knownCache.set(key, terms);
    }
    return terms;
  }

  private computeKnownTerms(entity: number, network: string): Term[] {
    const out: Term[] = [];
    const seen = new Set<string>();
    for (const c of this.input.verifier.podClasses()) {
      if (!c.networks.has(network)) continue;
      for (const id of c.members) {
        const pod = this.byId.get(id)!;
        const key = JSON.stringify([pod.namespace, pod.labels, pod.ports, pod.ip]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(this.knownPod(entity, pod));
      }
    }
    for (const e of this.input.cluster.externals) {
      out.push({ kind: 'external', external: e, ip: parseIpOrThrow(e.ip, `external ${e.name}`, (ip) => ip), known: e.name });
    }
    return out;
  }

  private knownPod(entity: number, pod: PodModel): Term {
    const labels = { ...this.input.cluster.namespaces[pod.namespace], [NAMESPACE_NAME_LABEL]: pod.namespace };
    const namespace = this.universe.namespaces.find((c) => c.name === pod.namespace) ?? { name: pod.namespace, labels, fresh: false };
    return {
      kind: 'pod',
      entity,
      namespace,
      labels: { fixed: pod.labels, free: new Set() },
      ports: pod.ports,
      ip: pod.ip === undefined ? undefined : parseIpOrThrow(pod.ip, `pod ${objectId(pod)}`, (ip) => ip),
      known: objectId(pod),
    };
  }

  /** Solves a violation formula; the assignment is minimized (labels dropped while it still holds). */
  private solve(v: Formula, s: Term, t: Term | undefined): { s: Term; assignment: Assignment[]; flow?: number } | undefined {
    if (v === FALSE) return undefined;
    const bases = [this.baseCube(s), t ? this.baseCube(t) : Cube.TOP, Cube.TOP];
    if (bases.some((b) => b === undefined)) return undefined; // no free address left for a pod that could exist
    const base = bases as Cube[];
    const solver = new Solver(this.universe.keys, base);
    const found = solver.solve(v);
    if (found === undefined) return undefined;
    const minimal = this.minimize(v, found, base);
    const flowValue = minimal[FLOW].get(this.universe.flowKey.id);
    return { s, assignment: minimal, ...(flowValue !== undefined ? { flow: flowValue } : {}) };
  }

  /** The domain restrictions of a term's unknown parts (its IP within the free addresses of the Pod ranges). */
  private baseCube(x: Term): Cube | undefined {
    if (x.kind !== 'pod' || x.ip !== 'symbolic' || this.universe.ipKey === undefined) return Cube.TOP;
    return Cube.of(this.universe.ipKey, setOf(this.universe.ipKey.size, this.universe.podIpIntervals!));
  }

  /** Drops labels (and named ports) one at a time while the formula still holds, until none can go. */
  private minimize(v: Formula, assignment: Assignment[], base: readonly Cube[]): Assignment[] {
    const current = assignment.map((a) => new Map(a));
    let changed = true;
    while (changed) {
      changed = false;
      for (let e = 0; e < current.length; e++) {
        for (const [k, value] of [...current[e]].sort(([a], [b]) => a - b)) {
          const key = this.universe.keys.get(k);
          if (value === key.neutral || key === this.universe.flowKey || key === this.universe.ipKey) continue;
          const trial = current.map((m) => new Map(m));
          trial[e].set(k, key.neutral);
          if (!base[e].admits(trial[e], this.universe.keys)) continue;
          if (evaluate(v, trial, this.universe.keys)) {
            current[e] = trial[e];
            changed = true;
          }
        }
      }
    }
    return current;
  }

  /**
   * The counterexample an assignment stands for: concrete pods (and namespaces) for the unknown ends,
   * replayed through the verifier on the cluster with exactly those added.
   */
  private counterexample(
    intent: IntentModel, network: string, s: Term, t: Term | undefined, flowIndex: number | undefined, assignment: Assignment[],
  ): Counterexample {
    const flow = this.universe.flows[flowIndex ?? this.universe.flowsOf('TCP')[0]];
    const taken = new Set(this.input.cluster.pods.map(objectId));
    const from = this.end(s, assignment[S], flow, network, taken);
    const to = t ? this.end(t, assignment[T], flow, network, taken) : from;
    const namespaces: Record<string, Labels> = { ...this.input.cluster.namespaces };
    for (const e of [from, to]) if (e.made) namespaces[e.made.namespace] = e.made.namespaceLabels;
    const pods = new Map<string, PodModel>();
    const externals = new Map<string, ExternalModel>();
    for (const e of [from, to]) {
      if (e.pod) pods.set(e.id, e.pod);
      if (e.external) externals.set(e.id, e.external);
    }
    const cluster: ClusterModel = { namespaces, pods: [...pods.values()], externals: [...externals.values()] };
    const replay = new Verifier({ policies: this.input.policies, cluster, dataplane: this.input.dataplane });
    const verdict: Verdict = replay.explain(from.id, to.id, { port: flow.first, protocol: flow.protocol, network });
    const violates = intent.kind === 'isolated'
      ? !(intent.direction === 'egress' ? verdict.egress : verdict.ingress).isolated
      : intent.kind === 'canReach' ? !verdict.allowed : verdict.allowed;
    if (!violates) {
      throw new Error(`internal: the proof of "${intent.kind}" found a counterexample (${from.id} -> ${to.id} on ${flow.protocol} ${flow.first}) `
        + 'that the verifier does not confirm. Please report this with the inputs');
    }
    if (intent.kind === 'isolated') return { ...verdict, pod: from.made! };
    const address = (e: End) => (e.external && isRepresentative(e.external) ? { ip: e.external.ip } : undefined);
    const fromExternal = address(from);
    const toExternal = address(to);
    return {
      ...verdict,
      ...(from.made ? { fromPod: from.made } : {}),
      ...(to.made ? { toPod: to.made } : {}),
      ...(fromExternal ? { fromExternal } : {}),
      ...(toExternal ? { toExternal } : {}),
    };
  }

  /** One end of a counterexample: a known endpoint, or a pod made for it (named `new-pod`, `new-pod-2`, ...). */
  private end(x: Term, a: Assignment, flow: FlowClass, network: string, taken: Set<string>): End {
    if (x.kind === 'external') return { id: x.external.name, external: x.external };
    if (x.known !== undefined) return { id: x.known, pod: this.byId.get(x.known)! };
    const { pod, hypothetical } = this.concretize(x, a, flow, network);
    let name = 'new-pod';
    for (let n = 2; taken.has(idOf(pod.namespace, name)); n++) name = `new-pod-${n}`;
    taken.add(idOf(pod.namespace, name));
    return { id: idOf(pod.namespace, name), pod: { ...pod, name }, made: hypothetical };
  }

  /** The concrete pod (and namespace) a term and an assignment of its keys stand for. */
  private concretize(x: Term & { kind: 'pod' }, a: Assignment, flow: FlowClass, network: string): { pod: PodModel; hypothetical: HypotheticalPod } {
    const valueOf = (domain: { key: { id: number }; values: readonly string[]; fresh: string }): string | undefined => {
      const v = a.get(domain.key.id) ?? LABEL_ABSENT;
      if (v === LABEL_ABSENT) return undefined;
      if (v === LABEL_OTHER) return domain.fresh;
      return domain.values[v - 2];
    };
    const labels: Record<string, string> = { ...x.labels.fixed };
    for (const k of this.universe.podLabelKeys) {
      const free = x.labels.free === 'all' ? !(k in x.labels.fixed) : x.labels.free.has(k);
      if (!free) continue;
      const v = valueOf(this.universe.podDomain(k));
      if (v !== undefined) labels[k] = v;
    }
    let namespaceLabels: Labels;
    if (x.namespace.labels !== undefined) {
      namespaceLabels = x.namespace.labels;
    } else {
      const nsl: Record<string, string> = { [NAMESPACE_NAME_LABEL]: x.namespace.name };
      for (const k of this.universe.nsLabelKeys) {
        const v = valueOf(this.universe.nsDomain(k));
        if (v !== undefined) nsl[k] = v;
      }
      namespaceLabels = sortLabels(nsl);
    }
    let ports: ContainerPortModel[];
    if (x.ports === 'symbolic') {
      ports = [];
      for (const [k, v] of a) {
        const key = this.universe.keys.get(k);
        if (!key.name.startsWith('port:') || v !== 1) continue;
        const name = key.name.slice('port:'.length).split('@')[0];
        ports.push({ name, port: flow.first, protocol: flow.protocol });
      }
      ports.sort((p, q) => compareStrings(p.name!, q.name!));
    } else {
      ports = [...x.ports];
    }
    let ip: string | undefined;
    if (x.ip === 'symbolic' && this.universe.ipKey) {
      const interval = a.get(this.universe.ipKey.id) ?? this.universe.ipKey.neutral;
      ip = this.universe.addresses.freeAddress(interval, this.universe.taken);
    }
    const pod: PodModel = { namespace: x.namespace.name, name: 'new-pod', labels: sortLabels(labels), ports, networks: [network], ...(ip ? { ip } : {}) };
    const hypothetical: HypotheticalPod = {
      namespace: x.namespace.name,
      newNamespace: x.namespace.labels === undefined,
      namespaceLabels,
      labels: sortLabels(labels),
      ports,
      ...(ip !== undefined && this.ipMatters() ? { ip } : {}),
    };
    return { pod, hypothetical };
  }

  /** Do pod IPs matter (an ipBlock can match a pod under this dataplane, or a ClusterNetworkPolicy has networks)? */
  private ipMatters(): boolean {
    return this.universe.ipKey !== undefined && this.input.policies.some((p) => (p.kind === 'ClusterNetworkPolicy'
      ? p.egress.some((r) => r.peers.some((peer) => peer.kind === 'networks'))
      : p.kind === 'NetworkPolicy' && [...p.ingress, ...p.egress].some((r) => r.peers !== 'all' && r.peers.some((peer) => peer.kind === 'ipBlock'))));
  }
}

function sortLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort(compareStrings)) out[k] = labels[k];
  return out;
}


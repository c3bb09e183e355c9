/**
 * Checks intents against the verifier over the known cluster model, and explains every failure with a
 * concrete counterexample (source, destination, port, protocol, network) and the verifier's reasons.
 */
import { NetproofError } from '../errors';
import { ClusterModel, DEFAULT_NETWORK } from '../model/cluster';
import { describeIntent, EndpointSetModel, IntentModel } from '../model/intent';
import { NAMESPACE_NAME_LABEL, PolicyModel } from '../model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../model/port';
import { matchesLabels } from '../model/selector';
import { isInternet } from '../verify/addresses';
import { Endpoint, Flow, IVerifier, ReachMatrix, Verdict } from '../verify/api';

/** How many counterexamples a failed intent keeps (the count of all of them is kept too). */
export const MAX_COUNTEREXAMPLES = 5;

export interface IntentResult {
  readonly intent: IntentModel;
  /** The intent in words: `pods app=frontend in ns shop can reach pods app=backend in ns shop on TCP 80`. */
  readonly text: string;
  readonly holds: boolean;
  /** Why it fails without a counterexample (e.g. an endpoint set that matches nothing). */
  readonly problem?: string;
  /** Up to MAX_COUNTEREXAMPLES verdicts that contradict the intent. */
  readonly counterexamples: readonly Verdict[];
  /** How many (source, destination, flow) cases contradict it in all. */
  readonly violations: number;
  /** How many cases were checked. */
  readonly checked: number;
}

export interface IntentCheckInput {
  readonly verifier: IVerifier;
  readonly cluster: ClusterModel;
  readonly policies: readonly PolicyModel[];
  /**
   * Ids of pods that could exist but are not known (see `withWitnessPods`): they count for negative
   * intents (cannotReach, onlyReachableFrom) and not for positive ones (canReach, isolated).
   * @default - none
   */
  readonly witnesses?: ReadonlySet<string>;
}

/** Checks every intent; never throws for a failing intent, only for input it cannot model. */
export function checkIntents(input: IntentCheckInput, intents: readonly IntentModel[]): IntentResult[] {
  const checker = new IntentChecker(input);
  return intents.map((intent) => checker.check(intent));
}


/** A flow to check plus, for named ports, the destination pods it applies to. */
interface FlowCase { readonly flow: Required<Flow> }

class IntentChecker {
  private readonly matrices = new Map<string, { matrix: ReachMatrix; index: Map<string, number> }>();
  private readonly representatives = new Map<Protocol, number[]>();

  constructor(private readonly input: IntentCheckInput) {}

  public check(intent: IntentModel): IntentResult {
    const text = describeIntent(intent);
    const network = intent.network ?? DEFAULT_NETWORK;
    const result = (holds: boolean, counterexamples: Verdict[], violations: number, checked: number, problem?: string): IntentResult =>
      ({ intent, text, holds, counterexamples, violations, checked, problem });

    const negative = intent.kind === 'cannotReach' || intent.kind === 'onlyReachableFrom';
    const subject = this.endpoints(intent.subject, network, negative);
    if (subject.length === 0) return result(false, [], 0, 0, `${intent.subject.text} matches no pod or external on network ${network}, so the intent cannot be checked. Declare the workload (or fix the selector)`);

    if (intent.kind === 'isolated') {
      const bad: Verdict[] = [];
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
      for (const s of intent.allowedSources!) for (const e of this.endpoints(s, network, true)) allowed.add(e.id);
      sources = this.allEndpoints(network, true).filter((e) => !allowed.has(e.id));
      targets = subject;
    } else {
      sources = subject;
      targets = this.endpoints(intent.target!, network, negative);
      if (targets.length === 0) return result(false, [], 0, 0, `${intent.target!.text} matches no pod or external on network ${network}, so the intent cannot be checked. Declare the workload (or fix the selector)`);
    }

    const wantAllowed = intent.kind === 'canReach';
    const counterexamples: Verdict[] = [];
    let violations = 0;
    let checked = 0;
    let problem: string | undefined;
    for (const src of sources) {
      for (const dst of targets) {
        if (src.kind === 'external' && dst.kind === 'external') continue; // not modelled
        if (src.id === dst.id && !wantAllowed) continue; // a pod always reaches itself; no policy can say otherwise
        const cases = this.flowCases(intent.port, dst, network);
        checked++;
        if (cases.length === 0) {
          // A named port the destination does not have: nothing can be reached on it.
          if (wantAllowed) {
            violations++;
            problem ??= `${dst.id} has no ${intent.port!.protocol} container port named ${String(intent.port!.port)}, so nothing can reach it on that port`;
          }
          continue;
        }
        // canReach without a port: some port of some protocol must be allowed. canReach with a port, a
        // range or a protocol: every port of it. cannotReach/onlyReachableFrom: no case may be allowed.
        const everyPort = wantAllowed && intent.port !== undefined;
        let witness: FlowCase | undefined;
        for (const c of cases) {
          const ok = this.allowed(src.id, dst.id, c.flow);
          if (everyPort ? !ok : ok) { witness = c; break; }
        }
        const holds = everyPort ? witness === undefined : wantAllowed ? witness !== undefined : witness === undefined;
        if (holds) continue;
        violations++;
        if (counterexamples.length < MAX_COUNTEREXAMPLES) {
          counterexamples.push(this.input.verifier.explain(src.id, dst.id, (witness ?? cases[0]).flow));
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

  private allEndpoints(network: string, withWitnesses: boolean): Endpoint[] {
    const witnesses = this.input.witnesses;
    const pods: Endpoint[] = this.input.cluster.pods
      .filter((p) => p.networks.includes(network))
      .filter((p) => withWitnesses || !witnesses?.has(`${p.namespace}/${p.name}`))
      .map((pod) => ({ kind: 'pod', id: `${pod.namespace}/${pod.name}`, pod }));
    const externals: Endpoint[] = this.input.cluster.externals.map((external) => ({ kind: 'external', id: external.name, external }));
    return pods.concat(externals);
  }

  private endpoints(set: EndpointSetModel, network: string, withWitnesses: boolean): Endpoint[] {
    return this.allEndpoints(network, withWitnesses).filter((e) => endpointInSet(e, set, this.input.cluster));
  }
}

export function endpointInSet(e: Endpoint, set: EndpointSetModel, cluster: ClusterModel): boolean {
  switch (set.kind) {
    case 'external': return e.kind === 'external' && e.external.name === set.name;
    case 'internet': return e.kind === 'external' && isInternet(e.external);
    case 'externalGroup': return e.kind === 'external' && e.external.name.startsWith(set.prefix);
    case 'pod': return e.kind === 'pod' && e.pod.namespace === set.namespace && e.pod.name === set.name;
    case 'hostname': return e.kind === 'external' && e.external.hostname !== undefined
      && e.external.hostname.toLowerCase().replace(/\.$/, '') === set.hostname.toLowerCase().replace(/\.$/, '');
    case 'pods': {
      if (e.kind !== 'pod') return false;
      const nsLabels = { ...(cluster.namespaces[e.pod.namespace] ?? {}), [NAMESPACE_NAME_LABEL]: e.pod.namespace };
      return matchesLabels(set.namespaces, nsLabels) && matchesLabels(set.pods, e.pod.labels);
    }
  }
}


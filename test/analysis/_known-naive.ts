/**
 * The pair-by-pair check of intents over the known endpoints, as netproof did it before it went by pod classes:
 * the reference the class-based check must agree with (test/analysis/intents-known.test.ts). Slow on
 * purpose: every (source, destination) pair, every flow case.
 */
import { Counterexample } from '../../src/analysis/counterexamples';
import { endpointInSet, IntentMessages, IntentResult, MAX_COUNTEREXAMPLES } from '../../src/analysis/intents';
import { NetproofError } from '../../src/errors';
import { ClusterModel, DEFAULT_NETWORK } from '../../src/model/cluster';
import { idOf, objectId } from '../../src/model/ids';
import { describeIntent, EndpointSetModel, IntentModel } from '../../src/model/intent';
import { PortModel, Protocol, PROTOCOLS } from '../../src/model/port';
import { ADDRESS_PREFIX, INTERNET_PREFIX } from '../../src/verify/addresses';
import { Endpoint, Flow, ReachMatrix } from '../../src/verify/api';
import { Verifier } from '../../src/verify/verifier';

interface FlowCase { readonly flow: Required<Flow> }

export class NaiveKnownChecker {
  private readonly matrices = new Map<string, { matrix: ReachMatrix; index: Map<string, number> }>();
  private readonly representatives = new Map<Protocol, number[]>();

  constructor(private readonly input: { readonly verifier: Verifier; readonly cluster: ClusterModel }) {}

  public checkKnown(intent: IntentModel): { result: Omit<IntentResult, 'scope'>; empty?: EndpointSetModel } {
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
      sources = this.allEndpoints(network).filter((e) => !allowed.has(e.id));
      targets = subject;
    } else {
      sources = subject;
      targets = this.endpoints(intent.target!, network);
      if (targets.length === 0) return emptySet(intent.target!);
    }

    const wantAllowed = intent.kind === 'canReach';
    const counterexamples: Counterexample[] = [];
    const shownPairs = new Set<string>();
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
            problem ??= IntentMessages.noNamedPort(dst.id, intent.port!);
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
  public allowed(from: string, to: string, flow: Required<Flow>): boolean {
    const key = `${flow.protocol}/${flow.port}/${flow.network}`;
    let entry = this.matrices.get(key);
    if (!entry) {
      const matrix = this.input.verifier.reach(flow);
      entry = { matrix, index: new Map(matrix.endpoints.map((e, i) => [e.id, i])) };
      this.matrices.set(key, entry);
    }
    return entry.matrix.allowed(entry.index.get(from)!, entry.index.get(to)!);
  }
  public flowCases(port: PortModel | undefined, dst: Endpoint, network: string): FlowCase[] {
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
  public representativePorts(protocol: Protocol): number[] {
    let list = this.representatives.get(protocol);
    if (list === undefined) {
      list = this.input.verifier.portIntervals(protocol).map(([first]) => first);
      this.representatives.set(protocol, list);
    }
    return list;
  }
  public allEndpoints(network: string): Endpoint[] {
    const pods: Endpoint[] = this.input.cluster.pods
      .filter((p) => p.networks.includes(network))
      .map((pod) => ({ kind: 'pod', id: objectId(pod), pod }));
    const externals: Endpoint[] = this.input.cluster.externals.map((external) => ({ kind: 'external', id: external.name, external }));
    return pods.concat(externals);
  }
  public endpoints(set: EndpointSetModel, network: string): Endpoint[] {
    return this.allEndpoints(network).filter((e) => endpointInSet(e, set, this.input.cluster));
  }
}

function withAddresses(v: Counterexample, from: Endpoint, to: Endpoint): Counterexample {
  const address = (e: Endpoint) => (e.kind === 'external' && isRepresentative(e.external.name) ? { ip: e.external.ip } : undefined);
  const fromExternal = address(from);
  const toExternal = address(to);
  return { ...v, ...(fromExternal ? { fromExternal } : {}), ...(toExternal ? { toExternal } : {}) };
}

function isRepresentative(name: string): boolean {
  return name.startsWith(INTERNET_PREFIX) || name.startsWith(ADDRESS_PREFIX);
}

function workloadOf(e: Endpoint): string {
  return e.kind === 'pod' && e.pod.replicaOf !== undefined ? idOf(e.pod.namespace, e.pod.replicaOf) : e.id;
}

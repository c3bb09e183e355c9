/**
 * Truth tables in the style of the upstream Kubernetes network-policy e2e suite: start from a default for
 * every ordered pod pair, then override by (namespace?, pod?) peers. Self pairs are never compared here
 * (upstream ignores loopback because CNIs differ; netproof always allows it and tests that elsewhere).
 */
import { naiveExplain } from './_naive';
import { endpointOf } from './_table';
import { ClusterModel, Dataplane } from '../../src/model/cluster';
import { PolicyModel } from '../../src/model/policy';
import { Protocol } from '../../src/model/port';
import { Verifier } from '../../src/verify/verifier';

export interface PeerSpec {
  readonly ns?: string;
  readonly pod?: string;
}

export class Truth {
  private readonly table = new Map<string, boolean>();

  constructor(public readonly pods: readonly string[], def: boolean) {
    for (const a of pods) for (const b of pods) this.table.set(`${a}>${b}`, def);
  }

  public peer(from: PeerSpec, to: PeerSpec, value: boolean): this {
    const fits = (id: string, p: PeerSpec) => {
      const [ns, pod] = id.split('/');
      return (p.ns === undefined || p.ns === ns) && (p.pod === undefined || p.pod === pod);
    };
    for (const a of this.pods) for (const b of this.pods) if (fits(a, from) && fits(b, to)) this.table.set(`${a}>${b}`, value);
    return this;
  }

  public allIngress(pod: string, value: boolean): this {
    const [ns, name] = pod.split('/');
    return this.peer({}, { ns, pod: name }, value);
  }

  public allEgress(pod: string, value: boolean): this {
    const [ns, name] = pod.split('/');
    return this.peer({ ns, pod: name }, {}, value);
  }

  public pair(from: string, to: string, value: boolean): this {
    this.table.set(`${from}>${to}`, value);
    return this;
  }

  public get(from: string, to: string): boolean {
    return this.table.get(`${from}>${to}`)!;
  }
}

/** Differences between a truth table and the engine (matrix), explain, and the naive evaluator; [] when all agree. */
export function differences(
  policies: PolicyModel[], cluster: ClusterModel, dataplane: Dataplane, port: number, protocol: Protocol, truth: Truth,
): string[] {
  const v = new Verifier({ policies, cluster, dataplane });
  const flow = { port, protocol, network: 'default' };
  const m = v.reach(flow);
  const index = new Map(m.endpoints.map((e, i) => [e.id, i]));
  const out: string[] = [];
  for (const a of truth.pods) {
    for (const b of truth.pods) {
      if (a === b) continue;
      const want = truth.get(a, b);
      const matrix = m.allowed(index.get(a)!, index.get(b)!);
      const explain = v.explain(a, b, flow).allowed;
      const naive = naiveExplain(policies, cluster, dataplane, endpointOf(cluster, a), endpointOf(cluster, b), flow).allowed;
      if (matrix !== want || explain !== want || naive !== want) {
        out.push(`${a} -> ${b} ${protocol}/${port} (${dataplane}): expected ${want}, matrix ${matrix}, explain ${explain}, naive ${naive}`);
      }
    }
  }
  return out;
}

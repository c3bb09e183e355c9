/** Runs reachability tables through all three evaluations: explain, the class matrix, and the naive evaluator. */
import { naiveExplain, NaiveEndpoint } from './_naive';
import { Dataplane, ClusterModel } from '../../src/model/cluster';
import { PolicyModel } from '../../src/model/policy';
import { Protocol } from '../../src/model/port';
import { ReachMatrix } from '../../src/verify/api';
import { Verifier } from '../../src/verify/verifier';

export interface Row {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol?: Protocol;
  readonly network?: string;
  readonly expected: boolean;
}

export function endpointOf(c: ClusterModel, id: string): NaiveEndpoint {
  const p = c.pods.find((x) => `${x.namespace}/${x.name}` === id);
  if (p) return { kind: 'pod', pod: p };
  const e = c.externals.find((x) => x.name === id);
  if (!e) throw new Error(`no endpoint ${id}`);
  return { kind: 'external', name: e.name, ip: e.ip, hostname: e.hostname };
}

/** What each evaluation says for each row; the caller asserts all equal the expected table. */
export function evaluate(policies: PolicyModel[], c: ClusterModel, dataplane: Dataplane, table: readonly Row[]) {
  const v = new Verifier({ policies, cluster: c, dataplane });
  const matrices = new Map<string, ReachMatrix>();
  return table.map((r) => {
    const flow = { port: r.port, protocol: r.protocol ?? 'TCP', network: r.network ?? 'default' };
    const key = JSON.stringify(flow);
    let m = matrices.get(key);
    if (!m) { m = v.reach(flow); matrices.set(key, m); }
    const i = m.endpoints.findIndex((e) => e.id === r.from);
    const j = m.endpoints.findIndex((e) => e.id === r.to);
    if (i < 0 || j < 0) throw new Error(`${r.from} or ${r.to} not in matrix for ${key}`);
    const label = `${r.from} -> ${r.to} ${flow.protocol} ${flow.port}${flow.network !== 'default' ? ` on ${flow.network}` : ''}`;
    return {
      label,
      expected: r.expected,
      explain: v.explain(r.from, r.to, flow).allowed,
      matrix: m.allowed(i, j),
      naive: naiveExplain(policies, c, dataplane, endpointOf(c, r.from), endpointOf(c, r.to), flow).allowed,
    };
  });
}

/** Asserts a table; on failure the message lists the rows that differ. */
export function expectTable(policies: PolicyModel[], c: ClusterModel, dataplane: Dataplane, table: readonly Row[]): void {
  const results = evaluate(policies, c, dataplane, table);
  const wrong = results.filter((r) => r.explain !== r.expected || r.matrix !== r.expected || r.naive !== r.expected)
    .map((r) => `${r.label}: expected ${r.expected}, explain ${r.explain}, matrix ${r.matrix}, naive ${r.naive}`);
  expect(wrong).toEqual([]);
}

/** Shorthand row: `['x/a', 'y/b', 80, true]` or with protocol and network. */
export function rows(...list: [string, string, number, boolean, Protocol?, string?][]): Row[] {
  return list.map(([from, to, port, expected, protocol, network]) => ({ from, to, port, expected, protocol, network }));
}

/**
 * Proofs over every pod that could exist (issue cases): each false "holds" of the witness era now comes
 * with the real counterexample, and verify agrees with reach.
 */
import { Testing } from 'cdk8s';
import { ClusterProfile, DeclaredWorkload, DefaultDeny, Endpoints, Peer, PolicyChart, Port, Selector, verifyApp, AllowFrom, AllowTo } from '../../src';
import { and, Atoms, not, or } from '../../src/verify/symbolic/formula';
import { Solver, SearchBudgetExceeded } from '../../src/verify/symbolic/solver';
import { Cube, KeyTable, setOf } from '../../src/verify/symbolic/space';
import { run } from '../cli/_run';

const np = (name: string, spec: string, namespace = 'shop') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}
`;

async function verify(files: Record<string, string>, ...flags: string[]) {
  const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'i.yaml', ...flags], files);
  return { ...r, json: r.stdout.startsWith('{') ? JSON.parse(r.stdout) : undefined };
}

describe('the clients example: a pod anyone can create tomorrow', () => {
  const files = {
    'c.yaml': 'namespaces: {shop: {}}\npods:\n  - {namespace: shop, name: db, labels: {app: db}}\n  - {namespace: shop, name: a1, labels: {team: a}}\n',
    'p.yaml': np('db-from-clients', 'podSelector: {matchLabels: {app: db}}\ningress: [{from: [{podSelector: {matchLabels: {role: client}}}]}]')
      + np('clients-deny-egress', 'podSelector: {matchLabels: {role: client}}\npolicyTypes: [Egress]')
      + np('prod-clients-to-db', 'podSelector: {matchLabels: {role: client, env: prod}}\negress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]'),
    'i.yaml': 'intents:\n  - to: {namespace: shop, pods: {app: db}}\n    onlyFrom: [{namespace: shop, pods: {team: a}}]\n',
  };

  test('verify finds the role=client, env=prod pod, in words', async () => {
    const r = await verify(files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a pod that could exist contradicts it:\n    shop/new-pod -> shop/db on TCP 1 (network default, dataplane upstream): ALLOWED\n'
      + '      shop/new-pod is a pod that could exist: in namespace shop (exists), labels env=prod, role=client\n');
  });

  test('JSON: scope, and the pod that could exist with only the labels the violation needs', async () => {
    const r = await verify(files, '--format', 'json');
    expect(r.json.intents[0]).toMatchObject({ holds: false, scope: 'all', violations: 1 });
    expect(r.json.intents[0].counterexamples[0]).toMatchObject({
      from: 'shop/new-pod',
      to: 'shop/db',
      allowed: true,
      fromPod: { namespace: 'shop', newNamespace: false, namespaceLabels: { 'kubernetes.io/metadata.name': 'shop' }, labels: { env: 'prod', role: 'client' }, ports: [] },
    });
    expect(r.json.intents[0].counterexamples[0].fromPod).not.toHaveProperty('ip'); // no ipBlock: IPs do not matter
  });

  test('the counterexample is real: reach on the cluster with that pod added shows the connection', async () => {
    const cluster = `${files['c.yaml']}  - {namespace: shop, name: new-pod, labels: {env: prod, role: client}}\n`;
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '1', '--format', 'csv'], { ...files, 'c.yaml': cluster });
    expect(r.stdout).toContain('shop/new-pod,shop/db,true');
  });

  test('with scope: existing the known pods alone are checked, and the intent holds for them', async () => {
    const r = await verify({ ...files, 'i.yaml': files['i.yaml'].replace('onlyFrom:', 'scope: existing\n    onlyFrom:') });
    expect(r.code).toBe(0);
  });
});

describe('a declared external does not hide its address range', () => {
  const files = {
    'c.yaml': 'pods: [{namespace: shop, name: api, labels: {app: api}}]\nexternals: [{name: github, ip: 140.82.112.3}]\n',
    'p.yaml': np('api-egress', 'podSelector: {matchLabels: {app: api}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]'),
    'i.yaml': 'intents:\n  - {from: shop/api, to: github, port: 443, expect: allow}\n  - {from: shop/api, to: internet, expect: deny}\n',
  };

  test('api reaches github on 443, and therefore the internet: an address beside github is the counterexample', async () => {
    const r = await verify(files, '--dataplane', 'dataplane-v2', '--format', 'json');
    expect(r.json.intents.map((i: { holds: boolean }) => i.holds)).toEqual([true, false]);
    const c = r.json.intents[1].counterexamples[0];
    expect(c).toMatchObject({ from: 'shop/api', allowed: true, flow: { port: 443 } });
    expect(c.to).toMatch(/^internet@/);
    expect(c.toExternal.ip).not.toBe('140.82.112.3');
  });
});

describe('replicas are two pods', () => {
  const files = {
    'c.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kafka, namespace: data}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: kafka}}\n'
      + '  template:\n    metadata: {labels: {app: kafka}}\n    spec: {containers: [{name: k, image: k, ports: [{containerPort: 9093}]}]}\n',
    'p.yaml': np('default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]', 'data'),
    'i.yaml': 'intents:\n  - {from: data/kafka, to: data/kafka, port: 9093, expect: allow}\n',
  };

  test('brokers under a default deny cannot reach each other: the second replica is the counterexample', async () => {
    const r = await verify(files, '--format', 'json');
    expect(r.json.intents[0]).toMatchObject({ holds: false, violations: 2 });
    expect(r.json.intents[0].counterexamples[0]).toMatchObject({ from: 'data/kafka', to: 'data/kafka#2', allowed: false });
  });

  test('the second replica has an id of its own in reach and explain', async () => {
    const reach = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '9093', '--format', 'csv'], files);
    expect(reach.stdout).toContain('data/kafka,data/kafka#2,false');
    const explain = await run(['explain', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--from', 'data/kafka#2', '--to', 'data/kafka', '--port', '9093'], files);
    expect(explain.stdout).toContain('data/kafka#2 -> data/kafka on TCP 9093 (network default, dataplane upstream): DENIED');
  });
});

describe('verify and reach decide with one engine', () => {
  const files = {
    'c.yaml': 'namespaces: {data: {}, batch: {}}\npods:\n  - {namespace: data, name: a}\n  - {namespace: batch, name: b}\n',
    'p.yaml': np('egress', 'podSelector: {}\npolicyTypes: [Egress]\negress:\n- to:\n  - namespaceSelector:\n      matchLabels: {kubernetes.io/metadata.name: batch}\n      matchExpressions: [{key: zone, operator: In, values: [red]}]', 'data'),
    'i.yaml': 'intents:\n  - {from: data/a, to: batch/b, port: TCP, expect: deny}\n',
  };

  test('batch has no zone label: reach denies data/a -> batch/b, and the intent holds', async () => {
    const reach = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'csv'], files);
    expect(reach.stdout).toContain('data/a,batch/b,false');
    expect((await verify(files)).code).toBe(0);
  });
});

describe('proofs in an app', () => {
  const profile = ClusterProfile.dataplaneV2({ gkeVersion: '1.29.1-gke.1589000', podCidrs: ['10.8.0.0/14'] });

  test('isIsolated holds for pods that could exist only when every one is selected', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile });
    new DeclaredWorkload(chart, 'web', { labels: { app: 'web' } });
    new DefaultDeny(chart, 'deny-web', { pods: Selector.labels({ app: 'web' }) });
    chart.expect(Selector.labels({ app: 'web' })).isIsolated('ingress');
    chart.expect(Selector.all()).isIsolated('ingress');
    const [web, all] = verifyApp(app).results;
    expect(web.holds).toBe(true);
    expect(all).toMatchObject({ holds: false, scope: 'all' });
    expect(all.counterexamples[0]).toMatchObject({ pod: { namespace: 'shop', labels: {} } });
  });

  test('a named port: a pod that could exist names its port so that the rule admits it', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile });
    new DeclaredWorkload(chart, 'web', { labels: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
    new DeclaredWorkload(chart, 'client', { labels: { app: 'client' } });
    new DefaultDeny(chart, 'deny');
    new AllowFrom(chart, 'web-http', { pods: Selector.labels({ app: 'web' }), from: [Peer.anyone()], ports: [Port.named('http')] });
    new AllowTo(chart, 'client-out', { pods: Selector.labels({ app: 'client' }), to: [Peer.anyone()] });
    chart.expect(Selector.labels({ app: 'client' })).cannotReach(Selector.labels({ app: 'web' }), Port.tcp(8080));
    const [r] = verifyApp(app).results;
    expect(r.holds).toBe(false);
    expect(r.counterexamples[0]).toMatchObject({ to: 'shop/new-pod', flow: { port: 8080 }, toPod: { labels: { app: 'web' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] } });
  });

  test('IPs matter where ipBlocks match pods: the counterexample has an IP inside the block', async () => {
    const files = {
      'c.yaml': 'podCidrs: [10.8.0.0/16]\nnamespaces: {db: {}, other: {}}\npods: [{namespace: db, name: db, labels: {app: db}, ip: 10.8.0.5}]\n',
      'p.yaml': np('db', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}}, {ipBlock: {cidr: 10.8.128.0/17}}]}]', 'db'),
      'i.yaml': 'intents:\n  - to: db/db\n    onlyFrom: [{namespace: db}]\n',
    };
    const r = await verify(files, '--format', 'json');
    const c = r.json.intents[0].counterexamples[0];
    expect(c.fromPod.ip).toMatch(/^10\.8\.(1[2-9][0-9]|2[0-5][0-9])\./);
    expect(c.fromPod.namespace).not.toBe('db');
  });

  test('Endpoints.namespace of a namespace nobody created yet: pods there count', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile });
    new DeclaredWorkload(chart, 'db', { labels: { app: 'db' } });
    chart.expect(Endpoints.namespace('later')).cannotReach(Selector.labels({ app: 'db' }));
    const [r] = verifyApp(app).results;
    expect(r.counterexamples[0]).toMatchObject({ from: 'later/new-pod', fromPod: { namespace: 'later', newNamespace: true } });
  });
});

describe('the solver', () => {
  const keys = new KeyTable();
  const k = keys.key('pod:app', 4);
  const atoms = new Atoms();
  const lit = (values: number[]) => atoms.lit(0, Cube.of(k, setOf(4, values)));

  test('finds an assignment or shows there is none', () => {
    const solver = new Solver(keys, [Cube.TOP]);
    expect(solver.solve(and(lit([2, 3]), not(lit([2]))))![0].get(k.id)).toBe(3);
    expect(solver.solve(and(lit([2]), not(lit([2, 3]))))).toBeUndefined();
    expect(solver.solve(or(and(lit([1]), lit([2])), lit([3])))![0].get(k.id)).toBe(3);
  });

  test('says when it cannot decide within its budget', () => {
    // Every split of these or-nodes fails only at the end: more steps than the budget allows.
    const hard = and(...[0, 1, 2].map(() => or(lit([2]), lit([3]))), lit([1]));
    expect(new Solver(keys, [Cube.TOP]).solve(hard)).toBeUndefined();
    expect(() => new Solver(keys, [Cube.TOP], 3).solve(hard)).toThrow(SearchBudgetExceeded);
  });
});

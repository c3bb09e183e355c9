import * as fc from 'fast-check';
import { diffReachability, ReachChange, ReachDiff } from '../../src/analysis/diff';
import { Dataplane } from '../../src/model/cluster';
import { ClusterNetworkPolicyModel, CnpPeerModel, CnpRuleModel, NetworkPolicyModel, PeerModel, PolicyModel, RuleModel } from '../../src/model/policy';
import { PortModel } from '../../src/model/port';
import { parseCluster } from '../../src/parse/cluster';
import { parsePolicies } from '../../src/parse/policies';
import { because, DiffContext, formatDiff as renderDiff, MARKDOWN_ROW_LIMIT, NO_CHANGE } from '../../src/report/diff';
import { Verifier } from '../../src/verify/verifier';
import { cluster as makeCluster, cport, ext, inNs, ipb, np, own, pod, rule, sel } from '../verify/_build';

const CLUSTER = parseCluster(`
namespaces:
  shop: {team: web}
  ops: {}
pods:
  - {namespace: shop, name: frontend, labels: {app: frontend}, ip: 10.8.0.10}
  - {namespace: shop, name: api, labels: {app: api}, ip: 10.8.0.11, ports: [{name: http, port: 8080}]}
  - {namespace: shop, name: db, labels: {app: db}, ip: 10.8.0.12, ports: [{name: pg, port: 5432}]}
  - {namespace: ops, name: prom, labels: {app: prom}, ip: 10.9.0.5}
externals:
  - {name: metadata, ip: 169.254.169.252}
`, 'cluster.yaml').cluster;

/** Policies from YAML documents (joined with ---). */
function policies(...docs: string[]) {
  return parsePolicies(docs.join('\n---\n'), 'policies.yaml').policies;
}

const DENY_SHOP = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}`;

function allowDb(name: string, ports: string, from = 'frontend'): string {
  return `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: ${from}}}}]
      ports: ${ports}`;
}

const ALLOW_API = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: 8080}]
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
      ports: [{port: 9090}, {port: 9100, protocol: UDP}]`;

const ALLOW_API_REORDERED = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - ports: [{protocol: UDP, port: 9100}, {port: 9090, protocol: TCP}]
      from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: http}]`;

const ALLOW_API_SPLIT = [`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8080}]}]`, `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-ops, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
      ports: [{port: 9090}]
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
      ports: [{port: 9100, protocol: UDP}]`];

const CONTEXT: DiffContext = { old: 'old', new: 'new', cluster: { kind: 'file', path: 'cluster.yaml' } };

/** Changes without reasons, as `+ from -> to PROTO ports`. */
function lines(diff: ReachDiff): string[] {
  const line = (sign: string) => (c: ReachChange) => `${sign} ${c.from} -> ${c.to} ${c.protocol} ${c.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}${c.network === 'default' ? '' : ` @${c.network}`}`;
  return [...diff.gained.map(line('+')), ...diff.lost.map(line('-'))];
}

/**
 * A deliberately naive diff: every pod pair and every single port, straight from the verifiers'
 * matrices (no port intervals, no diff classes, no range merging shortcuts).
 */
function naiveLines(before: Verifier, after: Verifier, protocol: 'TCP' | 'UDP' | 'SCTP'): string[] {
  const endpoints = before.reach({ port: 1, protocol }).endpoints;
  const changed = new Map<string, number[]>();
  for (let port = 1; port <= 65535; port++) {
    const mb = before.reach({ port, protocol });
    const ma = after.reach({ port, protocol });
    endpoints.forEach((from, i) => endpoints.forEach((to, j) => {
      if (i === j || (from.kind === 'external' && to.kind === 'external')) return;
      const now = ma.allowed(i, j);
      if (mb.allowed(i, j) === now) return;
      const key = `${now ? '+' : '-'} ${from.id} -> ${to.id}`;
      const ports = changed.get(key);
      if (ports === undefined) changed.set(key, [port]); else ports.push(port);
    }));
  }
  return [...changed.entries()].map(([key, ports]) => {
    const ranges: string[] = [];
    let start = ports[0];
    for (let i = 1; i <= ports.length; i++) {
      if (i < ports.length && ports[i] === ports[i - 1] + 1) continue;
      ranges.push(start === ports[i - 1] ? `${start}` : `${start}-${ports[i - 1]}`);
      start = ports[i];
    }
    return `${key} ${protocol} ${ranges.join(',')}`;
  });
}

describe('diffReachability', () => {
  test('opening one port gains exactly that connection, with the rules of both sides', () => {
    const diff = diffReachability({
      before: policies(DENY_SHOP),
      after: policies(DENY_SHOP, allowDb('allow-db', '[{port: 5432}]')),
      cluster: CLUSTER,
    });
    expect(diff.lost).toEqual([]);
    expect(diff.gained).toMatchObject([{
      from: 'shop/frontend',
      to: 'shop/db',
      protocol: 'TCP',
      network: 'default',
      ports: [[5432, 5432]],
    }]);
    expect(diff.gained[0].sides.map((s) => [s.direction, s.before.allowed, s.after.allowed])).toEqual([['egress', true, true], ['ingress', false, true]]);
    expect(because(diff.gained[0], 'gained')).toEqual([
      'egress: not isolated',
      'ingress: allowed by shop/allow-db ingress[0] (peer 0: pods app=frontend of the policy\'s namespace; TCP 5432); was denied (isolated by shop/default-deny, and no rule matches)',
    ]);
  });

  test('a narrowed range is lost as one range, not port by port', () => {
    const diff = diffReachability({
      before: policies(DENY_SHOP, allowDb('allow-db', '[{port: 8000, endPort: 8100}, {port: 5432}]', 'api')),
      after: policies(DENY_SHOP, allowDb('allow-db', '[{port: 8000, endPort: 8050}, {port: 5432}]', 'api')),
      cluster: CLUSTER,
    });
    expect(lines(diff)).toEqual(['- shop/api -> shop/db TCP 8051-8100']);
    expect(because(diff.lost[0], 'lost')).toEqual([
      'ingress: denied (isolated by shop/default-deny, shop/allow-db, and no rule matches); was allowed by shop/allow-db ingress[0] (peer 0: pods app=api of the policy\'s namespace; TCP 8000-8100)',
    ]);
  });

  test('ranges on both sides of a kept port are separate ranges', () => {
    const diff = diffReachability({
      before: policies(DENY_SHOP, allowDb('allow-db', '[{port: 1000, endPort: 2000}]')),
      after: policies(DENY_SHOP, allowDb('allow-db', '[{port: 1500}]')),
      cluster: CLUSTER,
    });
    expect(lines(diff)).toEqual(['- shop/frontend -> shop/db TCP 1000-1499,1501-2000']);
  });

  test.each([
    ['reordered rules, ports and fields, renamed policy, named port for the same number', [ALLOW_API_REORDERED]],
    ['a policy split in two equivalent ones', ALLOW_API_SPLIT],
  ])('no reachability change: %s', (_name, after) => {
    const diff = diffReachability({ before: policies(DENY_SHOP, ALLOW_API), after: policies(DENY_SHOP, ...after), cluster: CLUSTER });
    expect(diff.gained).toEqual([]);
    expect(diff.lost).toEqual([]);
    expect(formatDiff(diff, CONTEXT, 'text').split('\n')[1]).toBe(NO_CHANGE);
  });

  test('a named port follows the container port it resolves to', () => {
    const diff = diffReachability({
      before: policies(DENY_SHOP, allowDb('allow-db', '[{port: pg}]')),
      after: policies(DENY_SHOP, allowDb('allow-db', '[{port: 5432}]'), `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-api-http, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: http}]}]`),
      cluster: CLUSTER,
    });
    // "http" is 8080 on shop/api only; the db has no port named http; pg = 5432 stays.
    expect(lines(diff)).toEqual(['+ shop/frontend -> shop/api TCP 8080']);
  });

  test('removing a default deny gains every port of every protocol for the pairs it isolated', () => {
    const diff = diffReachability({ before: policies(DENY_SHOP), after: [], cluster: CLUSTER });
    const into = (to: string) => ['TCP', 'UDP', 'SCTP'].map((p) => `+ FROM -> ${to} ${p} 1-65535`);
    const expected = ['metadata', 'ops/prom', 'shop/api', 'shop/db', 'shop/frontend'].flatMap((from) =>
      ['shop/api', 'shop/db', 'shop/frontend'].filter((to) => to !== from).flatMap((to) => into(to).map((l) => l.replace('FROM', from))));
    expect(lines(diff)).toEqual(expected);
  });

  test('dataplanes differ: an ipBlock admits pod IPs under upstream and calico, only externals under Dataplane V2', () => {
    const metadataOnly = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-lock, namespace: ops}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 169.254.169.252/32}}], ports: [{port: 988}]}]`;
    const wider = metadataOnly.replace('ports: [{port: 988}]}]', `ports: [{port: 988}]},
           {to: [{ipBlock: {cidr: 10.8.0.0/24, except: [10.8.0.10/32]}}, {ipBlock: {cidr: 169.254.169.252/32}}], ports: [{port: 443}]}]`);
    const run = (dataplane: Dataplane) =>
      lines(diffReachability({ before: policies(metadataOnly), after: policies(wider), cluster: CLUSTER, dataplane }));
    const pods = ['+ ops/prom -> metadata TCP 443', '+ ops/prom -> shop/api TCP 443', '+ ops/prom -> shop/db TCP 443'];
    expect(run('upstream')).toEqual(pods);
    expect(run('calico')).toEqual(pods);
    expect(run('dataplane-v2')).toEqual(['+ ops/prom -> metadata TCP 443']);
  });

  test('pods that behave alike are compared once and expanded to every pair, members of one class included', () => {
    const cluster = parseCluster(`
pods:
  - {namespace: shop, name: web-1, labels: {app: web}}
  - {namespace: shop, name: web-2, labels: {app: web}}
  - {namespace: shop, name: web-3, labels: {app: web}}
  - {namespace: shop, name: db, labels: {app: db}}
`, 'c.yaml').cluster;
    const isolateWeb = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 80}]}]`;
    const diff = diffReachability({ before: [], after: policies(isolateWeb), cluster });
    expect(diff.stats).toMatchObject({ pods: 4, classes: 2 });
    const lost = (from: string, to: string) => [`- ${from} -> ${to} TCP 1-65535`, `- ${from} -> ${to} UDP 1-65535`, `- ${from} -> ${to} SCTP 1-65535`];
    expect(lines(diff)).toEqual([
      '- shop/db -> shop/web-1 TCP 1-79,81-65535', '- shop/db -> shop/web-1 UDP 1-65535', '- shop/db -> shop/web-1 SCTP 1-65535',
      '- shop/db -> shop/web-2 TCP 1-79,81-65535', '- shop/db -> shop/web-2 UDP 1-65535', '- shop/db -> shop/web-2 SCTP 1-65535',
      '- shop/db -> shop/web-3 TCP 1-79,81-65535', '- shop/db -> shop/web-3 UDP 1-65535', '- shop/db -> shop/web-3 SCTP 1-65535',
      ...lost('shop/web-1', 'shop/web-2'), ...lost('shop/web-1', 'shop/web-3'),
      ...lost('shop/web-2', 'shop/web-1'), ...lost('shop/web-2', 'shop/web-3'),
      ...lost('shop/web-3', 'shop/web-1'), ...lost('shop/web-3', 'shop/web-2'),
    ]);
  });

  test('a policy scoped to a Pod-network changes only that network', () => {
    const cluster = parseCluster(`
pods:
  - {namespace: shop, name: a, labels: {app: a}, networks: [default, blue]}
  - {namespace: shop, name: b, labels: {app: b}, networks: [default, blue]}
`, 'c.yaml').cluster;
    const blue = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: blue-deny, namespace: shop, annotations: {networking.gke.io/network: blue}}
spec: {podSelector: {matchLabels: {app: b}}, ingress: [{ports: [{port: 53, protocol: UDP}]}]}`;
    const diff = diffReachability({ before: [], after: policies(blue), cluster });
    expect(diff.networks).toEqual(['blue', 'default']);
    expect(lines(diff)).toEqual([
      '- shop/a -> shop/b TCP 1-65535 @blue', '- shop/a -> shop/b UDP 1-52,54-65535 @blue', '- shop/a -> shop/b SCTP 1-65535 @blue',
    ]);
    expect(lines(diffReachability({ before: [], after: policies(blue), cluster, network: 'default' }))).toEqual([]);
  });

  test('agrees with a naive per-port, per-pair comparison', () => {
    const before = policies(DENY_SHOP, ALLOW_API, allowDb('allow-db', '[{port: 5000, endPort: 5500}, {port: pg}]', 'api'));
    const after = policies(DENY_SHOP, ALLOW_API_SPLIT[0], allowDb('allow-db', '[{port: 5400, endPort: 6000}, {port: 53, protocol: UDP}]', 'frontend'), `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.8.0.0/30}}, {ipBlock: {cidr: 169.254.0.0/16}}]}, {ports: [{port: 5432}, {port: 5500, endPort: 5600}]}]`);
    const diff = diffReachability({ before, after, cluster: CLUSTER });
    const b = new Verifier({ policies: before, cluster: CLUSTER });
    const a = new Verifier({ policies: after, cluster: CLUSTER });
    const naive = ['TCP', 'UDP', 'SCTP'].flatMap((p) => naiveLines(b, a, p as 'TCP'));
    const sortKey = (l: string) => l.replace(/ (TCP|UDP|SCTP) /, (_m, p: string) => ` ${['TCP', 'UDP', 'SCTP'].indexOf(p)} `);
    const order = (x: string, y: string) => (sortKey(x) < sortKey(y) ? -1 : 1);
    expect(lines(diff).sort(order)).toEqual(naive.sort(order));
    expect(lines(diff).length).toBeGreaterThan(5);
  }, 60_000);
});

describe('diffReachability property', () => {
  // Rules mention only ports up to 443 and containers listen on 53, 80, 81: every port from 444 to 65535
  // behaves like 444, so the naive side checks ports 1..444 one by one, and 444 stands for 444-65535.
  const LAST = 444;
  const pods = [
    pod('x/a1', { app: 'a' }, { ip: '10.0.0.1', ports: [cport(80, 'TCP', 'http')] }),
    pod('x/a2', { app: 'a' }, { ip: '10.0.0.2', ports: [cport(80, 'TCP', 'http')], networks: ['default', 'blue'] }),
    pod('x/a3', { app: 'a' }, { ip: '10.0.0.3', ports: [cport(80, 'TCP', 'http')], networks: ['default', 'blue'] }),
    pod('x/b', { app: 'b', tier: 'f' }, { ip: '10.0.1.1', ports: [cport(81, 'TCP', 'http'), cport(53, 'UDP', 'dns')] }),
    pod('y/a', { app: 'a' }, { ip: '10.1.0.1', ports: [cport(53, 'UDP', 'dns')], networks: ['default', 'blue'] }),
    pod('y/c', { tier: 'f' }, { ports: [] }),
  ];
  const c = makeCluster({ x: { env: 'p' }, y: {} }, pods, [ext('net', '203.0.113.1'), ext('near', '10.0.0.9')]);
  const selector = fc.constantFrom(sel(), sel({ app: 'a' }), sel({ tier: 'f' }), sel({ app: 'b' }));
  const peer: fc.Arbitrary<PeerModel> = fc.oneof(
    selector.map((s) => own(s)),
    fc.tuple(fc.constantFrom(sel(), sel({ env: 'p' })), selector).map(([n, s]) => inNs(n, s)),
    fc.constantFrom(ipb('10.0.0.0/16', ['10.0.0.2/32']), ipb('203.0.113.0/24'), ipb('10.0.0.0/8')),
  );
  const port: fc.Arbitrary<PortModel> = fc.constantFrom<PortModel>(
    { protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'http' }, { protocol: 'UDP', port: 'dns' }, { protocol: 'TCP', port: 81, endPort: 443 },
    { protocol: 'UDP' }, { protocol: 'SCTP', port: 80 }, { protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 50, endPort: 80 },
  );
  const ruleArb: fc.Arbitrary<RuleModel> = fc.tuple(
    fc.oneof(fc.constant('all' as const), fc.array(peer, { minLength: 1, maxLength: 2 })),
    fc.oneof(fc.constant('all' as const), fc.array(port, { minLength: 1, maxLength: 2 })),
  ).map(([peers, ports]) => rule(peers, ports));
  type PolicySpec = NonNullable<Parameters<typeof np>[1]> & { readonly ns: string };
  const policy: fc.Arbitrary<PolicySpec> = fc.record({
    ns: fc.constantFrom('x', 'y'),
    select: selector,
    ingress: fc.array(ruleArb, { maxLength: 2 }),
    egress: fc.array(ruleArb, { maxLength: 2 }),
    types: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    network: fc.constantFrom(undefined, 'blue'),
  });
  const named = (list: readonly PolicySpec[], prefix: string): NetworkPolicyModel[] => list.map(({ ns, ...opts }, i) => np(`${ns}/${prefix}${i}`, opts));

  function naive(before: Verifier, after: Verifier, network: string): string[] {
    const out: string[] = [];
    for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
      const endpoints = before.reach({ port: 1, protocol, network }).endpoints;
      const changed = new Map<string, number[]>();
      for (let p = 1; p <= LAST; p++) {
        const mb = before.reach({ port: p, protocol, network });
        const ma = after.reach({ port: p, protocol, network });
        endpoints.forEach((from, i) => endpoints.forEach((to, j) => {
          if (i === j || (from.kind === 'external' && to.kind === 'external')) return;
          const now = ma.allowed(i, j);
          if (mb.allowed(i, j) === now) return;
          const key = `${now ? '+' : '-'} ${from.id} -> ${to.id} ${protocol}`;
          const list = changed.get(key);
          if (list === undefined) changed.set(key, [p]); else list.push(p);
        }));
      }
      for (const [key, ports] of changed) {
        const ranges: string[] = [];
        let start = ports[0];
        for (let i = 1; i <= ports.length; i++) {
          if (i < ports.length && ports[i] === ports[i - 1] + 1) continue;
          const end = ports[i - 1] === LAST ? 65535 : ports[i - 1];
          ranges.push(start === end ? `${start}` : `${start}-${end}`);
          start = ports[i];
        }
        out.push(`${key} ${ranges.join(',')}${network === 'default' ? '' : ` @${network}`}`);
      }
    }
    return out;
  }

  // ClusterNetworkPolicies in both tiers (distinct priorities: equal ones that overlap are refused).
  const cnpPeer: fc.Arbitrary<CnpPeerModel> = fc.oneof(
    fc.constantFrom(sel(), sel({ env: 'p' })).map((namespaces): CnpPeerModel => ({ kind: 'pods', namespaces })),
    fc.tuple(fc.constantFrom(sel(), sel({ env: 'p' })), selector).map(([namespaces, podSelector]): CnpPeerModel => ({ kind: 'pods', namespaces, pods: podSelector })),
  );
  const cnpRule = (egress: boolean): fc.Arbitrary<CnpRuleModel> => fc.record({
    action: fc.constantFrom<CnpRuleModel['action']>('Accept', 'Deny', 'Pass'),
    peers: fc.array(egress ? fc.oneof(cnpPeer, fc.constantFrom<CnpPeerModel>({ kind: 'networks', cidrs: ['10.0.0.0/16'] }, { kind: 'networks', cidrs: ['203.0.113.0/24'] })) : cnpPeer,
      { minLength: 1, maxLength: 2 }),
    protocols: fc.oneof(fc.constant('all' as const), fc.constantFrom<CnpRuleModel['protocols']>([{ protocol: 'TCP', port: 80 }], [{ protocol: 'TCP', port: 81, endPort: 443 }],
      [{ namedPort: 'http' }], [{ protocol: 'UDP', port: 53 }])),
  }).map((r) => ({ name: '', ...r }));
  const cnp = (priority: number): fc.Arbitrary<ClusterNetworkPolicyModel> => fc.record({
    tier: fc.constantFrom<'Admin' | 'Baseline'>('Admin', 'Baseline'),
    subject: fc.oneof(
      fc.constantFrom(sel(), sel({ env: 'p' })).map((namespaces) => ({ namespaces })),
      fc.tuple(fc.constantFrom(sel(), sel({ env: 'p' })), selector).map(([namespaces, podSelector]) => ({ namespaces, pods: podSelector })),
    ),
    ingress: fc.array(cnpRule(false), { maxLength: 2 }),
    egress: fc.array(cnpRule(true), { maxLength: 2 }),
  }).map((r) => ({ kind: 'ClusterNetworkPolicy' as const, name: `cnp${priority}`, labels: {}, annotations: {}, priority, ...r }));

  test('with ClusterNetworkPolicies (changed, added, dropped), it agrees with the naive comparison too', () => {
    let changedRuns = 0;
    fc.assert(fc.property(
      fc.array(policy, { maxLength: 3 }),
      fc.tuple(cnp(1), cnp(2), cnp(3)),
      fc.func(fc.boolean()),
      fc.constantFrom<Dataplane>('upstream', 'dataplane-v2'),
      (base, [c1, c2, c3], keep, dataplane) => {
        const nps = named(base, 'p');
        const before: PolicyModel[] = [...nps, c1, c2];
        // Some NetworkPolicies dropped, cnp1 kept as it is, cnp2 replaced by a changed one, cnp3 added.
        const after: PolicyModel[] = [...nps.filter((_, i) => keep(i)), c1, { ...c3, name: 'cnp2', priority: 2 }, { ...c3, priority: 3 }];
        const diff = diffReachability({ before, after, cluster: c, dataplane });
        const b = new Verifier({ policies: before, cluster: c, dataplane });
        const a = new Verifier({ policies: after, cluster: c, dataplane });
        const expected = ['blue', 'default'].flatMap((n) => naive(b, a, n)).sort();
        expect(lines(diff).sort()).toEqual(expected);
        if (expected.length > 0) changedRuns++;
      },
    ), { numRuns: 40, seed: 11 });
    expect(changedRuns).toBeGreaterThan(15);
  }, 180_000);

  test('agrees with a naive per-pod, per-port comparison on random changes (added, dropped, edited, reordered, renamed policies)', () => {
    let changedRuns = 0;
    fc.assert(fc.property(
      fc.array(policy, { maxLength: 4 }),
      fc.array(policy, { maxLength: 2 }),
      fc.func(fc.boolean()),
      fc.constantFrom<Dataplane>('upstream', 'dataplane-v2'),
      (base, added, keep, dataplane) => {
        const before = named(base, 'p');
        const after = named([...base.filter((_, i) => keep(i)), ...added].reverse(), 'q');
        const diff = diffReachability({ before, after, cluster: c, dataplane });
        const b = new Verifier({ policies: before, cluster: c, dataplane });
        const a = new Verifier({ policies: after, cluster: c, dataplane });
        const expected = ['blue', 'default'].flatMap((n) => naive(b, a, n)).sort();
        expect(lines(diff).sort()).toEqual(expected);
        if (expected.length > 0) changedRuns++;
      },
    ), { numRuns: 60, seed: 7 });
    // Not vacuous: most random edits change reachability.
    expect(changedRuns).toBeGreaterThan(20);
  }, 120_000);
});

/** The diff in one format. */
function formatDiff(diff: ReachDiff, context: DiffContext, format: 'text' | 'json' | 'markdown'): string {
  return renderDiff({ diff, context }, format);
}

describe('formatDiff', () => {
  const opened = diffReachability({
    before: policies(DENY_SHOP, allowDb('allow-db', '[{port: 8000, endPort: 8100}]', 'api')),
    after: policies(DENY_SHOP, allowDb('allow-db', '[{port: 5432}]')),
    cluster: CLUSTER,
  });
  const workloads: DiffContext = { old: 'HEAD~1:dist', new: 'HEAD:dist', cluster: { kind: 'workloads' } };

  test('text: headline, + and - lines with reasons, count line', () => {
    expect(formatDiff(opened, workloads, 'text')).toBe([
      'Reachability diff HEAD~1:dist -> HEAD:dist (dataplane upstream; cluster model: the workloads of both sides, one representative pod per workload, no externals)',
      '+ shop/frontend -> shop/db TCP 5432',
      '    egress: not isolated',
      '    ingress: allowed by shop/allow-db ingress[0] (peer 0: pods app=frontend of the policy\'s namespace; TCP 5432); was denied (isolated by shop/default-deny, shop/allow-db, and no rule matches)',
      '- shop/api -> shop/db TCP 8000-8100',
      '    ingress: denied (isolated by shop/default-deny, shop/allow-db, and no rule matches); was allowed by shop/allow-db ingress[0] (peer 0: pods app=api of the policy\'s namespace; TCP 8000-8100)',
      'reachability changed: 1 gained, 1 lost',
      '',
    ].join('\n'));
  });

  test('text without changes says so', () => {
    const same = diffReachability({ before: policies(DENY_SHOP), after: policies(DENY_SHOP), cluster: CLUSTER });
    expect(formatDiff(same, CONTEXT, 'text')).toBe('Reachability diff old -> new (dataplane upstream; cluster model: cluster.yaml)\nno reachability change\n');
  });

  test('json: the documented stable shape', () => {
    expect(JSON.parse(formatDiff(opened, workloads, 'json'))).toEqual({
      old: 'HEAD~1:dist',
      new: 'HEAD:dist',
      dataplane: 'upstream',
      networks: ['default'],
      cluster: { source: 'workloads' },
      gained: [{ from: 'shop/frontend', to: 'shop/db', protocol: 'TCP', network: 'default', ports: [[5432, 5432]], because: because(opened.gained[0], 'gained') }],
      lost: [{ from: 'shop/api', to: 'shop/db', protocol: 'TCP', network: 'default', ports: [[8000, 8100]], because: because(opened.lost[0], 'lost') }],
      summary: { changed: true, gained: 1, lost: 1, pods: 4, externals: 1, classes: 4, intervals: 7 },
    });
  });

  test('markdown: heading, tables, collapsed reasons', () => {
    const md = formatDiff(opened, workloads, 'markdown');
    expect(md).toContain('### netproof: reachability diff\n\n`HEAD~1:dist` → `HEAD:dist` · dataplane `upstream` · cluster model: the workloads of both sides');
    expect(md).toContain('**1 gained, 1 lost**');
    expect(md).toContain('#### Gained (1)\n\n| from | to | protocol | ports |\n| --- | --- | --- | --- |\n| `shop/frontend` | `shop/db` | TCP | 5432 |\n');
    expect(md).toContain('#### Lost (1)\n\n| from | to | protocol | ports |\n| --- | --- | --- | --- |\n| `shop/api` | `shop/db` | TCP | 8000-8100 |\n');
    expect(md).toContain('<details><summary>Policies responsible (gained)</summary>\n\n- `shop/frontend` → `shop/db` TCP 5432\n  - egress: not isolated\n  - ingress: allowed by shop/allow-db');
    expect(md.match(/<\/details>/g)).toHaveLength(2);
  });

  test('markdown without changes says so, and caps long tables', () => {
    const same = diffReachability({ before: [], after: [], cluster: CLUSTER });
    expect(formatDiff(same, CONTEXT, 'markdown')).toContain(`**${NO_CHANGE}**`);
    const many = { ...opened, gained: Array.from({ length: MARKDOWN_ROW_LIMIT + 5 }, () => opened.gained[0]), lost: [] };
    const md = formatDiff(many, CONTEXT, 'markdown');
    expect(md.match(/^\| `shop\/frontend`/gm)).toHaveLength(MARKDOWN_ROW_LIMIT);
    expect(md).toContain('_5 more not shown; run `netproof diff` for the full list._');
  });
});

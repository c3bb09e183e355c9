import { readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { buildGraph, ConnectivityGraph, portsLabel } from '../../src/analysis/graph';
import { ClusterModel } from '../../src/model/cluster';
import { PolicyModel } from '../../src/model/policy';
import { PROTOCOLS } from '../../src/model/port';
import { makeSelector } from '../../src/model/selector';
import { parseCluster } from '../../src/parse/cluster';
import { parsePolicies, policiesFromFiles } from '../../src/parse/policies';
import { renderDot, renderHtml, renderMermaid } from '../../src/report/graph';
import { Verifier } from '../../src/verify/verifier';
import { boutiqueGraph } from '../report/graph/_boutique';

const FIXTURE = join(__dirname, '..', 'fixtures', 'reach');

function fixture(): { cluster: ClusterModel; policies: readonly PolicyModel[] } {
  const cluster = parseCluster(readFileSync(join(FIXTURE, 'cluster.yaml'), 'utf8'), 'cluster.yaml').cluster;
  const files = ['shop.yaml', 'test-network-policy.yaml'].map((f) => ({ path: f, text: readFileSync(join(FIXTURE, 'policies', f), 'utf8') }));
  return { cluster, policies: policiesFromFiles(files).policies };
}

/** The fixture's connectivity over every port: checked by hand against `netproof reach` and the policies. */
const FIXTURE_DOT = `// netproof graph: network default, dataplane upstream, all ports
digraph netproof {
  graph [rankdir=LR, fontname="Helvetica", fontsize=11, labelloc=b, labeljust=l, label="Allowed connections on network default, dataplane upstream, on every port of TCP, UDP and SCTP.\\nAn arrow means the source's egress and the destination's ingress both allow it; its label lists the destination ports.\\nA pod always reaches itself (loopback, which Kubernetes cannot block): self-loops are not drawn.\\nExternals are non-pod endpoints; traffic between two externals is not modelled."];
  node [shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#4a6fa5", fontname="Helvetica", fontsize=11];
  edge [color="#2e7d32", fontcolor="#1b5e20", fontname="Helvetica", fontsize=9];
  subgraph "cluster_ns_default" {
    label="namespace default";
    style="rounded"; color="#4a6fa5";
    "default/db" [label="db"];
    "default/frontend" [label="frontend"];
  }
  subgraph "cluster_ns_myproject" {
    label="namespace myproject";
    style="rounded"; color="#4a6fa5";
    "myproject/client" [label="client"];
  }
  subgraph "cluster_ns_shop" {
    label="namespace shop";
    style="rounded"; color="#4a6fa5";
    "shop/backend" [label="backend"];
    "shop/frontend" [label="frontend"];
  }
  subgraph "cluster_externals" {
    label="externals";
    style="dashed"; color="#9e9e9e"; node [shape=ellipse, fillcolor="#fff3e0", color="#ef6c00"];
    "metadata" [label="metadata"];
    "office" [label="office"];
  }
  "default/frontend" -> "default/db" [label="TCP 6379"];
  "default/frontend" -> "myproject/client" [label="all"];
  "default/frontend" -> "metadata" [label="all"];
  "default/frontend" -> "office" [label="all"];
  "myproject/client" -> "default/db" [label="TCP 6379"];
  "myproject/client" -> "default/frontend" [label="all"];
  "myproject/client" -> "metadata" [label="all"];
  "myproject/client" -> "office" [label="all"];
  "shop/backend" -> "default/db" [label="TCP 6379"];
  "shop/backend" -> "default/frontend" [label="all"];
  "shop/backend" -> "myproject/client" [label="all"];
  "shop/backend" -> "metadata" [label="all"];
  "shop/backend" -> "office" [label="all"];
  "shop/frontend" -> "default/frontend" [label="all"];
  "shop/frontend" -> "myproject/client" [label="all"];
  "shop/frontend" -> "shop/backend" [label="TCP 80"];
  "shop/frontend" -> "metadata" [label="all"];
  "shop/frontend" -> "office" [label="all"];
  "metadata" -> "default/frontend" [label="all"];
  "metadata" -> "myproject/client" [label="all"];
  "office" -> "default/frontend" [label="all"];
  "office" -> "myproject/client" [label="all"];
}
`;

const FIXTURE_MERMAID = `flowchart LR
  %% Allowed connections on network default, dataplane upstream, on every port of TCP, UDP and SCTP.
  %% An arrow means the source's egress and the destination's ingress both allow it; its label lists the destination ports.
  %% A pod always reaches itself (loopback, which Kubernetes cannot block): self-loops are not drawn.
  %% Externals are non-pod endpoints; traffic between two externals is not modelled.
  subgraph g0["namespace default"]
    n0["db"]
    n1["frontend"]
  end
  subgraph g1["namespace myproject"]
    n2["client"]
  end
  subgraph g2["namespace shop"]
    n3["backend"]
    n4["frontend"]
  end
  subgraph g3["externals"]
    n5(["metadata"])
    n6(["office"])
  end
  n1 -->|"TCP 6379"| n0
  n1 -->|"all"| n2
  n1 -->|"all"| n5
  n1 -->|"all"| n6
  n2 -->|"TCP 6379"| n0
  n2 -->|"all"| n1
  n2 -->|"all"| n5
  n2 -->|"all"| n6
  n3 -->|"TCP 6379"| n0
  n3 -->|"all"| n1
  n3 -->|"all"| n2
  n3 -->|"all"| n5
  n3 -->|"all"| n6
  n4 -->|"all"| n1
  n4 -->|"all"| n2
  n4 -->|"TCP 80"| n3
  n4 -->|"all"| n5
  n4 -->|"all"| n6
  n5 -->|"all"| n1
  n5 -->|"all"| n2
  n6 -->|"all"| n1
  n6 -->|"all"| n2
`;

function edgeTable(g: ConnectivityGraph): string[] {
  return g.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`);
}

describe('buildGraph', () => {
  test('groups nodes by namespace, externals last, and labels edges with every allowed port', () => {
    const g = buildGraph({ ...fixture() });
    expect(g.groups.map((x) => [x.id, x.kind, x.nodes])).toEqual([
      ['default', 'namespace', ['default/db', 'default/frontend']],
      ['myproject', 'namespace', ['myproject/client']],
      ['shop', 'namespace', ['shop/backend', 'shop/frontend']],
      ['(externals)', 'externals', ['metadata', 'office']],
    ]);
    expect(g.scope).toBe('all ports');
    // The office (172.17.1.9) is in the except of db's ipBlock; db's egress reaches only 10.0.0.0/24, where nothing is.
    expect(edgeTable(g)).not.toContain('office -> default/db: TCP 6379');
    expect(g.edges.filter((e) => e.from === 'default/db')).toEqual([]);
    expect(g.edges.find((e) => e.from === 'shop/frontend' && e.to === 'shop/backend')).toEqual({
      from: 'shop/frontend', to: 'shop/backend', ports: [{ protocol: 'TCP', first: 80, last: 80 }], label: 'TCP 80',
    });
  });

  test('a namespace named "externals" stays apart from the externals group', () => {
    const cluster = parseCluster(`
pods:
  - {namespace: externals, name: x, labels: {app: x}, ip: 10.0.0.1}
externals:
  - {name: metadata, ip: 169.254.169.254}
`, 'cluster.yaml').cluster;
    const g = buildGraph({ cluster, policies: [] });
    expect(g.groups.map((x) => [x.id, x.kind, x.label, x.nodes])).toEqual([
      ['externals', 'namespace', 'namespace externals', ['externals/x']],
      ['(externals)', 'externals', 'externals', ['metadata']],
    ]);
    expect(g.nodes.map((n) => [n.id, n.group])).toEqual([['externals/x', 'externals'], ['metadata', '(externals)']]);
    expect(renderDot(g)).toContain('subgraph "cluster_ns_externals"');
    expect(renderDot(g)).toContain('subgraph "cluster_externals"');
  });

  test('never draws a pod reaching itself, nor external to external', () => {
    const g = buildGraph({ ...fixture() });
    expect(g.edges.filter((e) => e.from === e.to)).toEqual([]);
    const externals = new Set(['metadata', 'office']);
    expect(g.edges.filter((e) => externals.has(e.from) && externals.has(e.to))).toEqual([]);
  });

  test('with one flow, edges are the pairs allowed on it', () => {
    const g = buildGraph({ ...fixture(), flow: { port: 6379, protocol: 'TCP' } });
    expect(g.scope).toBe('TCP 6379');
    expect(edgeTable(g).filter((e) => e.includes('default/db'))).toEqual([
      'default/frontend -> default/db: TCP 6379',
      'myproject/client -> default/db: TCP 6379',
      'shop/backend -> default/db: TCP 6379',
    ]);
    expect(g.edges.every((e) => e.label === 'TCP 6379')).toBe(true);
  });

  test('limited to some protocols, labels say so', () => {
    const g = buildGraph({ ...fixture(), protocols: ['UDP'] });
    expect(g.scope).toBe('all UDP ports');
    expect(edgeTable(g)).toContain('shop/frontend -> default/frontend: UDP all');
    expect(edgeTable(g).some((e) => e.includes('TCP'))).toBe(false);
  });

  test('is deterministic: input order of pods, externals and policies does not change the output', () => {
    const { cluster, policies } = fixture();
    const shuffled: ClusterModel = { ...cluster, pods: [...cluster.pods].reverse(), externals: [...cluster.externals].reverse() };
    expect(renderDot(buildGraph({ cluster: shuffled, policies: [...policies].reverse() }))).toBe(renderDot(buildGraph({ cluster, policies })));
  });
});

describe('port labels', () => {
  const cluster = parseCluster(`
namespaces: {app: {}}
pods:
  - {namespace: app, name: client, labels: {app: client}}
  - {namespace: app, name: server, labels: {app: server}, ports: [{name: metrics, port: 9090}]}
`, 'cluster.yaml').cluster;
  const policy = (ports: string) => parsePolicies(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server, namespace: app}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: client}}}]
      ports: ${ports}
`, 'p.yaml').policies;
  const label = (ports: string) => buildGraph({ cluster, policies: policy(ports) }).edges.find((e) => e.from === 'app/client')!.label;

  test.each([
    ['[{port: 8080}]', 'TCP 8080'],
    ['[{port: 8000, endPort: 8100}, {port: 8101}, {port: 443}]', 'TCP 443,8000-8101'],
    ['[{port: 53, protocol: UDP}, {port: 53}]', 'TCP 53, UDP 53'],
    ['[{port: metrics}]', 'TCP 9090'],
    ['[{protocol: TCP}]', 'TCP all'],
    ['[{protocol: TCP}, {protocol: UDP}, {protocol: SCTP}]', 'all'],
  ])('ports %s are labelled %s', (ports, expected) => {
    expect(label(ports)).toBe(expected);
  });

  test('portsLabel writes ranges per protocol in TCP, UDP, SCTP order', () => {
    expect(portsLabel([{ protocol: 'SCTP', first: 1, last: 65535 }, { protocol: 'TCP', first: 1, last: 52 }, { protocol: 'TCP', first: 54, last: 65535 }]))
      .toBe('TCP 1-52,54-65535, SCTP all');
  });
});

describe('replicas of a workload', () => {
  const replicas = (ips: string[]) => parseCluster(`
namespaces: {web: {}}
pods:
${ips.map((ip, i) => `  - {namespace: web, name: frontend-7d4b9-${'abc'[i]}x, labels: {app: frontend, pod-template-hash: h${i}}, ip: ${ip}, ports: [{port: 8080}]}`).join('\n')}
  - {namespace: web, name: backend, labels: {app: backend}, ip: 10.0.1.1}
`, 'cluster.yaml').cluster;
  const policies = parsePolicies(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend, namespace: web}
spec:
  podSelector: {matchLabels: {app: frontend}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: backend}}}, {ipBlock: {cidr: 10.0.0.0/30}}]
      ports: [{port: 8080}]
`, 'p.yaml').policies;

  test('that behave identically are one node, and an arrow to itself when they reach each other', () => {
    const g = buildGraph({ cluster: replicas(['10.0.0.1', '10.0.0.2', '10.0.0.3']), policies });
    expect(g.nodes.map((n) => [n.id, n.label, n.kind, n.members.length])).toEqual([
      ['web/backend', 'backend', 'pod', 1],
      ['web/frontend-7d4b9', 'frontend-7d4b9 ×3', 'workload', 3],
    ]);
    expect(edgeTable(g)).toEqual(['web/backend -> web/frontend-7d4b9: TCP 8080', 'web/frontend-7d4b9 -> web/backend: all', 'web/frontend-7d4b9 -> web/frontend-7d4b9: TCP 8080']);
    expect(g.legend.join(' ')).toContain('×N');
  });

  test('that behave differently stay separate pods', () => {
    // 10.0.0.9 is outside the ipBlock of sources: the third replica cannot reach the other two (they can reach it).
    const g = buildGraph({ cluster: replicas(['10.0.0.1', '10.0.0.2', '10.0.0.9']), policies });
    expect(g.nodes.map((n) => n.id)).toEqual(['web/backend', 'web/frontend-7d4b9-ax', 'web/frontend-7d4b9-bx', 'web/frontend-7d4b9-cx']);
    expect(edgeTable(g)).toContain('web/frontend-7d4b9-ax -> web/frontend-7d4b9-cx: TCP 8080');
    expect(edgeTable(g)).not.toContain('web/frontend-7d4b9-cx -> web/frontend-7d4b9-ax: TCP 8080');
  });

  test('of two workloads with the same name prefix get distinct node ids, in DOT, Mermaid and HTML too', () => {
    const cluster = parseCluster(`
pods:
  - {namespace: shop, name: web-1, labels: {app: web, tier: a}, ip: 10.0.0.1}
  - {namespace: shop, name: web-2, labels: {app: web, tier: a}, ip: 10.0.0.2}
  - {namespace: shop, name: web-3, labels: {app: web, tier: b}, ip: 10.0.0.3}
  - {namespace: shop, name: web-4, labels: {app: web, tier: b}, ip: 10.0.0.4}
`, 'cluster.yaml').cluster;
    const g = buildGraph({ cluster, policies: [] });
    expect(g.nodes.map((n) => [n.id, n.label, n.members])).toEqual([
      ['shop/web', 'web ×2', ['shop/web-1', 'shop/web-2']],
      ['shop/web*', 'web* ×2', ['shop/web-3', 'shop/web-4']],
    ]);
    expect(edgeTable(g)).toEqual(['shop/web -> shop/web: all', 'shop/web -> shop/web*: all', 'shop/web* -> shop/web: all', 'shop/web* -> shop/web*: all']);
    expect(renderDot(g).match(/^ {4}"shop\/web\*?" \[label=/gm)).toHaveLength(2);
    expect(renderMermaid(g).match(/^ {4}n\d\[/gm)).toEqual(['    n0[', '    n1[']);
  });

  test('ids stay unique when a pod already has the workload\'s name and its starred form', () => {
    const cluster = parseCluster(`
pods:
  - {namespace: shop, name: web, labels: {app: solo}, ip: 10.0.0.9}
  - {namespace: shop, name: web-1, labels: {app: web, tier: a}, ip: 10.0.0.1}
  - {namespace: shop, name: web-2, labels: {app: web, tier: a}, ip: 10.0.0.2}
  - {namespace: shop, name: web-3, labels: {app: web, tier: b}, ip: 10.0.0.3}
  - {namespace: shop, name: web-4, labels: {app: web, tier: b}, ip: 10.0.0.4}
`, 'cluster.yaml').cluster;
    const ids = buildGraph({ cluster, policies: [] }).nodes.map((n) => n.id);
    expect(ids).toEqual(['shop/web', 'shop/web*', 'shop/web*2']);
  });

  test('are one node per pod when aggregation is off', () => {
    const g = buildGraph({ cluster: replicas(['10.0.0.1', '10.0.0.2', '10.0.0.3']), policies, aggregate: false });
    expect(g.nodes).toHaveLength(4);
  });
});

describe('renderDot and renderMermaid', () => {
  test('DOT of the fixture is exact', () => {
    expect(renderDot(buildGraph({ ...fixture() }))).toBe(FIXTURE_DOT);
  });

  test('Mermaid of the fixture is exact', () => {
    expect(renderMermaid(buildGraph({ ...fixture() }))).toBe(FIXTURE_MERMAID);
  });
});

describe('renderHtml', () => {
  const html = renderHtml(buildGraph({ ...fixture() }), 'fixture </script><img src=x>');

  test('references no external resource and works offline', () => {
    const page = renderHtml(buildGraph({ ...fixture() }));
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/\s(src|href)\s*=/i);
    expect(page).not.toMatch(/@import/);
    // The only url() is the SVG arrow marker, a reference inside the page.
    expect(page.match(/url\([^)]*\)/g)).toEqual(['url(#np-arrow)']);
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
  });

  test('embeds the graph as JSON with its namespaces and edges', () => {
    const json = /<script type="application\/json" id="netproof-data">(.*?)<\/script>/s.exec(html)![1];
    const data = JSON.parse(json) as ConnectivityGraph & { title: string };
    expect(data.title).toBe('fixture </script><img src=x>');
    expect(data.groups.map((g) => g.label)).toEqual(['namespace default', 'namespace myproject', 'namespace shop', 'externals']);
    expect(data.edges).toContainEqual({ from: 'shop/frontend', to: 'shop/backend', ports: [{ protocol: 'TCP', first: 80, last: 80 }], label: 'TCP 80' });
    expect(data.edges).toHaveLength(22);
  });

  test('escapes text, so a title cannot close the script or add elements', () => {
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<title>fixture &lt;/script&gt;&lt;img src=x&gt;</title>');
    expect(html).not.toContain('<img');
  });

  test('has a legend saying that loopback is not drawn', () => {
    expect(html).toContain('self-loops are not drawn');
  });
});

describe('buildGraph: workloads drawn as one node', () => {
  /** The pair-by-pair test the class-based one replaces: every member towards every outside endpoint, on every probe. */
  const naiveAlike = (cluster: ClusterModel, policies: readonly PolicyModel[], members: readonly string[]): boolean => {
    const verifier = new Verifier({ policies, cluster, dataplane: 'upstream' });
    const probes = PROTOCOLS.flatMap((protocol) => verifier.portIntervals(protocol).map(([port]) => verifier.reach({ port, protocol })));
    const ids = probes[0].endpoints.map((e) => e.id);
    const group = members.map((m) => ids.indexOf(m));
    const same = (a: number, b: number, c: number, d: number) => probes.every((m) => m.allowed(a, b) === m.allowed(c, d));
    const [f, g] = group;
    for (const a of group.slice(1)) {
      for (let q = 0; q < ids.length; q++) if (!group.includes(q) && (!same(a, q, f, q) || !same(q, a, q, f))) return false;
    }
    return group.every((a) => group.every((b) => a === b || same(a, b, f, g)));
  };

  test('a workload is one node exactly when its replicas behave alike pair by pair', () => {
    const app = fc.constantFrom('a', 'b');
    const podArb = (name: string) => fc.record({ app, ip: fc.constantFrom('10.0.0.1', '10.1.0.1', '10.2.0.1'), tier: fc.constantFrom('x', 'y') })
      .map(({ app: a, ip, tier }) => ({ namespace: 'ns', name, labels: { app: a, tier }, ip, ports: [], networks: ['default'] }));
    const policyArb = fc.record({
      selected: fc.constantFrom('a', 'b'),
      peerTier: fc.constantFrom('x', 'y'),
      cidr: fc.constantFrom('10.1.0.0/16', '10.0.0.0/8'),
      port: fc.integer({ min: 1, max: 9 }),
      egress: fc.boolean(),
    }).map(({ selected, peerTier, cidr, port, egress }): PolicyModel => {
      const rule = {
        peers: [{ kind: 'pods' as const, namespaces: { kind: 'own' as const }, pods: makeSelector({ tier: peerTier }) }, { kind: 'ipBlock' as const, cidr, except: [] }],
        ports: [{ protocol: 'TCP' as const, port }],
      };
      return {
        kind: 'NetworkPolicy',
        name: `p-${selected}-${peerTier}-${port}-${egress}`,
        namespace: 'ns',
        labels: {},
        annotations: {},
        podSelector: makeSelector({ app: selected }),
        policyTypes: [egress ? 'Egress' : 'Ingress'],
        ingress: egress ? [] : [rule],
        egress: egress ? [rule] : [],
      };
    });
    let merged = 0;
    fc.assert(fc.property(fc.tuple(podArb('w-1'), podArb('w-2'), podArb('w-3'), podArb('v-1')), fc.uniqueArray(policyArb, { maxLength: 3, selector: (p) => p.name }),
      (pods, policies) => {
        // The three w pods are replicas of one workload when their labels (and ports) agree.
        const ws = pods.slice(0, 3).map((p) => ({ ...p, labels: pods[0].labels }));
        const cluster: ClusterModel = { namespaces: { ns: {} }, pods: [...ws, pods[3]].map((p, i) => ({ ...p, ip: `${p.ip.slice(0, -1)}${i + 1}` })), externals: [] };
        const graph = buildGraph({ policies, cluster, dataplane: 'upstream' });
        const node = graph.nodes.find((n) => n.members.includes('ns/w-1'))!;
        // The workload's candidates: pods with its labels (v-1 too when its labels agree).
        const group = cluster.pods.filter((p) => JSON.stringify(p.labels) === JSON.stringify(ws[0].labels)).map((p) => `ns/${p.name}`).sort();
        const expected = naiveAlike(cluster, policies, group);
        expect(node.members).toEqual(expected ? group : ['ns/w-1']);
        if (expected) merged++;
      }), { numRuns: 300, seed: 3 });
    expect(merged).toBeGreaterThan(30);
  });
});

describe('buildGraph with foldOpen', () => {
  /** The arrows a folded graph stands for: the ones it draws, and every egress-open node to every ingress-open node on every port. */
  function unfolded(f: ConnectivityGraph, full: string): string[] {
    const has = (id: string, d: 'ingress' | 'egress') => f.nodes.find((n) => n.id === id)!.open?.includes(d) ?? false;
    const implied = f.nodes.flatMap((a) => f.nodes
      .filter((b) => has(a.id, 'egress') && has(b.id, 'ingress') && !(a.kind === 'external' && b.kind === 'external') && (a !== b || a.members.length > 1))
      .map((b) => `${a.id} -> ${b.id}: ${full}`));
    return [...f.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`), ...implied].sort();
  }

  test('folds the every-port arrows between open nodes into markers, and the markers give them back exactly', () => {
    const plain = buildGraph(fixture());
    const folded = buildGraph({ ...fixture(), foldOpen: true });
    expect(folded.folded).toBe(18);
    expect(folded.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([
      'default/frontend -> default/db: TCP 6379', 'myproject/client -> default/db: TCP 6379', 'shop/backend -> default/db: TCP 6379', 'shop/frontend -> shop/backend: TCP 80',
    ]);
    expect(Object.fromEntries(folded.nodes.map((n) => [n.id, n.open]))).toEqual({
      'default/db': undefined,
      'default/frontend': ['ingress', 'egress'],
      'myproject/client': ['ingress', 'egress'],
      'shop/backend': ['egress'],
      'shop/frontend': ['egress'],
      'metadata': ['ingress', 'egress'],
      'office': ['ingress', 'egress'],
    });
    expect(unfolded(folded, 'all')).toEqual(plain.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`).sort());
    expect(folded.legend[folded.legend.length - 1]).toBe('Folded: every node marked "egress open" reaches every node marked "ingress open" on every port; those 18 arrows are not drawn.');
    expect(renderDot(folded)).toContain('"shop/backend" [label="backend\\n(egress open)"];');
    expect(renderMermaid(folded)).toContain('n3["backend (egress open)"]');
  });

  test('without foldOpen nothing is marked or counted (the formats stay as they were)', () => {
    const plain = buildGraph(fixture());
    expect(plain.nodes.every((n) => n.open === undefined)).toBe(true);
    expect('folded' in plain).toBe(false);
    expect(renderDot(plain)).toBe(FIXTURE_DOT);
  });

  test('a namespace without policies: N x (N - 1) arrows become N markers', () => {
    const pods = Array.from({ length: 12 }, (_, i) => ({ namespace: 'open', name: `w${String(i).padStart(2, '0')}`, labels: { app: `w${i}` }, ip: `10.0.0.${i + 1}`, ports: [], networks: ['default'] }));
    const cluster = parseCluster(JSON.stringify({ namespaces: { open: {} }, pods }), 'c.json').cluster;
    expect(buildGraph({ cluster, policies: [] }).edges).toHaveLength(132);
    const folded = buildGraph({ cluster, policies: [], foldOpen: true });
    expect([folded.edges.length, folded.folded]).toEqual([0, 132]);
    expect(folded.nodes.every((n) => n.open?.join() === 'ingress,egress')).toBe(true);
  });

  test('with one flow, folds the arrows allowed on it', () => {
    const plain = buildGraph({ ...fixture(), flow: { port: 80, protocol: 'TCP' } });
    const folded = buildGraph({ ...fixture(), flow: { port: 80, protocol: 'TCP' }, foldOpen: true });
    expect(unfolded(folded, 'TCP 80')).toEqual(plain.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`).sort());
    expect(folded.legend[folded.legend.length - 1]).toMatch(/reaches every node marked "ingress open" on TCP 80; those \d+ arrows/);
  });

  test('leaves everything drawn when every pod is isolated (Online Boutique), and says so', () => {
    const folded = boutiqueGraph(true);
    expect([folded.edges.length, folded.folded]).toEqual([26, 0]);
    expect(folded.nodes.filter((n) => n.open !== undefined)).toEqual([]);
    expect(folded.legend[folded.legend.length - 1]).toBe('Folded: no arrows to fold (no node whose egress is open reaches every node whose ingress is open on every port).');
  });
});

import * as fc from 'fast-check';
import { boutiqueGraph } from './_boutique';
import { buildShopApp } from '../../../examples/shop/main';
import { buildGraph, ConnectivityGraph, GraphEdge, GraphGroup, GraphNode } from '../../../src/analysis/graph';
import { verifyApp } from '../../../src/app/verify';
import { parseCluster } from '../../../src/parse/cluster';
import { parsePolicies } from '../../../src/parse/policies';
import { renderHtml } from '../../../src/report/graph';
import { GraphLayout, LabelPlacer, LayoutBox, layoutGraph, NODE_W, overlaps } from '../../../src/report/graph/_layout';
import { EXTERNALS_GROUP } from '../../../src/verify/verifier';

/** A graph from plain lists: `ns/name` nodes (or externals without a slash), edges `[from, to, label]`. */
function graphOf(ids: readonly string[], edges: readonly (readonly [string, string, string])[]): ConnectivityGraph {
  const nodes: GraphNode[] = ids.map((id) => (id.includes('/')
    ? { id, label: id.split('/')[1], group: id.split('/')[0], kind: 'pod', members: [id] }
    : { id, label: id, group: EXTERNALS_GROUP, kind: 'external', members: [id] }));
  const order = (n: GraphNode) => (n.kind === 'external' ? `1${n.id}` : `0${n.id}`);
  nodes.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const groups: GraphGroup[] = [];
  for (const n of nodes) {
    const last = groups[groups.length - 1];
    if (last && last.id === n.group) (last.nodes as string[]).push(n.id);
    else groups.push({ id: n.group, label: n.kind === 'external' ? 'externals' : `namespace ${n.group}`, kind: n.kind === 'external' ? 'externals' : 'namespace', nodes: [n.id] });
  }
  const rank = new Map(nodes.map((n, i) => [n.id, i]));
  const es: GraphEdge[] = edges.map(([from, to, label]) => ({ from, to, label, ports: [] }));
  es.sort((a, b) => (rank.get(a.from)! - rank.get(b.from)!) || (rank.get(a.to)! - rank.get(b.to)!));
  return { network: 'default', dataplane: 'upstream', scope: 'all ports', groups, nodes, edges: es, legend: [] };
}

/** Ten namespaces of three workloads each: web → api → db inside, each api → the next namespace's api, all → kube-dns. */
function tenNamespaces(): ConnectivityGraph {
  const ids: string[] = ['kube-system/kube-dns', 'internet', 'metadata-server'];
  const edges: [string, string, string][] = [];
  for (let i = 0; i < 10; i++) {
    const ns = `team-${String(i).padStart(2, '0')}`;
    ids.push(`${ns}/web`, `${ns}/api`, `${ns}/db`);
    edges.push([`${ns}/web`, `${ns}/api`, 'TCP 8080'], [`${ns}/api`, `${ns}/db`, 'TCP 5432'], ['internet', `${ns}/web`, 'TCP 443']);
    edges.push([`${ns}/api`, `team-${String((i + 1) % 10).padStart(2, '0')}/api`, 'TCP 8080, TCP 9090']);
    for (const w of ['web', 'api', 'db']) edges.push([`${ns}/${w}`, 'kube-system/kube-dns', 'TCP 53, UDP 53']);
    edges.push([`${ns}/db`, `${ns}/db`, 'TCP 5432'], [`${ns}/api`, 'metadata-server', 'TCP 80']);
  }
  return graphOf(ids, edges);
}

/** Every way the layout can be unreadable, as sentences (empty when it is not). */
function problems(g: ConnectivityGraph, l: GraphLayout): string[] {
  const out: string[] = [];
  const name = (b: LayoutBox) => `${b.x},${b.y} ${b.w}x${b.h}`;
  l.nodes.forEach((a, i) => l.nodes.slice(i + 1).forEach((b) => { if (overlaps(a, b)) out.push(`nodes ${a.id} and ${b.id} overlap`); }));
  l.groups.forEach((a, i) => l.groups.slice(i + 1).forEach((b) => { if (overlaps(a, b)) out.push(`groups ${a.id} and ${b.id} overlap`); }));
  g.groups.forEach((grp, i) => grp.nodes.forEach((id) => {
    const n = l.nodes[g.nodes.findIndex((m) => m.id === id)];
    const b = l.groups[i];
    if (n.x < b.x || n.y < b.y || n.x + n.w > b.x + b.w || n.y + n.h > b.y + b.h) out.push(`node ${id} is outside its group ${grp.id}`);
  }));
  const labels = l.edges.flatMap((e, k) => (e.label ? [{ k, b: e.label }] : []));
  labels.forEach(({ k, b }, i) => {
    for (const n of l.nodes) if (overlaps(b, n)) out.push(`label of ${g.edges[k].from} -> ${g.edges[k].to} (${name(b)}) overlaps node ${n.id}`);
    for (const grp of l.groups) if (overlaps(b, grp.title)) out.push(`label of ${g.edges[k].from} -> ${g.edges[k].to} overlaps the title of ${grp.id}`);
    for (const o of labels.slice(i + 1)) if (overlaps(b, o.b)) out.push(`labels of edges ${k} and ${o.k} overlap`);
  });
  for (const b of [...l.nodes, ...labels.map((x) => x.b)]) if (b.x < 0 || b.y < 0 || b.x + b.w > l.width || b.y + b.h > l.height) out.push(`${name(b)} is outside the picture`);
  // Each arrow starts on a side of its source and ends on a side of its destination.
  g.edges.forEach((e, k) => {
    const nums = l.edges[k].d.match(/-?[\d.]+/g)!.map(Number);
    const at = (id: string, x: number, y: number) => {
      const n = l.nodes[g.nodes.findIndex((m) => m.id === id)];
      return (x === n.x || x === n.x + n.w) && y > n.y && y < n.y + n.h;
    };
    if (!at(e.from, nums[0], nums[1])) out.push(`arrow ${e.from} -> ${e.to} does not start on its source`);
    if (!at(e.to, nums[nums.length - 2], nums[nums.length - 1])) out.push(`arrow ${e.from} -> ${e.to} does not end on its destination`);
  });
  return out;
}

describe('layoutGraph', () => {
  test('Online Boutique (one namespace, 12 workloads, 26 arrows): no overlaps, every arrow labelled, layered', () => {
    const g = boutiqueGraph();
    expect(g.nodes).toHaveLength(14);
    expect(g.edges).toHaveLength(26);
    const l = layoutGraph(g);
    expect(problems(g, l)).toEqual([]);
    expect(l.edges.every((e) => e.label !== undefined)).toBe(true);
    const layerOf = (label: string) => l.nodes[g.nodes.findIndex((n) => n.label.startsWith(label))].layer;
    // The call chain reads left to right: loadgenerator, frontend, checkout, payment.
    expect([layerOf('loadgenerator'), layerOf('frontend'), layerOf('checkoutservice'), layerOf('paymentservice')]).toEqual([0, 1, 2, 3]);
    expect(layerOf('redis-cart')).toBeGreaterThan(layerOf('cartservice'));
    // Not one column of boxes: the frontend's seven callees share a column, side by side with their callers.
    expect(new Set(l.nodes.map((n) => n.x)).size).toBeGreaterThanOrEqual(4);
  });

  test('ten namespaces with externals, cycles and self-loops: no overlaps, every arrow labelled', () => {
    const g = tenNamespaces();
    const l = layoutGraph(g);
    expect(problems(g, l)).toEqual([]);
    expect(l.edges.filter((e) => e.label === undefined)).toEqual([]);
    expect(l.groups.map((b) => b.id)).toEqual([...Array.from({ length: 10 }, (_, i) => `team-${String(i).padStart(2, '0')}`).sort(), 'kube-system', EXTERNALS_GROUP].sort((a, b) => (a === EXTERNALS_GROUP ? 1 : b === EXTERNALS_GROUP ? -1 : a < b ? -1 : 1)));
  });

  test('the example shop (three namespaces, externals, replicas): no overlaps', () => {
    const { model } = verifyApp(buildShopApp());
    const g = buildGraph({ policies: model.policies, cluster: model.cluster, dataplane: model.dataplane });
    expect(problems(g, layoutGraph(g))).toEqual([]);
  });

  test('a self-loop and a two-cycle get their own ends and labels', () => {
    const g = graphOf(['a/x', 'a/y'], [['a/x', 'a/y', 'TCP 1'], ['a/y', 'a/x', 'TCP 2'], ['a/x', 'a/x', 'TCP 3']]);
    const l = layoutGraph(g);
    expect(problems(g, l)).toEqual([]);
    expect(new Set(l.edges.map((e) => e.d)).size).toBe(3);
    expect(l.edges.every((e) => e.label !== undefined)).toBe(true);
    expect(l.nodes[1].x).toBeGreaterThanOrEqual(l.nodes[0].x + NODE_W + 90);
  });

  test('folded open nodes: one marker per namespace when all its nodes share it, else one per node', () => {
    const pods = Array.from({ length: 12 }, (_, i) => ({ namespace: 'open', name: `w${String(i).padStart(2, '0')}`, labels: { app: `w${i}` }, ip: `10.0.0.${i + 1}` }));
    const mixed = { namespace: 'mixed', name: 'db', labels: { app: 'db' }, ip: '10.0.1.1' };
    const cluster = parseCluster(JSON.stringify({ namespaces: { open: {}, mixed: {} }, pods: [...pods, mixed, { ...mixed, name: 'web', labels: { app: 'web' }, ip: '10.0.1.2' }] }), 'c.json').cluster;
    const [deny] = parsePolicies('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: mixed}\nspec: {podSelector: {matchLabels: {app: db}}}\n', 'p.yaml').policies;
    const g = buildGraph({ cluster, policies: [deny], foldOpen: true });
    const l = layoutGraph(g);
    expect(problems(g, l)).toEqual([]);
    expect(l.groups.map((b) => b.text)).toEqual(['namespace mixed', 'namespace open \u00b7 every node ingress and egress open']);
    expect(l.nodes.map((n) => [n.id, n.marker])).toEqual([['mixed/db', 'egress open'], ['mixed/web', 'ingress and egress open'], ...pods.map((p) => [`open/${p.name}`, undefined])]);
    expect(g.edges).toEqual([]); // db admits nothing (ingress isolated), every other arrow is folded
  });

  test('an empty graph is an empty picture', () => {
    expect(layoutGraph(graphOf([], []))).toEqual({ width: 32, height: 32, groups: [], nodes: [], edges: [] });
  });

  test('is deterministic: the same graph gives the same layout and the same page bytes', () => {
    expect(layoutGraph(tenNamespaces())).toEqual(layoutGraph(tenNamespaces()));
    expect(renderHtml(boutiqueGraph())).toBe(renderHtml(boutiqueGraph()));
  });

  test('random graphs: no box overlaps a box, no label a box, a title or another label', () => {
    const ids = ['a/p', 'a/q', 'a/r', 'b/p', 'b/q', 'c/p', 'internet', 'metadata'];
    const edge = fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids), fc.constantFrom('all', 'TCP 80', 'TCP 53, UDP 53', 'TCP 1000-2000,8080, UDP 53'));
    fc.assert(fc.property(fc.uniqueArray(edge, { selector: ([f, t]) => `${f}>${t}`, maxLength: 30 }), (raw) => {
      const edges = raw.filter(([f, t]) => f.includes('/') || t.includes('/'));
      const g = graphOf(ids, edges);
      expect(problems(g, layoutGraph(g))).toEqual([]);
    }), { numRuns: 200, seed: 14 });
  });
});

describe('LabelPlacer', () => {
  const box = (x: number, y: number, w = 40, h = 12) => ({ x, y, w, h });

  test('takes the first candidate that touches no obstacle, then counts it as one', () => {
    const placer = new LabelPlacer([box(0, 0, 100, 100)]);
    expect(placer.place([box(50, 50), box(100, 0), box(200, 0)])).toEqual(box(100, 0));
    expect(placer.place([box(120, 6), box(300, 300)])).toEqual(box(300, 300)); // overlaps the label just placed
  });

  test('places nothing when every candidate overlaps (the arrow is listed without a label)', () => {
    const placer = new LabelPlacer([box(0, 0, 1000, 1000)]);
    expect(placer.place([box(10, 10), box(900, 900)])).toBeUndefined();
    expect(placer.place([])).toBeUndefined();
  });

  test('boxes that only touch do not overlap', () => {
    expect(overlaps(box(0, 0), box(40, 0))).toBe(false);
    expect(overlaps(box(0, 0), box(39, 11))).toBe(true);
  });
});

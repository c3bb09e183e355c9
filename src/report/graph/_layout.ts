/**
 * The HTML graph's layout, computed at render time (so jest checks positions without a browser): a layered
 * (Sugiyama-style) drawing from left to right.
 *
 * 1. Cycles are broken by Eades, Lin and Smyth's greedy order (the arrows pointing backwards are drawn reversed).
 * 2. Layers by longest path from the sources; an edge spanning several layers gets a dummy slot in each layer
 *    it crosses, so it runs between boxes, never through one.
 * 3. Each group (namespace, then the externals) is a horizontal band: its nodes sit in the band at their
 *    layer's column, so group boxes never overlap and an arrow between groups crosses bands only in the gaps
 *    between columns.
 * 4. Order inside each (band, layer) cell by barycenter sweeps, down and up; then coordinates: each node as
 *    near the mean of its neighbours' centres as the cell allows, stacked without overlap.
 * 5. Arrow ends are spread over a node's side (the node is as tall as its ends need); each arrow's label sits
 *    just before its head, where ends are ARROW_GAP apart; a label that would still touch a box, a group
 *    title or another label moves to its tail, else is left out (its ports stay in the tooltip and the list).
 *
 * Pure and deterministic: the same graph gives the same numbers (rounded to 0.5 px).
 */
import { ConnectivityGraph, openMarker } from '../../analysis/graph';

/** An axis-aligned box: x, y of the top-left corner. */
export interface LayoutBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LayoutGroup extends LayoutBox {
  /** The group's id (a namespace, or EXTERNALS_GROUP). */
  readonly id: string;
  /** The group's title: its label, and the `open` marker (foldOpen) when every node of the group has the same one. */
  readonly text: string;
  /** Where the group's title is written (its baseline's start is x, y + h - 4). */
  readonly title: LayoutBox;
}

export interface LayoutNode extends LayoutBox {
  readonly id: string;
  readonly layer: number;
  /** The node's `open` marker (foldOpen), as a second line; absent when none or when its group's title says it. */
  readonly marker?: string;
}

export interface LayoutLabel extends LayoutBox {
  /** Where the text starts (text-anchor start) and its baseline. */
  readonly tx: number;
  readonly ty: number;
}

export interface LayoutEdge {
  /** An SVG path from the source's side to the destination's side. */
  readonly d: string;
  /** Absent when no free place was found: the ports are in the tooltip and the list of unlabelled arrows. */
  readonly label?: LayoutLabel;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  /** In the graph's group order. */
  readonly groups: readonly LayoutGroup[];
  /** In the graph's node order. */
  readonly nodes: readonly LayoutNode[];
  /** In the graph's edge order. */
  readonly edges: readonly LayoutEdge[];
}

export const NODE_W = 220;
const NODE_MIN_H = 28;
/** A node with an `open` marker (foldOpen) has a second line. */
const NODE_OPEN_H = 40;
/** Vertical distance between two arrow ends on one side of a node; more than a label's height. */
export const ARROW_GAP = 13;
const NODE_GAP = 12;
const DUMMY_H = ARROW_GAP;
const PAD = 12;
const HEAD = 26;
const BAND_GAP = 18;
const MARGIN = 16;
const MIN_GAP = 90;
const LABEL_H = 12;
/** Width of a character of a 10px label, an upper bound for the page's sans-serif digits and letters. */
const LABEL_CHAR_W = 6.2;
const TITLE_CHAR_W = 7.4;
const SELF_LOOP = 30;
const SWEEPS = 6;
/** Above this many dummy slots, long arrows are drawn straight across instead (cost stays near edges × layers). */
const MAX_DUMMIES = 20_000;

/** The width a label of this text is given. */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * LABEL_CHAR_W) + 4;
}

/** Whether two boxes share interior points (touching edges do not count). */
export function overlaps(a: LayoutBox, b: LayoutBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

const round = (v: number) => Math.round(v * 2) / 2;

/** One slot of a column: a node, or a dummy an edge passes through. */
interface Item {
  readonly band: number;
  layer: number;
  readonly h: number;
  /** The node's index, or -1 for a dummy. */
  readonly node: number;
  y: number;
  /** Rank inside its cell (barycenter ordering). */
  order: number;
}

/** An edge of the graph as drawn: a chain of items from its drawn start to its drawn end. */
interface Route {
  readonly edge: number;
  /** Items from the lower layer to the higher one. */
  readonly chain: number[];
  /** Drawn from the higher layer to the lower one (a broken cycle's edge). */
  readonly reversed: boolean;
}

type Side = 'l' | 'r';

export function layoutGraph(g: ConnectivityGraph): GraphLayout {
  const index = new Map(g.nodes.map((n, i) => [n.id, i]));
  const bandOf = new Map<string, number>();
  g.groups.forEach((grp, b) => grp.nodes.forEach((id) => bandOf.set(id, b)));
  // One marker per group when all its nodes share it (a namespace without policies), else one per node.
  const groupMarker = g.groups.map((grp) => {
    const ms = grp.nodes.map((id) => openMarker(g.nodes[index.get(id)!]));
    return ms[0] !== undefined && ms.every((m) => m === ms[0]) ? ms[0] : undefined;
  });
  const nodeMarker = g.nodes.map((n) => (groupMarker[bandOf.get(n.id)!] === undefined ? openMarker(n) : undefined));
  const N = g.nodes.length;
  if (N === 0) return { width: 2 * MARGIN, height: 2 * MARGIN, groups: [], nodes: [], edges: [] };
  const pairs = g.edges.map((e) => [index.get(e.from)!, index.get(e.to)!] as const);

  // 1. Cycle breaking (Eades, Lin and Smyth's greedy order): sinks go last, sources first, else the node with the
  // most outgoing minus incoming arrows; the arrows that point backwards in that order are drawn reversed.
  const order = greedyOrder(N, pairs);
  const reversed = pairs.map(([a, b]) => a !== b && order[a] > order[b]);

  // 2. Longest-path layering on the acyclic orientation (Kahn's order, ties by node index).
  const fwd: number[][] = g.nodes.map(() => []);
  const indeg = new Array<number>(N).fill(0);
  pairs.forEach(([a, b], k) => {
    if (a === b) return;
    const [u, v] = reversed[k] ? [b, a] : [a, b];
    fwd[u].push(v);
    indeg[v]++;
  });
  const layer = new Array<number>(N).fill(0);
  const queue: number[] = [];
  for (let v = 0; v < N; v++) if (indeg[v] === 0) queue.push(v);
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    for (const v of fwd[u]) {
      layer[v] = Math.max(layer[v], layer[u] + 1);
      if (--indeg[v] === 0) queue.push(v);
    }
  }
  const layers = layer.reduce((m, l) => Math.max(m, l), 0) + 1;

  // Arrow ends per node side, counted first: a node is as tall as its busier side needs.
  const ends: number[][] = g.nodes.map(() => [0, 0]); // [left, right]
  pairs.forEach(([a, b], k) => {
    if (a === b) { ends[a][1] += 2; return; }
    if (reversed[k]) { ends[a][0]++; ends[b][1]++; } else { ends[a][1]++; ends[b][0]++; }
  });
  const items: Item[] = g.nodes.map((n, i) => ({
    band: bandOf.get(n.id)!,
    layer: layer[i],
    node: i,
    y: 0,
    order: 0,
    h: Math.max(nodeMarker[i] !== undefined ? NODE_OPEN_H : NODE_MIN_H, (Math.max(ends[i][0], ends[i][1]) + 1) * ARROW_GAP),
  }));
  let dummies = 0;
  pairs.forEach(([a, b]) => { if (a !== b) dummies += Math.abs(layer[a] - layer[b]) - 1; });
  const useDummies = dummies <= MAX_DUMMIES;
  const routes: Route[] = [];
  pairs.forEach(([a, b], k) => {
    if (a === b) return;
    const [u, v] = reversed[k] ? [b, a] : [a, b];
    const chain = [u];
    if (useDummies) {
      for (let l = layer[u] + 1; l < layer[v]; l++) {
        chain.push(items.length);
        items.push({ band: items[u].band, layer: l, h: DUMMY_H, node: -1, y: 0, order: 0 });
      }
    }
    chain.push(v);
    routes.push({ edge: k, chain, reversed: reversed[k] });
  });

  // 3-4. Cells, ordered by barycenter sweeps. An item's rank is (band, order): bands never mix.
  const bands = g.groups.length;
  const cells: number[][][] = Array.from({ length: bands }, () => Array.from({ length: layers }, () => [] as number[]));
  items.forEach((it, i) => cells[it.band][it.layer].push(i));
  const up: number[][] = items.map(() => []);
  const down: number[][] = items.map(() => []);
  for (const r of routes) {
    for (let j = 0; j + 1 < r.chain.length; j++) {
      if (items[r.chain[j]].layer + 1 !== items[r.chain[j + 1]].layer) continue; // a straight long arrow
      down[r.chain[j]].push(r.chain[j + 1]);
      up[r.chain[j + 1]].push(r.chain[j]);
    }
  }
  const renumber = () => cells.forEach((row) => row.forEach((cell) => cell.forEach((i, o) => { items[i].order = o; })));
  renumber();
  const rank = (i: number) => items[i].band * (items.length + 1) + items[i].order;
  const sortCell = (cell: number[], nbrs: number[][]) => {
    const key = new Map(cell.map((i) => {
      const ns = nbrs[i];
      return [i, ns.length === 0 ? items[i].order : ns.reduce((s, j) => s + rank(j), 0) / ns.length] as const;
    }));
    // A node without neighbours on that side keeps its rank; ties keep the current order (stable).
    cell.sort((p, q) => (key.get(p)! - key.get(q)!) || (items[p].order - items[q].order));
    cell.forEach((i, o) => { items[i].order = o; });
  };
  for (let s = 0; s < SWEEPS; s++) {
    for (let l = 1; l < layers; l++) for (let b = 0; b < bands; b++) sortCell(cells[b][l], up);
    for (let l = layers - 2; l >= 0; l--) for (let b = 0; b < bands; b++) sortCell(cells[b][l], down);
  }

  // Coordinates: band heights, then each cell's items near their neighbours' centres.
  const cellH = (cell: number[]) => cell.reduce((s, i) => s + items[i].h, 0) + Math.max(0, cell.length - 1) * NODE_GAP;
  const bandTop: number[] = [];
  const bandH: number[] = [];
  let y = MARGIN;
  for (let b = 0; b < bands; b++) {
    bandTop.push(y);
    const inner = cells[b].reduce((m, cell) => Math.max(m, cellH(cell)), 0);
    bandH.push(HEAD + inner + PAD);
    y += bandH[b] + BAND_GAP;
  }
  const height = Math.max(y - BAND_GAP + MARGIN, 2 * MARGIN);
  const place = (b: number, cell: number[], want: (i: number) => number | undefined) => {
    const top = bandTop[b] + HEAD;
    const bottom = bandTop[b] + bandH[b] - PAD;
    const free = bottom - top - cellH(cell);
    let at = top + free / 2; // stacked and centred, for items nothing pulls
    for (const i of cell) {
      const w = want(i);
      items[i].y = Math.max(at, w === undefined ? at : w - items[i].h / 2);
      at = items[i].y + items[i].h + NODE_GAP;
    }
    let limit = bottom;
    for (let j = cell.length - 1; j >= 0; j--) {
      const it = items[cell[j]];
      it.y = Math.min(it.y, limit - it.h);
      limit = it.y - NODE_GAP;
    }
  };
  const centre = (i: number) => items[i].y + items[i].h / 2;
  const mean = (ns: readonly number[], b: number) => {
    const same = ns.filter((j) => items[j].band === b);
    return same.length === 0 ? undefined : same.reduce((s, j) => s + centre(j), 0) / same.length;
  };
  for (let b = 0; b < bands; b++) for (let l = 0; l < layers; l++) place(b, cells[b][l], () => undefined);
  for (let s = 0; s < 2; s++) {
    for (let l = 1; l < layers; l++) for (let b = 0; b < bands; b++) place(b, cells[b][l], (i) => mean(up[i], b));
    for (let l = layers - 2; l >= 0; l--) for (let b = 0; b < bands; b++) place(b, cells[b][l], (i) => mean(down[i], b));
  }
  items.forEach((it) => { it.y = round(it.y); });

  // Ends on each side, ordered by the vertical position of the neighbouring point of their route.
  interface End { readonly route: number; readonly other: number; readonly start: boolean }
  const sideEnds = new Map<string, End[]>();
  const addEnd = (node: number, side: Side, e: End) => {
    const key = `${node}${side}`;
    const list = sideEnds.get(key);
    if (list === undefined) sideEnds.set(key, [e]); else list.push(e);
  };
  const selfLoops: number[] = [];
  pairs.forEach(([a, b], k) => {
    if (a !== b) return;
    selfLoops.push(k);
    addEnd(a, 'r', { route: -1 - k, other: centre(a) - 0.25, start: true });
    addEnd(a, 'r', { route: -1 - k, other: centre(a) + 0.25, start: false });
  });
  routes.forEach((r, ri) => {
    const [u, v] = [r.chain[0], r.chain[r.chain.length - 1]];
    // The chain runs left to right: u's right side to v's left side.
    addEnd(u, 'r', { route: ri, other: centre(r.chain[1]), start: !r.reversed });
    addEnd(v, 'l', { route: ri, other: centre(r.chain[r.chain.length - 2]), start: r.reversed });
  });
  const endY = new Map<string, number>();
  for (const [key, list] of sideEnds) {
    const node = Number(key.slice(0, -1));
    list.sort((p, q) => (p.other - q.other) || (p.route - q.route) || (Number(p.start) - Number(q.start)));
    list.forEach((e, k) => { endY.set(`${key}|${e.route}|${e.start ? 's' : 'e'}`, round(items[node].y + items[node].h * (k + 1) / (list.length + 1))); });
  }
  const endAt = (node: number, side: Side, route: number, start: boolean) => endY.get(`${node}${side}|${route}|${start ? 's' : 'e'}`)!;

  // Columns: each gap as wide as the labels that sit in it need.
  const rightW = new Array<number>(layers).fill(0); // labels right of a column (reversed arrows' heads, self-loops)
  const leftW = new Array<number>(layers).fill(0); // labels left of a column (forward arrows' heads)
  pairs.forEach(([a, b], k) => {
    const w = labelWidth(g.edges[k].label);
    if (a === b) rightW[layer[a]] = Math.max(rightW[layer[a]], SELF_LOOP + 4 + w);
    else if (reversed[k]) rightW[layer[b]] = Math.max(rightW[layer[b]], w + 6);
    else leftW[layer[b]] = Math.max(leftW[layer[b]], w + 6);
  });
  const colX: number[] = [];
  let x = MARGIN + PAD;
  for (let l = 0; l < layers; l++) {
    colX.push(x);
    x += NODE_W + (l + 1 < layers ? Math.max(MIN_GAP, rightW[l] + leftW[l + 1] + 40) : 0);
  }
  const width = Math.max(x + Math.max(PAD, rightW[layers - 1]) + MARGIN, 2 * MARGIN);

  const nodes: LayoutNode[] = g.nodes.map((n, i) => {
    const at = { id: n.id, layer: layer[i], x: colX[layer[i]], y: items[i].y, w: NODE_W, h: items[i].h };
    return nodeMarker[i] === undefined ? at : { ...at, marker: nodeMarker[i] };
  });
  const groups: LayoutGroup[] = g.groups.map((grp, b) => {
    const ls = grp.nodes.map((id) => layer[index.get(id)!]);
    const x0 = colX[ls.reduce((m, l) => Math.min(m, l), layers)] - PAD;
    const w = colX[ls.reduce((m, l) => Math.max(m, l), 0)] + NODE_W + PAD - x0;
    const text = groupMarker[b] === undefined ? grp.label : `${grp.label} \u00b7 every node ${groupMarker[b]}`;
    const title = { x: x0 + 10, y: bandTop[b] + 4, w: Math.min(w - 20, Math.ceil(text.length * TITLE_CHAR_W)), h: 16 };
    return { id: grp.id, text, x: x0, y: bandTop[b], w, h: bandH[b], title };
  });

  // Paths. Between two columns a cubic with horizontal tangents stays inside the gap; across a dummy's
  // column a straight line at the dummy's height.
  const paths = new Array<string>(pairs.length);
  const heads = new Array<{ x: number; y: number; side: Side }>(pairs.length);
  const tails = new Array<{ x: number; y: number; side: Side }>(pairs.length);
  const curve = (x1: number, y1: number, x2: number, y2: number) => {
    const dx = round(Math.max(24, Math.abs(x2 - x1) * 0.45)) * (x2 >= x1 ? 1 : -1);
    return ` C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
  };
  routes.forEach((r, ri) => {
    const [u, v] = [r.chain[0], r.chain[r.chain.length - 1]];
    const pts: [number, number][] = [[colX[items[u].layer] + NODE_W, endAt(u, 'r', ri, !r.reversed)]];
    for (const d of r.chain.slice(1, -1)) {
      const yd = round(centre(d));
      pts.push([colX[items[d].layer], yd], [colX[items[d].layer] + NODE_W, yd]);
    }
    pts.push([colX[items[v].layer], endAt(v, 'l', ri, r.reversed)]);
    if (r.reversed) pts.reverse();
    let d = `M${pts[0][0]},${pts[0][1]}`;
    for (let j = 1; j < pts.length; j++) {
      const [x1, y1] = pts[j - 1];
      const [x2, y2] = pts[j];
      d += y1 === y2 && Math.abs(x2 - x1) === NODE_W ? ` L${x2},${y2}` : curve(x1, y1, x2, y2);
    }
    paths[r.edge] = d;
    const last = pts[pts.length - 1];
    const first = pts[0];
    heads[r.edge] = { x: last[0], y: last[1], side: r.reversed ? 'r' : 'l' };
    tails[r.edge] = { x: first[0], y: first[1], side: r.reversed ? 'l' : 'r' };
  });
  for (const k of selfLoops) {
    const a = pairs[k][0];
    const xr = colX[layer[a]] + NODE_W;
    const y1 = endAt(a, 'r', -1 - k, true);
    const y2 = endAt(a, 'r', -1 - k, false);
    paths[k] = `M${xr},${y1} C${xr + SELF_LOOP},${y1 - 8} ${xr + SELF_LOOP},${y2 + 8} ${xr},${y2}`;
    heads[k] = { x: xr + SELF_LOOP - 6, y: round((y1 + y2) / 2 + 5), side: 'r' };
  }

  // 5. Labels: before the head, else after the tail, else none; never on a box, a title or another label.
  const placer = new LabelPlacer([...nodes, ...groups.map((grp) => grp.title)]);
  const labelAt = (p: { x: number; y: number; side: Side }, w: number): LayoutLabel => {
    const lx = p.side === 'l' ? p.x - 6 - w : p.x + 6;
    return { x: lx, y: p.y - LABEL_H + 1, w, h: LABEL_H, tx: lx + 2, ty: p.y - 2 };
  };
  const edges: LayoutEdge[] = g.edges.map((e, k) => {
    const w = labelWidth(e.label);
    const candidates = [labelAt(heads[k], w), ...(tails[k] ? [labelAt(tails[k], w)] : [])];
    const label = placer.place(candidates);
    return label === undefined ? { d: paths[k] } : { d: paths[k], label };
  });
  return { width: round(width), height: round(height), groups, nodes, edges };
}

/**
 * The position of each node in Eades, Lin and Smyth's greedy order (self-loops ignored): repeatedly, every sink
 * goes to the end, every source to the front, else the node with the largest outdegree minus indegree (the
 * lowest index on a tie) to the front. Few arrows point backwards; quadratic in nodes, linear in arrows.
 */
function greedyOrder(n: number, pairs: readonly (readonly [number, number])[]): number[] {
  const outs: number[][] = Array.from({ length: n }, () => []);
  const ins: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of pairs) {
    if (a === b) continue;
    outs[a].push(b);
    ins[b].push(a);
  }
  const outDeg = outs.map((l) => l.length);
  const inDeg = ins.map((l) => l.length);
  const gone = new Uint8Array(n);
  const front: number[] = [];
  const back: number[] = [];
  const remove = (v: number) => {
    gone[v] = 1;
    for (const w of outs[v]) inDeg[w]--;
    for (const u of ins[v]) outDeg[u]--;
  };
  let left = n;
  while (left > 0) {
    let changed = true;
    while (changed) {
      changed = false;
      for (let v = 0; v < n; v++) {
        if (gone[v] || outDeg[v] !== 0) continue;
        back.push(v);
        remove(v);
        left--;
        changed = true;
      }
      for (let v = 0; v < n; v++) {
        if (gone[v] || inDeg[v] !== 0) continue;
        front.push(v);
        remove(v);
        left--;
        changed = true;
      }
    }
    if (left === 0) break;
    let best = -1;
    for (let v = 0; v < n; v++) if (!gone[v] && (best < 0 || outDeg[v] - inDeg[v] > outDeg[best] - inDeg[best])) best = v;
    front.push(best);
    remove(best);
    left--;
  }
  const pos = new Array<number>(n);
  [...front, ...back.reverse()].forEach((v, i) => { pos[v] = i; });
  return pos;
}

/** Places labels one by one, each at its first candidate that overlaps no obstacle and no label placed before. */
export class LabelPlacer {
  private readonly taken = new Grid();

  constructor(obstacles: readonly LayoutBox[]) {
    obstacles.forEach((b) => this.taken.add(b));
  }

  /** The first free candidate (now taken), or undefined when every one overlaps something. */
  public place<T extends LayoutBox>(candidates: readonly T[]): T | undefined {
    const free = candidates.find((c) => !this.taken.hits(c));
    if (free !== undefined) this.taken.add(free);
    return free;
  }
}

/** Boxes bucketed by 64 px cells, for overlap queries near a point. */
class Grid {
  private readonly cells = new Map<string, LayoutBox[]>();

  public add(b: LayoutBox): void {
    for (const key of this.keys(b)) {
      const list = this.cells.get(key);
      if (list === undefined) this.cells.set(key, [b]); else list.push(b);
    }
  }

  public hits(b: LayoutBox): boolean {
    for (const key of this.keys(b)) for (const o of this.cells.get(key) ?? []) if (overlaps(b, o)) return true;
    return false;
  }

  private keys(b: LayoutBox): string[] {
    const out: string[] = [];
    for (let i = Math.floor(b.x / 64); i <= Math.floor((b.x + b.w) / 64); i++) {
      for (let j = Math.floor(b.y / 64); j <= Math.floor((b.y + b.h) / 64); j++) out.push(`${i},${j}`);
    }
    return out;
  }
}

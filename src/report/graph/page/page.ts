/// <reference lib="dom" />
/*
 * The script of the `netproof graph --format html` page: builds the SVG graph and the matrix from the
 * JSON in #netproof-data (deterministic layout), then marks the body data-rendered="true". A browser
 * script, not a module: projenrc/bundle-page.ts compiles it into ../_page.generated.ts, which html.ts inlines.
 */
(() => {
  'use strict';
  type PageData = import('../html').GraphPageData;
  type GraphNode = import('../../../analysis/graph').GraphNode;
  type GraphEdge = import('../../../analysis/graph').GraphEdge;
  type GraphGroup = import('../../../analysis/graph').GraphGroup;
  /** The left or right side of a node, where arrows end. */
  type Side = 'l' | 'r';
  /** An edge and the sides of its two nodes it is drawn between. */
  interface Plan {
    readonly e: GraphEdge;
    readonly fromSide: Side;
    readonly toSide: Side;
  }

  const data = JSON.parse(document.getElementById('netproof-data')!.textContent!) as PageData;
  // Split, so that the page holds no URL (it loads nothing).
  const SVG = 'http' + '://www.w3.org/2000/svg';
  const byId: Record<string, GraphNode> = {};
  data.nodes.forEach((n) => { byId[n.id] = n; });
  const info = document.getElementById('np-info')!;
  function el(name: string, attrs: Record<string, string | number>, parent?: Element): Element {
    const e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach((k) => { e.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function show(text: string): void { info.textContent = text; }
  function groupName(n: GraphNode): string { return n.kind === 'external' ? 'external' : n.group; }
  function edgeText(e: GraphEdge): string {
    const from = byId[e.from], to = byId[e.to];
    const lines = [from.label + ' (' + groupName(from) + ')  \u2192  ' + to.label + ' (' + groupName(to) + ')', 'allowed on: ' + e.label];
    if (e.from === e.to) lines.push('between the replicas of this workload');
    return lines.join('\n');
  }

  // Layout: namespaces stacked in columns (sorted; a new column when one gets tall), externals in the
  // last column; nodes stacked inside their group, each as tall as the arrows that end on it need.
  const NODE_W = 220, NODE_MIN_H = 28, ARROW_GAP = 13, NODE_GAP = 12, PAD = 12, HEAD = 24, COL_GAP = 250, GROUP_GAP = 18;
  const MARGIN_X = 190, MARGIN_Y = 16, MAX_COL_H = 900;
  const nsGroups = data.groups.filter((g) => g.kind !== 'externals');
  const extGroups = data.groups.filter((g) => g.kind === 'externals');

  // Which side of a node each arrow end uses: facing the other node's column; the left side within a column.
  let columns: GraphGroup[][] = [];
  const colOf: Record<string, number> = {};
  const ends: Record<string, Plan[]> = {};
  function endKey(id: string, side: Side): string { return id + '|' + side; }
  function placeColumns(heightOf: (g: GraphGroup) => number): void {
    columns = [];
    let col: GraphGroup[] = [];
    let h = 0;
    nsGroups.forEach((g) => {
      const gh = heightOf(g);
      if (col.length && h + gh > MAX_COL_H) { columns.push(col); col = []; h = 0; }
      col.push(g); h += gh + GROUP_GAP;
    });
    if (col.length) columns.push(col);
    if (extGroups.length) columns.push(extGroups);
    columns.forEach((c, i) => { c.forEach((g) => { g.nodes.forEach((id) => { colOf[id] = i; }); }); });
  }
  // First pass with minimal heights decides columns and sides; the second sizes nodes by their arrows.
  placeColumns((g) => HEAD + PAD + g.nodes.length * (NODE_MIN_H + NODE_GAP));
  const plans = data.edges.map((e): Plan => {
    const a = colOf[e.from], b = colOf[e.to];
    const fromSide: Side = a === b ? 'l' : (b > a ? 'r' : 'l');
    const toSide: Side = a === b ? 'l' : (b > a ? 'l' : 'r');
    const p: Plan = { e, fromSide, toSide };
    for (const [id, side] of [[e.from, fromSide], [e.to, toSide]] as const) {
      const key = endKey(id, side);
      (ends[key] = ends[key] || []).push(p);
    }
    return p;
  });
  const nodeH: Record<string, number> = {};
  data.nodes.forEach((n) => {
    const k = Math.max((ends[endKey(n.id, 'l')] || []).length, (ends[endKey(n.id, 'r')] || []).length);
    nodeH[n.id] = Math.max(NODE_MIN_H, (k + 1) * ARROW_GAP);
  });
  function groupHeight(g: GraphGroup): number {
    return HEAD + PAD + g.nodes.reduce((s, id) => s + nodeH[id] + NODE_GAP, 0);
  }
  placeColumns(groupHeight);
  const pos: Record<string, { x: number; y: number; h: number }> = {};
  const boxes: { g: GraphGroup; x: number; y: number; w: number; h: number }[] = [];
  let height = 0;
  const groupW = NODE_W + 2 * PAD;
  columns.forEach((c, i) => {
    const x = MARGIN_X + i * (groupW + COL_GAP);
    let y = MARGIN_Y;
    c.forEach((g) => {
      const h = groupHeight(g);
      let ny = y + HEAD;
      boxes.push({ g, x, y, w: groupW, h });
      g.nodes.forEach((id) => { pos[id] = { x: x + PAD, y: ny, h: nodeH[id] }; ny += nodeH[id] + NODE_GAP; });
      y += h + GROUP_GAP;
    });
    height = Math.max(height, y);
  });
  const width = 2 * MARGIN_X + columns.length * groupW + (columns.length - 1) * COL_GAP;
  height += MARGIN_Y;
  const svg = el('svg', { id: 'np-svg', width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'np-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#2e7d32' }, marker);
  const groupLayer = el('g', { class: 'np-groups' }, svg);
  const edgeLayer = el('g', { class: 'np-edges' }, svg);
  const nodeLayer = el('g', { class: 'np-nodes' }, svg);
  const labelLayer = el('g', { class: 'np-labels' }, svg);

  boxes.forEach((b) => {
    const gg = el('g', { 'class': 'np-group np-group-' + (b.g.kind === 'externals' ? 'externals' : 'namespace'), 'data-group': b.g.id }, groupLayer);
    el('rect', { class: 'np-group-box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }, gg);
    el('text', { class: 'np-group-title', x: b.x + 10, y: b.y + 16 }, gg).textContent = b.g.label;
  });

  // Arrow ends spread evenly over the node's side, in the order of the other end's vertical position.
  Object.keys(ends).forEach((key) => {
    const id = key.slice(0, key.lastIndexOf('|'));
    ends[key].sort((p, q) => {
      const po = p.e.from === id ? p.e.to : p.e.from, qo = q.e.from === id ? q.e.to : q.e.from;
      return (pos[po].y - pos[qo].y) || (p.e.from === id ? 1 : 0) - (q.e.from === id ? 1 : 0);
    });
  });
  function endY(id: string, side: Side, p: Plan, last?: boolean): number {
    const list = ends[endKey(id, side)], k = last ? list.lastIndexOf(p) : list.indexOf(p), n = list.length;
    return pos[id].y + pos[id].h * (k + 1) / (n + 1);
  }
  const edgeEls: { e: GraphEdge; path: Element; label: Element }[] = [];
  plans.forEach((p, i) => {
    const e = p.e, a = pos[e.from], b = pos[e.to];
    const x1 = a.x + (p.fromSide === 'r' ? NODE_W : 0), y1 = endY(e.from, p.fromSide, p);
    const x2 = b.x + (p.toSide === 'r' ? NODE_W : 0), y2 = endY(e.to, p.toSide, p, true);
    let d: string, lx: number, ly: number, anchor = 'middle';
    if (e.from === e.to) {
      d = 'M' + x1 + ',' + y1 + ' C' + (x1 - 45) + ',' + (y1 - 22) + ' ' + (x2 - 45) + ',' + (y2 + 22) + ' ' + x2 + ',' + (y2 + 4);
      lx = x1 - 36; ly = y1 + 3; anchor = 'end';
    } else if (p.fromSide === p.toSide) {
      // Upward arcs bulge further and carry their label higher, so a pair of opposite arcs stays apart.
      const up = y2 < y1;
      const bulge = Math.min(100, 28 + Math.abs(y2 - y1) * 0.2 + (up ? 24 : 0));
      const cx = Math.min(x1, x2) - bulge;
      d = 'M' + x1 + ',' + y1 + ' C' + cx + ',' + y1 + ' ' + cx + ',' + y2 + ' ' + x2 + ',' + y2;
      lx = cx + bulge * 0.25 - 4; ly = (y1 + y2) / 2 + (up ? -4 : 10); anchor = 'end';
    } else {
      const dx = Math.max(50, Math.abs(x2 - x1) * 0.45), s1 = p.fromSide === 'r' ? 1 : -1, s2 = p.toSide === 'r' ? 1 : -1;
      d = 'M' + x1 + ',' + y1 + ' C' + (x1 + s1 * dx) + ',' + y1 + ' ' + (x2 + s2 * dx) + ',' + y2 + ' ' + x2 + ',' + y2;
      // The label sits just before the arrow head, where the arrows ending on one node are spread apart.
      lx = x2 + s2 * 8; ly = y2 - 2; anchor = s2 > 0 ? 'start' : 'end';
    }
    const path = el('path', { 'class': 'np-edge', d, 'marker-end': 'url(#np-arrow)', 'data-from': e.from, 'data-to': e.to, 'data-ports': e.label }, edgeLayer);
    el('title', {}, path).textContent = edgeText(e);
    const label = el('text', { 'class': 'np-edge-label', 'x': lx, 'y': ly, 'text-anchor': anchor, 'data-edge': String(i) }, labelLayer);
    label.textContent = e.label;
    el('title', {}, label).textContent = edgeText(e);
    edgeEls.push({ e, path, label });
    [path, label].forEach((t) => {
      t.addEventListener('mouseenter', () => { highlight((x) => x === e); show(edgeText(e)); });
      t.addEventListener('mouseleave', () => { highlight(null); });
    });
  });

  data.nodes.forEach((n) => {
    const p = pos[n.id];
    const g = el('g', { 'class': 'np-node' + (n.kind === 'external' ? ' np-external' : ''), 'data-id': n.id, 'data-group': n.group }, nodeLayer);
    el('rect', { x: p.x, y: p.y, width: NODE_W, height: p.h, rx: n.kind === 'external' ? 12 : 5 }, g);
    const t = el('text', { 'x': p.x + NODE_W / 2, 'y': p.y + p.h / 2 + 4, 'text-anchor': 'middle' }, g);
    t.textContent = n.label.length > 34 ? n.label.slice(0, 33) + '\u2026' : n.label;
    const outs = data.edges.filter((e) => e.from === n.id && e.to !== n.id);
    const ins = data.edges.filter((e) => e.to === n.id && e.from !== n.id);
    const text = n.id + (n.members.length > 1 ? ' (' + n.members.length + ' pods: ' + n.members.join(', ') + ')' : '') +
      '\nreaches: ' + (outs.map((e) => byId[e.to].label + ' [' + e.label + ']').join(', ') || 'nothing') +
      '\nreached from: ' + (ins.map((e) => byId[e.from].label + ' [' + e.label + ']').join(', ') || 'nothing');
    el('title', {}, g).textContent = text;
    g.addEventListener('mouseenter', () => { highlight((e) => e.from === n.id || e.to === n.id); show(text); });
    g.addEventListener('mouseleave', () => { highlight(null); });
  });

  function highlight(pred: ((e: GraphEdge) => boolean) | null): void {
    svg.setAttribute('class', pred ? 'np-dim' : '');
    edgeEls.forEach((x) => {
      const hot = pred && pred(x.e);
      x.path.setAttribute('class', 'np-edge' + (hot ? ' np-hot' : ''));
      x.label.setAttribute('class', 'np-edge-label' + (hot ? ' np-hot' : ''));
    });
  }
  document.getElementById('np-graph')!.appendChild(svg);

  // Matrix: rows sources, columns destinations, both grouped by namespace (externals last).
  const edgeOf: Record<string, GraphEdge | undefined> = {};
  data.edges.forEach((e) => { edgeOf[e.from + '\u0000' + e.to] = e; });
  const table = document.createElement('table');
  table.className = 'np-matrix';
  const head1 = table.insertRow(), head2 = table.insertRow();
  const corner = document.createElement('th');
  corner.rowSpan = 2; corner.colSpan = 2; corner.textContent = 'from \u2193 / to \u2192'; head1.appendChild(corner);
  data.groups.forEach((g) => {
    const th = document.createElement('th');
    th.className = 'np-gh'; th.colSpan = g.nodes.length; th.textContent = g.label; head1.appendChild(th);
    g.nodes.forEach((id) => { const c = document.createElement('th'); c.textContent = byId[id].label; c.title = id; head2.appendChild(c); });
  });
  let selected: HTMLTableCellElement | null = null;
  data.groups.forEach((g) => {
    g.nodes.forEach((fromId, k) => {
      const row = table.insertRow();
      if (k === 0) {
        const gh = document.createElement('th');
        gh.className = 'np-gh'; gh.rowSpan = g.nodes.length; gh.textContent = g.label; row.appendChild(gh);
      }
      const rh = document.createElement('th');
      rh.className = 'np-row'; rh.textContent = byId[fromId].label; rh.title = fromId; row.appendChild(rh);
      data.groups.forEach((g2) => {
        g2.nodes.forEach((toId) => {
          const td = row.insertCell();
          const from = byId[fromId], to = byId[toId], e = edgeOf[fromId + '\u0000' + toId];
          td.setAttribute('data-from', fromId); td.setAttribute('data-to', toId);
          let text: string;
          if (from.kind === 'external' && to.kind === 'external') {
            td.className = 'np-na'; td.textContent = '\u00b7'; text = 'external to external: not modelled';
          } else if (fromId === toId && from.members.length === 1) {
            td.className = 'np-self'; td.textContent = 'self'; text = fromId + ' reaches itself: loopback is always allowed';
          } else if (e) {
            td.className = 'np-allowed'; td.textContent = e.label; text = edgeText(e);
          } else {
            td.className = 'np-denied'; td.textContent = '\u2013'; text = from.label + ' \u2192 ' + to.label + ': denied on ' + data.scope;
          }
          td.title = text;
          td.addEventListener('mouseenter', () => { show(text); if (e) highlight((x) => x === e); });
          td.addEventListener('mouseleave', () => { highlight(null); });
          td.addEventListener('click', () => {
            if (selected) selected.classList.remove('np-selected');
            selected = td; td.classList.add('np-selected'); show(text);
          });
        });
      });
    });
  });
  document.getElementById('np-matrix')!.appendChild(table);
  document.body.setAttribute('data-rendered', 'true');
})();

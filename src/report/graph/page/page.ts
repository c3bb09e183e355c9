/// <reference lib="dom" />
/*
 * The script of the `netproof graph --format html` page: builds the SVG graph and the matrix from the
 * JSON in #netproof-data (graph and its layout, computed by ../_layout.ts at render time), then marks the body data-rendered="true". A browser
 * script, not a module: projenrc/bundle-page.ts compiles it into ../_page.generated.ts, which html.ts inlines.
 */
(() => {
  'use strict';
  type PageData = import('../html').GraphPageData;
  type GraphNode = import('../../../analysis/graph').GraphNode;
  type GraphEdge = import('../../../analysis/graph').GraphEdge;

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

  // The layout comes computed (../_layout.ts, at render time): the script only draws it.
  const layout = data.layout;
  const svg = el('svg', { id: 'np-svg', width: layout.width, height: layout.height, viewBox: '0 0 ' + layout.width + ' ' + layout.height, role: 'img' });
  // Shrunk to fit the panel, but never below MIN_SCALE: a wider picture scrolls instead of getting unreadable.
  const MIN_SCALE = 0.65;
  svg.setAttribute('style', 'min-width: ' + Math.round(layout.width * MIN_SCALE) + 'px');
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'np-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#2e7d32' }, marker);
  const groupLayer = el('g', { class: 'np-groups' }, svg);
  const edgeLayer = el('g', { class: 'np-edges' }, svg);
  const nodeLayer = el('g', { class: 'np-nodes' }, svg);
  const labelLayer = el('g', { class: 'np-labels' }, svg);

  data.groups.forEach((g, i) => {
    const b = layout.groups[i];
    const gg = el('g', { 'class': 'np-group np-group-' + (g.kind === 'externals' ? 'externals' : 'namespace'), 'data-group': g.id }, groupLayer);
    el('rect', { class: 'np-group-box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }, gg);
    el('text', { class: 'np-group-title', x: b.title.x, y: b.title.y + b.title.h - 4 }, gg).textContent = b.text;
  });

  const edgeEls: { e: GraphEdge; path: Element; label: Element | null }[] = [];
  const unlabelled: GraphEdge[] = [];
  data.edges.forEach((e, i) => {
    const at = layout.edges[i];
    const path = el('path', { 'class': 'np-edge', 'd': at.d, 'marker-end': 'url(#np-arrow)', 'data-from': e.from, 'data-to': e.to, 'data-ports': e.label }, edgeLayer);
    el('title', {}, path).textContent = edgeText(e);
    let label: Element | null = null;
    if (at.label) {
      label = el('text', { 'class': 'np-edge-label', 'x': at.label.tx, 'y': at.label.ty, 'data-edge': String(i) }, labelLayer);
      label.textContent = e.label;
      el('title', {}, label).textContent = edgeText(e);
    } else {
      unlabelled.push(e);
    }
    edgeEls.push({ e, path, label });
    [path, label].forEach((t) => {
      if (!t) return;
      t.addEventListener('mouseenter', () => { highlight((x) => x === e); show(edgeText(e)); });
      t.addEventListener('mouseleave', () => { highlight(null); });
    });
  });

  data.nodes.forEach((n, i) => {
    const p = layout.nodes[i];
    const g = el('g', { 'class': 'np-node' + (n.kind === 'external' ? ' np-external' : ''), 'data-id': n.id, 'data-group': n.group }, nodeLayer);
    el('rect', { x: p.x, y: p.y, width: p.w, height: p.h, rx: n.kind === 'external' ? 12 : 5 }, g);
    const openText = p.marker || '';
    const t = el('text', { 'x': p.x + p.w / 2, 'y': p.y + p.h / 2 + (openText ? -2 : 4), 'text-anchor': 'middle' }, g);
    t.textContent = n.label.length > 34 ? n.label.slice(0, 33) + '\u2026' : n.label;
    if (openText) el('text', { 'class': 'np-open', 'x': p.x + p.w / 2, 'y': p.y + p.h / 2 + 11, 'text-anchor': 'middle' }, g).textContent = '\u21c4 ' + openText;
    const outs = data.edges.filter((e) => e.from === n.id && e.to !== n.id);
    const ins = data.edges.filter((e) => e.to === n.id && e.from !== n.id);
    const text = n.id + (n.members.length > 1 ? ' (' + n.members.length + ' pods: ' + n.members.join(', ') + ')' : '') + (n.open && n.open.length ? '\n' + n.open.join(' and ') + ' open: arrows on every port folded (see the legend)' : '') +
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
      if (x.label) x.label.setAttribute('class', 'np-edge-label' + (hot ? ' np-hot' : ''));
    });
  }
  document.getElementById('np-graph')!.appendChild(svg);
  // Arrows whose label found no free place: their ports, listed under the graph.
  if (unlabelled.length) {
    const list = document.createElement('ul');
    list.className = 'np-unlabelled';
    unlabelled.forEach((e) => {
      const li = document.createElement('li');
      li.textContent = byId[e.from].label + ' \u2192 ' + byId[e.to].label + ': ' + e.label;
      list.appendChild(li);
    });
    const h = document.createElement('h2');
    h.textContent = 'Ports of the arrows drawn without a label';
    document.getElementById('np-graph')!.appendChild(h);
    document.getElementById('np-graph')!.appendChild(list);
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

/** `netproof graph --format html`: one self-contained page. */
import { ConnectivityGraph } from '../../analysis/graph';
import { Formatter } from '../formatter';

function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * One self-contained page (inline CSS and script, data embedded as JSON, no external resource, works
 * offline): a graph in inline SVG (namespaces as boxes, pods inside, arrows labelled with ports) and a
 * matrix (rows sources, columns destinations, grouped by namespace; hover or click a cell for its ports).
 */
export function renderHtml(g: ConnectivityGraph, title = 'netproof: who reaches whom'): string {
  const { network, dataplane, scope, groups, nodes, edges, legend } = g;
  const data = { title, network, dataplane, scope, groups, nodes, edges, legend };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlText(title)}</title>
<style>
${HTML_STYLE}
</style>
</head>
<body>
<header>
<h1>${htmlText(title)}</h1>
<p class="np-sub">network <b>${htmlText(g.network)}</b> · dataplane <b>${htmlText(g.dataplane)}</b> · ${htmlText(g.scope)} · ${g.nodes.length} nodes · ${g.edges.length} allowed connections</p>
</header>
<main>
<section id="np-graph-section"><div id="np-graph" aria-label="connectivity graph"></div></section>
<aside>
<div id="np-info" class="np-info">Hover or click an arrow, a node or a matrix cell to see the allowed ports.</div>
<h2>Legend</h2>
<ul class="np-legend">
<li><span class="np-key np-key-ns"></span> namespace, pods inside</li>
<li><span class="np-key np-key-ext"></span> external endpoint (non-pod)</li>
<li><span class="np-key np-key-edge"></span> allowed connection, labelled with destination ports</li>
${g.legend.map((l) => `<li>${htmlText(l)}</li>`).join('\n')}
</ul>
</aside>
<section id="np-matrix-section"><h2>Matrix <span class="np-sub">rows: source · columns: destination</span></h2><div id="np-matrix"></div></section>
</main>
<noscript>This page draws the graph and matrix with an inline script; the data is in the element #netproof-data.</noscript>
<script type="application/json" id="netproof-data">${scriptJson(data)}</script>
<script>
${HTML_SCRIPT}
</script>
</body>
</html>
`;
}

const HTML_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2933; background: #f7f9fb; }
header { padding: 10px 18px 4px; }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 14px; margin: 10px 0 6px; }
.np-sub { color: #52606d; font-weight: normal; margin: 2px 0; font-size: 12px; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 300px; grid-template-areas: "graph side" "matrix matrix"; gap: 8px 14px; padding: 0 18px 18px; }
#np-graph-section { grid-area: graph; background: #fff; border: 1px solid #d9e2ec; border-radius: 6px; overflow: auto; }
aside { grid-area: side; }
#np-matrix-section { grid-area: matrix; }
.np-info { background: #fff; border: 1px solid #d9e2ec; border-radius: 6px; padding: 8px 10px; min-height: 64px; white-space: pre-line; }
.np-legend { padding-left: 0; list-style: none; margin: 0; }
.np-legend li { margin: 3px 0; font-size: 12px; color: #323f4b; }
.np-key { display: inline-block; width: 22px; height: 12px; vertical-align: middle; margin-right: 4px; border-radius: 3px; }
.np-key-ns { border: 1.5px solid #4a6fa5; background: #e8f0fe; }
.np-key-ext { border: 1.5px dashed #ef6c00; background: #fff3e0; border-radius: 8px; }
.np-key-edge { height: 0; border-top: 2px solid #2e7d32; border-radius: 0; }
svg text { font-family: inherit; }
#np-svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.np-group-box { fill: #f3f7fc; stroke: #4a6fa5; stroke-width: 1.2; }
.np-group-externals .np-group-box { fill: #fffaf3; stroke: #ef6c00; stroke-dasharray: 5 3; }
.np-group-title { font-size: 12px; font-weight: 600; fill: #334e68; }
.np-node rect { fill: #e8f0fe; stroke: #4a6fa5; stroke-width: 1.2; }
.np-node.np-external rect { fill: #fff3e0; stroke: #ef6c00; }
.np-node text { font-size: 12px; fill: #102a43; }
.np-node { cursor: pointer; }
.np-edge { fill: none; stroke: #2e7d32; stroke-width: 1.4; opacity: 0.75; }
.np-edge-label { font-size: 10px; fill: #1b5e20; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.np-dim .np-edge, .np-dim .np-edge-label { opacity: 0.12; }
.np-dim .np-edge.np-hot { opacity: 1; stroke-width: 2.4; }
.np-dim .np-edge-label.np-hot { opacity: 1; }
table.np-matrix { border-collapse: collapse; background: #fff; font-size: 11px; }
table.np-matrix th, table.np-matrix td { border: 1px solid #d9e2ec; padding: 3px 5px; text-align: center; white-space: nowrap; }
table.np-matrix th.np-row { text-align: left; }
table.np-matrix th.np-gh { background: #e8f0fe; color: #334e68; }
td.np-allowed { background: #c8e6c9; color: #1b5e20; cursor: pointer; }
td.np-denied { background: #fdecea; color: #b0a7a5; }
td.np-self { background: #eceff1; color: #78909c; }
td.np-na { background: #f5f5f5; color: #bdbdbd; }
td.np-selected { outline: 2px solid #1f2933; }
`;

/* The page script: builds the SVG graph and the matrix from #netproof-data; deterministic layout. */
const HTML_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('netproof-data').textContent);
  var SVG = 'http' + '://www.w3.org/2000/svg';
  var byId = {};
  data.nodes.forEach(function (n, i) { n.index = i; byId[n.id] = n; });
  var info = document.getElementById('np-info');
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function show(text) { info.textContent = text; }
  function groupName(n) { return n.kind === 'external' ? 'external' : n.group; }
  function edgeText(e) {
    var from = byId[e.from], to = byId[e.to];
    var lines = [from.label + ' (' + groupName(from) + ')  \u2192  ' + to.label + ' (' + groupName(to) + ')', 'allowed on: ' + e.label];
    if (e.from === e.to) lines.push('between the replicas of this workload');
    return lines.join('\n');
  }

  // Layout: namespaces stacked in columns (sorted; a new column when one gets tall), externals in the
  // last column; nodes stacked inside their group, each as tall as the arrows that end on it need.
  var NODE_W = 220, NODE_MIN_H = 28, ARROW_GAP = 13, NODE_GAP = 12, PAD = 12, HEAD = 24, COL_GAP = 250, GROUP_GAP = 18;
  var MARGIN_X = 190, MARGIN_Y = 16, MAX_COL_H = 900;
  var nsGroups = data.groups.filter(function (g) { return g.kind !== 'externals'; });
  var extGroups = data.groups.filter(function (g) { return g.kind === 'externals'; });

  // Which side of a node each arrow end uses: facing the other node's column; the left side within a column.
  var columns = [], colOf = {};
  var ends = {};
  function endKey(id, side) { return id + '|' + side; }
  function placeColumns(heightOf) {
    columns = [];
    var col = [], h = 0;
    nsGroups.forEach(function (g) {
      var gh = heightOf(g);
      if (col.length && h + gh > MAX_COL_H) { columns.push(col); col = []; h = 0; }
      col.push(g); h += gh + GROUP_GAP;
    });
    if (col.length) columns.push(col);
    if (extGroups.length) columns.push(extGroups);
    columns.forEach(function (c, i) { c.forEach(function (g) { g.nodes.forEach(function (id) { colOf[id] = i; }); }); });
  }
  // First pass with minimal heights decides columns and sides; the second sizes nodes by their arrows.
  placeColumns(function (g) { return HEAD + PAD + g.nodes.length * (NODE_MIN_H + NODE_GAP); });
  var plans = data.edges.map(function (e) {
    var a = colOf[e.from], b = colOf[e.to];
    var fromSide = a === b ? 'l' : (b > a ? 'r' : 'l');
    var toSide = a === b ? 'l' : (b > a ? 'l' : 'r');
    var p = { e: e, fromSide: fromSide, toSide: toSide };
    [[e.from, fromSide], [e.to, toSide]].forEach(function (s) { (ends[endKey(s[0], s[1])] = ends[endKey(s[0], s[1])] || []).push(p); });
    return p;
  });
  var nodeH = {};
  data.nodes.forEach(function (n) {
    var k = Math.max((ends[endKey(n.id, 'l')] || []).length, (ends[endKey(n.id, 'r')] || []).length);
    nodeH[n.id] = Math.max(NODE_MIN_H, (k + 1) * ARROW_GAP);
  });
  function groupHeight(g) {
    return HEAD + PAD + g.nodes.reduce(function (s, id) { return s + nodeH[id] + NODE_GAP; }, 0);
  }
  placeColumns(groupHeight);
  var pos = {}, boxes = [], height = 0;
  var groupW = NODE_W + 2 * PAD;
  columns.forEach(function (c, i) {
    var x = MARGIN_X + i * (groupW + COL_GAP), y = MARGIN_Y;
    c.forEach(function (g) {
      var h = groupHeight(g), ny = y + HEAD;
      boxes.push({ g: g, x: x, y: y, w: groupW, h: h });
      g.nodes.forEach(function (id) { pos[id] = { x: x + PAD, y: ny, h: nodeH[id] }; ny += nodeH[id] + NODE_GAP; });
      y += h + GROUP_GAP;
    });
    height = Math.max(height, y);
  });
  var width = 2 * MARGIN_X + columns.length * groupW + (columns.length - 1) * COL_GAP;
  height += MARGIN_Y;
  var svg = el('svg', { id: 'np-svg', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
  var defs = el('defs', {}, svg);
  var marker = el('marker', { id: 'np-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#2e7d32' }, marker);
  var groupLayer = el('g', { class: 'np-groups' }, svg);
  var edgeLayer = el('g', { class: 'np-edges' }, svg);
  var nodeLayer = el('g', { class: 'np-nodes' }, svg);
  var labelLayer = el('g', { class: 'np-labels' }, svg);

  boxes.forEach(function (b) {
    var gg = el('g', { class: 'np-group np-group-' + (b.g.kind === 'externals' ? 'externals' : 'namespace'), 'data-group': b.g.id }, groupLayer);
    el('rect', { class: 'np-group-box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }, gg);
    el('text', { class: 'np-group-title', x: b.x + 10, y: b.y + 16 }, gg).textContent = b.g.label;
  });

  // Arrow ends spread evenly over the node's side, in the order of the other end's vertical position.
  Object.keys(ends).forEach(function (key) {
    var id = key.slice(0, key.lastIndexOf('|'));
    ends[key].sort(function (p, q) {
      var po = p.e.from === id ? p.e.to : p.e.from, qo = q.e.from === id ? q.e.to : q.e.from;
      return (pos[po].y - pos[qo].y) || (p.e.from === id ? 1 : 0) - (q.e.from === id ? 1 : 0);
    });
  });
  function endY(id, side, p, last) {
    var list = ends[endKey(id, side)], k = last ? list.lastIndexOf(p) : list.indexOf(p), n = list.length;
    return pos[id].y + pos[id].h * (k + 1) / (n + 1);
  }
  var edgeEls = [];
  plans.forEach(function (p, i) {
    var e = p.e, a = pos[e.from], b = pos[e.to];
    var x1 = a.x + (p.fromSide === 'r' ? NODE_W : 0), y1 = endY(e.from, p.fromSide, p);
    var x2 = b.x + (p.toSide === 'r' ? NODE_W : 0), y2 = endY(e.to, p.toSide, p, true);
    var d, lx, ly, anchor = 'middle';
    if (e.from === e.to) {
      d = 'M' + x1 + ',' + y1 + ' C' + (x1 - 45) + ',' + (y1 - 22) + ' ' + (x2 - 45) + ',' + (y2 + 22) + ' ' + x2 + ',' + (y2 + 4);
      lx = x1 - 36; ly = y1 + 3; anchor = 'end';
    } else if (p.fromSide === p.toSide) {
      // Upward arcs bulge further and carry their label higher, so a pair of opposite arcs stays apart.
      var up = y2 < y1;
      var bulge = Math.min(100, 28 + Math.abs(y2 - y1) * 0.2 + (up ? 24 : 0));
      var cx = Math.min(x1, x2) - bulge;
      d = 'M' + x1 + ',' + y1 + ' C' + cx + ',' + y1 + ' ' + cx + ',' + y2 + ' ' + x2 + ',' + y2;
      lx = cx + bulge * 0.25 - 4; ly = (y1 + y2) / 2 + (up ? -4 : 10); anchor = 'end';
    } else {
      var dx = Math.max(50, Math.abs(x2 - x1) * 0.45), s1 = p.fromSide === 'r' ? 1 : -1, s2 = p.toSide === 'r' ? 1 : -1;
      d = 'M' + x1 + ',' + y1 + ' C' + (x1 + s1 * dx) + ',' + y1 + ' ' + (x2 + s2 * dx) + ',' + y2 + ' ' + x2 + ',' + y2;
      // The label sits just before the arrow head, where the arrows ending on one node are spread apart.
      lx = x2 + s2 * 8; ly = y2 - 2; anchor = s2 > 0 ? 'start' : 'end';
    }
    var path = el('path', { class: 'np-edge', d: d, 'marker-end': 'url(#np-arrow)', 'data-from': e.from, 'data-to': e.to, 'data-ports': e.label }, edgeLayer);
    el('title', {}, path).textContent = edgeText(e);
    var label = el('text', { class: 'np-edge-label', x: lx, y: ly, 'text-anchor': anchor, 'data-edge': String(i) }, labelLayer);
    label.textContent = e.label;
    el('title', {}, label).textContent = edgeText(e);
    edgeEls.push({ e: e, path: path, label: label });
    [path, label].forEach(function (t) {
      t.addEventListener('mouseenter', function () { highlight(function (x) { return x === e; }); show(edgeText(e)); });
      t.addEventListener('mouseleave', function () { highlight(null); });
    });
  });

  data.nodes.forEach(function (n) {
    var p = pos[n.id];
    var g = el('g', { class: 'np-node' + (n.kind === 'external' ? ' np-external' : ''), 'data-id': n.id, 'data-group': n.group }, nodeLayer);
    el('rect', { x: p.x, y: p.y, width: NODE_W, height: p.h, rx: n.kind === 'external' ? 12 : 5 }, g);
    var t = el('text', { x: p.x + NODE_W / 2, y: p.y + p.h / 2 + 4, 'text-anchor': 'middle' }, g);
    t.textContent = n.label.length > 34 ? n.label.slice(0, 33) + '\u2026' : n.label;
    var outs = data.edges.filter(function (e) { return e.from === n.id && e.to !== n.id; });
    var ins = data.edges.filter(function (e) { return e.to === n.id && e.from !== n.id; });
    var text = n.id + (n.members.length > 1 ? ' (' + n.members.length + ' pods: ' + n.members.join(', ') + ')' : '') +
      '\nreaches: ' + (outs.map(function (e) { return byId[e.to].label + ' [' + e.label + ']'; }).join(', ') || 'nothing') +
      '\nreached from: ' + (ins.map(function (e) { return byId[e.from].label + ' [' + e.label + ']'; }).join(', ') || 'nothing');
    el('title', {}, g).textContent = text;
    g.addEventListener('mouseenter', function () { highlight(function (e) { return e.from === n.id || e.to === n.id; }); show(text); });
    g.addEventListener('mouseleave', function () { highlight(null); });
  });

  function highlight(pred) {
    svg.setAttribute('class', pred ? 'np-dim' : '');
    edgeEls.forEach(function (x) {
      var hot = pred && pred(x.e);
      x.path.setAttribute('class', 'np-edge' + (hot ? ' np-hot' : ''));
      x.label.setAttribute('class', 'np-edge-label' + (hot ? ' np-hot' : ''));
    });
  }
  document.getElementById('np-graph').appendChild(svg);

  // Matrix: rows sources, columns destinations, both grouped by namespace (externals last).
  var edgeOf = {};
  data.edges.forEach(function (e) { edgeOf[e.from + '\u0000' + e.to] = e; });
  var table = document.createElement('table');
  table.className = 'np-matrix';
  var head1 = table.insertRow(), head2 = table.insertRow();
  var corner = document.createElement('th'); corner.rowSpan = 2; corner.colSpan = 2; corner.textContent = 'from \u2193 / to \u2192'; head1.appendChild(corner);
  data.groups.forEach(function (g) {
    var th = document.createElement('th'); th.className = 'np-gh'; th.colSpan = g.nodes.length; th.textContent = g.label; head1.appendChild(th);
    g.nodes.forEach(function (id) { var c = document.createElement('th'); c.textContent = byId[id].label; c.title = id; head2.appendChild(c); });
  });
  var selected = null;
  data.groups.forEach(function (g) {
    g.nodes.forEach(function (fromId, k) {
      var row = table.insertRow();
      if (k === 0) { var gh = document.createElement('th'); gh.className = 'np-gh'; gh.rowSpan = g.nodes.length; gh.textContent = g.label; row.appendChild(gh); }
      var rh = document.createElement('th'); rh.className = 'np-row'; rh.textContent = byId[fromId].label; rh.title = fromId; row.appendChild(rh);
      data.groups.forEach(function (g2) {
        g2.nodes.forEach(function (toId) {
          var td = row.insertCell();
          var from = byId[fromId], to = byId[toId], e = edgeOf[fromId + '\u0000' + toId];
          td.setAttribute('data-from', fromId); td.setAttribute('data-to', toId);
          var text;
          if (from.kind === 'external' && to.kind === 'external') { td.className = 'np-na'; td.textContent = '\u00b7'; text = 'external to external: not modelled'; }
          else if (fromId === toId && from.members.length === 1) { td.className = 'np-self'; td.textContent = 'self'; text = fromId + ' reaches itself: loopback is always allowed'; }
          else if (e) { td.className = 'np-allowed'; td.textContent = e.label; text = edgeText(e); }
          else { td.className = 'np-denied'; td.textContent = '\u2013'; text = from.label + ' \u2192 ' + to.label + ': denied on ' + data.scope; }
          td.title = text;
          td.addEventListener('mouseenter', function () { show(text); if (e) highlight(function (x) { return x === e; }); });
          td.addEventListener('mouseleave', function () { highlight(null); });
          td.addEventListener('click', function () {
            if (selected) selected.classList.remove('np-selected');
            selected = td; td.classList.add('np-selected'); show(text);
          });
        });
      });
    });
  });
  document.getElementById('np-matrix').appendChild(table);
  document.body.setAttribute('data-rendered', 'true');
})();
`;

export const htmlFormatter: Formatter<ConnectivityGraph, 'html'> = {
  format: 'html',
  write: (g, out) => out(renderHtml(g)),
};

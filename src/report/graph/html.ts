/** `netproof graph --format html`: one self-contained page. */
import { GraphLayout, layoutGraph } from './_layout';
import { PAGE_SCRIPT, PAGE_STYLE } from './_page.generated';
import { ConnectivityGraph } from '../../analysis/graph';
import { Formatter } from '../formatter';

/** What the page's script (page/page.ts) reads from the element #netproof-data. */
export interface GraphPageData extends ConnectivityGraph {
  readonly title: string;
  /** Where everything is drawn (_layout.ts): the page's script only draws it. */
  readonly layout: GraphLayout;
}

function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * One self-contained page (inline CSS and script from page/, data embedded as JSON, no external resource,
 * works offline): a graph in inline SVG (namespaces as boxes, pods inside, arrows labelled with ports) and a
 * matrix (rows sources, columns destinations, grouped by namespace; hover or click a cell for its ports).
 */
export function renderHtml(g: ConnectivityGraph, title = 'netproof: who reaches whom'): string {
  const { network, dataplane, scope, groups, nodes, edges, legend } = g;
  const data: GraphPageData = { title, network, dataplane, scope, groups, nodes, edges, legend, layout: layoutGraph(g) };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlText(title)}</title>
<style>

${PAGE_STYLE}
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

${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

export const htmlFormatter: Formatter<ConnectivityGraph, 'html'> = {
  format: 'html',
  write: (g, out) => out(renderHtml(g)),
};

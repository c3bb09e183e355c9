/** `netproof graph --format dot`: Graphviz. */
import { ConnectivityGraph, openMarker } from '../../analysis/graph';
import { Formatter } from '../formatter';

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Graphviz DOT: one `cluster_` subgraph per namespace and one for externals; the legend as the graph label. */
export function renderDot(g: ConnectivityGraph): string {
  const lines = [
    `// netproof graph: network ${g.network}, dataplane ${g.dataplane}, ${g.scope}`,
    'digraph netproof {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=11, labelloc=b, labeljust=l, label=${dotString(g.legend.join('\n'))}];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#4a6fa5", fontname="Helvetica", fontsize=11];',
    '  edge [color="#2e7d32", fontcolor="#1b5e20", fontname="Helvetica", fontsize=9];',
  ];
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  g.groups.forEach((group) => {
    lines.push(`  subgraph ${dotString(`cluster_${group.kind === 'externals' ? 'externals' : `ns_${group.id}`}`)} {`);
    lines.push(`    label=${dotString(group.label)};`);
    lines.push(group.kind === 'externals'
      ? '    style="dashed"; color="#9e9e9e"; node [shape=ellipse, fillcolor="#fff3e0", color="#ef6c00"];'
      : '    style="rounded"; color="#4a6fa5";');
    for (const id of group.nodes) {
      const n = byId.get(id)!;
      const marker = openMarker(n);
      lines.push(`    ${dotString(id)} [label=${dotString(marker === undefined ? n.label : `${n.label}\n(${marker})`)}];`);
    }
    lines.push('  }');
  });
  for (const e of g.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export const dotFormatter: Formatter<ConnectivityGraph, 'dot'> = {
  format: 'dot',
  write: (g, out) => out(renderDot(g)),
};

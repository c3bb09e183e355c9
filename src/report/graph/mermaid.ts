/** `netproof graph --format mermaid`: a Mermaid flowchart. */
import { ConnectivityGraph, openMarker } from '../../analysis/graph';
import { Formatter } from '../formatter';

function mermaidText(s: string): string {
  return `"${s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

/** Mermaid flowchart: one subgraph per namespace and one for externals; node ids n0, n1, ... in node order. */
export function renderMermaid(g: ConnectivityGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const lines = [
    'flowchart LR',
    ...g.legend.map((l) => `  %% ${l}`),
  ];
  g.groups.forEach((group, i) => {
    lines.push(`  subgraph g${i}[${mermaidText(group.label)}]`);
    for (const id of group.nodes) {
      const n = byId.get(id)!;
      const marker = openMarker(n);
      const text = mermaidText(marker === undefined ? n.label : `${n.label} (${marker})`);
      lines.push(n.kind === 'external' ? `    ${ids.get(id)}([${text}])` : `    ${ids.get(id)}[${text}]`);
    }
    lines.push('  end');
  });
  for (const e of g.edges) lines.push(`  ${ids.get(e.from)} -->|${mermaidText(e.label)}| ${ids.get(e.to)}`);
  return `${lines.join('\n')}\n`;
}

export const mermaidFormatter: Formatter<ConnectivityGraph, 'mermaid'> = {
  format: 'mermaid',
  write: (g, out) => out(renderMermaid(g)),
};

/** Output formats of `netproof graph`, one formatter per format. */
import { dotFormatter } from './dot';
import { htmlFormatter } from './html';
import { mermaidFormatter } from './mermaid';
import { ConnectivityGraph } from '../../analysis/graph';
import { Formatters } from '../formatter';

export { renderDot } from './dot';
export { renderHtml } from './html';
export { renderMermaid } from './mermaid';

export type GraphFormat = 'dot' | 'mermaid' | 'html';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['dot', 'mermaid', 'html'];

export const GRAPH_FORMATTERS: Formatters<ConnectivityGraph, GraphFormat> = {
  dot: dotFormatter,
  mermaid: mermaidFormatter,
  html: htmlFormatter,
};

/**
 * Output formats of `netproof reach`, one formatter per format behind one interface. Formatters write
 * in chunks (row by row) so that a large matrix is never one giant string. Pair order everywhere: sources
 * in the matrix's endpoint order (pods by id, then externals by name), and for each source the
 * destinations in the same order; external→external pairs are not modelled and never listed.
 */
import { csvFormatter } from './format-csv';
import { jsonFormatter } from './format-json';
import { markdownFormatter } from './format-markdown';
import { summaryFormatter } from './format-summary';
import { textFormatter } from './format-text';
import { ReachMatrix } from '../verify/api';

export type ReachFormat = 'text' | 'json' | 'markdown' | 'csv' | 'summary';
export const REACH_FORMATS: readonly ReachFormat[] = ['text', 'json', 'markdown', 'csv', 'summary'];

export interface ReachFormatter {
  readonly format: ReachFormat;
  /** Writes the whole report through `out`, ending with a newline. */
  write(matrix: ReachMatrix, out: (chunk: string) => void): void;
}

export const REACH_FORMATTERS: Readonly<Record<ReachFormat, ReachFormatter>> = {
  text: textFormatter,
  json: jsonFormatter,
  markdown: markdownFormatter,
  csv: csvFormatter,
  summary: summaryFormatter,
};

/** Renders to one string (tests, small matrices). */
export function renderReach(matrix: ReachMatrix, format: ReachFormat): string {
  const chunks: string[] = [];
  REACH_FORMATTERS[format].write(matrix, (c) => chunks.push(c));
  return chunks.join('');
}

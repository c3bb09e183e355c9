/**
 * Output formats of `netproof reach`, one formatter per format behind the one Formatter interface.
 * Pair order everywhere: sources in the matrix's endpoint order (pods by id, then externals by name), and
 * for each source the destinations in the same order; external→external pairs are not modelled and never listed.
 */
import { csvFormatter } from './csv';
import { jsonFormatter } from './json';
import { markdownFormatter } from './markdown';
import { summaryFormatter } from './summary';
import { textFormatter } from './text';
import { ReachMatrix } from '../../verify/api';
import { Formatter, Formatters, render } from '../formatter';

export type ReachFormat = 'text' | 'json' | 'markdown' | 'csv' | 'summary';
export const REACH_FORMATS: readonly ReachFormat[] = ['text', 'json', 'markdown', 'csv', 'summary'];

export type ReachFormatter = Formatter<ReachMatrix, ReachFormat>;

export const REACH_FORMATTERS: Formatters<ReachMatrix, ReachFormat> = {
  text: textFormatter,
  json: jsonFormatter,
  markdown: markdownFormatter,
  csv: csvFormatter,
  summary: summaryFormatter,
};

/** Renders to one string (tests, small matrices). */
export function renderReach(matrix: ReachMatrix, format: ReachFormat): string {
  return render(REACH_FORMATTERS[format], matrix);
}

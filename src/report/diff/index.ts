/** Output formats of `netproof diff`, one formatter per format. */
import { DiffReport } from './_shared';
import { diffJsonFormatter } from './json';
import { diffMarkdownFormatter } from './markdown';
import { diffTextFormatter } from './text';
import { Formatters, render } from '../formatter';

export { because, DiffClusterSource, DiffContext, DiffReport, NO_CHANGE, describeChange, formatPorts } from './_shared';
export { MARKDOWN_ROW_LIMIT } from './markdown';

export type DiffFormat = 'text' | 'json' | 'markdown';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown'];

export const DIFF_FORMATTERS: Formatters<DiffReport, DiffFormat> = {
  text: diffTextFormatter,
  json: diffJsonFormatter,
  markdown: diffMarkdownFormatter,
};

/** Renders the diff in one format, ending with a newline. */
export function formatDiff(report: DiffReport, format: DiffFormat): string {
  return render(DIFF_FORMATTERS[format], report);
}

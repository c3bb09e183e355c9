/** `--format markdown`: a GitHub-flavoured markdown table (rows from, columns to) with a title and legend. */
import { flowTitle, isModelled } from './_matrix';
import { ReachMatrix } from '../../verify/api';
import { Formatter } from '../formatter';

export const MarkdownSymbols = { allowed: '✓', denied: '✗', notModelled: '—' } as const;

export const MARKDOWN_LEGEND = `Rows are sources (from), columns destinations (to). ${MarkdownSymbols.allowed} allowed, ${MarkdownSymbols.denied} denied, ${MarkdownSymbols.notModelled} not modelled (external to external); _(external)_ marks externals.\n`;

function cellText(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export const markdownFormatter: Formatter<ReachMatrix, 'markdown'> = {
  format: 'markdown',
  write(matrix: ReachMatrix, out: (chunk: string) => void): void {
    const n = matrix.endpoints.length;
    out(`**Reachability**: ${flowTitle(matrix)}\n\n`);
    if (n === 0) {
      out(`No endpoints.\n\n${MARKDOWN_LEGEND}`);
      return;
    }
    const names = matrix.endpoints.map((e) => `\`${cellText(e.id)}\`${e.kind === 'external' ? ' _(external)_' : ''}`);
    out(`| from \\ to | ${names.join(' | ')} |\n`);
    out(`| --- |${' :-: |'.repeat(n)}\n`);
    for (let i = 0; i < n; i++) {
      const cells: string[] = [];
      for (let j = 0; j < n; j++) {
        cells.push(!isModelled(matrix, i, j) ? MarkdownSymbols.notModelled : matrix.allowed(i, j) ? MarkdownSymbols.allowed : MarkdownSymbols.denied);
      }
      out(`| ${names[i]} | ${cells.join(' | ')} |\n`);
    }
    out(`\n${MARKDOWN_LEGEND}`);
  },
};

/**
 * `--format text`: a readable table. Rows are sources (from), numbered columns are destinations (to) in
 * the same order as the rows; ✓ allowed, · denied, - not modelled (external to external); legend below.
 */
import { flowTitle, isModelled, pairCounts, plural } from './_matrix';
import { ReachMatrix } from '../../verify/api';
import { Formatter } from '../formatter';

export const TextSymbols = { allowed: '✓', denied: '·', notModelled: '-' } as const;

export const TEXT_LEGEND = `Legend: rows are sources (from); numbered columns are destinations (to), numbered like the rows.\n        ${TextSymbols.allowed} allowed   ${TextSymbols.denied} denied   ${TextSymbols.notModelled} not modelled (external to external)\n`;

export const textFormatter: Formatter<ReachMatrix, 'text'> = {
  format: 'text',
  write(matrix: ReachMatrix, out: (chunk: string) => void): void {
    const n = matrix.endpoints.length;
    const counts = pairCounts(matrix);
    out(`Reachability: ${flowTitle(matrix)}\n`);
    out(`${plural(counts.pods, 'pod')}, ${plural(counts.externals, 'external')}: ${counts.allowed} of ${plural(counts.pairs, 'pair')} allowed\n`);
    if (n === 0) {
      out(`\n${TEXT_LEGEND}`);
      return;
    }
    const numWidth = String(n).length;
    const labels = matrix.endpoints.map((e, i) => `${String(i + 1).padStart(numWidth)}  ${e.id}${e.kind === 'external' ? ' (external)' : ''}`);
    const header = 'from \\ to';
    const labelWidth = labels.reduce((w, l) => Math.max(w, l.length), header.length) + 2;
    const cell = numWidth + 1;
    let head = header.padEnd(labelWidth);
    for (let j = 0; j < n; j++) head += String(j + 1).padStart(cell);
    out(`\n${head.trimEnd()}\n`);
    for (let i = 0; i < n; i++) {
      let row = labels[i].padEnd(labelWidth);
      for (let j = 0; j < n; j++) {
        const symbol = !isModelled(matrix, i, j) ? TextSymbols.notModelled : matrix.allowed(i, j) ? TextSymbols.allowed : TextSymbols.denied;
        row += symbol.padStart(cell);
      }
      out(`${row}\n`);
    }
    out(`\n${TEXT_LEGEND}`);
  },
};

/** `--format csv`: `from,to,allowed` header, then one line per modelled ordered pair (RFC 4180 quoting). */
import { isModelled } from './_matrix';
import { ReachMatrix } from '../../verify/api';
import { Formatter } from '../formatter';

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const csvFormatter: Formatter<ReachMatrix, 'csv'> = {
  format: 'csv',
  write(matrix: ReachMatrix, out: (chunk: string) => void): void {
    out('from,to,allowed\n');
    const n = matrix.endpoints.length;
    const ids = matrix.endpoints.map((e) => csvField(e.id));
    for (let i = 0; i < n; i++) {
      const lines: string[] = [];
      for (let j = 0; j < n; j++) {
        if (!isModelled(matrix, i, j)) continue;
        lines.push(`${ids[i]},${ids[j]},${matrix.allowed(i, j)}\n`);
      }
      out(lines.join(''));
    }
  },
};

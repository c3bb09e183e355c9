/**
 * `--format summary`: allowed and denied ordered pairs per (source group, destination group), groups being
 * namespaces and `(externals)` (not a DNS label, so never a namespace's name), from `ReachMatrix.summary()`: no pods² work, the view for large clusters.
 */
import { flowTitle } from './_matrix';
import { ReachMatrix } from '../../verify/api';
import { EXTERNALS_GROUP } from '../../verify/verifier';
import { Formatter } from '../formatter';

export const summaryFormatter: Formatter<ReachMatrix, 'summary'> = {
  format: 'summary',
  write(matrix: ReachMatrix, out: (chunk: string) => void): void {
    const rows = matrix.summary();
    let allowed = 0;
    let denied = 0;
    for (const r of rows) {
      allowed += r.allowed;
      denied += r.denied;
    }
    const table: string[][] = [['from', 'to', 'allowed', 'denied'], ...rows.map((r) => [r.from, r.to, String(r.allowed), String(r.denied)]), ['total', '', String(allowed), String(denied)]];
    const widths = [0, 1, 2, 3].map((c) => Math.max(...table.map((row) => row[c].length)));
    out(`Reachability summary: ${flowTitle(matrix)}\n`);
    out(`Ordered pairs per source and destination namespace (externals grouped as "${EXTERNALS_GROUP}"; a pod reaching itself counts as allowed).\n\n`);
    table.forEach((row, i) => {
      if (i === table.length - 1) out(`${'-'.repeat(widths.reduce((a, b) => a + b, 0) + 6)}\n`);
      out(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padStart(widths[2])}  ${row[3].padStart(widths[3])}\n`);
    });
  },
};

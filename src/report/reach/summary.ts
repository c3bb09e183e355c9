/**
 * `--format summary`: the totals, then the (source group, destination group) pairs with the most allowed
 * ordered pairs, groups being namespaces and `(externals)` (not a DNS label, so never a namespace's name).
 * Read from `ReachMatrix.groupCounts()`: no pods² work and no row per group pair, so it stays readable and
 * cheap at 1,000 namespaces (a million group pairs, of which `limit` are listed).
 */
import { flowTitle, plural } from './_matrix';
import { GroupCounts, ReachMatrix } from '../../verify/api';
import { EXTERNALS_GROUP } from '../../verify/verifier';
import { Formatter } from '../formatter';

/** How many group pairs the summary lists unless told otherwise. */
export const DEFAULT_SUMMARY_LIMIT = 50;

export interface SummaryOptions {
  /**
   * How many group pairs to list, most allowed pairs first.
   * @default DEFAULT_SUMMARY_LIMIT
   */
  readonly limit?: number;
}

/** The summary formatter listing at most `limit` group pairs. */
export function summaryFormatterWith(options: SummaryOptions = {}): Formatter<ReachMatrix, 'summary'> {
  const limit = options.limit ?? DEFAULT_SUMMARY_LIMIT;
  return {
    format: 'summary',
    write(matrix: ReachMatrix, out: (chunk: string) => void): void {
      const counts = matrix.groupCounts();
      const G = counts.groups.length;
      const externals = G > 0 && counts.groups[G - 1] === EXTERNALS_GROUP ? counts.sizes[G - 1] : 0;
      const namespaces = externals > 0 ? G - 1 : G;
      let pods = 0;
      for (let g = 0; g < namespaces; g++) pods += counts.sizes[g];
      let allowed = 0;
      let pairs = 0;
      let groupPairs = 0;
      for (let i = 0; i < G; i++) {
        for (let j = 0; j < G; j++) {
          if (externals > 0 && i === namespaces && j === namespaces) continue;
          groupPairs++;
          allowed += counts.allowed(i, j);
          pairs += counts.pairs(i, j);
        }
      }
      const top = topPairs(counts, limit, externals > 0 ? namespaces : -1);
      out(`Reachability summary: ${flowTitle(matrix)}\n`);
      out(`${plural(pods, 'pod')} in ${plural(namespaces, 'namespace')}, ${plural(externals, 'external')}: `
        + `${plural(pairs, 'ordered pair')}, ${allowed} allowed, ${pairs - allowed} denied (a pod reaching itself counts as allowed).\n`);
      if (groupPairs === 0) return;
      const shown = top.length === groupPairs ? `all ${groupPairs}` : `the ${top.length} with the most allowed pairs, of ${groupPairs}`;
      out(`\nPairs of source and destination namespace (${shown}; externals grouped as "${EXTERNALS_GROUP}"):\n`);
      const table: string[][] = [['from', 'to', 'allowed', 'denied']];
      for (const [i, j] of top) {
        const a = counts.allowed(i, j);
        table.push([counts.groups[i], counts.groups[j], String(a), String(counts.pairs(i, j) - a)]);
      }
      const widths = [0, 0, 0, 0];
      for (const row of table) for (let c = 0; c < 4; c++) widths[c] = Math.max(widths[c], row[c].length);
      for (const row of table) {
        out(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padStart(widths[2])}  ${row[3].padStart(widths[3])}\n`);
      }
    },
  };
}

export const summaryFormatter: Formatter<ReachMatrix, 'summary'> = summaryFormatterWith();

/**
 * The `limit` group pairs with the most allowed pairs (ties in group order: source, then destination),
 * sorted; `skip` is the externals group, whose pair with itself is not modelled. A bounded heap: memory
 * grows with `limit`, time with the group pairs.
 */
function topPairs(counts: GroupCounts, limit: number, skip: number): [number, number][] {
  const G = counts.groups.length;
  const value = (cell: number) => counts.allowed(Math.floor(cell / G), cell % G);
  /** Does cell `a` come before cell `b` in the listing? */
  const before = (a: number, b: number) => {
    const va = value(a);
    const vb = value(b);
    return va > vb || (va === vb && a < b);
  };
  // A heap whose root is the cell that comes last among those kept.
  const heap: number[] = [];
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let last = at;
      if (l < heap.length && before(heap[last], heap[l])) last = l;
      if (r < heap.length && before(heap[last], heap[r])) last = r;
      if (last === at) return;
      [heap[at], heap[last]] = [heap[last], heap[at]];
      at = last;
    }
  };
  for (let cell = 0; cell < G * G && limit > 0; cell++) {
    if (Math.floor(cell / G) === skip && cell % G === skip) continue;
    if (heap.length < limit) {
      heap.push(cell);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!before(heap[parent], heap[at])) break;
        [heap[parent], heap[at]] = [heap[at], heap[parent]];
        at = parent;
      }
    } else if (before(cell, heap[0])) {
      heap[0] = cell;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1)).map((cell) => [Math.floor(cell / G), cell % G]);
}

/** Port ranges as data: inclusive `[first, last]` pairs, merged when they touch. */

/** An inclusive port range `[first, last]`; a single port is `[p, p]`. */
export type PortRange = readonly [number, number];

/** Sorted, disjoint, non-adjacent ranges covering exactly the ports of `ranges`. */
export function mergePortRanges(ranges: readonly PortRange[]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [first, last] of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && prev[1] + 1 >= first) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  return out;
}

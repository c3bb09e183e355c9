/** Internal helpers shared by the reach formatters. */
import { ReachMatrix } from '../../verify/api';

/** Is `from → to` a modelled pair (not external → external)? */
export function isModelled(matrix: ReachMatrix, from: number, to: number): boolean {
  return matrix.endpoints[from].kind === 'pod' || matrix.endpoints[to].kind === 'pod';
}

/** The flow in words: `TCP port 80 on network "default", dataplane upstream`. */
export function flowTitle(matrix: ReachMatrix): string {
  return `${matrix.flow.protocol} port ${matrix.flow.port} on network "${matrix.flow.network}", dataplane ${matrix.dataplane}`;
}

/** Counts of pods, externals, modelled pairs and allowed pairs. */
export function pairCounts(matrix: ReachMatrix): { pods: number; externals: number; pairs: number; allowed: number } {
  const n = matrix.endpoints.length;
  let pods = 0;
  for (const e of matrix.endpoints) if (e.kind === 'pod') pods++;
  let pairs = 0;
  let allowed = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!isModelled(matrix, i, j)) continue;
      pairs++;
      if (matrix.allowed(i, j)) allowed++;
    }
  }
  return { pods, externals: n - pods, pairs, allowed };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Allowed-pair counts per (source group, destination group) from a flow result, without visiting
 * class pairs one by one. A pair (a, b) is allowed when b is in OUT(outSig a) (or a is not egress
 * isolated) and a is in IN(inSig b) (or b is not ingress isolated). The four isolation cases factor:
 * - neither side isolated: group sizes multiply;
 * - only the source isolated: per egress signature, the weight of OUT ∩ non-isolated destinations;
 * - only the destination isolated: per ingress signature, the weight of IN ∩ non-isolated sources;
 * - both: per egress signature and each isolated destination b in OUT, the weight of the signature's
 *   members that b's ingress signature admits (memoised per signature pair).
 * Cost grows with signatures and the set bits of their bitsets, not with classes².
 */
import { Bitset, hasBit } from './_bitset';
import { FlowResult } from './_engine';

export interface SummaryInput {
  /** Class sizes (pods per class). */
  readonly sizes: readonly number[];
  /** Group index per class, -1 for classes not on the flow's network. */
  readonly groupOf: Int32Array;
  /** Number of pod groups (namespaces); the externals group, when there are externals, is index `groups`. */
  readonly groups: number;
  readonly externals: number;
  readonly result: FlowResult;
}

/** `allowed[from * G + to]` with G = groups (+1 with externals); self pairs counted as allowed. */
export function countAllowed(input: SummaryInput): Float64Array {
  const { sizes, groupOf, groups, externals, result } = input;
  const { inSig, outSig, inSets, outSets } = result;
  const C = sizes.length;
  const G = externals > 0 ? groups + 1 : groups;
  const X = groups;
  const allowed = new Float64Array(G * G);

  // Members of each signature, and the open (non-isolated) weight per group.
  const outMembers: number[][] = outSets.map(() => []);
  const inMembers: number[][] = inSets.map(() => []);
  const openOut = new Float64Array(groups);
  const openIn = new Float64Array(groups);
  for (let c = 0; c < C; c++) {
    const g = groupOf[c];
    if (g < 0) continue;
    if (outSig[c] < 0) openOut[g] += sizes[c]; else outMembers[outSig[c]].push(c);
    if (inSig[c] < 0) openIn[g] += sizes[c]; else inMembers[inSig[c]].push(c);
  }

  // Neither side isolated.
  for (let a = 0; a < groups; a++) {
    if (openOut[a] === 0) continue;
    for (let b = 0; b < groups; b++) allowed[a * G + b] += openOut[a] * openIn[b];
    if (externals > 0) allowed[a * G + X] += openOut[a] * externals;
  }
  if (externals > 0) for (let b = 0; b < groups; b++) allowed[X * G + b] += externals * openIn[b];

  // Only the destination isolated (and external sources of isolated destinations).
  const weightBy = new Float64Array(groups);
  /** The groups with a weight, so that each member visits those, not every group (1,000 namespaces). */
  const weighted: number[] = [];
  const add = (g: number, w: number) => {
    if (weightBy[g] === 0) weighted.push(g);
    weightBy[g] += w;
  };
  const clear = () => {
    for (const g of weighted) weightBy[g] = 0;
    weighted.length = 0;
  };
  inSets.forEach((set, t) => {
    const members = inMembers[t];
    if (members.length === 0) return;
    let ext = 0;
    forEachBit(set, (s) => {
      if (s >= C) { ext++; return; }
      const g = groupOf[s];
      if (g >= 0 && outSig[s] < 0 && sizes[s] > 0) add(g, sizes[s]);
    });
    for (const b of members) {
      const gb = groupOf[b];
      const nb = sizes[b];
      for (const g of weighted) allowed[g * G + gb] += weightBy[g] * nb;
      if (ext > 0) allowed[X * G + gb] += ext * nb;
    }
    clear();
  });

  // Source isolated: destinations open for ingress, externals, and isolated destinations that admit it.
  outSets.forEach((set, s) => {
    const members = outMembers[s];
    if (members.length === 0) return;
    let ext = 0;
    const both = new Map<number, number[]>(); // ingress signature -> isolated destinations in OUT
    forEachBit(set, (b) => {
      if (b >= C) { ext++; return; }
      const g = groupOf[b];
      if (g < 0) return;
      const t = inSig[b];
      if (t < 0) { if (sizes[b] > 0) add(g, sizes[b]); return; }
      const list = both.get(t);
      if (list === undefined) both.set(t, [b]); else list.push(b);
    });
    for (const a of members) {
      const ga = groupOf[a];
      const na = sizes[a];
      for (const g of weighted) allowed[ga * G + g] += na * weightBy[g];
      if (ext > 0) allowed[ga * G + X] += na * ext;
    }
    clear();
    for (const [t, dests] of both) {
      const admit: Bitset = inSets[t];
      for (const a of members) {
        if (!hasBit(admit, a)) continue;
        const row = groupOf[a] * G;
        const na = sizes[a];
        for (const b of dests) allowed[row + groupOf[b]] += na * sizes[b];
      }
    }
  });

  // A pod always reaches itself: add the self pairs of classes whose members cannot reach each other.
  for (let c = 0; c < C; c++) {
    const g = groupOf[c];
    if (g < 0) continue;
    const o = outSig[c];
    const i = inSig[c];
    const selfAllowed = (o < 0 || hasBit(outSets[o], c)) && (i < 0 || hasBit(inSets[i], c));
    if (!selfAllowed) allowed[g * G + g] += sizes[c];
  }
  return allowed;
}

function forEachBit(set: Bitset, visit: (index: number) => void): void {
  for (let w = 0; w < set.length; w++) {
    let x = set[w];
    while (x !== 0) {
      const low = x & -x;
      visit((w << 5) + 31 - Math.clz32(low));
      x ^= low;
    }
  }
}

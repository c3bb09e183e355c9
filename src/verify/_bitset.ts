/** Fixed-size bitsets over Uint32Array words: the verifier's sets of classes and externals. */

export type Bitset = Uint32Array;

export function newBitset(size: number): Bitset {
  return new Uint32Array((size + 31) >>> 5);
}

/** A bitset with every bit of `[0, size)` set. */
export function fullBitset(size: number): Bitset {
  const b = newBitset(size);
  b.fill(0xffffffff);
  const rest = size & 31;
  if (rest !== 0) b[b.length - 1] = (1 << rest) - 1 >>> 0;
  return b;
}

export function setBit(b: Bitset, i: number): void {
  b[i >>> 5] |= 1 << (i & 31);
}

export function clearBit(b: Bitset, i: number): void {
  b[i >>> 5] &= ~(1 << (i & 31));
}

export function hasBit(b: Bitset, i: number): boolean {
  return (b[i >>> 5] & (1 << (i & 31))) !== 0;
}

/** `dst |= src`. */
export function orInto(dst: Bitset, src: Bitset): void {
  for (let w = 0; w < dst.length; w++) dst[w] |= src[w];
}

/** `a & b` as a new bitset. */
export function and(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = a[w] & b[w];
  return out;
}

/** `dst &= ~src`. */
export function andNotInto(dst: Bitset, src: Bitset): void {
  for (let w = 0; w < dst.length; w++) dst[w] &= ~src[w];
}

/** Is no bit set in both? */
export function disjoint(a: Bitset, b: Bitset): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w] & b[w]) !== 0) return false;
  return true;
}

/** The lowest bit set, or -1. */
export function firstBit(b: Bitset): number {
  for (let w = 0; w < b.length; w++) {
    const x = b[w];
    if (x !== 0) return (w << 5) + (31 - Math.clz32(x & -x));
  }
  return -1;
}

/**
 * The finite space a proof searches. A pod that could exist is described by a few keys, each with a
 * finite domain of value classes: per label key a selector mentions, `absent`, each mentioned value, or
 * `other` (any value no selector mentions: all of them answer every selector alike); its IP by the
 * interval of address space it lies in; each named container port by whether it maps to the flow's port;
 * the flow by its class (protocol and port interval). A cube is a conjunction of per-key value sets: what
 * one selector, peer or port set admits.
 */

/** A set of value indices of one key's domain, as bits. */
export type ValueSet = Uint32Array;

export function emptySet(size: number): ValueSet {
  return new Uint32Array((size + 31) >>> 5);
}

export function fullSet(size: number): ValueSet {
  const s = emptySet(size);
  s.fill(0xffffffff);
  const rest = size & 31;
  if (rest !== 0) s[s.length - 1] = ((1 << rest) >>> 0) - 1;
  return s;
}

export function setOf(size: number, members: Iterable<number>): ValueSet {
  const s = emptySet(size);
  for (const v of members) s[v >>> 5] |= 1 << (v & 31);
  return s;
}

export function hasValue(s: ValueSet, v: number): boolean {
  return (s[v >>> 5] & (1 << (v & 31))) !== 0;
}

export function intersect(a: ValueSet, b: ValueSet): ValueSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
  return out;
}

/** `a` minus `b`. */
export function minus(a: ValueSet, b: ValueSet): ValueSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & ~b[i];
  return out;
}

export function isEmpty(s: ValueSet): boolean {
  for (let i = 0; i < s.length; i++) if (s[i] !== 0) return false;
  return true;
}

export function sameSet(a: ValueSet, b: ValueSet): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Is `a` a subset of `b`? */
export function subset(a: ValueSet, b: ValueSet): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] & ~b[i]) !== 0) return false;
  return true;
}

export function values(s: ValueSet): number[] {
  const out: number[] = [];
  for (let w = 0; w < s.length; w++) {
    let x = s[w];
    while (x !== 0) {
      const low = x & -x;
      out.push((w << 5) + 31 - Math.clz32(low));
      x ^= low;
    }
  }
  return out;
}

/** What a key is: its domain size and how its values read. */
export interface Key {
  readonly id: number;
  /** `pod:app`, `ns:team`, `ip`, `port:http`, `flow`: unique. */
  readonly name: string;
  readonly size: number;
  /** The preferred value when nothing constrains the key (a label: absent; a named port: none). */
  readonly neutral: number;
  /** The value of `set` a counterexample shows: the neutral one when allowed, else by `rank`. */
  pick(set: ValueSet): number;
}

/** Label keys: absent (value 0), any value no selector mentions (1), then the mentioned values. */
export const LABEL_ABSENT = 0;
export const LABEL_OTHER = 1;

/** The keys of a search, made on first use. */
export class KeyTable {
  private readonly keys: Key[] = [];
  private readonly byName = new Map<string, Key>();

  /**
   * The key of that name (made on first use). `rank` orders the values a counterexample prefers after the
   * neutral one (lower first); by default the value index.
   */
  public key(name: string, size: number, neutral = 0, rank: (v: number) => number = (v) => v): Key {
    let k = this.byName.get(name);
    if (k === undefined) {
      const pick = (set: ValueSet): number => {
        if (hasValue(set, neutral)) return neutral;
        let best = -1;
        for (const v of values(set)) if (best < 0 || rank(v) < rank(best)) best = v;
        return best;
      };
      k = { id: this.keys.length, name, size, neutral, pick };
      this.keys.push(k);
      this.byName.set(name, k);
    } else if (k.size !== size) {
      throw new Error(`internal: key ${name} used with domain sizes ${k.size} and ${size}`);
    }
    return k;
  }

  public get(id: number): Key {
    return this.keys[id];
  }
}

/** A conjunction of per-key value sets; keys absent from it are unconstrained. Immutable. */
export class Cube {
  public static readonly TOP = new Cube(new Map());

  /** The cube of one key's set; undefined when the set is empty (nothing satisfies it). */
  public static of(key: Key, set: ValueSet): Cube | undefined {
    return isEmpty(set) ? undefined : new Cube(new Map([[key.id, set]]));
  }

  private text?: string;

  private constructor(public readonly sets: ReadonlyMap<number, ValueSet>) {}

  /** This and `other`; `undefined` when no value satisfies both. */
  public and(other: Cube): Cube | undefined {
    if (other.sets.size === 0) return this;
    if (this.sets.size === 0) return other;
    const out = new Map(this.sets);
    for (const [k, s] of other.sets) {
      const had = out.get(k);
      const next = had === undefined ? s : intersect(had, s);
      if (isEmpty(next)) return undefined;
      out.set(k, next);
    }
    return new Cube(out);
  }

  /** The same cube with `key` restricted to `set` (intersected); `undefined` when empty. */
  public restrict(key: number, set: ValueSet): Cube | undefined {
    const had = this.sets.get(key);
    const next = had === undefined ? set : intersect(had, set);
    if (isEmpty(next)) return undefined;
    const out = new Map(this.sets);
    out.set(key, next);
    return new Cube(out);
  }

  public get isTop(): boolean {
    return this.sets.size === 0;
  }

  /** Does a full assignment (key id → value) satisfy it? */
  public admits(assignment: ReadonlyMap<number, number>, keys: KeyTable): boolean {
    for (const [k, s] of this.sets) {
      if (!hasValue(s, assignment.get(k) ?? keys.get(k).neutral)) return false;
    }
    return true;
  }

  /** A canonical text: equal cubes, equal texts. */
  public key(): string {
    if (this.text === undefined) {
      this.text = [...this.sets.keys()].sort((a, b) => a - b).map((k) => `${k}:${Array.from(this.sets.get(k)!).join('.')}`).join('|');
    }
    return this.text;
  }
}

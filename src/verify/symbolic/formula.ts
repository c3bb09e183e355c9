/**
 * Boolean formulas in negation normal form over atoms "endpoint e takes values in cube C". The
 * constructors simplify as they go (constants fold, nested and/or flatten), so a formula built for one
 * search holds only what can still change its value.
 */
import { Cube, KeyTable } from './space';

/** The symbolic endpoints of one search: a source pod, a destination pod, and the flow. */
export type Entity = number;

export interface Atom {
  readonly id: number;
  readonly entity: Entity;
  readonly cube: Cube;
}

export type Formula =
  | { readonly k: 'const'; readonly value: boolean }
  | { readonly k: 'lit'; readonly atom: Atom; readonly pos: boolean }
  | { readonly k: 'and'; readonly cs: readonly Formula[] }
  | { readonly k: 'or'; readonly cs: readonly Formula[] };

export const TRUE: Formula = Object.freeze({ k: 'const', value: true });
export const FALSE: Formula = Object.freeze({ k: 'const', value: false });

export function constant(value: boolean): Formula {
  return value ? TRUE : FALSE;
}

/** Interns atoms, so that one cube of one entity is one atom. */
export class Atoms {
  private readonly byKey = new Map<string, Atom>();
  private next = 0;

  /** `entity ∈ cube`; TRUE for the cube that constrains nothing, FALSE for `undefined` (an empty cube). */
  public lit(entity: Entity, cube: Cube | undefined): Formula {
    if (cube === undefined) return FALSE;
    if (cube.isTop) return TRUE;
    const key = `${entity}#${cube.key()}`;
    let atom = this.byKey.get(key);
    if (atom === undefined) {
      atom = { id: this.next++, entity, cube };
      this.byKey.set(key, atom);
    }
    return { k: 'lit', atom, pos: true };
  }
}

export function and(...fs: readonly Formula[]): Formula {
  const out: Formula[] = [];
  for (const f of fs) {
    if (f.k === 'const') {
      if (!f.value) return FALSE;
    } else if (f.k === 'and') {
      out.push(...f.cs);
    } else {
      out.push(f);
    }
  }
  if (out.length === 0) return TRUE;
  if (out.length === 1) return out[0];
  return { k: 'and', cs: out };
}

export function or(...fs: readonly Formula[]): Formula {
  const out: Formula[] = [];
  for (const f of fs) {
    if (f.k === 'const') {
      if (f.value) return TRUE;
    } else if (f.k === 'or') {
      out.push(...f.cs);
    } else {
      out.push(f);
    }
  }
  if (out.length === 0) return FALSE;
  if (out.length === 1) return out[0];
  return { k: 'or', cs: out };
}

/** The negation, pushed down to the atoms (De Morgan). */
export function not(f: Formula): Formula {
  switch (f.k) {
    case 'const': return constant(!f.value);
    case 'lit': return { k: 'lit', atom: f.atom, pos: !f.pos };
    case 'and': return or(...f.cs.map(not));
    case 'or': return and(...f.cs.map(not));
  }
}

/** `if c then a else b`. */
export function ite(c: Formula, a: Formula, b: Formula): Formula {
  return or(and(c, a), and(not(c), b));
}

/** The value of `f` when every entity's keys take the given values (unassigned keys: their neutral value). */
export function evaluate(f: Formula, assignment: readonly ReadonlyMap<number, number>[], keys: KeyTable): boolean {
  switch (f.k) {
    case 'const': return f.value;
    case 'lit': return f.atom.cube.admits(assignment[f.atom.entity], keys) === f.pos;
    case 'and': return f.cs.every((c) => evaluate(c, assignment, keys));
    case 'or': return f.cs.some((c) => evaluate(c, assignment, keys));
  }
}

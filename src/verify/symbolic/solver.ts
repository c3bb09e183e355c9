/**
 * Satisfiability of a formula over the finite space (space.ts): a tableau search over the formula's
 * and/or structure (or-nodes are split, literals propagate), where each literal adds a cube to its
 * endpoint's constraints, and an endpoint is consistent when some assignment of its keys lies in every
 * positive cube and outside every negative one (a hitting-set search: each negative cube must be escaped
 * on one of its keys). Exact: it finds an assignment whenever one exists, or reports that none does;
 * past its step budget it says it cannot decide.
 */
import { Entity, Formula } from './formula';
import { Cube, isEmpty, KeyTable, minus } from './space';

/** Thrown when a search exceeds its step budget: the question is undecided (callers fail closed). */
export class SearchBudgetExceeded extends Error {
  constructor(public readonly steps: number) {
    super(`the search exceeded its budget of ${steps} steps`);
  }
}

/** Per endpoint: every key's value (keys not listed take their neutral value). */
export type Assignment = ReadonlyMap<number, number>;

interface EntityState {
  /** The intersection of the positive cubes. */
  readonly pos: Cube;
  /** Cubes the endpoint must lie outside of. */
  readonly negs: readonly Cube[];
}

interface State {
  readonly entities: readonly EntityState[];
  readonly lits: ReadonlyMap<number, boolean>;
}

export class Solver {
  private steps = 0;

  /**
   * @param keys the key table of the search
   * @param base per endpoint, the cube it always lies in (its domain restrictions)
   * @param budget how many steps (tableau nodes and hitting-set branches) one `solve` may take
   */
  constructor(private readonly keys: KeyTable, private readonly base: readonly Cube[], private readonly budget = 2_000_000) {}

  /** An assignment per endpoint that makes `f` true, or undefined when there is none. */
  public solve(f: Formula): Assignment[] | undefined {
    this.steps = 0;
    const start: State = { entities: this.base.map((pos) => ({ pos, negs: [] })), lits: new Map() };
    const st = this.search([f], start);
    if (st === undefined) return undefined;
    return st.entities.map((e) => this.model(e)!);
  }

  private tick(): void {
    if (++this.steps > this.budget) throw new SearchBudgetExceeded(this.budget);
  }

  private search(pending: Formula[], st: State): State | undefined {
    this.tick();
    const ors: (readonly Formula[])[] = [];
    let state = st;
    while (pending.length > 0) {
      const f = pending.pop()!;
      switch (f.k) {
        case 'const':
          if (!f.value) return undefined;
          break;
        case 'lit': {
          const next = this.assign(state, f.atom.id, f.atom.entity, f.atom.cube, f.pos);
          if (next === undefined) return undefined;
          state = next;
          break;
        }
        case 'and':
          for (const c of f.cs) pending.push(c);
          break;
        case 'or': {
          const reduced = this.reduce(f, state);
          if (reduced === undefined) break; // satisfied
          if (reduced.length === 0) return undefined;
          if (reduced.length === 1) pending.push(reduced[0]);
          else ors.push(reduced);
          break;
        }
      }
    }
    if (ors.length === 0) return state;
    // Split the or-node with the fewest alternatives; the others are reduced again in each branch.
    let best = 0;
    for (let i = 1; i < ors.length; i++) if (ors[i].length < ors[best].length) best = i;
    const rest: Formula[] = ors.filter((_, i) => i !== best).map((cs) => ({ k: 'or', cs }));
    for (const child of ors[best]) {
      const found = this.search([...rest, child], state);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The alternatives of an or-node still open under `st`: undefined when one literal already holds. */
  private reduce(f: { readonly cs: readonly Formula[] }, st: State): Formula[] | undefined {
    const out: Formula[] = [];
    for (const c of f.cs) {
      if (c.k === 'lit') {
        const v = st.lits.get(c.atom.id);
        if (v !== undefined) {
          if (v === c.pos) return undefined;
          continue;
        }
      } else if (c.k === 'const') {
        if (c.value) return undefined;
        continue;
      }
      out.push(c);
    }
    return out;
  }

  private assign(st: State, atom: number, entity: Entity, cube: Cube, pos: boolean): State | undefined {
    const had = st.lits.get(atom);
    if (had !== undefined) return had === pos ? st : undefined;
    const e = st.entities[entity];
    let next: EntityState;
    if (pos) {
      const p = e.pos.and(cube);
      if (p === undefined) return undefined;
      next = { pos: p, negs: e.negs };
    } else {
      next = { pos: e.pos, negs: [...e.negs, cube] };
    }
    if (this.escape(next.pos, next.negs) === undefined) return undefined;
    const entities = st.entities.slice();
    entities[entity] = next;
    const lits = new Map(st.lits);
    lits.set(atom, pos);
    return { entities, lits };
  }

  /**
   * A cube inside `pos` that lies outside every cube of `negs`, or undefined when there is none. Each
   * negative cube is escaped on one of its keys (the key's set minus the cube's); the cube with the fewest
   * ways out is split first, and ways that keep a key's neutral value are tried first.
   */
  private escape(pos: Cube, negs: readonly Cube[]): Cube | undefined {
    this.tick();
    let best: { neg: Cube; ways: number[] } | undefined;
    const open: Cube[] = [];
    for (const neg of negs) {
      let escaped = false;
      const ways: number[] = [];
      for (const [k, s] of neg.sets) {
        const mine = pos.sets.get(k);
        const domain = mine ?? fullOf(this.keys, k);
        const left = minus(domain, s);
        if (isEmpty(left)) continue;
        if (left.length === domain.length && equalSets(left, domain)) { escaped = true; break; }
        ways.push(k);
      }
      if (escaped) continue;
      if (ways.length === 0) return undefined;
      open.push(neg);
      if (best === undefined || ways.length < best.ways.length) best = { neg, ways };
    }
    if (best === undefined) return pos;
    const rest = open.filter((n) => n !== best!.neg);
    const ordered = [...best.ways].sort((a, b) => this.neutralKept(pos, best!.neg, b) - this.neutralKept(pos, best!.neg, a));
    for (const k of ordered) {
      const domain = pos.sets.get(k) ?? fullOf(this.keys, k);
      const narrowed = pos.restrict(k, minus(domain, best.neg.sets.get(k)!));
      if (narrowed === undefined) continue;
      const found = this.escape(narrowed, rest);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private neutralKept(pos: Cube, neg: Cube, k: number): number {
    const key = this.keys.get(k);
    const domain = pos.sets.get(k) ?? fullOf(this.keys, k);
    const left = minus(domain, neg.sets.get(k)!);
    return (left[key.neutral >>> 5] & (1 << (key.neutral & 31))) !== 0 ? 1 : 0;
  }

  private model(e: EntityState): Map<number, number> | undefined {
    const cube = this.escape(e.pos, e.negs);
    if (cube === undefined) return undefined;
    const out = new Map<number, number>();
    for (const [k, s] of cube.sets) out.set(k, this.keys.get(k).pick(s));
    return out;
  }
}

const FULL = new WeakMap<KeyTable, Map<number, Uint32Array>>();

function fullOf(keys: KeyTable, k: number): Uint32Array {
  let m = FULL.get(keys);
  if (m === undefined) { m = new Map(); FULL.set(keys, m); }
  let s = m.get(k);
  if (s === undefined) {
    const size = keys.get(k).size;
    s = new Uint32Array((size + 31) >>> 5);
    s.fill(0xffffffff);
    const rest = size & 31;
    if (rest !== 0) s[s.length - 1] = ((1 << rest) >>> 0) - 1;
    m.set(k, s);
  }
  return s;
}

function equalSets(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

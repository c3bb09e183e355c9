/**
 * The class-based reachability engine: a set of policies evaluated over the pod classes of a ClassIndex
 * (`_classes.ts`). Per flow, every class gets an ingress and an egress "signature" (the rules that apply to
 * it), whose allowed peer set is a bitset over targets (classes, then externals); or, for the few classes an
 * analysis asks about, just that class's side (`side`), by the same rules. Cost grows with classes and rules,
 * not pods².
 */
import { and, Bitset, hasBit, newBitset, orInto, setBit } from './_bitset';
import { ClassIndex, PodClass } from './_classes';
import { ADMITS_ALL, ADMITS_NONE, fqdnMatches, namedPortIs, portEffect, PortEffect } from './_match';
import { Direction, FqdnRuleModel, PeerModel, PolicyModel, RuleModel } from '../model/policy';
import { Protocol } from '../model/port';

export { PodClass } from './_classes';

/** One flow's result: per class, the signature index (or -1 when not isolated) and the signatures' sets. */
export interface FlowResult {
  readonly inSig: Int32Array;
  readonly outSig: Int32Array;
  /** Allowed sources (classes, then externals) per ingress signature. */
  readonly inSets: readonly Bitset[];
  /** Allowed destinations (classes, then externals) per egress signature. */
  readonly outSets: readonly Bitset[];
}

interface RuleInfo {
  readonly policy: number;
  readonly model: RuleModel | FqdnRuleModel;
  readonly fqdn: boolean;
}

/** What one flow needs again and again: each rule's port effect, the named-port masks, and computed sides. */
class FlowContext {
  public readonly effects: (PortEffect | undefined)[] = [];
  public readonly namedMasks = new Map<string, Bitset>();
  public readonly sides = new Map<number, Bitset | null>();

  constructor(public readonly port: number, public readonly protocol: Protocol, public readonly network: string) {}
}

/** Flow results kept for reuse: each can hold megabytes of bitsets on large clusters, so only a few. */
const RESULT_CACHE = 2;
/** Flow contexts kept for reuse (they hold rule effects and the sides asked for). */
const CONTEXT_CACHE = 4;

export class Engine {
  private readonly rules: RuleInfo[] = [];
  private readonly ruleIds: { ingress: number[]; egress: number[] }[] = [];
  private readonly ruleTargets: (Bitset | undefined)[] = [];
  private readonly policySelection: (readonly number[] | undefined)[];
  /** Per class, the policies that select it (ascending); built on first use. */
  private selectingPolicies?: number[][];
  /** Recent flow results by (protocol, network, port interval); RESULT_CACHE entries, oldest evicted first. */
  private readonly results = new Map<string, FlowResult>();
  private readonly contexts = new Map<string, FlowContext>();

  constructor(public readonly index: ClassIndex, private readonly policies: readonly PolicyModel[]) {
    this.policySelection = new Array(policies.length);
    policies.forEach((p, i) => {
      const ids = { ingress: [] as number[], egress: [] as number[] };
      if (p.kind === 'NetworkPolicy') {
        for (const r of p.ingress) ids.ingress.push(this.rules.push({ policy: i, model: r, fqdn: false }) - 1);
        for (const r of p.egress) ids.egress.push(this.rules.push({ policy: i, model: r, fqdn: false }) - 1);
      } else {
        for (const r of p.egress) ids.egress.push(this.rules.push({ policy: i, model: r, fqdn: true }) - 1);
      }
      this.ruleIds.push(ids);
    });
  }

  public get classes(): readonly PodClass[] {
    return this.index.classes;
  }

  public get podClass(): Int32Array {
    return this.index.podClass;
  }

  public get targets(): number {
    return this.index.targets;
  }

  /** See ClassIndex.intervals. */
  public intervals(protocol: Protocol): [number, number][] {
    return this.index.intervals(protocol);
  }

  /** Reachability for one flow, shared by all ports of the flow's interval. */
  public result(port: number, protocol: Protocol, network: string): FlowResult {
    const key = this.flowKey(port, protocol, network);
    let r = this.results.get(key);
    if (r === undefined) {
      r = this.evaluate(this.context(port, protocol, network));
      if (this.results.size >= RESULT_CACHE) this.results.delete(this.results.keys().next().value!);
      this.results.set(key, r);
    }
    return r;
  }

  /**
   * One side of class `c` on a flow, by the rules `result` applies to every class: `undefined` when no policy
   * isolates it for that direction (it admits everything), else the targets it admits (egress: destinations;
   * ingress: sources). For analyses that look at a few classes (the diff), without evaluating the flow for all.
   */
  public side(c: number, direction: Direction, port: number, protocol: Protocol, network: string): Bitset | undefined {
    const ctx = this.context(port, protocol, network);
    const key = direction === 'ingress' ? c : -1 - c;
    const known = ctx.sides.get(key);
    if (known !== undefined) return known ?? undefined;
    let isolated = false;
    let one: Bitset | undefined;
    let union: Bitset | undefined;
    if (this.index.onNetwork(c, network)) {
      for (const p of this.selecting(c)) {
        if (!this.isolates(p, direction, network)) continue;
        isolated = true;
        for (const r of direction === 'ingress' ? this.ruleIds[p].ingress : this.ruleIds[p].egress) {
          if (direction === 'ingress' ? !this.ingressApplies(r, c, ctx) : !this.egressLive(r, ctx)) continue;
          const set = direction === 'ingress' ? this.ruleTargetSet(r) : this.egressSet(r, ctx);
          if (one === undefined) {
            one = set;
          } else {
            if (union === undefined) { union = newBitset(this.targets); orInto(union, one); }
            orInto(union, set);
          }
        }
      }
    }
    const side = isolated ? union ?? one ?? newBitset(this.targets) : undefined;
    ctx.sides.set(key, side ?? null);
    return side;
  }

  /**
   * Does class `c`'s side admit `target` on a flow (`side(...)` is undefined or holds it)? Without building the
   * side's set: for checking one pair each of many classes.
   */
  public sideAdmits(c: number, direction: Direction, target: number, port: number, protocol: Protocol, network: string): boolean {
    const ctx = this.context(port, protocol, network);
    const known = ctx.sides.get(direction === 'ingress' ? c : -1 - c);
    if (known !== undefined) return known === null || hasBit(known, target);
    if (!this.index.onNetwork(c, network)) return true;
    let isolated = false;
    for (const p of this.selecting(c)) {
      if (!this.isolates(p, direction, network)) continue;
      isolated = true;
      for (const r of direction === 'ingress' ? this.ruleIds[p].ingress : this.ruleIds[p].egress) {
        if (direction === 'ingress' ? !this.ingressApplies(r, c, ctx) : !this.egressLive(r, ctx)) continue;
        if (direction === 'ingress' ? hasBit(this.ruleTargetSet(r), target) : this.egressAdmits(r, ctx, target)) return true;
      }
    }
    return !isolated;
  }

  /** Does policy `p` select class `c` (its namespace and podSelector, on any network)? */
  public selects(p: number, c: number): boolean {
    const list = this.selected(p);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < c) lo = mid + 1; else hi = mid;
    }
    return lo < list.length && list[lo] === c;
  }

  /** The policies (indices, ascending) that select class `c`, on any network. */
  public selecting(c: number): readonly number[] {
    if (this.selectingPolicies === undefined) {
      const lists: number[][] = this.index.classes.map(() => []);
      for (let p = 0; p < this.policies.length; p++) for (const d of this.selected(p)) lists[d].push(p);
      this.selectingPolicies = lists;
    }
    return this.selectingPolicies[c];
  }

  /** Does a rule peer of a policy in `policyNamespace` admit the target (a class, or classes.length + external)? */
  public peerAdmits(peer: PeerModel, policyNamespace: string, target: number): boolean {
    return hasBit(this.index.peerSet(peer, policyNamespace), target);
  }

  /** Classes a policy selects (its namespace, its podSelector), on any network; ascending. */
  public selected(p: number): readonly number[] {
    let s = this.policySelection[p];
    if (s === undefined) {
      const policy = this.policies[p];
      s = this.index.classesMatching(policy.namespace, policy.podSelector);
      this.policySelection[p] = s;
    }
    return s;
  }

  private flowKey(port: number, protocol: Protocol, network: string): string {
    return `${protocol}\u0000${network}\u0000${this.index.intervalOf(port, protocol)}`;
  }

  private context(port: number, protocol: Protocol, network: string): FlowContext {
    const key = this.flowKey(port, protocol, network);
    let ctx = this.contexts.get(key);
    if (ctx === undefined) {
      ctx = new FlowContext(port, protocol, network);
      if (this.contexts.size >= CONTEXT_CACHE) this.contexts.delete(this.contexts.keys().next().value!);
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  /** Does policy `p` isolate the pods it selects for `direction` on `network`? (FQDN policies: egress, every network.) */
  private isolates(p: number, direction: Direction, network: string): boolean {
    const policy = this.policies[p];
    if (policy.kind !== 'NetworkPolicy') return direction === 'egress';
    if (policy.network !== undefined && policy.network !== network) return false;
    return policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
  }

  /** Rule `r`'s port effect on the flow (FQDN rules reach externals only, so a named port never matches). */
  private effect(r: number, ctx: FlowContext): PortEffect {
    let e = ctx.effects[r];
    if (e === undefined) {
      const rule = this.rules[r];
      e = rule.fqdn
        ? (portEffect((rule.model as FqdnRuleModel).ports, ctx.port, ctx.protocol).all ? ADMITS_ALL : ADMITS_NONE)
        : portEffect((rule.model as RuleModel).ports, ctx.port, ctx.protocol);
      ctx.effects[r] = e;
    }
    return e;
  }

  /** Does ingress rule `r` apply to destination class `d` on the flow (named ports resolve on `d`'s pods)? */
  private ingressApplies(r: number, d: number, ctx: FlowContext): boolean {
    const e = this.effect(r, ctx);
    if (e.all) return true;
    if (e.names.length === 0) return false;
    const ports = this.index.ports(d);
    return e.names.some((n) => namedPortIs(ports, n, ctx.port, ctx.protocol));
  }

  /** Can egress rule `r` allow anything on the flow (its named ports resolve on each destination)? */
  private egressLive(r: number, ctx: FlowContext): boolean {
    const e = this.effect(r, ctx);
    return e.all || e.names.length > 0;
  }

  /** The destinations egress rule `r` admits on the flow: its peers, narrowed to classes with a named port when it names ports. */
  private egressSet(r: number, ctx: FlowContext): Bitset {
    const e = this.effect(r, ctx);
    const targets = this.ruleTargetSet(r);
    return e.all ? targets : and(targets, this.namedMask(e, ctx));
  }

  /** Is `target` in `egressSet(r, ctx)`? (Without building the set.) */
  private egressAdmits(r: number, ctx: FlowContext, target: number): boolean {
    const e = this.effect(r, ctx);
    return hasBit(this.ruleTargetSet(r), target) && (e.all || hasBit(this.namedMask(e, ctx), target));
  }

  private namedMask(e: PortEffect, ctx: FlowContext): Bitset {
    const key = e.names.join('\u0000');
    let mask = ctx.namedMasks.get(key);
    if (mask === undefined) {
      mask = this.index.namedPortClasses(e.names, ctx.port, ctx.protocol);
      ctx.namedMasks.set(key, mask);
    }
    return mask;
  }

  /** Evaluates one flow over all classes. */
  private evaluate(ctx: FlowContext): FlowResult {
    const C = this.index.classes.length;
    const attached = new Uint8Array(C);
    for (let c = 0; c < C; c++) attached[c] = this.index.onNetwork(c, ctx.network) ? 1 : 0;
    const inRules: (number[] | undefined)[] = new Array(C);
    const outRules: (number[] | undefined)[] = new Array(C);
    for (let p = 0; p < this.policies.length; p++) {
      const selected = this.selected(p);
      const ids = this.ruleIds[p];
      if (this.isolates(p, 'ingress', ctx.network)) {
        for (const d of selected) {
          if (!attached[d]) continue;
          const list = inRules[d] ?? (inRules[d] = []);
          for (const r of ids.ingress) if (this.ingressApplies(r, d, ctx)) list.push(r);
        }
      }
      if (this.isolates(p, 'egress', ctx.network)) {
        const live = ids.egress.filter((r) => this.egressLive(r, ctx));
        for (const s of selected) {
          if (!attached[s]) continue;
          const list = outRules[s] ?? (outRules[s] = []);
          for (const r of live) list.push(r);
        }
      }
    }
    const ingress = this.signatures(inRules, (r) => this.ruleTargetSet(r));
    const egress = this.signatures(outRules, (r) => this.egressSet(r, ctx));
    return { inSig: ingress.sig, outSig: egress.sig, inSets: ingress.sets, outSets: egress.sets };
  }

  private signatures(rulesPerClass: readonly (number[] | undefined)[], ruleSet: (r: number) => Bitset): { sig: Int32Array; sets: Bitset[] } {
    const sig = new Int32Array(rulesPerClass.length).fill(-1);
    const index = new Map<string, number>();
    const sets: Bitset[] = [];
    const perRule = new Map<number, Bitset>();
    const setOf = (r: number): Bitset => {
      let b = perRule.get(r);
      if (b === undefined) { b = ruleSet(r); perRule.set(r, b); }
      return b;
    };
    for (let c = 0; c < rulesPerClass.length; c++) {
      const list = rulesPerClass[c];
      if (list === undefined) continue;
      const key = list.join(',');
      let s = index.get(key);
      if (s === undefined) {
        s = sets.length;
        index.set(key, s);
        if (list.length === 1) {
          sets.push(setOf(list[0]));
        } else {
          const b = newBitset(this.targets);
          for (const r of list) orInto(b, setOf(r));
          sets.push(b);
        }
      }
      sig[c] = s;
    }
    return { sig, sets };
  }

  /** Every class (and external) a rule's peers admit, on any port. */
  private ruleTargetSet(r: number): Bitset {
    let b = this.ruleTargets[r];
    if (b !== undefined) return b;
    const rule = this.rules[r];
    if (rule.fqdn) {
      b = newBitset(this.targets);
      const matches = (rule.model as FqdnRuleModel).matches;
      const C = this.index.classes.length;
      this.index.externals.forEach((x, e) => {
        if (matches.some((m) => fqdnMatches(m, x.hostname))) setBit(b!, C + e);
      });
    } else {
      const peers = (rule.model as RuleModel).peers;
      const namespace = this.policies[rule.policy].namespace;
      if (peers === 'all') {
        b = this.index.all;
      } else if (peers.length === 1) {
        b = this.index.peerSet(peers[0], namespace);
      } else {
        b = newBitset(this.targets);
        for (const peer of peers) orInto(b, this.index.peerSet(peer, namespace));
      }
    }
    this.ruleTargets[r] = b;
    return b;
  }
}

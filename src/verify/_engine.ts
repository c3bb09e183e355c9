/**
 * The class-based reachability engine: a set of policies evaluated over the pod classes of a ClassIndex
 * (`_classes.ts`). Per flow, every class gets an ingress and an egress "signature" (the rules that apply to
 * it), whose allowed peer set is a bitset over targets (classes, then externals); or, for the few classes an
 * analysis asks about, just that class's side (`side`), by the same rules. Cost grows with classes and rules,
 * not pods².
 */
import { and, andNotInto, Bitset, firstBit, fullBitset, hasBit, newBitset, orInto, setBit } from './_bitset';
import { ClassIndex, PodClass } from './_classes';
import { ADMITS_ALL, ADMITS_NONE, cnpPortEffect, effectAdmits, fqdnMatches, namedPortIs, portEffect, PortEffect } from './_match';
import { ContainerPortModel } from '../model/cluster';
import {
  ClusterNetworkPolicyModel, CnpPeerModel, CnpRuleModel, CnpTier, Direction, FqdnRuleModel, NamespacedPolicyModel, PeerModel, PolicyModel, RuleModel,
} from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings } from '../model/selector';

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

/** A ClusterNetworkPolicy rule in the engine: its policy, direction and position. */
interface CnpRuleInfo {
  readonly policy: number;
  readonly direction: Direction;
  readonly index: number;
  readonly model: CnpRuleModel;
}

/**
 * Two ClusterNetworkPolicies of one tier and priority that match the same traffic: their order is
 * undefined upstream, so no answer can be given. `from`/`to` are engine targets (class or external).
 */
export interface CnpOverlap {
  readonly a: number;
  readonly b: number;
  readonly direction: Direction;
  readonly from: number;
  readonly to: number;
  readonly port: number;
  readonly protocol: Protocol;
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
  private readonly cnpRules: CnpRuleInfo[] = [];
  private readonly cnpRuleIds: { ingress: number[]; egress: number[] }[] = [];
  private readonly cnpTargets: (Bitset | undefined)[] = [];
  /** ClusterNetworkPolicies (policy indices) per tier, in precedence order: priority, then name. */
  private readonly tiers: Record<CnpTier, number[]> = { Admin: [], Baseline: [] };
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
      const cnpIds = { ingress: [] as number[], egress: [] as number[] };
      this.cnpRuleIds.push(cnpIds);
      if (p.kind === 'ClusterNetworkPolicy') {
        for (const direction of ['ingress', 'egress'] as const) {
          p[direction].forEach((model, k) => cnpIds[direction].push(this.cnpRules.push({ policy: i, direction, index: k, model }) - 1));
        }
        this.tiers[p.tier].push(i);
      } else if (p.kind === 'NetworkPolicy') {
        for (const r of p.ingress) ids.ingress.push(this.rules.push({ policy: i, model: r, fqdn: false }) - 1);
        for (const r of p.egress) ids.egress.push(this.rules.push({ policy: i, model: r, fqdn: false }) - 1);
      } else {
        for (const r of p.egress) ids.egress.push(this.rules.push({ policy: i, model: r, fqdn: true }) - 1);
      }
      this.ruleIds.push(ids);
    });
    for (const tier of Object.values(this.tiers)) {
      const cnp = (i: number) => policies[i] as ClusterNetworkPolicyModel;
      tier.sort((a, b) => cnp(a).priority - cnp(b).priority || compareStrings(cnp(a).name, cnp(b).name));
    }
  }

  /** Are there ClusterNetworkPolicies (so verdicts go through tiers)? */
  public get hasTiers(): boolean {
    return this.tiers.Admin.length > 0 || this.tiers.Baseline.length > 0;
  }

  /** ClusterNetworkPolicies (policy indices) of a tier in precedence order. */
  public tier(tier: CnpTier): readonly number[] {
    return this.tiers[tier];
  }

  /** The classes and externals one ClusterNetworkPolicy peer matches (not `unknown`), on any port. */
  public cnpPeerSet(peer: Exclude<CnpPeerModel, { kind: 'unknown' }>): Bitset {
    return this.index.cnpPeerSet(peer);
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
    if (this.hasTiers) {
      // Tiers decide a side from every tier's rules: read it from the flow's full result.
      const r = this.result(port, protocol, network);
      const s = direction === 'ingress' ? r.inSig[c] : r.outSig[c];
      const side = s < 0 ? undefined : (direction === 'ingress' ? r.inSets : r.outSets)[s];
      ctx.sides.set(key, side ?? null);
      return side;
    }
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
    if (this.hasTiers) {
      const side = this.side(c, direction, port, protocol, network);
      return side === undefined || hasBit(side, target);
    }
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

  /**
   * Do NetworkPolicies (or FQDN policies) isolate class `c` for `direction` on `network`? What Kubernetes
   * calls isolation: ClusterNetworkPolicies decide traffic in their tiers but never isolate a pod.
   */
  public isolated(c: number, direction: Direction, network: string): boolean {
    if (!this.index.onNetwork(c, network)) return false;
    for (const p of this.selecting(c)) if (this.isolates(p, direction, network)) return true;
    return false;
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
      // A ClusterNetworkPolicy's subject: pods of the namespaces it selects (every pod, for the namespaces form).
      s = policy.kind === 'ClusterNetworkPolicy'
        ? this.index.cnpPodsClasses(policy.subject.namespaces, policy.subject.pods)
        : this.index.classesMatching(policy.namespace, policy.podSelector);
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
    if (policy.kind === 'ClusterNetworkPolicy') return false;
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
      if (this.policies[p].kind === 'ClusterNetworkPolicy') continue;
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
    if (!this.hasTiers) {
      const ingress = this.signatures(inRules, (r) => this.ruleTargetSet(r));
      const egress = this.signatures(outRules, (r) => this.egressSet(r, ctx));
      return { inSig: ingress.sig, outSig: egress.sig, inSets: ingress.sets, outSets: egress.sets };
    }
    const cnp = this.tieredRules(ctx, attached);
    const cnpEgressSet = (r: number): Bitset => {
      const e = cnp.outEffects.get(r) ?? ADMITS_NONE;
      const targets = this.cnpTargetSet(r);
      if (e.all) return targets;
      const key = `cnp\u0000${e.names.join('\u0000')}`;
      let mask = ctx.namedMasks.get(key);
      if (mask === undefined) {
        mask = newBitset(this.targets);
        for (let c = 0; c < C; c++) if (effectAdmits(e, this.index.ports(c), ctx.port, ctx.protocol)) setBit(mask, c);
        ctx.namedMasks.set(key, mask);
      }
      return and(targets, mask);
    };
    const cnpSet = (r: number) => this.cnpTargetSet(r);
    const ingress = this.tieredSignatures(cnp.admin.ingress, inRules, cnp.baseline.ingress, (r) => this.ruleTargetSet(r), cnpSet);
    const egress = this.tieredSignatures(cnp.admin.egress, outRules, cnp.baseline.egress, (r) => this.egressSet(r, ctx), cnpEgressSet);
    return { inSig: ingress.sig, outSig: egress.sig, inSets: ingress.sets, outSets: egress.sets };
  }

  /**
   * Per class and direction, the ClusterNetworkPolicy rules of each tier that can match this flow, in
   * precedence order (ingress rules' named ports resolved on the class's own container ports; egress
   * rules keep their effect, resolved on destinations by `outEffects`).
   */
  private tieredRules(ctx: FlowContext, attached: Uint8Array): {
    admin: Record<Direction, (number[] | undefined)[]>; baseline: Record<Direction, (number[] | undefined)[]>; outEffects: Map<number, PortEffect>;
  } {
    const C = this.classes.length;
    const { port, protocol } = ctx;
    const outEffects = new Map<number, PortEffect>();
    const lists = () => ({ ingress: new Array<number[] | undefined>(C), egress: new Array<number[] | undefined>(C) });
    const admin = lists();
    const baseline = lists();
    for (const tier of ['Admin', 'Baseline'] as const) {
      const into = tier === 'Admin' ? admin : baseline;
      for (const p of this.tiers[tier]) {
        const selected = this.selected(p);
        const ids = this.cnpRuleIds[p];
        const inEffects = ids.ingress.map((r) => cnpPortEffect(this.cnpRules[r].model.protocols, port, protocol));
        for (const d of selected) {
          if (!attached[d]) continue;
          const ports = this.index.ports(d);
          for (let k = 0; k < ids.ingress.length; k++) {
            if (!effectAdmits(inEffects[k], ports, port, protocol)) continue;
            (into.ingress[d] ?? (into.ingress[d] = [])).push(ids.ingress[k]);
          }
        }
        const live: number[] = [];
        for (const r of ids.egress) {
          const e = cnpPortEffect(this.cnpRules[r].model.protocols, port, protocol);
          if (e.all || e.names.length > 0) { live.push(r); outEffects.set(r, e); }
        }
        if (live.length === 0) continue;
        for (const s of selected) {
          if (!attached[s]) continue;
          const list = into.egress[s] ?? (into.egress[s] = []);
          for (const r of live) list.push(r);
        }
      }
    }
    return { admin, baseline, outEffects };
  }

  /**
   * Signatures when ClusterNetworkPolicies exist. A class's allowed set for a direction: the Admin tier's
   * first matching rule decides (Accept: allowed; Deny: not; Pass: on to the next tier); the rest is
   * decided by the NetworkPolicies when they isolate the class, otherwise by the Baseline tier the same
   * way (Pass and no match: allowed). `-1` when no tier and no NetworkPolicy constrains the class.
   */
  private tieredSignatures(
    admin: readonly (number[] | undefined)[], np: readonly (number[] | undefined)[], baseline: readonly (number[] | undefined)[],
    npSet: (r: number) => Bitset, cnpSet: (r: number) => Bitset,
  ): { sig: Int32Array; sets: Bitset[] } {
    const C = np.length;
    const sig = new Int32Array(C).fill(-1);
    const index = new Map<string, number>();
    const sets: Bitset[] = [];
    const npCache = new Map<number, Bitset>();
    const cnpCache = new Map<number, Bitset>();
    const cached = (cache: Map<number, Bitset>, make: (r: number) => Bitset, r: number) => {
      let b = cache.get(r);
      if (b === undefined) { b = make(r); cache.set(r, b); }
      return b;
    };
    // Many classes share a tier's rule list (and differ in their NetworkPolicies): one first-match per list.
    const tierCache = new Map<string, { accept: Bitset; deny: Bitset }>();
    const tier = (rules: readonly number[]) => {
      const key = rules.join(',');
      let t = tierCache.get(key);
      if (t === undefined) { t = this.firstMatch(rules, (r) => cached(cnpCache, cnpSet, r)); tierCache.set(key, t); }
      return t;
    };
    for (let c = 0; c < C; c++) {
      const a = admin[c];
      const n = np[c];
      const b = baseline[c];
      if (a === undefined && n === undefined && b === undefined) continue;
      const key = `${a?.join(',') ?? ''}|${n === undefined ? '-' : n.join(',')}|${b?.join(',') ?? ''}`;
      let s = index.get(key);
      if (s === undefined) {
        s = sets.length;
        index.set(key, s);
        if (a === undefined && b === undefined && n!.length === 1) {
          // NetworkPolicies alone, one rule: its set as it is (as without tiers).
          sets.push(cached(npCache, npSet, n![0]));
          sig[c] = s;
          continue;
        }
        const first = tier(a ?? []);
        let rest: Bitset;
        if (n !== undefined) {
          rest = newBitset(this.targets);
          for (const r of n) orInto(rest, cached(npCache, npSet, r));
        } else {
          rest = fullBitset(this.targets);
          andNotInto(rest, tier(b ?? []).deny);
        }
        andNotInto(rest, first.accept);
        andNotInto(rest, first.deny);
        orInto(rest, first.accept);
        sets.push(rest);
      }
      sig[c] = s;
    }
    return { sig, sets };
  }

  /**
   * A tier's rules in first-match order: the targets whose first matching rule accepts, and those whose
   * first matching rule denies (a Pass, or no match, is in neither).
   */
  private firstMatch(rules: readonly number[], targetsOf: (r: number) => Bitset): { accept: Bitset; deny: Bitset } {
    const matched = newBitset(this.targets);
    const accept = newBitset(this.targets);
    const deny = newBitset(this.targets);
    for (const r of rules) {
      const targets = targetsOf(r);
      const action = this.cnpRules[r].model.action;
      const out = action === 'Accept' ? accept : action === 'Deny' ? deny : undefined;
      for (let w = 0; w < targets.length; w++) {
        const t = targets[w];
        if (out !== undefined) out[w] |= t & ~matched[w];
        matched[w] |= t;
      }
    }
    return { accept, deny };
  }

  /**
   * Every class (and external) a ClusterNetworkPolicy rule's peers match, on any port. A peer netproof
   * does not know fails closed: nothing for Accept, everything for Deny and Pass.
   */
  private cnpTargetSet(r: number): Bitset {
    let b = this.cnpTargets[r];
    if (b !== undefined) return b;
    const rule = this.cnpRules[r].model;
    b = newBitset(this.targets);
    for (const peer of rule.peers) {
      if (peer.kind === 'unknown') {
        if (rule.action !== 'Accept') { b = Uint32Array.from(this.index.all); break; }
        continue;
      }
      orInto(b, this.index.cnpPeerSet(peer));
    }
    this.cnpTargets[r] = b;
    return b;
  }

  /**
   * Two ClusterNetworkPolicies of one tier and priority that match the same traffic (a subject class,
   * a peer and a flow both of their rules of one direction match), or undefined when no such pair exists.
   */
  public cnpOverlap(): CnpOverlap | undefined {
    for (const tier of ['Admin', 'Baseline'] as const) {
      const list = this.tiers[tier];
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [list[i], list[j]];
          const pa = this.policies[a] as ClusterNetworkPolicyModel;
          const pb = this.policies[b] as ClusterNetworkPolicyModel;
          if (pa.priority !== pb.priority) break;
          const found = this.overlapOf(a, b);
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  private overlapOf(a: number, b: number): CnpOverlap | undefined {
    const inB = new Set(this.selected(b));
    const common = this.selected(a).filter((c) => inB.has(c));
    if (common.length === 0) return undefined;
    const flows: [Protocol, number][] = [];
    for (const protocol of PROTOCOLS) for (const [first] of this.intervals(protocol)) flows.push([protocol, first]);
    for (const direction of ['ingress', 'egress'] as const) {
      for (const ra of this.cnpRuleIds[a][direction]) {
        for (const rb of this.cnpRuleIds[b][direction]) {
          const shared = Uint32Array.from(this.cnpTargetSet(ra));
          for (let w = 0; w < shared.length; w++) shared[w] &= this.cnpTargetSet(rb)[w];
          if (firstBit(shared) < 0) continue;
          for (const [protocol, port] of flows) {
            const ea = cnpPortEffect(this.cnpRules[ra].model.protocols, port, protocol);
            const eb = cnpPortEffect(this.cnpRules[rb].model.protocols, port, protocol);
            const both = (ports: readonly ContainerPortModel[] | undefined) =>
              effectAdmits(ea, ports, port, protocol) && effectAdmits(eb, ports, port, protocol);
            if (direction === 'ingress') {
              const c = common.find((x) => both(this.index.ports(x)));
              if (c !== undefined) return { a, b, direction, from: firstBit(shared), to: c, port, protocol };
            } else {
              for (let t = firstBit(shared); t >= 0 && t < this.targets; t++) {
                if (!hasBit(shared, t)) continue;
                const ports = t < this.classes.length ? this.index.ports(t) : undefined;
                if (both(ports)) return { a, b, direction, from: common[0], to: t, port, protocol };
              }
            }
          }
        }
      }
    }
    return undefined;
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
      const namespace = (this.policies[rule.policy] as NamespacedPolicyModel).namespace;
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

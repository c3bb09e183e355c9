/**
 * The class-based reachability engine. Pods that agree on everything policies can observe (namespace,
 * the labels selectors mention, the named container ports rules mention, Pod-networks, and which
 * policy CIDRs contain their IP) form one equivalence class; each selector is evaluated once per class,
 * and per flow every class gets an ingress and an egress "signature" (the rules that apply to it), whose
 * allowed peer set is a bitset over classes then externals. Cost grows with classes and rules, not pods².
 */
import { and, andNotInto, Bitset, clearBit, firstBit, fullBitset, hasBit, newBitset, orInto, setBit } from './_bitset';
import {
  ADMITS_ALL, ADMITS_NONE, cnpDomainMatches, cnpPortEffect, effectAdmits, fqdnMatches, IpBlock, ipBlockContains, ipBlockMatchesPods, namedPortIs,
  ParsedIp, portEffect, PortEffect,
} from './_match';
import { LabelVocabulary } from './_vocabulary';
import { IpFamily, parseCidr, ParsedCidr, prefixMask } from '../model/cidr';
import { Dataplane, ExternalModel, PodModel } from '../model/cluster';
import {
  ClusterNetworkPolicyModel, CnpPeerModel, CnpRuleModel, CnpTier, Direction, FqdnRuleModel, PeerModel, PolicyModel, portNamesOf, RuleModel,
} from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import {
  compareStrings, isSelectAll, LabelSelectorModel, Labels, matchesLabels, requirementsOf, SELECT_ALL, selectorKey,
} from '../model/selector';

export interface EngineInput {
  readonly dataplane: Dataplane;
  readonly policies: readonly PolicyModel[];
  /** Policies that shape classes and port intervals besides `policies` (not evaluated). */
  readonly observers: readonly PolicyModel[];
  readonly pods: readonly PodModel[];
  readonly podIps: readonly (ParsedIp | undefined)[];
  /** Sorted by name; external `e` is target `classes.length + e`. */
  readonly externals: readonly ExternalModel[];
  readonly externalIps: readonly ParsedIp[];
  readonly nsLabels: (namespace: string) => Labels;
  readonly ipBlock: (peer: PeerModel & { kind: 'ipBlock' }) => IpBlock;
  /** Nodes for ClusterNetworkPolicy `nodes` peers: labels and parsed addresses. */
  readonly nodes: readonly { readonly labels: Labels; readonly ips: readonly ParsedIp[] }[];
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

export interface PodClass {
  readonly namespace: string;
  /** Index of a representative pod. */
  readonly rep: number;
  size: number;
  readonly networks: ReadonlySet<string>;
}

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

/** Flow results kept for reuse: each can hold megabytes of bitsets on large clusters, so only a few. */
const RESULT_CACHE = 2;


export class Engine {
  public readonly classes: PodClass[] = [];
  public readonly podClass: Int32Array;
  public readonly targets: number;
  /** Classes are sorted by namespace: each namespace owns the class range [first, end). */
  private readonly nsRange = new Map<string, readonly [number, number]>();
  /** Inverted index over the label vocabulary selectors mention: key -> classes having it, and per value. */
  private readonly postings = new Map<string, { readonly present: number[]; readonly values: Map<string, number[]> }>();
  /** Which classes' IPs each policy CIDR (or except) contains, by CIDR id. */
  private readonly cidrPostings = new Map<number, number[]>();
  private readonly cidrs = new CidrSignature();
  private readonly selectorCache = new Map<string, number[]>();
  private readonly nsSelectorCache = new Map<string, string[]>();
  private readonly peerCache = new Map<string, Bitset>();
  private readonly rules: RuleInfo[] = [];
  private readonly ruleIds: { ingress: number[]; egress: number[] }[] = [];
  private readonly cnpRules: CnpRuleInfo[] = [];
  private readonly cnpRuleIds: { ingress: number[]; egress: number[] }[] = [];
  private readonly cnpTargets: (Bitset | undefined)[] = [];
  /** ClusterNetworkPolicies (policy indices) per tier, in precedence order: priority, then name. */
  private readonly tiers: Record<CnpTier, number[]> = { Admin: [], Baseline: [] };
  private readonly ruleTargets: (Bitset | undefined)[] = [];
  private readonly policySelection: (number[] | undefined)[];
  private readonly selectionSets: (Bitset | undefined)[] = [];
  private readonly all: Bitset;
  /** Per protocol, the sorted first ports of the intervals within which no rule can tell ports apart. */
  private readonly boundaries = new Map<Protocol, number[]>();
  /** Recent flow results by (protocol, network, port interval); RESULT_CACHE entries, oldest evicted first. */
  private readonly results = new Map<string, FlowResult>();

  constructor(private readonly input: EngineInput) {
    this.podClass = new Int32Array(input.pods.length);
    this.buildClasses();
    this.targets = this.classes.length + input.externals.length;
    this.all = fullBitset(this.targets);
    this.policySelection = new Array(input.policies.length);
    input.policies.forEach((p, i) => {
      const ids = { ingress: [] as number[], egress: [] as number[] };
      const cnpIds = { ingress: [] as number[], egress: [] as number[] };
      this.cnpRuleIds.push(cnpIds);
      if (p.kind === 'ClusterNetworkPolicy') {
        for (const direction of ['ingress', 'egress'] as const) {
          p[direction].forEach((model, index) => cnpIds[direction].push(this.cnpRules.push({ policy: i, direction, index, model }) - 1));
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
      const cnp = (i: number) => input.policies[i] as ClusterNetworkPolicyModel;
      tier.sort((a, b) => cnp(a).priority - cnp(b).priority || compareStrings(cnp(a).name, cnp(b).name));
    }
    this.buildBoundaries();
  }

  /** Are there ClusterNetworkPolicies (so verdicts go through tiers)? */
  public get hasTiers(): boolean {
    return this.tiers.Admin.length > 0 || this.tiers.Baseline.length > 0;
  }

  /** ClusterNetworkPolicies (policy indices) of a tier in precedence order. */
  public tier(tier: CnpTier): readonly number[] {
    return this.tiers[tier];
  }

  /**
   * The port space of a protocol split into the intervals that policies mention: numeric ports and
   * ranges, and the container port numbers that mentioned port names resolve to. Every flow whose port
   * lies in one interval has the same reachability, so results are shared between them.
   */
  public intervals(protocol: Protocol): [number, number][] {
    const starts = this.boundaries.get(protocol) ?? [1];
    return starts.map((first, i) => [first, i + 1 < starts.length ? starts[i + 1] - 1 : 65535]);
  }

  /** Reachability for one flow, shared by all ports of the flow's interval. */
  public result(port: number, protocol: Protocol, network: string): FlowResult {
    const starts = this.boundaries.get(protocol) ?? [1];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= port) lo = mid; else hi = mid - 1;
    }
    const key = `${protocol}\u0000${network}\u0000${lo}`;
    let r = this.results.get(key);
    if (r === undefined) {
      r = this.evaluate(port, protocol, network);
      if (this.results.size >= RESULT_CACHE) this.results.delete(this.results.keys().next().value!);
      this.results.set(key, r);
    }
    return r;
  }

  private buildBoundaries(): void {
    const starts = new Map<Protocol, Set<number>>();
    const add = (protocol: Protocol, first: number, last: number) => {
      let s = starts.get(protocol);
      if (s === undefined) { s = new Set([1]); starts.set(protocol, s); }
      s.add(first);
      if (last < 65535) s.add(last + 1);
    };
    const names = new Set<string>();
    /** ClusterNetworkPolicy named ports: a container port of any protocol. */
    const anyProtocolNames = new Set<string>();
    for (const policy of [...this.input.policies, ...this.input.observers]) {
      if (policy.kind === 'ClusterNetworkPolicy') {
        for (const rule of [...policy.ingress, ...policy.egress]) {
          if (rule.protocols === 'all') continue;
          for (const e of rule.protocols) {
            if ('namedPort' in e) anyProtocolNames.add(e.namedPort);
            else if (e.port !== undefined) add(e.protocol, e.port, e.endPort ?? e.port);
          }
        }
        continue;
      }
      for (const rule of policy.kind === 'NetworkPolicy' ? [...policy.ingress, ...policy.egress] : policy.egress) {
        if (rule.ports === 'all') continue;
        for (const e of rule.ports) {
          if (typeof e.port === 'number') add(e.protocol, e.port, e.endPort ?? e.port);
          else if (typeof e.port === 'string') names.add(`${e.protocol}/${e.port}`);
        }
      }
    }
    if (names.size > 0 || anyProtocolNames.size > 0) {
      for (const pod of this.input.pods) {
        for (const cp of pod.ports) {
          if (cp.name !== undefined && (names.has(`${cp.protocol}/${cp.name}`) || anyProtocolNames.has(cp.name))) add(cp.protocol, cp.port, cp.port);
        }
      }
    }
    for (const [protocol, s] of starts) this.boundaries.set(protocol, [...s].sort((a, b) => a - b));
  }

  /** Evaluates one flow over all classes. */
  private evaluate(port: number, protocol: Protocol, network: string): FlowResult {
    const { policies } = this.input;
    const C = this.classes.length;
    const attached = new Uint8Array(C);
    for (let c = 0; c < C; c++) attached[c] = this.classes[c].networks.has(network) ? 1 : 0;
    const inRules: (number[] | undefined)[] = new Array(C);
    const outRules: (number[] | undefined)[] = new Array(C);
    const outEffects = new Map<number, PortEffect>();

    for (let p = 0; p < policies.length; p++) {
      const policy = policies[p];
      if (policy.kind === 'ClusterNetworkPolicy') continue;
      if (policy.kind === 'NetworkPolicy' && policy.network !== undefined && policy.network !== network) continue;
      const selected = this.selected(p);
      const ids = this.ruleIds[p];
      if (policy.kind === 'NetworkPolicy') {
        if (policy.policyTypes.includes('Ingress')) {
          const effects = ids.ingress.map((r) => portEffect((this.rules[r].model as RuleModel).ports, port, protocol));
          for (const d of selected) {
            if (!attached[d]) continue;
            const list = inRules[d] ?? (inRules[d] = []);
            const ports = this.input.pods[this.classes[d].rep].ports;
            for (let k = 0; k < ids.ingress.length; k++) {
              const e = effects[k];
              if (e.all || e.names.some((n) => namedPortIs(ports, n, port, protocol))) list.push(ids.ingress[k]);
            }
          }
        }
        if (policy.policyTypes.includes('Egress')) {
          const live: number[] = [];
          for (const r of ids.egress) {
            const e = portEffect((this.rules[r].model as RuleModel).ports, port, protocol);
            if (e.all || e.names.length > 0) { live.push(r); outEffects.set(r, e); }
          }
          for (const s of selected) {
            if (!attached[s]) continue;
            const list = outRules[s] ?? (outRules[s] = []);
            for (const r of live) list.push(r);
          }
        }
      } else {
        const live = ids.egress.filter((r) => fqdnPortMatches((this.rules[r].model as FqdnRuleModel).ports, port, protocol));
        for (const r of live) outEffects.set(r, ADMITS_ALL);
        for (const s of selected) {
          if (!attached[s]) continue;
          const list = outRules[s] ?? (outRules[s] = []);
          for (const r of live) list.push(r);
        }
      }
    }

    const namedMasks = new Map<string, Bitset>();
    const egressSet = (r: number): Bitset => {
      const e = outEffects.get(r) ?? ADMITS_NONE;
      const targets = this.ruleTargetSet(r);
      if (e.all) return targets;
      const key = e.names.join('\u0000');
      let mask = namedMasks.get(key);
      if (mask === undefined) {
        mask = newBitset(this.targets);
        for (let c = 0; c < C; c++) {
          const ports = this.input.pods[this.classes[c].rep].ports;
          if (e.names.some((n) => namedPortIs(ports, n, port, protocol))) setBit(mask, c);
        }
        namedMasks.set(key, mask);
      }
      return and(targets, mask);
    };
    if (!this.hasTiers) {
      const ingress = this.signatures(inRules, (r) => this.ruleTargetSet(r));
      const egress = this.signatures(outRules, egressSet);
      return { inSig: ingress.sig, outSig: egress.sig, inSets: ingress.sets, outSets: egress.sets };
    }
    const cnp = this.tieredRules(port, protocol, attached);
    const cnpEgressSet = (r: number): Bitset => {
      const e = cnp.outEffects.get(r) ?? ADMITS_NONE;
      const targets = this.cnpTargetSet(r);
      if (e.all) return targets;
      const key = e.names.join('\u0000');
      let mask = namedMasks.get(`cnp\u0000${key}`);
      if (mask === undefined) {
        mask = newBitset(this.targets);
        for (let c = 0; c < C; c++) if (effectAdmits(e, this.input.pods[this.classes[c].rep].ports, port, protocol)) setBit(mask, c);
        namedMasks.set(`cnp\u0000${key}`, mask);
      }
      return and(targets, mask);
    };
    const cnpSet = (r: number) => this.cnpTargetSet(r);
    const ingress = this.tieredSignatures(cnp.admin.ingress, inRules, cnp.baseline.ingress, (r) => this.ruleTargetSet(r), cnpSet);
    const egress = this.tieredSignatures(cnp.admin.egress, outRules, cnp.baseline.egress, egressSet, cnpEgressSet);
    return { inSig: ingress.sig, outSig: egress.sig, inSets: ingress.sets, outSets: egress.sets };
  }

  /**
   * Per class and direction, the ClusterNetworkPolicy rules of each tier that can match this flow, in
   * precedence order (ingress rules' named ports resolved on the class's own container ports; egress
   * rules keep their effect, resolved on destinations by `outEffects`).
   */
  private tieredRules(port: number, protocol: Protocol, attached: Uint8Array): {
    admin: Record<Direction, (number[] | undefined)[]>; baseline: Record<Direction, (number[] | undefined)[]>; outEffects: Map<number, PortEffect>;
  } {
    const C = this.classes.length;
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
          const ports = this.input.pods[this.classes[d].rep].ports;
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
        if (rule.action !== 'Accept') { b = Uint32Array.from(this.all); break; }
        continue;
      }
      orInto(b, this.cnpPeerSet(peer));
    }
    this.cnpTargets[r] = b;
    return b;
  }

  /** The classes and externals one ClusterNetworkPolicy peer matches (not `unknown`). */
  public cnpPeerSet(peer: Exclude<CnpPeerModel, { kind: 'unknown' }>): Bitset {
    const key = `cnp\u0000${JSON.stringify(peer)}`;
    let b = this.peerCache.get(key);
    if (b !== undefined) return b;
    b = newBitset(this.targets);
    const C = this.classes.length;
    const { externals, externalIps } = this.input;
    switch (peer.kind) {
      case 'pods':
        for (const ns of this.namespacesMatching(peer.namespaces)) for (const c of this.classesMatching(ns, peer.pods ?? SELECT_ALL)) setBit(b, c);
        break;
      case 'networks': {
        const cidrs = peer.cidrs.map(cidrOf);
        for (const cidr of cidrs) for (const c of this.cidrPostings.get(this.cidrs.idOf(cidr) ?? -1) ?? []) setBit(b, c);
        externalIps.forEach((ip, e) => {
          if (cidrs.some((cidr) => ipBlockContains({ cidr, except: [] }, ip))) setBit(b!, C + e);
        });
        break;
      }
      case 'nodes': {
        const ips = new Set<string>();
        for (const node of this.input.nodes) if (matchesLabels(peer.selector, node.labels)) for (const ip of node.ips) ips.add(`${ip.family}/${ip.value}`);
        externalIps.forEach((ip, e) => {
          if (ips.has(`${ip.family}/${ip.value}`)) setBit(b!, C + e);
        });
        break;
      }
      case 'domainNames':
        externals.forEach((x, e) => {
          if (peer.names.some((n) => cnpDomainMatches(n, x.hostname))) setBit(b!, C + e);
        });
        break;
    }
    this.peerCache.set(key, b);
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
          const pa = this.input.policies[a] as ClusterNetworkPolicyModel;
          const pb = this.input.policies[b] as ClusterNetworkPolicyModel;
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
            const both = (ports: PodModel['ports'] | undefined) => effectAdmits(ea, ports, port, protocol) && effectAdmits(eb, ports, port, protocol);
            if (direction === 'ingress') {
              const c = common.find((x) => both(this.input.pods[this.classes[x].rep].ports));
              if (c !== undefined) return { a, b, direction, from: firstBit(shared), to: c, port, protocol };
            } else {
              for (let t = firstBit(shared); t >= 0 && t < this.targets; t++) {
                if (!hasBit(shared, t)) continue;
                const ports = t < this.classes.length ? this.input.pods[this.classes[t].rep].ports : undefined;
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

  /** Does policy `p` select class `c` (its namespace and podSelector, on any network)? */
  public selects(p: number, c: number): boolean {
    let set = this.selectionSets[p];
    if (set === undefined) {
      set = newBitset(this.targets);
      for (const d of this.selected(p)) setBit(set, d);
      this.selectionSets[p] = set;
    }
    return hasBit(set, c);
  }

  /** Does a rule peer of a policy in `policyNamespace` admit the target (a class, or classes.length + external)? */
  public peerAdmits(peer: PeerModel, policyNamespace: string, target: number): boolean {
    return hasBit(this.peerSet(peer, policyNamespace), target);
  }

  /** Classes a policy selects (its namespace, its podSelector), on any network. */
  public selected(p: number): readonly number[] {
    let s = this.policySelection[p];
    if (s === undefined) {
      const policy = this.input.policies[p];
      if (policy.kind === 'ClusterNetworkPolicy') {
        // The subject: pods of the namespaces it selects (every pod, for the namespaces form).
        s = this.namespacesMatching(policy.subject.namespaces).flatMap((ns) => this.classesMatching(ns, policy.subject.pods ?? SELECT_ALL));
      } else {
        s = this.classesMatching(policy.namespace, policy.podSelector);
      }
      this.policySelection[p] = s;
    }
    return s;
  }

  /**
   * Classes of a namespace a pod selector admits. Candidates come from the inverted index of the most
   * selective positive requirement (In, Exists, matchLabels); only they are tested against the selector.
   */
  private classesMatching(namespace: string, selector: LabelSelectorModel): number[] {
    const key = `${namespace}\u0000${selectorKey(selector)}`;
    let out = this.selectorCache.get(key);
    if (out !== undefined) return out;
    out = [];
    const range = this.nsRange.get(namespace);
    if (range !== undefined) {
      const [lo, hi] = range;
      let best: number[][] | undefined;
      let bestCount = hi - lo;
      for (const req of requirementsOf(selector)) {
        if (req.operator !== 'In' && req.operator !== 'Exists') continue;
        const post = this.postings.get(req.key);
        const lists = post === undefined ? [] : req.operator === 'Exists' ? [post.present] : req.values.map((v) => post.values.get(v) ?? []);
        let count = 0;
        for (const list of lists) count += lowerBound(list, hi) - lowerBound(list, lo);
        if (count < bestCount || best === undefined) { best = lists; bestCount = count; }
      }
      const { pods } = this.input;
      if (best === undefined) {
        if (isSelectAll(selector)) {
          for (let c = lo; c < hi; c++) out.push(c);
        } else {
          for (let c = lo; c < hi; c++) if (matchesLabels(selector, pods[this.classes[c].rep].labels)) out.push(c);
        }
      } else {
        for (const list of best) {
          for (let k = lowerBound(list, lo); k < list.length && list[k] < hi; k++) {
            if (matchesLabels(selector, pods[this.classes[list[k]].rep].labels)) out.push(list[k]);
          }
        }
        if (best.length > 1) out.sort((a, b) => a - b);
      }
    }
    this.selectorCache.set(key, out);
    return out;
  }

  /** Every class (and external) a rule's peers admit, on any port. */
  private ruleTargetSet(r: number): Bitset {
    let b = this.ruleTargets[r];
    if (b !== undefined) return b;
    const rule = this.rules[r];
    if (rule.fqdn) {
      b = newBitset(this.targets);
      const matches = (rule.model as FqdnRuleModel).matches;
      const C = this.classes.length;
      this.input.externals.forEach((x, e) => {
        if (matches.some((m) => fqdnMatches(m, x.hostname))) setBit(b!, C + e);
      });
    } else {
      const peers = (rule.model as RuleModel).peers;
      const namespace = (this.input.policies[rule.policy] as Exclude<PolicyModel, ClusterNetworkPolicyModel>).namespace;
      if (peers === 'all') {
        b = this.all;
      } else if (peers.length === 1) {
        b = this.peerSet(peers[0], namespace);
      } else {
        b = newBitset(this.targets);
        for (const peer of peers) orInto(b, this.peerSet(peer, namespace));
      }
    }
    this.ruleTargets[r] = b;
    return b;
  }

  private peerSet(peer: PeerModel, policyNamespace: string): Bitset {
    const key = peer.kind === 'ipBlock'
      ? `ip\u0000${peer.cidr}\u0000${peer.except.join(',')}`
      : `pods\u0000${peer.namespaces.kind === 'own' ? `own:${policyNamespace}` : `sel:${selectorKey(peer.namespaces.selector)}`}\u0000${selectorKey(peer.pods)}`;
    let b = this.peerCache.get(key);
    if (b !== undefined) return b;
    b = newBitset(this.targets);
    if (peer.kind === 'ipBlock') {
      const block = this.input.ipBlock(peer);
      if (ipBlockMatchesPods(this.input.dataplane)) {
        const inside = this.cidrPostings.get(this.cidrs.idOf(block.cidr) ?? -1) ?? [];
        for (const c of inside) setBit(b, c);
        for (const e of block.except) {
          for (const c of this.cidrPostings.get(this.cidrs.idOf(e) ?? -1) ?? []) clearBit(b, c);
        }
      }
      const C = this.classes.length;
      this.input.externalIps.forEach((ip, e) => {
        if (ipBlockContains(block, ip)) setBit(b!, C + e);
      });
    } else {
      const namespaces = peer.namespaces.kind === 'own' ? [policyNamespace] : this.namespacesMatching(peer.namespaces.selector);
      for (const ns of namespaces) {
        for (const c of this.classesMatching(ns, peer.pods)) setBit(b, c);
      }
    }
    this.peerCache.set(key, b);
    return b;
  }

  private namespacesMatching(selector: LabelSelectorModel): string[] {
    const key = selectorKey(selector);
    let out = this.nsSelectorCache.get(key);
    if (out === undefined) {
      out = [...this.nsRange.keys()].filter((ns) => matchesLabels(selector, this.input.nsLabels(ns)));
      this.nsSelectorCache.set(key, out);
    }
    return out;
  }

  /**
   * Groups pods by what policies can observe. Labels are projected onto the vocabulary selectors
   * mention (a key no selector mentions is dropped; a value no selector mentions becomes "other"), which
   * keeps every In/NotIn/Exists/DoesNotExist answer unchanged.
   */
  private buildClasses(): void {
    const { pods, policies, podIps } = this.input;
    const selectors: LabelSelectorModel[] = [];
    const portNames = new Set<string>();
    const notePorts = (ports: RuleModel['ports']) => {
      if (ports !== 'all') for (const p of ports) if (typeof p.port === 'string') portNames.add(p.port);
    };
    const cidrs = this.cidrs;
    const podIpsMatter = ipBlockMatchesPods(this.input.dataplane);
    // ClusterNetworkPolicy networks match pod IPs on every dataplane.
    let ipsMatter = podIpsMatter;
    for (const p of [...policies, ...this.input.observers]) {
      if (p.kind === 'ClusterNetworkPolicy') {
        if (p.subject.pods) selectors.push(p.subject.pods);
        for (const name of portNamesOf(p)) portNames.add(name);
        for (const r of [...p.ingress, ...p.egress]) {
          for (const peer of r.peers) {
            if (peer.kind === 'pods' && peer.pods) selectors.push(peer.pods);
            if (peer.kind !== 'networks') continue;
            for (const text of peer.cidrs) {
              const c = cidrOf(text);
              cidrs.add(c.family, c.prefix, c.network);
              ipsMatter = true;
            }
          }
        }
        continue;
      }
      selectors.push(p.podSelector);
      if (p.kind !== 'NetworkPolicy') continue;
      for (const r of [...p.ingress, ...p.egress]) {
        notePorts(r.ports);
        if (r.peers === 'all') continue;
        for (const peer of r.peers) {
          if (peer.kind === 'pods') {selectors.push(peer.pods);} else if (podIpsMatter) {
            const block = this.input.ipBlock(peer);
            cidrs.add(block.cidr.family, block.cidr.prefix, block.cidr.network);
            for (const e of block.except) cidrs.add(e.family, e.prefix, e.network);
          }
        }
      }
    }
    const vocabulary = LabelVocabulary.of(selectors);
    const keys = vocabulary.keys;
    const byKey = new Map<string, number>();
    const draft: { key: string; cls: PodClass }[] = [];
    const podDraft = new Int32Array(pods.length);
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i];
      let key = `${pod.namespace}\u0001${vocabulary.project(pod.labels)}\u0001`;
      if (portNames.size > 0) {
        const named = pod.ports.filter((cp) => cp.name !== undefined && portNames.has(cp.name))
          .map((cp) => `${cp.name}/${cp.protocol}/${cp.port}`).sort(compareStrings);
        key += named.join(',');
      }
      const networks = [...new Set(pod.networks)].sort(compareStrings);
      key += `\u0001${networks.join(',')}\u0001`;
      if (ipsMatter) key += cidrs.signature(podIps[i]);
      let d = byKey.get(key);
      if (d === undefined) {
        d = draft.length;
        byKey.set(key, d);
        draft.push({ key, cls: { namespace: pod.namespace, rep: i, size: 0, networks: new Set(networks) } });
      }
      draft[d].cls.size++;
      podDraft[i] = d;
    }
    // Deterministic order, namespaces contiguous.
    const order = draft.map((_, d) => d)
      .sort((a, b) => compareStrings(draft[a].cls.namespace, draft[b].cls.namespace) || compareStrings(draft[a].key, draft[b].key));
    const renumber = new Int32Array(draft.length);
    order.forEach((d, c) => {
      renumber[d] = c;
      const cls = draft[d].cls;
      this.classes.push(cls);
      const range = this.nsRange.get(cls.namespace);
      this.nsRange.set(cls.namespace, range === undefined ? [c, c + 1] : [range[0], c + 1]);
      const labels = pods[cls.rep].labels;
      for (const k of keys) {
        if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
        let post = this.postings.get(k);
        if (post === undefined) { post = { present: [], values: new Map() }; this.postings.set(k, post); }
        post.present.push(c);
        const v = labels[k];
        if (!vocabulary.mentions(k, v)) continue;
        const list = post.values.get(v);
        if (list === undefined) post.values.set(v, [c]); else list.push(c);
      }
      if (ipsMatter) {
        for (const id of cidrs.ids(podIps[cls.rep])) {
          const list = this.cidrPostings.get(id);
          if (list === undefined) this.cidrPostings.set(id, [c]); else list.push(c);
        }
      }
    });
    for (let i = 0; i < pods.length; i++) this.podClass[i] = renumber[podDraft[i]];
  }
}

/** Which policy CIDRs (cidrs and excepts) contain an address, in O(distinct prefix lengths). */
class CidrSignature {
  private readonly byFamily = new Map<IpFamily, Map<number, { readonly mask: bigint; readonly nets: Map<bigint, number> }>>();
  private count = 0;

  public add(family: IpFamily, prefix: number, network: bigint): void {
    let prefixes = this.byFamily.get(family);
    if (prefixes === undefined) { prefixes = new Map(); this.byFamily.set(family, prefixes); }
    let entry = prefixes.get(prefix);
    if (entry === undefined) { entry = { mask: prefixMask(family, prefix), nets: new Map() }; prefixes.set(prefix, entry); }
    if (!entry.nets.has(network)) entry.nets.set(network, this.count++);
  }

  public idOf(cidr: { readonly family: IpFamily; readonly prefix: number; readonly network: bigint }): number | undefined {
    return this.byFamily.get(cidr.family)?.get(cidr.prefix)?.nets.get(cidr.network);
  }

  /** Ids of the CIDRs containing the address, ascending. */
  public ids(ip: ParsedIp | undefined): number[] {
    if (ip === undefined) return [];
    const prefixes = this.byFamily.get(ip.family);
    if (prefixes === undefined) return [];
    const ids: number[] = [];
    for (const { mask, nets } of prefixes.values()) {
      const id = nets.get(ip.value & mask);
      if (id !== undefined) ids.push(id);
    }
    return ids.sort((a, b) => a - b);
  }

  public signature(ip: ParsedIp | undefined): string {
    return ip === undefined ? '-' : this.ids(ip).join(',');
  }
}

function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** FQDN rules reach externals only, so a named port never matches. */
function fqdnPortMatches(ports: FqdnRuleModel['ports'], port: number, protocol: Protocol): boolean {
  return portEffect(ports, port, protocol).all;
}

/** A canonical CIDR of the model (validated by the parser or the constructs). */
function cidrOf(text: string): ParsedCidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(`internal: invalid CIDR ${text} in the model: ${r.reason}`);
  return r.value;
}

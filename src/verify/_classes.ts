/**
 * The pod equivalence classes, the engine's foundation. Pods that agree on everything policies can observe
 * (namespace, the labels selectors mention, the named container ports rules mention, Pod-networks, and which
 * policy CIDRs contain their IP) form one class; selectors and rule peers are evaluated once per class, as
 * sets of classes and externals (bitsets over "targets": classes, then externals). The port space is split
 * into the intervals that policies mention. All of it depends on the pods and on the policies that shape
 * the classes, not on which of those policies are evaluated: two engines (the two sides of a diff) share one
 * index, and with it every selector and peer set.
 */
import { Bitset, clearBit, fullBitset, newBitset, setBit } from './_bitset';
import { cnpDomainMatches, IpBlock, ipBlockContains, ipBlockMatchesPods, namedPortIs, ParsedIp } from './_match';
import { LabelVocabulary } from './_vocabulary';
import { IpFamily, parseCidr, ParsedCidr, prefixMask } from '../model/cidr';
import { ContainerPortModel, Dataplane, ExternalModel, PodModel } from '../model/cluster';
import { CnpPeerModel, NAMESPACE_NAME_LABEL, PeerModel, PolicyModel, portNamesOf, RuleModel } from '../model/policy';
import { Protocol } from '../model/port';
import {
  compareStrings, isSelectAll, LabelSelectorModel, Labels, matchesLabels, requirementMatches, requirementsOf, SELECT_ALL, selectorKey,
} from '../model/selector';

export interface ClassIndexInput {
  readonly dataplane: Dataplane;
  /** Every policy whose selectors, named ports, port ranges and CIDRs shape the classes (evaluated or observed). */
  readonly policies: readonly PolicyModel[];
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

export interface PodClass {
  readonly namespace: string;
  /** Index of a representative pod. */
  readonly rep: number;
  size: number;
  readonly networks: ReadonlySet<string>;
}

/** Selector keys by selector object (selectors are immutable): one JSON text per selector, not per use. */
const SELECTOR_KEYS = new WeakMap<LabelSelectorModel, string>();

/** `matchesLabels(selector, ·)` as a function over the selector's entries, made once per selector. */
const MATCHERS = new WeakMap<LabelSelectorModel, (labels: Labels) => boolean>();

function matcherOf(selector: LabelSelectorModel): (labels: Labels) => boolean {
  let match = MATCHERS.get(selector);
  if (match === undefined) {
    const keys = Object.keys(selector.matchLabels);
    const values = keys.map((k) => selector.matchLabels[k]);
    const exprs = selector.matchExpressions;
    match = (labels) => {
      for (let i = 0; i < keys.length; i++) if (labels[keys[i]] !== values[i]) return false;
      for (let i = 0; i < exprs.length; i++) if (!requirementMatches(exprs[i], labels)) return false;
      return true;
    };
    MATCHERS.set(selector, match);
  }
  return match;
}

function keyOf(selector: LabelSelectorModel): string {
  let key = SELECTOR_KEYS.get(selector);
  if (key === undefined) {
    key = selectorKey(selector);
    SELECTOR_KEYS.set(selector, key);
  }
  return key;
}

/** Class ranges up to this size are scanned rather than looked up in the postings. */
const SCAN_LIMIT = 32;

export class ClassIndex {
  public readonly classes: PodClass[] = [];
  public readonly podClass: Int32Array;
  /** Classes, then externals. */
  public readonly targets: number;
  /** Every target. */
  public readonly all: Bitset;
  /** Classes are sorted by namespace: each namespace owns the class range [first, end). */
  private readonly nsRange = new Map<string, readonly [number, number]>();
  /** Namespaces numbered in class order, and each class's namespace number. */
  private readonly nsOrdinal = new Map<string, number>();
  private classNs = new Int32Array(0);
  /** Inverted index over the label vocabulary selectors mention: key -> classes having it, and per value. */
  private readonly postings = new Map<string, { readonly present: number[]; readonly values: Map<string, number[]> }>();
  /** Which classes' IPs each policy CIDR (or except) contains, by CIDR id. */
  private readonly cidrPostings = new Map<number, number[]>();
  private readonly cidrs = new CidrSignature();
  private readonly selectorCache = new Map<string, number[]>();
  private readonly nsSelectorCache = new Map<string, string[]>();
  private readonly peerCache = new Map<string, Bitset>();
  private readonly namedPorts = new Map<string, Map<number, number[]>>();
  /** Per protocol, the sorted first ports of the intervals within which no rule can tell ports apart. */
  private readonly boundaries = new Map<Protocol, number[]>();

  constructor(private readonly input: ClassIndexInput) {
    this.podClass = new Int32Array(input.pods.length);
    this.buildClasses();
    this.targets = this.classes.length + input.externals.length;
    this.all = fullBitset(this.targets);
    this.buildBoundaries();
  }

  public get externals(): readonly ExternalModel[] {
    return this.input.externals;
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

  /** The index of the interval (of `intervals(protocol)`) that holds `port`. */
  public intervalOf(port: number, protocol: Protocol): number {
    const starts = this.boundaries.get(protocol) ?? [1];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= port) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The container ports of class `c`'s pods. */
  public ports(c: number): readonly ContainerPortModel[] {
    return this.input.pods[this.classes[c].rep].ports;
  }

  /** Is class `c` attached to `network`? */
  public onNetwork(c: number, network: string): boolean {
    return this.classes[c].networks.has(network);
  }

  /** The classes whose pods have a container port named one of `names` that is `port`/`protocol`. */
  public namedPortClasses(names: readonly string[], port: number, protocol: Protocol): Bitset {
    const mask = newBitset(this.targets);
    for (const name of names) {
      const classes = this.namedPortIndex(protocol, name).get(port);
      if (classes !== undefined) for (const c of classes) setBit(mask, c);
    }
    return mask;
  }

  /** Per port number, the classes with a container port of that name and protocol (made once per name). */
  private namedPortIndex(protocol: Protocol, name: string): Map<number, number[]> {
    const key = `${protocol}/${name}`;
    let index = this.namedPorts.get(key);
    if (index === undefined) {
      index = new Map();
      for (let c = 0; c < this.classes.length; c++) {
        for (const cp of this.ports(c)) {
          // Candidates from the ports' names; the one port matcher decides.
          if (cp.name !== name || !namedPortIs(this.ports(c), name, cp.port, protocol)) continue;
          const list = index.get(cp.port);
          if (list === undefined) index.set(cp.port, [c]); else if (list[list.length - 1] !== c) list.push(c);
        }
      }
      this.namedPorts.set(key, index);
    }
    return index;
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
    for (const policy of this.input.policies) {
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

  /**
   * Classes of a namespace a pod selector admits. Candidates come from the inverted index of the most
   * selective positive requirement (In, Exists, matchLabels); only they are tested against the selector.
   */
  public classesMatching(namespace: string, selector: LabelSelectorModel): number[] {
    const key = `${namespace}\u0000${keyOf(selector)}`;
    let out = this.selectorCache.get(key);
    if (out === undefined) {
      const range = this.nsRange.get(namespace);
      out = range === undefined ? [] : this.classesIn(range[0], range[1], selector);
      this.selectorCache.set(key, out);
    }
    return out;
  }

  /** Classes of every namespace a pod selector admits (for peers whose namespace selector admits many namespaces). */
  private classesAnywhere(selector: LabelSelectorModel): number[] {
    const key = `\u0001${keyOf(selector)}`;
    let out = this.selectorCache.get(key);
    if (out === undefined) {
      out = this.classesIn(0, this.classes.length, selector);
      this.selectorCache.set(key, out);
    }
    return out;
  }

  /** Classes in [lo, hi) that a pod selector admits, ascending. */
  private classesIn(lo: number, hi: number, selector: LabelSelectorModel): number[] {
    const out: number[] = [];
    if (hi - lo <= SCAN_LIMIT) {
      // A namespace of a few classes: testing each costs less than choosing a posting list.
      const matches = matcherOf(selector);
      const { pods } = this.input;
      for (let c = lo; c < hi; c++) if (matches(pods[this.classes[c].rep].labels)) out.push(c);
      return out;
    }
    {
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
          const matches = matcherOf(selector);
          for (let c = lo; c < hi; c++) if (matches(pods[this.classes[c].rep].labels)) out.push(c);
        }
      } else {
        const matches = matcherOf(selector);
        for (const list of best) {
          for (let k = lowerBound(list, lo); k < list.length && list[k] < hi; k++) {
            if (matches(pods[this.classes[list[k]].rep].labels)) out.push(list[k]);
          }
        }
        if (best.length > 1) out.sort((a, b) => a - b);
      }
    }
    return out;
  }

  /** Every class (and external) a rule peer of a policy in `policyNamespace` admits. */
  public peerSet(peer: PeerModel, policyNamespace: string): Bitset {
    const key = peer.kind === 'ipBlock'
      ? `ip\u0000${peer.cidr}\u0000${peer.except.join(',')}`
      : `pods\u0000${peer.namespaces.kind === 'own' ? `own:${policyNamespace}` : `sel:${keyOf(peer.namespaces.selector)}`}\u0000${keyOf(peer.pods)}`;
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
      if (isSelectAll(peer.pods)) {
        for (const ns of namespaces) {
          const range = this.nsRange.get(ns);
          if (range !== undefined) for (let c = range[0]; c < range[1]; c++) setBit(b, c);
        }
      } else if (namespaces.length <= 2) {
        for (const ns of namespaces) {
          for (const c of this.classesMatching(ns, peer.pods)) setBit(b, c);
        }
      } else {
        // Many namespaces: the pod selector's classes anywhere, kept when their namespace is admitted.
        const admitted = new Uint8Array(this.nsRange.size);
        for (const ns of namespaces) admitted[this.nsOrdinal.get(ns)!] = 1;
        for (const c of this.classesAnywhere(peer.pods)) if (admitted[this.classNs[c]] === 1) setBit(b, c);
      }
    }
    this.peerCache.set(key, b);
    return b;
  }

  /** The classes and externals one ClusterNetworkPolicy peer matches (not `unknown`), on any port. */
  public cnpPeerSet(peer: Exclude<CnpPeerModel, { kind: 'unknown' }>): Bitset {
    const key = `cnp\u0000${JSON.stringify(peer)}`;
    let b = this.peerCache.get(key);
    if (b !== undefined) return b;
    b = newBitset(this.targets);
    const C = this.classes.length;
    const { externals, externalIps } = this.input;
    switch (peer.kind) {
      case 'pods':
        for (const c of this.cnpPodsClasses(peer.namespaces, peer.pods)) setBit(b, c);
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
   * Classes of the pods a ClusterNetworkPolicy subject or pods peer selects: pods of the namespaces
   * `namespaces` selects matching `pods` (every pod when absent), ascending.
   */
  public cnpPodsClasses(namespaces: LabelSelectorModel, pods: LabelSelectorModel | undefined): readonly number[] {
    const key = `\u0002${keyOf(namespaces)}\u0000${pods === undefined ? '' : keyOf(pods)}`;
    let out = this.selectorCache.get(key);
    if (out === undefined) {
      out = [];
      // Namespaces own contiguous ascending class ranges, in namespace order: the concatenation is ascending.
      for (const ns of this.namespacesMatching(namespaces)) for (const c of this.classesMatching(ns, pods ?? SELECT_ALL)) out.push(c);
      out.sort((a, b) => a - b);
      this.selectorCache.set(key, out);
    }
    return out;
  }

  private namespacesMatching(selector: LabelSelectorModel): string[] {
    const key = keyOf(selector);
    let out = this.nsSelectorCache.get(key);
    if (out === undefined) {
      // `kubernetes.io/metadata.name: X` (a namespace by name, the common case) has one candidate.
      const labels = selector.matchLabels;
      const named = Object.prototype.hasOwnProperty.call(labels, NAMESPACE_NAME_LABEL) ? labels[NAMESPACE_NAME_LABEL] : undefined;
      const candidates = named === undefined ? [...this.nsRange.keys()] : this.nsRange.has(named) ? [named] : [];
      out = candidates.filter((ns) => matchesLabels(selector, this.input.nsLabels(ns)));
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
    for (const p of policies) {
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
    // Per pod, in loops without intermediate arrays: this runs 100,000 times on a large cluster.
    const namedPorts = (ports: PodModel['ports']): string => {
      let one: string | undefined;
      let many: string[] | undefined;
      for (const cp of ports) {
        if (cp.name === undefined || !portNames.has(cp.name)) continue;
        const text = `${cp.name}/${cp.protocol}/${cp.port}`;
        if (one === undefined) one = text; else (many ??= [one]).push(text);
      }
      return many !== undefined ? many.sort(compareStrings).join(',') : one ?? '';
    };
    const networkText = (networks: readonly string[]) => (networks.length === 1 ? networks[0] : [...new Set(networks)].sort(compareStrings).join(','));
    // Each part of a pod's class key (labels projected onto the vocabulary, named ports, networks, CIDRs
    // containing its IP) is computed once per distinct object or text and numbered; a pod's class is found
    // by the short key of those numbers, and the full text key (which orders the classes) is built once per class.
    const parts = new Map<object | string, { readonly id: number; readonly text: string }>();
    const part = <T extends object | string>(of: T, text: (x: T) => string): { readonly id: number; readonly text: string } => {
      let p = parts.get(of);
      if (p === undefined) {
        const t = text(of);
        p = parts.get(t);
        if (p === undefined) {
          p = { id: parts.size, text: t };
          parts.set(t, p);
        }
        parts.set(of, p);
      }
      return p;
    };
    const same = (t: string) => t;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i];
      const ns = part(pod.namespace, same);
      const labels = part(pod.labels, (l) => `\u0003${vocabulary.project(l)}`);
      const ports = portNames.size > 0 ? part(pod.ports, (p) => `\u0004${namedPorts(p)}`) : undefined;
      const networks = part(pod.networks, (n) => `\u0005${networkText(n)}`);
      const sig = ipsMatter ? part(`\u0006${cidrs.signature(podIps[i])}`, same) : undefined;
      const short = `${ns.id},${labels.id},${ports?.id ?? ''},${networks.id},${sig?.id ?? ''}`;
      let d = byKey.get(short);
      if (d === undefined) {
        d = draft.length;
        byKey.set(short, d);
        // The text key as before: namespace, projection, named ports, networks, CIDR signature.
        const key = `${ns.text}\u0001${labels.text.slice(1)}\u0001${ports?.text.slice(1) ?? ''}\u0001${networks.text.slice(1)}\u0001${sig?.text.slice(1) ?? ''}`;
        draft.push({ key, cls: { namespace: pod.namespace, rep: i, size: 0, networks: new Set(pod.networks) } });
      }
      draft[d].cls.size++;
      podDraft[i] = d;
    }
    // Deterministic order, namespaces contiguous.
    const order = draft.map((_, d) => d)
      .sort((a, b) => compareStrings(draft[a].cls.namespace, draft[b].cls.namespace) || compareStrings(draft[a].key, draft[b].key));
    const renumber = new Int32Array(draft.length);
    this.classNs = new Int32Array(draft.length);
    order.forEach((d, c) => {
      renumber[d] = c;
      const cls = draft[d].cls;
      this.classes.push(cls);
      const range = this.nsRange.get(cls.namespace);
      this.nsRange.set(cls.namespace, range === undefined ? [c, c + 1] : [range[0], c + 1]);
      if (!this.nsOrdinal.has(cls.namespace)) this.nsOrdinal.set(cls.namespace, this.nsOrdinal.size);
      this.classNs[c] = this.nsOrdinal.get(cls.namespace)!;
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
  /** IPv4 again, in numbers (BigInt arithmetic per pod and prefix is the cost on large clusters). */
  private readonly v4: { readonly mask: number; readonly nets: Map<number, number> }[] = [];
  private count = 0;

  public add(family: IpFamily, prefix: number, network: bigint): void {
    let prefixes = this.byFamily.get(family);
    if (prefixes === undefined) { prefixes = new Map(); this.byFamily.set(family, prefixes); }
    let entry = prefixes.get(prefix);
    if (entry === undefined) {
      entry = { mask: prefixMask(family, prefix), nets: new Map() };
      prefixes.set(prefix, entry);
      if (family === 4) this.v4.push({ mask: Number(entry.mask), nets: new Map() });
    }
    if (!entry.nets.has(network)) {
      const id = this.count++;
      entry.nets.set(network, id);
      if (family === 4) this.v4.find((e) => e.mask === Number(entry!.mask))!.nets.set(Number(network), id);
    }
  }

  public idOf(cidr: { readonly family: IpFamily; readonly prefix: number; readonly network: bigint }): number | undefined {
    return this.byFamily.get(cidr.family)?.get(cidr.prefix)?.nets.get(cidr.network);
  }

  /** Ids of the CIDRs containing the address, ascending. */
  public ids(ip: ParsedIp | undefined): number[] {
    if (ip === undefined) return [];
    const ids: number[] = [];
    if (ip.family === 4) {
      const value = Number(ip.value);
      for (const { mask, nets } of this.v4) {
        const id = nets.get((value & mask) >>> 0);
        if (id !== undefined) ids.push(id);
      }
    } else {
      const prefixes = this.byFamily.get(ip.family);
      if (prefixes === undefined) return [];
      for (const { mask, nets } of prefixes.values()) {
        const id = nets.get(ip.value & mask);
        if (id !== undefined) ids.push(id);
      }
    }
    return ids.length > 1 ? ids.sort((a, b) => a - b) : ids;
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

/** A canonical CIDR of the model (validated by the parser or the constructs). */
function cidrOf(text: string): ParsedCidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(`internal: invalid CIDR ${text} in the model: ${r.reason}`);
  return r.value;
}

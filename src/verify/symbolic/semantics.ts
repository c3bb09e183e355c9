/**
 * NetworkPolicy semantics as formulas over the symbolic universe: which policies select an endpoint,
 * which peers admit it, which port entries admit the flow, and so whether a connection is allowed. The
 * same rules the class engine evaluates on known pods (DESIGN "Semantics"), evaluated on pods that could
 * exist; both take ports from the one port matcher (`_match.portEntryEffect`), FQDN names from
 * `fqdnMatches`, ipBlocks from `parseIpBlock`. A known endpoint's parts are constants, so a formula about
 * one holds only the unknown side.
 */
import { and, Atoms, constant, Entity, FALSE, Formula, not, or, TRUE } from './formula';
import { Cube, LABEL_ABSENT, setOf, ValueSet } from './space';
import { LabelDomain, NamespaceChoice, Universe } from './universe';
import { parseIp } from '../../model/cidr';
import { ContainerPortModel, ExternalModel } from '../../model/cluster';
import {
  ClusterNetworkPolicyModel, CnpAction, CnpPeerModel, CnpRuleModel, CnpTier, Direction, FqdnPolicyModel, IpBlockPeerModel, NAMESPACE_NAME_LABEL,
  NamespacedPolicyModel, NetworkPolicyModel, PeerModel, RuleModel,
} from '../../model/policy';
import { PortModel, PROTOCOLS } from '../../model/port';
import {
  compareStrings, LabelRequirementModel, LabelSelectorModel, Labels, matchesLabels, requirementMatches, requirementsOf,
} from '../../model/selector';
import {
  cnpDomainMatches, fqdnMatches, IpBlock, ipBlockContains, ipBlockMatchesPods, namedPortIs, ParsedIp, parseIpBlock, portEntryEffect,
} from '../_match';

/** The labels of a pod: fixed values, and keys that are free (any value class). */
export interface LabelTerm {
  /** Labels the pod has for sure (a known pod's, a template's). */
  readonly fixed: Labels;
  /** Keys whose value is unknown (every key not fixed when `all`). */
  readonly free: 'all' | ReadonlySet<string>;
}

/** One side of a connection, as the formulas see it. */
export type EndpointTerm =
  | {
    readonly kind: 'pod';
    /** The entity of its unknown parts. */
    readonly entity: Entity;
    readonly namespace: NamespaceChoice;
    readonly labels: LabelTerm;
    /** Known container ports, or `symbolic` (any). */
    readonly ports: readonly ContainerPortModel[] | 'symbolic';
    /** A known IP, none (a known pod without one), or `symbolic` (any free address of the Pod ranges). */
    readonly ip: ParsedIp | undefined | 'symbolic';
  }
  | { readonly kind: 'external'; readonly external: ExternalModel; readonly ip: ParsedIp };

/** Builds formulas for one network and one flow entity. */
export class Semantics {
  private readonly byNamespace = new Map<string, NamespacedPolicyModel[]>();
  /** ClusterNetworkPolicies per tier in precedence order (priority, then name), as the engine orders them. */
  private readonly tiers: Record<CnpTier, ClusterNetworkPolicyModel[]> = { Admin: [], Baseline: [] };
  private readonly blocks = new Map<string, IpBlock>();
  /** Per selector, its cube over the labels of a pod (or new namespace) that could exist with any labels. */
  private readonly freePodCubes = new WeakMap<LabelSelectorModel, { cube: Cube | undefined }>();
  private readonly freeNsCubes = new WeakMap<LabelSelectorModel, { cube: Cube | undefined }>();
  /** Formulas about one term, kept while the terms are (a proof pairs each term with many others). */
  private readonly perTerm = new WeakMap<EndpointTerm, Map<object, Map<string, Formula>>>();
  private readonly applyingCache = new Map<string, NamespacedPolicyModel[]>();
  private readonly numericPorts = new WeakMap<readonly PortModel[], Formula>();

  constructor(
    private readonly universe: Universe,
    private readonly atoms: Atoms,
    private readonly network: string,
    /** The entity of the flow; a fixed flow class instead fixes it. */
    private readonly flow: { readonly entity: Entity } | { readonly fixed: number },
  ) {
    for (const p of universe.input.policies) {
      if (p.kind === 'ClusterNetworkPolicy') {
        this.tiers[p.tier].push(p);
        continue;
      }
      const list = this.byNamespace.get(p.namespace) ?? [];
      list.push(p);
      this.byNamespace.set(p.namespace, list);
    }
    for (const list of Object.values(this.tiers)) list.sort((a, b) => a.priority - b.priority || compareStrings(a.name, b.name));
  }

  /** The formula about `x` for (`key`, `sub`), made once per term. */
  private memo(x: EndpointTerm, key: object, sub: string, make: () => Formula): Formula {
    let byKey = this.perTerm.get(x);
    if (byKey === undefined) { byKey = new Map(); this.perTerm.set(x, byKey); }
    let bySub = byKey.get(key);
    if (bySub === undefined) { bySub = new Map(); byKey.set(key, bySub); }
    let f = bySub.get(sub);
    if (f === undefined) { f = make(); bySub.set(sub, f); }
    return f;
  }

  /** Is the connection allowed (the source's egress and the destination's ingress)? Both never external. */
  public allowed(s: EndpointTerm, t: EndpointTerm): Formula {
    if (s.kind === 'external' && t.kind === 'external') return FALSE;
    return and(this.side('egress', s, t), this.side('ingress', t, s));
  }

  /** Is the pod selected for `direction` by some policy applying on the network? */
  public isolated(x: EndpointTerm, direction: Direction): Formula {
    if (x.kind === 'external') return FALSE;
    return or(...this.applying(x, direction).map((p) => this.selects(p, x)));
  }

  /** Does the selector admit the pod's labels? */
  public podSelector(x: EndpointTerm & { kind: 'pod' }, sel: LabelSelectorModel): Formula {
    return this.labelsMatch(x.entity, x.labels, sel, 'pod');
  }

  /** Does the selector admit the labels of the pod's namespace? */
  public namespaceSelector(x: EndpointTerm & { kind: 'pod' }, sel: LabelSelectorModel): Formula {
    const ns = x.namespace;
    if (ns.labels !== undefined) return constant(matchesLabels(sel, ns.labels));
    // A namespace that does not exist yet: its name is fixed by the choice, every other label is free.
    const named = { fixed: { [NAMESPACE_NAME_LABEL]: ns.name }, free: 'all' as const };
    return this.labelsMatch(x.entity, named, sel, 'ns');
  }

  /** Is the pod in namespace `name`? */
  public inNamespace(x: EndpointTerm, name: string): Formula {
    return constant(x.kind === 'pod' && x.namespace.name === name);
  }

  /** The flow lies in `flows` (indices of flow classes). */
  public flowIn(flows: Iterable<number>): Formula {
    const set = new Set(flows);
    if ('fixed' in this.flow) return constant(set.has(this.flow.fixed));
    return this.atoms.lit(this.flow.entity, Cube.of(this.universe.flowKey, setOf(this.universe.flows.length, set)));
  }

  /**
   * The destination has a container port named `name` of `protocol` whose number is the flow's port (a
   * named port; also what an intent's named port means).
   */
  public namedPort(t: EndpointTerm, name: string, protocol: PortModel['protocol']): Formula {
    if (t.kind !== 'pod') return FALSE;
    const flows = this.universe.flowsOf(protocol);
    if (t.ports === 'symbolic') {
      const key = 'fixed' in this.flow ? this.universe.portKey(name, this.flow.fixed) : this.universe.portKey(name);
      return and(this.flowIn(flows), this.atoms.lit(t.entity, Cube.of(key, setOf(2, [1]))));
    }
    const ports = t.ports;
    return this.flowIn(flows.filter((f) => namedPortIs(ports, name, this.universe.flows[f].first, protocol)));
  }

  /** Do a rule's ports admit the flow towards `t`? */
  public ports(entries: 'all' | readonly PortModel[], t: EndpointTerm): Formula {
    if (entries === 'all') return TRUE;
    let numeric = this.numericPorts.get(entries);
    if (numeric === undefined) {
      const flows = new Set<number>();
      for (const e of entries) {
        const rep = (f: number) => this.universe.flows[f].first;
        for (const f of this.universe.flowsOf(e.protocol)) if (portEntryEffect(e, rep(f), e.protocol) === true) flows.add(f);
      }
      numeric = this.flowIn(flows);
      this.numericPorts.set(entries, numeric);
    }
    if (!entries.some((e) => typeof e.port === 'string')) return numeric;
    const named = entries.filter((e) => typeof e.port === 'string').map((e) => this.namedPort(t, e.port as string, e.protocol));
    return or(numeric, ...named);
  }

  /**
   * One side of a connection: with ClusterNetworkPolicies, the Admin tier's first matching rule decides
   * (Accept, Deny; Pass goes on), then the NetworkPolicies when they isolate `x`, then the Baseline
   * tier's first matching rule (Pass and no match allow); without them, the NetworkPolicies alone.
   */
  private side(direction: Direction, x: EndpointTerm, other: EndpointTerm): Formula {
    if (x.kind === 'external') return TRUE;
    const np = this.networkPolicySide(direction, x, other);
    const isolated = np.isolated;
    if (this.tiers.Admin.length === 0 && this.tiers.Baseline.length === 0) return or(not(isolated), np.admitted);
    const admin = this.firstMatch('Admin', direction, x, other);
    const baseline = this.firstMatch('Baseline', direction, x, other);
    const rest = or(and(isolated, np.admitted), and(not(isolated), not(baseline.deny)));
    return or(admin.accept, and(not(admin.accept), not(admin.deny), rest));
  }

  /**
   * A tier's first matching rule as two formulas: it accepts, or it denies (neither: it passes, or no
   * rule matches). A rule matches when its policy's subject has `x`, its protocols admit the flow
   * towards the destination, and a peer admits `other`.
   */
  private firstMatch(tier: CnpTier, direction: Direction, x: EndpointTerm & { kind: 'pod' }, other: EndpointTerm): { accept: Formula; deny: Formula } {
    const accept: Formula[] = [];
    const deny: Formula[] = [];
    let none: Formula = TRUE; // no earlier rule matched
    const dest = direction === 'egress' ? other : x;
    for (const p of this.tiers[tier]) {
      const subject = this.cnpSubject(p, x);
      if (subject === FALSE) continue;
      for (const r of p[direction]) {
        const matched = and(subject, this.cnpProtocols(r.protocols, dest), or(...r.peers.map((peer) => this.cnpPeer(peer, r.action, other))));
        if (matched === FALSE) continue;
        if (r.action === 'Accept') accept.push(and(none, matched));
        if (r.action === 'Deny') deny.push(and(none, matched));
        none = and(none, not(matched));
      }
    }
    return { accept: or(...accept), deny: or(...deny) };
  }

  /** Does rule `r` (of `direction`) of ClusterNetworkPolicy `p` match traffic of its subject `x` with `other`? */
  public cnpRuleMatches(p: ClusterNetworkPolicyModel, r: CnpRuleModel, direction: Direction, x: EndpointTerm & { kind: 'pod' }, other: EndpointTerm): Formula {
    const dest = direction === 'egress' ? other : x;
    return and(this.cnpSubject(p, x), this.cnpProtocols(r.protocols, dest), or(...r.peers.map((peer) => this.cnpPeer(peer, r.action, other))));
  }

  /** Is `x` in a ClusterNetworkPolicy's subject (namespaces by labels, and pods by labels)? */
  private cnpSubject(p: ClusterNetworkPolicyModel, x: EndpointTerm & { kind: 'pod' }): Formula {
    return this.memo(x, p, '', () => and(this.namespaceSelector(x, p.subject.namespaces), p.subject.pods ? this.podSelector(x, p.subject.pods) : TRUE));
  }

  /** Does a ClusterNetworkPolicy peer match `x`? A peer netproof does not know fails closed. */
  private cnpPeer(peer: CnpPeerModel, action: CnpAction, x: EndpointTerm): Formula {
    switch (peer.kind) {
      case 'unknown': return constant(action !== 'Accept');
      case 'pods':
        if (x.kind !== 'pod') return FALSE;
        return and(this.namespaceSelector(x, peer.namespaces), peer.pods ? this.podSelector(x, peer.pods) : TRUE);
      case 'networks': return or(...peer.cidrs.map((cidr) => this.inCidr(cidr, x)));
      case 'nodes': {
        if (x.kind !== 'external') return FALSE;
        const ip = x.ip;
        const isIp = (a: string) => {
          const parsed = parseIp(a);
          return parsed.ok && parsed.value.family === ip.family && parsed.value.value === ip.value;
        };
        return constant((this.universe.input.cluster.nodes ?? []).some((n) => matchesLabels(peer.selector, n.labels) && n.ips.some(isIp)));
      }
      case 'domainNames': return constant(x.kind === 'external' && peer.names.some((n) => cnpDomainMatches(n, x.external.hostname)));
    }
  }

  /** Is the endpoint's address in the CIDR (pods too, on every dataplane)? */
  private inCidr(cidr: string, x: EndpointTerm): Formula {
    let block = this.blocks.get(cidr);
    if (block === undefined) {
      block = parseIpBlock({ kind: 'ipBlock', cidr, except: [] }, 'networks');
      this.blocks.set(cidr, block);
    }
    if (x.kind === 'external') return constant(ipBlockContains(block, x.ip));
    if (x.ip !== 'symbolic') return constant(ipBlockContains(block, x.ip));
    const ipKey = this.universe.ipKey!;
    const inside = this.universe.addresses.blockIntervals(block.cidr, block.except);
    return this.atoms.lit(x.entity, Cube.of(ipKey, setOf(ipKey.size, inside)));
  }

  /** Do a ClusterNetworkPolicy rule's protocols admit the flow towards `t`? */
  private cnpProtocols(protocols: CnpRuleModel['protocols'], t: EndpointTerm): Formula {
    if (protocols === 'all') return TRUE;
    const parts: Formula[] = [];
    for (const e of protocols) {
      if ('namedPort' in e) {
        parts.push(...PROTOCOLS.map((protocol) => this.namedPort(t, e.namedPort, protocol)));
        continue;
      }
      const first = e.port ?? 1;
      const last = e.port === undefined ? 65535 : e.endPort ?? e.port;
      const flows = this.universe.flows;
      parts.push(this.flowIn(this.universe.flowsOf(e.protocol).filter((f) => flows[f].first >= first && flows[f].last <= last)));
    }
    return or(...parts);
  }

  /** NetworkPolicies for one side: is `x` isolated for the direction, and does some rule admit `other`? */
  private networkPolicySide(direction: Direction, x: EndpointTerm & { kind: 'pod' }, other: EndpointTerm): { isolated: Formula; admitted: Formula } {
    const policies = this.applying(x, direction);
    const isolated = or(...policies.map((p) => this.selects(p, x)));
    const rules: Formula[] = [];
    for (const p of policies) {
      const sel = this.selects(p, x);
      if (sel === FALSE) continue;
      if (p.kind === 'FQDNNetworkPolicy') {
        for (const r of p.egress) {
          const admits = other.kind === 'external' && r.matches.some((m) => fqdnMatches(m, other.external.hostname));
          if (admits) rules.push(and(sel, this.ports(r.ports, other)));
        }
        continue;
      }
      const dest = direction === 'egress' ? other : x;
      for (const r of p[direction]) rules.push(and(sel, this.ports(r.ports, dest), this.rulePeers(r, p.namespace, other)));
    }
    return { isolated, admitted: or(...rules) };
  }

  /** The policies that can isolate `x` for the direction: its namespace's, of that policy type, on the network. */
  private applying(x: EndpointTerm & { kind: 'pod' }, direction: Direction): NamespacedPolicyModel[] {
    const key = `${direction}\u0000${x.namespace.name}`;
    let list = this.applyingCache.get(key);
    if (list === undefined) {
      list = (this.byNamespace.get(x.namespace.name) ?? []).filter((p) => {
        if (p.kind === 'FQDNNetworkPolicy') return direction === 'egress';
        if (p.network !== undefined && p.network !== this.network) return false;
        return p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
      });
      this.applyingCache.set(key, list);
    }
    return list;
  }

  private selects(p: NetworkPolicyModel | FqdnPolicyModel, x: EndpointTerm): Formula {
    return this.memo(x, p, '', () => and(this.inNamespace(x, p.namespace), x.kind === 'pod' ? this.podSelector(x, p.podSelector) : FALSE));
  }

  private rulePeers(r: RuleModel, policyNamespace: string, x: EndpointTerm): Formula {
    if (r.peers === 'all') return TRUE;
    const peers = r.peers;
    return this.memo(x, peers, policyNamespace, () => or(...peers.map((peer) => this.peer(peer, policyNamespace, x))));
  }

  /** Does a rule peer of a policy in `policyNamespace` admit `x`? */
  public peer(peer: PeerModel, policyNamespace: string, x: EndpointTerm): Formula {
    if (peer.kind === 'ipBlock') return this.inBlock(peer, x);
    if (x.kind !== 'pod') return FALSE;
    const ns = peer.namespaces.kind === 'own' ? this.inNamespace(x, policyNamespace) : this.namespaceSelector(x, peer.namespaces.selector);
    return and(ns, this.podSelector(x, peer.pods));
  }

  private inBlock(peer: IpBlockPeerModel, x: EndpointTerm): Formula {
    const key = `${peer.cidr}|${peer.except.join(',')}`;
    let block = this.blocks.get(key);
    if (block === undefined) {
      block = parseIpBlock(peer, 'ipBlock');
      this.blocks.set(key, block);
    }
    if (x.kind === 'external') return constant(ipBlockContains(block, x.ip));
    if (!ipBlockMatchesPods(this.universe.input.dataplane)) return FALSE;
    if (x.ip !== 'symbolic') return constant(ipBlockContains(block, x.ip));
    const ipKey = this.universe.ipKey!;
    const inside = this.universe.addresses.blockIntervals(block.cidr, block.except);
    return this.atoms.lit(x.entity, Cube.of(ipKey, setOf(ipKey.size, inside)));
  }

  /** A selector over labels some of which are fixed and some free: constants for the fixed, a cube for the free. */
  private labelsMatch(entity: Entity, labels: LabelTerm, sel: LabelSelectorModel, of: 'pod' | 'ns'): Formula {
    const domainOf = of === 'pod' ? (k: string) => this.universe.podDomain(k) : (k: string) => this.universe.nsDomain(k);
    if (labels.free === 'all' && isEmptyLabels(labels.fixed)) {
      // The common case (a pod that could exist, any labels): one cube per selector.
      const cache = of === 'pod' ? this.freePodCubes : this.freeNsCubes;
      let cached = cache.get(sel);
      if (cached === undefined) {
        cached = { cube: this.cubeOf(requirementsOf(sel), domainOf) };
        cache.set(sel, cached);
      }
      return this.atoms.lit(entity, cached.cube);
    }
    const free: LabelRequirementModel[] = [];
    for (const r of requirementsOf(sel)) {
      const isFree = labels.free === 'all' ? !(r.key in labels.fixed) : labels.free.has(r.key);
      if (isFree) free.push(r);
      else if (!requirementMatches(r, labels.fixed)) return FALSE;
    }
    return this.atoms.lit(entity, this.cubeOf(free, domainOf));
  }

  private cubeOf(reqs: readonly LabelRequirementModel[], domainOf: (key: string) => LabelDomain): Cube | undefined {
    let cube: Cube | undefined = Cube.TOP;
    for (const r of reqs) {
      const d = domainOf(r.key);
      cube = cube.restrict(d.key.id, admitted(r, d));
      if (cube === undefined) return undefined;
    }
    return cube;
  }
}

function isEmptyLabels(labels: Labels): boolean {
  for (const _ in labels) return false;
  return true;
}

const ADMITTED = new WeakMap<LabelDomain, Map<string, ValueSet>>();

/** The value classes of a key that a requirement admits (memoized per domain). */
function admitted(r: LabelRequirementModel, d: LabelDomain): ValueSet {
  let byReq = ADMITTED.get(d);
  if (byReq === undefined) {
    byReq = new Map();
    ADMITTED.set(d, byReq);
  }
  const key = `${r.operator}\u0000${r.values.join('\u0000')}`;
  let set = byReq.get(key);
  if (set === undefined) {
    set = setOf(d.key.size, admittedValues(r, d));
    byReq.set(key, set);
  }
  return set;
}

function admittedValues(r: LabelRequirementModel, d: LabelDomain): number[] {
  const all = Array.from({ length: d.key.size }, (_, i) => i);
  const named = new Set(r.values.map((v) => d.index(v)));
  switch (r.operator) {
    case 'In': return [...named];
    case 'NotIn': return all.filter((v) => !named.has(v));
    case 'Exists': return all.filter((v) => v !== LABEL_ABSENT);
    case 'DoesNotExist': return [LABEL_ABSENT];
  }
}

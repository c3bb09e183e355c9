/**
 * Pictures of who reaches whom: the allowed connectivity of a cluster model under a set of policies, as
 * a graph grouped by namespace (externals are their own group), each edge labelled with the ports and
 * protocols it is allowed on; rendered as Graphviz DOT, Mermaid, or one self-contained HTML page.
 *
 * - Without a flow, every port of TCP, UDP and SCTP is covered: the verifier splits each protocol's port
 *   space into the intervals the policies mention, and one port per interval decides the whole interval.
 * - Replicas of one workload (same namespace, labels without per-pod hash labels, ports and networks)
 *   become one node when they behave identically towards everything else and among themselves; an edge
 *   from such a node to itself means the replicas reach each other.
 * - A pod reaching itself is always allowed (loopback) and is not drawn; external→external is not modelled.
 *
 * Pure: no I/O. Output is deterministic (sorted groups, nodes and edges; no time or random content).
 */
import { Dataplane, DEFAULT_NETWORK, PER_POD_LABEL_KEYS, PodModel } from '../model/cluster';
import { PolicyModel } from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings } from '../model/selector';
import { Endpoint, ReachMatrix, VerifierInput } from '../verify/api';
import { mergePortRanges } from '../verify/ports';
import { EXTERNALS_GROUP, Verifier } from '../verify/verifier';

export interface GraphInput extends VerifierInput {
  readonly policies: readonly PolicyModel[];
  /** @default 'default' */
  readonly network?: string;
  /**
   * One destination port and protocol.
   * @default - every port of TCP, UDP and SCTP
   */
  readonly flow?: { readonly port: number; readonly protocol: Protocol };
  /**
   * Without a flow: the protocols whose ports are covered.
   * @default - TCP, UDP and SCTP
   */
  readonly protocols?: readonly Protocol[];
  /**
   * Draw the replicas of a workload as one node when they behave identically.
   * @default true
   */
  readonly aggregate?: boolean;
  /**
   * Fold the arrows of pods that no policy isolates: a node whose egress is not isolated and that reaches every
   * node whose ingress is not isolated on every covered port is marked `open: ['egress']`, those nodes
   * `open: ['ingress']`, and the arrows between them (allowed on every port) are left out; the legend says so.
   * Externals count as open both ways (only pod policies constrain them).
   * @default false - every allowed connection is an arrow
   */
  readonly foldOpen?: boolean;
}

/** A contiguous range of destination ports of one protocol. */
export interface ProtocolPortRange {
  readonly protocol: Protocol;
  readonly first: number;
  readonly last: number;
}

export interface GraphNode {
  /**
   * `namespace/name` of a pod, `namespace/prefix` of aggregated replicas (`namespace/prefix*`, `prefix*2`, ...
   * when that id is a pod's or another workload's), or the external's name. Unique among the nodes.
   */
  readonly id: string;
  readonly label: string;
  /** The namespace, or `(externals)` (EXTERNALS_GROUP: not a DNS label, so no namespace has that name). */
  readonly group: string;
  readonly kind: 'pod' | 'workload' | 'external';
  /** Endpoint ids the node stands for (one, unless aggregated), sorted. */
  readonly members: readonly string[];
  /**
   * With `foldOpen`, the directions in which the node is open (absent when none): every node open for
   * `egress` reaches every node open for `ingress` on every covered port, and those arrows are not drawn.
   */
  readonly open?: readonly ('ingress' | 'egress')[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Allowed destination ports, by protocol (TCP, UDP, SCTP) then port. */
  readonly ports: readonly ProtocolPortRange[];
  /** `TCP 8080`, `TCP 53, UDP 53`, `TCP all`, or `all` (every port of every protocol). */
  readonly label: string;
}

export interface GraphGroup {
  /** The namespace name, or `(externals)` (EXTERNALS_GROUP). */
  readonly id: string;
  readonly label: string;
  readonly kind: 'namespace' | 'externals';
  /** Node ids, sorted. */
  readonly nodes: readonly string[];
}

export interface ConnectivityGraph {
  readonly network: string;
  readonly dataplane: Dataplane;
  /** What the edges cover: `all ports` or one flow such as `TCP 80`. */
  readonly scope: string;
  /** Namespaces sorted by name, then the externals group. */
  readonly groups: readonly GraphGroup[];
  /** In group order, then by id. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by source node order, then destination node order. */
  readonly edges: readonly GraphEdge[];
  /** What the picture shows and leaves out, one sentence per line. */
  readonly legend: readonly string[];
  /** With `foldOpen`: how many arrows the `open` markers stand for (absent without `foldOpen`). */
  readonly folded?: number;
}

/** Labels that differ between replicas of one workload. */
const PER_POD_LABELS: ReadonlySet<string> = new Set(PER_POD_LABEL_KEYS);

/** A flow the graph is computed on, standing for `range`. */
interface Probe {
  readonly matrix: ReachMatrix;
  readonly range: ProtocolPortRange;
}

/** Builds the connectivity graph; the verifier's errors (bad policies, bad IPs) propagate as NetproofError. */
export function buildGraph(input: GraphInput): ConnectivityGraph {
  const verifier = new Verifier(input);
  const network = input.network ?? DEFAULT_NETWORK;
  const probes: Probe[] = [];
  if (input.flow) {
    const { port, protocol } = input.flow;
    probes.push({ matrix: verifier.reach({ port, protocol, network }), range: { protocol, first: port, last: port } });
  } else {
    for (const protocol of PROTOCOLS.filter((p) => (input.protocols ?? PROTOCOLS).includes(p))) {
      for (const [first, last] of verifier.portIntervals(protocol)) {
        probes.push({ matrix: verifier.reach({ port: first, protocol, network }), range: { protocol, first, last } });
      }
    }
  }
  const endpoints = probes[0].matrix.endpoints;
  const pair = new PairLabels(probes);
  const targets = endpoints.map((e) => verifier.targetOf(e.id)!);
  const nodes = aggregateNodes(endpoints, pair, input.aggregate ?? true, targets);

  const edges: GraphEdge[] = [];
  for (const from of nodes) {
    for (const to of nodes) {
      if (from.node.kind === 'external' && to.node.kind === 'external') continue;
      let ks: readonly number[];
      if (from === to) {
        if (from.indices.length < 2) continue; // loopback: always allowed, never drawn
        ks = pair.ks(from.indices[0], from.indices[1]);
      } else {
        ks = pair.ks(from.indices[0], to.indices[0]);
      }
      if (ks.length === 0) continue;
      const ports = mergeRanges(ks.map((k) => probes[k].range));
      edges.push({ from: from.node.id, to: to.node.id, ports, label: input.flow ? `${input.flow.protocol} ${input.flow.port}` : portsLabel(ports) });
    }
  }

  const fullLabel = input.flow ? `${input.flow.protocol} ${input.flow.port}` : portsLabel(mergeRanges(probes.map((p) => p.range)));
  const fold = input.foldOpen ? foldOpen(nodes, edges, fullLabel, (draft, direction) => draft.node.kind === 'external' ||
    draft.indices.every((i) => !verifier.isolatedClass(direction, targets[i], network))) : undefined;
  const shown = fold ? edges.filter((e) => !fold.folded.has(e)) : edges;
  const shownNodes = nodes.map((n) => (fold?.open.get(n) ? { ...n, node: { ...n.node, open: fold.open.get(n)! } } : n));

  const groups: GraphGroup[] = [];
  for (const n of shownNodes) {
    const last = groups[groups.length - 1];
    const kind = n.node.kind === 'external' ? 'externals' : 'namespace';
    if (last && last.kind === kind && last.id === n.node.group) {
      (last.nodes as string[]).push(n.node.id);
    } else {
      groups.push({ id: n.node.group, label: kind === 'externals' ? 'externals' : `namespace ${n.node.group}`, kind, nodes: [n.node.id] });
    }
  }
  const protocols = PROTOCOLS.filter((p) => (input.protocols ?? PROTOCOLS).includes(p));
  const scope = input.flow ? `${input.flow.protocol} ${input.flow.port}` : protocols.length === PROTOCOLS.length ? 'all ports' : `all ${protocols.join(' and ')} ports`;
  const legend = [
    `Allowed connections on network ${network}, dataplane ${verifier.dataplane}, ${input.flow ? `on ${scope}` : `on every port of ${protocols.join(', ').replace(/, ([A-Z]+)$/, ' and $1')}`}.`,
    'An arrow means the source\'s egress and the destination\'s ingress both allow it; its label lists the destination ports.',
    'A pod always reaches itself (loopback, which Kubernetes cannot block): self-loops are not drawn.',
    ...(nodes.some((n) => n.node.kind === 'workload') ? ['A node marked "×N" stands for N replicas that behave identically; an arrow to itself means the replicas reach each other.'] : []),
    'Externals are non-pod endpoints; traffic between two externals is not modelled.',
    ...(fold ? [fold.folded.size > 0
      ? `Folded: every node marked "egress open" reaches every node marked "ingress open" on ${fullLabel === 'all' ? 'every port' : fullLabel}; those ${fold.folded.size} arrows are not drawn.`
      : 'Folded: no arrows to fold (no node whose egress is open reaches every node whose ingress is open on every port).'] : []),
  ];
  const graph = { network, dataplane: verifier.dataplane, scope, groups, nodes: shownNodes.map((n) => n.node), edges: shown, legend };
  return fold ? { ...graph, folded: fold.folded.size } : graph;
}

/**
 * The fold of `foldOpen`: sources are the nodes open for egress that reach every node open for ingress (itself
 * included when it stands for replicas) with an arrow labelled `full`; the arrows from them to those nodes fold.
 */
function foldOpen(nodes: readonly NodeDraft[], edges: readonly GraphEdge[], full: string, isOpen: (n: NodeDraft, direction: 'ingress' | 'egress') => boolean):
{ open: Map<NodeDraft, ('ingress' | 'egress')[]>; folded: Set<GraphEdge> } {
  const edgeOf = new Map(edges.map((e) => [`${e.from}\u0000${e.to}`, e]));
  const ins = nodes.filter((n) => isOpen(n, 'ingress'));
  const inSet = new Set(ins);
  const folded = new Set<GraphEdge>();
  const sources = new Set<NodeDraft>();
  for (const from of nodes) {
    if (!isOpen(from, 'egress')) continue;
    const arrows: GraphEdge[] = [];
    let all = true;
    for (const to of ins) {
      if (from.node.kind === 'external' && to.node.kind === 'external') continue;
      if (from === to && from.indices.length < 2) continue; // loopback
      const e = edgeOf.get(`${from.node.id}\u0000${to.node.id}`);
      if (e === undefined || e.label !== full) { all = false; break; }
      arrows.push(e);
    }
    if (!all || arrows.length === 0) continue;
    sources.add(from);
    for (const e of arrows) folded.add(e);
  }
  const open = new Map<NodeDraft, ('ingress' | 'egress')[]>();
  if (sources.size > 0) {
    for (const n of nodes) {
      const dirs: ('ingress' | 'egress')[] = [];
      if (inSet.has(n)) dirs.push('ingress');
      if (sources.has(n)) dirs.push('egress');
      if (dirs.length > 0) open.set(n, dirs);
    }
  }
  return { open, folded };
}

/** For each ordered endpoint pair, the probes (indices) on which it is allowed. */
class PairLabels {
  constructor(private readonly probes: readonly Probe[]) {}

  public ks(from: number, to: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.probes.length; k++) if (this.probes[k].matrix.allowed(from, to)) out.push(k);
    return out;
  }

  /** Whether the two pairs are allowed on exactly the same probes. */
  public same(from1: number, to1: number, from2: number, to2: number): boolean {
    for (const p of this.probes) if (p.matrix.allowed(from1, to1) !== p.matrix.allowed(from2, to2)) return false;
    return true;
  }
}

interface NodeDraft {
  readonly node: GraphNode;
  /** Endpoint indices, sorted by endpoint id. */
  readonly indices: readonly number[];
}

function aggregateNodes(endpoints: readonly Endpoint[], pair: PairLabels, aggregate: boolean, targets: readonly number[]): NodeDraft[] {
  const single = (i: number): NodeDraft => {
    const e = endpoints[i];
    return e.kind === 'pod'
      ? { node: { id: e.id, label: e.pod.name, group: e.pod.namespace, kind: 'pod', members: [e.id] }, indices: [i] }
      : { node: { id: e.id, label: e.id, group: EXTERNALS_GROUP, kind: 'external', members: [e.id] }, indices: [i] };
  };
  const candidates = new Map<string, number[]>();
  endpoints.forEach((e, i) => {
    const key = e.kind === 'pod' && aggregate ? workloadKey(e.pod) : `#${i}`;
    const group = candidates.get(key);
    if (group === undefined) candidates.set(key, [i]); else group.push(i);
  });
  const alike = new BehavesAlike(pair, targets);
  const drafts: NodeDraft[] = [];
  // Every endpoint id is reserved, so a workload node never takes a pod's or another workload's id.
  // Candidates come in endpoint order (pods sorted by id), so the suffixes are deterministic.
  const taken = new Set(endpoints.map((e) => e.id));
  for (const group of candidates.values()) {
    if (group.length === 1 || !alike.group(group)) {
      for (const i of group) drafts.push(single(i));
      continue;
    }
    const pods = group.map((i) => endpoints[i]).filter((e): e is Extract<Endpoint, { kind: 'pod' }> => e.kind === 'pod');
    const namespace = pods[0].pod.namespace;
    // A workload's pod and its second replica are that workload: the node keeps the workload's id.
    const own = pods.find((p) => pods.every((q) => q === p || q.pod.replicaOf === p.pod.name));
    const name = own !== undefined ? own.pod.name : uniqueName(namespace, commonName(pods.map((p) => p.pod.name)), taken);
    const id = `${namespace}/${name}`;
    taken.add(id);
    const members = pods.map((p) => p.id).sort(compareStrings);
    drafts.push({ node: { id, label: `${name} ×${pods.length}`, group: namespace, kind: 'workload', members }, indices: group });
  }
  const groupRank = (n: GraphNode) => (n.kind === 'external' ? '1' : `0${n.group}`);
  return drafts.sort((a, b) => compareStrings(groupRank(a.node), groupRank(b.node)) || compareStrings(a.node.id, b.node.id));
}

/**
 * Whether a group of endpoints has the same edges (and ports) to and from every endpoint outside it, and
 * among themselves. By pod classes: two distinct endpoints are allowed as their classes are, so it is enough
 * to compare the group's classes, towards one outside endpoint of each class, and one pair per pair of classes
 * inside; pods² only in the pair-by-pair form this replaces.
 */
class BehavesAlike {
  /** Endpoint indices by target (class, or external), in endpoint order. */
  private readonly byTarget = new Map<number, number[]>();

  constructor(private readonly pair: PairLabels, private readonly targets: readonly number[]) {
    targets.forEach((t, i) => {
      const list = this.byTarget.get(t);
      if (list === undefined) this.byTarget.set(t, [i]); else list.push(i);
    });
  }

  public group(group: readonly number[]): boolean {
    const inside = new Set(group);
    const [f, g] = group;
    /** One member per class of the group, and how many members each class has. */
    const members = new Map<number, number[]>();
    for (const a of group) {
      const list = members.get(this.targets[a]);
      if (list === undefined) members.set(this.targets[a], [a]); else list.push(a);
    }
    // Towards every endpoint outside the group: one outside endpoint per target stands for all of its target.
    const others = [...members.keys()].filter((t) => t !== this.targets[f]).map((t) => members.get(t)![0]);
    if (others.length > 0) {
      for (const list of this.byTarget.values()) {
        const q = list.find((i) => !inside.has(i));
        if (q === undefined) continue;
        for (const a of others) if (!this.pair.same(a, q, f, q) || !this.pair.same(q, a, q, f)) return false;
      }
    }
    // Among themselves: every ordered pair of distinct members, by the classes of the pair.
    for (const [ta, as] of members) {
      for (const [tb, bs] of members) {
        const a = as[0];
        const b = ta === tb ? as[1] : bs[0];
        if (b !== undefined && !this.pair.same(a, b, f, g)) return false;
      }
    }
    return true;
  }
}

function workloadKey(pod: PodModel): string {
  const labels = Object.keys(pod.labels).filter((k) => !PER_POD_LABELS.has(k)).sort(compareStrings).map((k) => `${k}=${pod.labels[k]}`);
  const ports = pod.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).sort(compareStrings);
  return JSON.stringify([pod.namespace, labels, ports, [...pod.networks].sort(compareStrings)]);
}

/** `name`, else `name*`, `name*2`, `name*3`, ...: the first whose `namespace/...` id is not taken (`*` is never in a pod name). */
function uniqueName(namespace: string, name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(`${namespace}/${name}`)) return name;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${name}*` : `${name}*${n}`;
    if (!taken.has(`${namespace}/${candidate}`)) return candidate;
  }
}

/** `frontend-7d4b9` for `frontend-7d4b9-abcde` and `frontend-7d4b9-fghij`; the first name when they share nothing. */
function commonName(names: readonly string[]): string {
  const sorted = [...names].sort(compareStrings);
  let prefix = sorted[0];
  for (const n of sorted) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.replace(/[-.]+$/, '');
  return prefix === '' ? sorted[0] : prefix;
}

/** Sorted by protocol (TCP, UDP, SCTP) then port; adjacent ranges merged. */
function mergeRanges(ranges: readonly ProtocolPortRange[]): ProtocolPortRange[] {
  return PROTOCOLS.flatMap((protocol) => mergePortRanges(ranges.filter((r) => r.protocol === protocol).map((r) => [r.first, r.last] as const))
    .map(([first, last]) => ({ protocol, first, last })));
}

/** What a folded graph writes on a node open in some direction (`foldOpen`): `ingress open`, `egress open` or `ingress and egress open`. */
export function openMarker(node: GraphNode): string | undefined {
  return node.open === undefined || node.open.length === 0 ? undefined : `${node.open.join(' and ')} open`;
}

/** `TCP 8080`, `TCP 80,443, UDP 53`, `TCP 1000-2000`, `TCP all`; `all` when every port of every protocol. */
export function portsLabel(ports: readonly ProtocolPortRange[]): string {
  const full = (p: Protocol) => ports.some((r) => r.protocol === p && r.first === 1 && r.last === 65535);
  if (PROTOCOLS.every(full)) return 'all';
  return PROTOCOLS.flatMap((p) => {
    const rs = ports.filter((r) => r.protocol === p);
    if (rs.length === 0) return [];
    if (full(p)) return [`${p} all`];
    return [`${p} ${rs.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(',')}`];
  }).join(', ');
}

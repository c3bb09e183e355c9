/**
 * Model -> manifest JSON. The YAML netproof writes is rendered from the same policy models the verifier
 * reads, so the two can never disagree. Output is canonical: keys sorted, peers and ports sorted and
 * de-duplicated, equal rules merged, rules sorted, every default (policyTypes, protocol) explicit.
 * Pure: no I/O.
 */
import { k8s } from 'cdk8s-plus-28';
import { Dataplane } from '../model/cluster';
import {
  canonicalPeer, ClusterNetworkPolicyModel, CNP_API_VERSION, CnpPeerModel, CnpPodsModel, CnpProtocolModel, CnpRuleModel,
  FqdnMatchModel, FqdnPolicyModel, FqdnRuleModel, NETWORK_ANNOTATION, NetworkPolicyModel, PeerModel, PolicyModel, RuleModel,
} from '../model/policy';
import { canonicalPorts, PortModel, portKey } from '../model/port';
import { compareStrings, isSelectAll, LabelSelectorModel, makeSelector } from '../model/selector';

/** A plain JSON value as it appears in a manifest. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface RenderOptions {
  /**
   * The dataplane the manifest is for. On `dataplane-v2` a protocol without a port (all ports) renders
   * as `port: 1, endPort: 65535`, because Dataplane V2 rejects a protocol without a port.
   * @default 'upstream'
   */
  readonly dataplane?: Dataplane;
}

export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';
export const FQDN_POLICY_API_VERSION = 'networking.gke.io/v1alpha1';

// ---------------------------------------------------------------------------------------------------
// Canonical forms (used by constructs before they register a model, and by the renderer)

export { canonicalPorts } from '../model/port';

/** Stable identity of a peer (its rendered form with sorted keys). */
export function peerKey(peer: PeerModel): string {
  return JSON.stringify(renderPeer(peer));
}

/** Sorted, de-duplicated peers; canonical selectors and except lists. */
export function canonicalPeers(peers: 'all' | readonly PeerModel[]): 'all' | readonly PeerModel[] {
  if (peers === 'all' || peers.length === 0) return 'all';
  const byKey = new Map<string, PeerModel>();
  for (const p of peers) {
    const clean = canonicalPeer(p);
    byKey.set(peerKey(clean), clean);
  }
  return [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k)!);
}

function canonicalSelector(s: LabelSelectorModel): LabelSelectorModel {
  return makeSelector(s.matchLabels, s.matchExpressions);
}

function portsKey(ports: 'all' | readonly PortModel[]): string {
  return ports === 'all' ? 'all' : JSON.stringify(ports.map(portKey));
}

function peersKey(peers: 'all' | readonly PeerModel[]): string {
  return peers === 'all' ? 'all' : JSON.stringify(peers.map(peerKey));
}

function unionPeers(a: 'all' | readonly PeerModel[], b: 'all' | readonly PeerModel[]): 'all' | readonly PeerModel[] {
  return a === 'all' || b === 'all' ? 'all' : canonicalPeers([...a, ...b]);
}

function unionPorts(a: 'all' | readonly PortModel[], b: 'all' | readonly PortModel[]): 'all' | readonly PortModel[] {
  return a === 'all' || b === 'all' ? 'all' : canonicalPorts([...a, ...b]);
}

/**
 * Canonical rule list: each rule's peers and ports canonical; rules with equal ports merged (union of
 * peers), rules with equal peers merged (union of ports), until nothing changes; then sorted. Each merge
 * is an identity of unions, so the allowed set is unchanged.
 */
export function canonicalRules(rules: readonly RuleModel[]): RuleModel[] {
  let current: RuleModel[] = rules.map((r) => ({ peers: canonicalPeers(r.peers), ports: canonicalPorts(r.ports) }));
  for (;;) {
    const before = current.length;
    current = mergeBy(current, (r) => portsKey(r.ports), (a, b) => ({ peers: unionPeers(a.peers, b.peers), ports: a.ports }));
    current = mergeBy(current, (r) => peersKey(r.peers), (a, b) => ({ peers: a.peers, ports: unionPorts(a.ports, b.ports) }));
    if (current.length === before) break;
  }
  return current
    .map((r) => ({ key: `${peersKey(r.peers)}\u0000${portsKey(r.ports)}`, r }))
    .sort((x, y) => compareStrings(x.key, y.key))
    .map((x) => x.r);
}

function mergeBy<T>(items: readonly T[], key: (t: T) => string, merge: (a: T, b: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const had = byKey.get(k);
    byKey.set(k, had === undefined ? item : merge(had, item));
  }
  return [...byKey.values()];
}

/** Canonical FQDN rules: matches sorted and de-duplicated, ports canonical, equal rules merged, sorted. */
export function canonicalFqdnRules(rules: readonly FqdnRuleModel[]): FqdnRuleModel[] {
  const matchKey = (m: FqdnMatchModel) => (m.name !== undefined ? `name:${m.name}` : `pattern:${m.pattern}`);
  let current: FqdnRuleModel[] = rules.map((r) => {
    const byKey = new Map<string, FqdnMatchModel>();
    for (const m of r.matches) byKey.set(matchKey(m), m.name !== undefined ? { name: m.name } : { pattern: m.pattern });
    return { matches: [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k)!), ports: canonicalPorts(r.ports) };
  });
  current = mergeBy(current, (r) => portsKey(r.ports), (a, b) => ({
    matches: canonicalFqdnRules([{ matches: [...a.matches, ...b.matches], ports: 'all' }])[0].matches,
    ports: a.ports,
  }));
  return current
    .map((r) => ({ key: `${JSON.stringify(r.matches.map(matchKey))}\u0000${portsKey(r.ports)}`, r }))
    .sort((x, y) => compareStrings(x.key, y.key))
    .map((x) => x.r);
}

// ---------------------------------------------------------------------------------------------------
// Rendering

/** Renders a label selector; empty parts are left out (`{}` selects everything). */
export function renderSelector(s: LabelSelectorModel): JsonObject {
  const c = canonicalSelector(s);
  const out: JsonObject = {};
  if (c.matchExpressions.length > 0) {
    out.matchExpressions = c.matchExpressions.map((e): JsonObject => (e.operator === 'In' || e.operator === 'NotIn'
      ? { key: e.key, operator: e.operator, values: [...e.values] }
      : { key: e.key, operator: e.operator }));
  }
  if (Object.keys(c.matchLabels).length > 0) out.matchLabels = { ...c.matchLabels };
  return sortKeysDeep(out) as JsonObject;
}

/** One `from`/`to` entry. A peer of the policy's own namespace renders as `podSelector` only. */
export function renderPeer(peer: PeerModel): JsonObject {
  if (peer.kind === 'ipBlock') {
    const ipBlock: JsonObject = { cidr: peer.cidr };
    if (peer.except.length > 0) ipBlock.except = [...new Set(peer.except)].sort(compareStrings);
    return { ipBlock };
  }
  if (peer.namespaces.kind === 'own') return { podSelector: renderSelector(peer.pods) };
  const out: JsonObject = { namespaceSelector: renderSelector(peer.namespaces.selector) };
  if (!isSelectAll(peer.pods)) out.podSelector = renderSelector(peer.pods);
  return out;
}

/** One `ports` entry. Never port 0; all ports of a protocol is `1-65535` on Dataplane V2. */
export function renderPort(port: PortModel, dataplane: Dataplane = 'upstream'): JsonObject {
  if (port.port === undefined) {
    return dataplane === 'dataplane-v2' ? { endPort: 65535, port: 1, protocol: port.protocol } : { protocol: port.protocol };
  }
  const out: JsonObject = { port: port.port, protocol: port.protocol };
  if (port.endPort !== undefined && port.endPort !== port.port) out.endPort = port.endPort;
  return sortKeysDeep(out) as JsonObject;
}

function renderRule(rule: RuleModel, peersField: 'from' | 'to', dataplane: Dataplane): JsonObject {
  const out: JsonObject = {};
  if (rule.peers !== 'all') out[peersField] = rule.peers.map(renderPeer);
  if (rule.ports !== 'all') out.ports = rule.ports.map((p) => renderPort(p, dataplane));
  return out;
}

function renderMetadata(model: PolicyModel): JsonObject {
  // A ClusterNetworkPolicy is cluster-scoped: no namespace.
  const metadata: JsonObject = model.kind === 'ClusterNetworkPolicy' ? { name: model.name } : { name: model.name, namespace: model.namespace };
  const annotations: Record<string, string> = { ...model.annotations };
  if (model.kind === 'NetworkPolicy' && model.network !== undefined) annotations[NETWORK_ANNOTATION] = model.network;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (Object.keys(model.labels).length > 0) metadata.labels = { ...model.labels };
  return metadata;
}

/** A `networking.k8s.io/v1` NetworkPolicy manifest; policyTypes always explicit. */
export function renderNetworkPolicy(model: NetworkPolicyModel, options: RenderOptions = {}): JsonObject {
  const dataplane = options.dataplane ?? 'upstream';
  const spec: JsonObject = {
    podSelector: renderSelector(model.podSelector),
    policyTypes: (['Ingress', 'Egress'] as const).filter((t) => model.policyTypes.includes(t)),
  };
  const ingress = canonicalRules(model.ingress);
  const egress = canonicalRules(model.egress);
  if (ingress.length > 0) spec.ingress = ingress.map((r) => renderRule(r, 'from', dataplane));
  if (egress.length > 0) spec.egress = egress.map((r) => renderRule(r, 'to', dataplane));
  return sortKeysDeep({ apiVersion: NETWORK_POLICY_API_VERSION, kind: 'NetworkPolicy', metadata: renderMetadata(model), spec }) as JsonObject;
}

/** A GKE `networking.gke.io/v1alpha1` FQDNNetworkPolicy manifest. */
export function renderFqdnPolicy(model: FqdnPolicyModel): JsonObject {
  const egress = canonicalFqdnRules(model.egress).map((r) => {
    const out: JsonObject = { matches: r.matches.map((m): JsonObject => (m.name !== undefined ? { name: m.name } : { pattern: m.pattern! })) };
    // FQDN destinations are not pods: a protocol without a port is kept as is (no Dataplane V2 range form).
    if (r.ports !== 'all') out.ports = r.ports.map((p) => renderPort(p, 'upstream'));
    return out;
  });
  return sortKeysDeep({
    apiVersion: FQDN_POLICY_API_VERSION,
    kind: 'FQDNNetworkPolicy',
    metadata: renderMetadata(model),
    spec: { egress, podSelector: renderSelector(model.podSelector) },
  }) as JsonObject;
}

/** The pods of a ClusterNetworkPolicy subject or peer: `namespaces`, or `pods` {namespaceSelector, podSelector}. */
function renderCnpPods(p: CnpPodsModel): JsonObject {
  if (p.pods === undefined) return { namespaces: renderSelector(p.namespaces) };
  return { pods: { namespaceSelector: renderSelector(p.namespaces), podSelector: renderSelector(p.pods) } };
}

function renderCnpPeer(peer: CnpPeerModel): JsonObject {
  switch (peer.kind) {
    case 'pods': return renderCnpPods(peer);
    case 'networks': return { networks: [...peer.cidrs] };
    case 'nodes': return { nodes: renderSelector(peer.selector) };
    case 'domainNames': return { domainNames: [...peer.names] };
    case 'unknown': return {};
  }
}

function renderCnpProtocol(p: CnpProtocolModel): JsonObject {
  if ('namedPort' in p) return { destinationNamedPort: p.namedPort };
  const field = p.protocol.toLowerCase();
  if (p.port === undefined) throw new Error(`internal: ClusterNetworkPolicy protocols entry ${field} without a port`);
  const destinationPort: JsonObject = p.endPort === undefined || p.endPort === p.port
    ? { number: p.port }
    : { range: { end: p.endPort, start: p.port } };
  return { [field]: { destinationPort } };
}

/**
 * A `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy manifest. Rules keep their order (the
 * first that matches decides); peers and protocols are written as given.
 */
export function renderClusterNetworkPolicy(model: ClusterNetworkPolicyModel): JsonObject {
  const rule = (r: CnpRuleModel, peersField: 'from' | 'to'): JsonObject => {
    const out: JsonObject = { action: r.action, [peersField]: r.peers.map(renderCnpPeer) };
    if (r.name !== '') out.name = r.name;
    if (r.protocols !== 'all') out.protocols = r.protocols.map(renderCnpProtocol);
    return out;
  };
  const spec: JsonObject = { priority: model.priority, subject: renderCnpPods(model.subject), tier: model.tier };
  if (model.ingress.length > 0) spec.ingress = model.ingress.map((r) => rule(r, 'from'));
  if (model.egress.length > 0) spec.egress = model.egress.map((r) => rule(r, 'to'));
  return sortKeysDeep({ apiVersion: CNP_API_VERSION, kind: 'ClusterNetworkPolicy', metadata: renderMetadata(model), spec }) as JsonObject;
}

export function renderPolicy(model: PolicyModel, options: RenderOptions = {}): JsonObject {
  switch (model.kind) {
    case 'NetworkPolicy': return renderNetworkPolicy(model, options);
    case 'FQDNNetworkPolicy': return renderFqdnPolicy(model);
    case 'ClusterNetworkPolicy': return renderClusterNetworkPolicy(model);
  }
}

/** A deep copy with object keys sorted (locale-independent). Arrays keep their order. */
export function sortKeysDeep(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort(compareStrings)) out[key] = sortKeysDeep(value[key]);
    return out;
  }
  return value;
}

/**
 * The props of `k8s.KubeNetworkPolicy` for a rendered NetworkPolicy manifest (ports become IntOrString).
 */
export function toKubeNetworkPolicyProps(manifest: JsonObject): k8s.KubeNetworkPolicyProps {
  const convertRule = (rule: any) => ({
    ...rule,
    ...(rule.ports ? {
      ports: rule.ports.map((p: any) => ({
        ...p,
        ...(p.port === undefined ? {} : { port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port) }),
      })),
    } : {}),
  });
  const spec = manifest.spec as any;
  return {
    metadata: manifest.metadata as k8s.ObjectMeta,
    spec: {
      ...spec,
      ...(spec.ingress ? { ingress: spec.ingress.map(convertRule) } : {}),
      ...(spec.egress ? { egress: spec.egress.map(convertRule) } : {}),
    },
  };
}

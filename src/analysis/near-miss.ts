/**
 * Near misses of a denial: the rules of the policies that isolate a side (they select the right pods)
 * that would allow the connection but for one thing: the port, the protocol, the peer, or the Pod-network
 * their policy is scoped to. Each says what the rule allows and what was asked, so a denial shows what
 * to change (`rule 0 of shop/backend-from-frontend allows TCP 8080; asked TCP 8443`).
 *
 * Reads the policy models and the verdict; whether a changed rule would allow is asked of the verifier
 * (one policy, the two ends), never re-derived here.
 */
import { Counterexample, HypotheticalPod } from './counterexamples';
import { ClusterModel, Dataplane, ExternalModel, PodModel } from '../model/cluster';
import { objectId } from '../model/ids';
import {
  ClusterNetworkPolicyModel, CnpAction, CnpPeerModel, CnpProtocolModel, CnpRuleModel, CnpTier, Direction, NAMESPACE_NAME_LABEL,
  NetworkPolicyModel, PeerModel, PolicyModel, RuleModel,
} from '../model/policy';
import { PortModel, Protocol } from '../model/port';
import { compareStrings, describeSelector, LabelSelectorModel, requirementMatches, requirementsOf } from '../model/selector';
import { ClusterPolicyRef, EndpointId, PolicyRef, SideVerdict, Verdict } from '../verify/api';
import { Verifier } from '../verify/verifier';

interface NearMissBase {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  /** Zero-based index into the policy's ingress/egress list. */
  readonly ruleIndex: number;
}

/**
 * A rule that nearly allowed: `port` (its peers match, its ports of the asked protocol do not), `protocol`
 * (its peers match, it has no port of the asked protocol), `peer` (its ports match, none of its peers
 * admits the other end), `network` (it would allow, but its policy applies on another Pod-network only).
 */
export type NearMiss =
  | NearMissBase & { readonly miss: 'port' | 'protocol'; readonly ports: readonly PortModel[]; readonly asked: { readonly port: number; readonly protocol: Protocol } }
  | NearMissBase & { readonly miss: 'peer'; readonly peers: readonly PeerModel[]; readonly endpoint: EndpointId; readonly needs: readonly string[] }
  | NearMissBase & { readonly miss: 'network'; readonly network: string; readonly asked: string };

interface CnpNearMissBase {
  readonly policy: ClusterPolicyRef;
  /** The policy's tier (also in `policy`; here it tells a ClusterNetworkPolicy near miss from a NetworkPolicy one). */
  readonly tier: CnpTier;
  readonly direction: Direction;
  /** Zero-based index into the policy's ingress/egress list. */
  readonly ruleIndex: number;
  /** The rule's name; empty when it has none. */
  readonly ruleName: string;
  /** Accept, or Pass (a Pass that would hand the connection to a tier that allows it). */
  readonly action: CnpAction;
}

/**
 * A ClusterNetworkPolicy rule (of either tier) that would have made the side allowed but for its ports
 * (`port`: the peer matches, no entry of the asked protocol has the port; `protocol`: no entry of the asked
 * protocol) or its peers (`peer`: its protocols match, no peer admits the other end).
 */
export type CnpNearMiss =
  | CnpNearMissBase & { readonly miss: 'port' | 'protocol'; readonly protocols: readonly CnpProtocolModel[]; readonly asked: { readonly port: number; readonly protocol: Protocol } }
  | CnpNearMissBase & { readonly miss: 'peer'; readonly peers: readonly CnpPeerModel[]; readonly endpoint: EndpointId; readonly needs: readonly string[] };

/** A side of a verdict with its near misses (set only on a side the NetworkPolicies deny, when a rule nearly allowed). */
export type ExplainedSide = SideVerdict & { readonly nearMisses?: readonly (NearMiss | CnpNearMiss)[] };

export interface NearMissInput {
  readonly policies: readonly PolicyModel[];
  /** The cluster the verdict was computed on (it holds both ends, or the counterexample describes them). */
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
}

/** The verdict (or counterexample) with `nearMisses` on each side that NetworkPolicies deny and some rule nearly allowed. */
export function withNearMisses<V extends Verdict>(input: NearMissInput, verdict: V): V {
  if (verdict.allowed || verdict.special !== undefined) return verdict;
  const ends = endsOf(input.cluster, verdict);
  if (ends === undefined) return verdict;
  const egress = nearMisses(input, verdict, 'egress', ends);
  const ingress = nearMisses(input, verdict, 'ingress', ends);
  if (egress.length === 0 && ingress.length === 0) return verdict;
  return {
    ...verdict,
    egress: egress.length ? { ...verdict.egress, nearMisses: egress } : verdict.egress,
    ingress: ingress.length ? { ...verdict.ingress, nearMisses: ingress } : verdict.ingress,
  };
}

interface Ends {
  /** The two ends and their namespaces, as a cluster of their own. */
  readonly cluster: ClusterModel;
  readonly from: PodModel | ExternalModel;
  readonly to: PodModel | ExternalModel;
}

function isPod(e: PodModel | ExternalModel): e is PodModel {
  return 'namespace' in e;
}

/** The two ends of a verdict (a counterexample's pods that could exist included); undefined when one is unknown. */
function endsOf(cluster: ClusterModel, v: Verdict): Ends | undefined {
  const c = v as Counterexample;
  const network = v.flow.network;
  const namespaces: Record<string, Readonly<Record<string, string>>> = { ...cluster.namespaces };
  type End = PodModel | ExternalModel | undefined;
  const find = (id: EndpointId, hypothetical: HypotheticalPod | undefined, address: { ip: string } | undefined): End => {
    if (hypothetical !== undefined) {
      namespaces[hypothetical.namespace] = hypothetical.namespaceLabels;
      return {
        namespace: hypothetical.namespace,
        name: id.slice(id.indexOf('/') + 1),
        labels: hypothetical.labels,
        ports: hypothetical.ports,
        networks: [network],
        ...(hypothetical.ip !== undefined ? { ip: hypothetical.ip } : {}),
      };
    }
    if (address !== undefined) return { name: id, ip: address.ip };
    return cluster.pods.find((p) => objectId(p) === id) ?? cluster.externals.find((e) => e.name === id);
  };
  const from = find(v.from, c.fromPod ?? c.pod, c.fromExternal);
  const to = find(v.to, c.toPod, c.toExternal);
  if (from === undefined || to === undefined) return undefined;
  const pods = [from, to].filter(isPod);
  const externals = [from, to].filter((e): e is ExternalModel => !isPod(e));
  return { cluster: { namespaces, pods: pods.filter((p, i) => pods.findIndex((q) => objectId(q) === objectId(p)) === i), externals }, from, to };
}

function nearMisses(input: NearMissInput, v: Verdict, direction: Direction, ends: Ends): (NearMiss | CnpNearMiss)[] {
  const side = direction === 'egress' ? v.egress : v.ingress;
  const self = direction === 'egress' ? ends.from : ends.to;
  const other = direction === 'egress' ? ends.to : ends.from;
  if (side.allowed || !isPod(self)) return [];
  const cnp = side.tiers !== undefined ? cnpNearMisses(input, v, direction, ends, other) : [];
  // NetworkPolicy rules: only on a side the NetworkPolicies decided (not a ClusterNetworkPolicy tier).
  if (!side.isolated || (side.decidedBy !== undefined && side.decidedBy !== 'NetworkPolicy')) return cnp;
  return [...networkPolicyNearMisses(input, v, direction, ends, self, other), ...cnp];
}

function networkPolicyNearMisses(
  input: NearMissInput, v: Verdict, direction: Direction, ends: Ends, self: PodModel, other: PodModel | ExternalModel,
): NearMiss[] {
  const side = direction === 'egress' ? v.egress : v.ingress;
  const out: NearMiss[] = [];
  const allows = (policy: PolicyModel) => {
    const verdict = new Verifier({ policies: [policy], cluster: ends.cluster, dataplane: input.dataplane }).explain(v.from, v.to, v.flow);
    const s = direction === 'egress' ? verdict.egress : verdict.ingress;
    return s.isolated && s.allowed;
  };
  const isolating = new Set(side.isolatedBy.map((p) => `${p.kind} ${p.namespace}/${p.name}`));
  for (const policy of input.policies) {
    if (policy.kind === 'ClusterNetworkPolicy' || policy.namespace !== self.namespace) continue;
    const ref: PolicyRef = { kind: policy.kind, namespace: policy.namespace, name: policy.name };
    const key = `${policy.kind} ${policy.namespace}/${policy.name}`;
    if (policy.kind === 'FQDNNetworkPolicy') {
      if (direction !== 'egress' || !isolating.has(key)) continue;
      policy.egress.forEach((rule, i) => {
        if (rule.ports === 'all') return;
        if (allows({ ...policy, egress: [{ ...rule, ports: 'all' }] })) out.push(portMiss(ref, direction, i, rule.ports, v));
      });
      continue;
    }
    const rules = policy[direction];
    if (isolating.has(key)) {
      rules.forEach((rule, i) => {
        const only = (r: RuleModel): NetworkPolicyModel => ({ ...policy, [direction]: [r] });
        const { peers, ports } = rule;
        const peersMatch = peers === 'all' || allows(only({ peers, ports: 'all' }));
        const portsMatch = ports === 'all' || allows(only({ peers: 'all', ports }));
        if (peersMatch && ports !== 'all' && !portsMatch) out.push(portMiss(ref, direction, i, ports, v));
        if (portsMatch && peers !== 'all' && !peersMatch) {
          const needs = peerNeeds(peers, policy.namespace, other, ends.cluster, input.dataplane);
          out.push({ policy: ref, direction, ruleIndex: i, miss: 'peer', peers, endpoint: direction === 'egress' ? v.to : v.from, needs });
        }
      });
    } else if (policy.network !== undefined && policy.network !== v.flow.network) {
      // Scoped to another Pod-network: would a rule allow if the policy applied on this one?
      const unscoped: NetworkPolicyModel = { ...policy, network: undefined, annotations: {} };
      rules.forEach((rule, i) => {
        if (allows({ ...unscoped, [direction]: [rule] })) out.push({ policy: ref, direction, ruleIndex: i, miss: 'network', network: policy.network!, asked: v.flow.network });
      });
    }
  }
  const key = (m: NearMiss) => `${m.policy.namespace}/${m.policy.name} ${m.policy.kind}`;
  return out.sort((a, b) => compareStrings(key(a), key(b)) || a.ruleIndex - b.ruleIndex);
}

/** Matches every pod and every address: a rule with these peers matches any other end. */
const ANY_PEER: readonly CnpPeerModel[] = [
  { kind: 'pods', namespaces: { matchLabels: {}, matchExpressions: [] } },
  { kind: 'networks', cidrs: ['0.0.0.0/0', '::/0'] },
];

/**
 * The Accept and Pass rules of ClusterNetworkPolicies (both tiers) that would make the denied side allowed
 * if only their protocols, or only their peers, matched. Asked of the verifier with every policy and that
 * one rule changed, so the tier order, priorities and rule order decide, as they do for the verdict.
 */
function cnpNearMisses(input: NearMissInput, v: Verdict, direction: Direction, ends: Ends, other: PodModel | ExternalModel): CnpNearMiss[] {
  const out: CnpNearMiss[] = [];
  const allowedWith = (policies: readonly PolicyModel[]) => {
    const verdict = new Verifier({ policies, cluster: ends.cluster, dataplane: input.dataplane }).explain(v.from, v.to, v.flow);
    return (direction === 'egress' ? verdict.egress : verdict.ingress).allowed;
  };
  input.policies.forEach((policy, at) => {
    if (policy.kind !== 'ClusterNetworkPolicy') return;
    policy[direction].forEach((rule, i) => {
      if (rule.action === 'Deny') return;
      const swapped = (r: CnpRuleModel): PolicyModel[] => input.policies.map((p, k) => (k !== at ? p : {
        ...policy, [direction]: policy[direction].map((x, j) => (j === i ? r : x)),
      } as ClusterNetworkPolicyModel));
      const base: CnpNearMissBase = {
        policy: { kind: 'ClusterNetworkPolicy', name: policy.name, tier: policy.tier, priority: policy.priority },
        tier: policy.tier,
        direction,
        ruleIndex: i,
        ruleName: rule.name,
        action: rule.action,
      };
      if (rule.protocols !== 'all' && allowedWith(swapped({ ...rule, protocols: 'all' }))) {
        const samePort = rule.protocols.some((p) => 'namedPort' in p || p.protocol === v.flow.protocol);
        out.push({ ...base, miss: samePort ? 'port' : 'protocol', protocols: rule.protocols, asked: { port: v.flow.port, protocol: v.flow.protocol } });
      } else if (allowedWith(swapped({ ...rule, peers: ANY_PEER }))) {
        const endpoint = direction === 'egress' ? v.to : v.from;
        out.push({ ...base, miss: 'peer', peers: rule.peers, endpoint, needs: cnpPeerNeeds(rule.peers, other, ends.cluster) });
      }
    });
  });
  const tierOrder = (t: CnpTier) => (t === 'Admin' ? 0 : 1);
  return out.sort((a, b) => tierOrder(a.tier) - tierOrder(b.tier) || a.policy.priority - b.policy.priority
    || compareStrings(a.policy.name, b.policy.name) || a.ruleIndex - b.ruleIndex);
}

/** What the other end lacks for each ClusterNetworkPolicy peer, in words (one line per peer). */
function cnpPeerNeeds(peers: readonly CnpPeerModel[], other: PodModel | ExternalModel, cluster: ClusterModel): string[] {
  return peers.map((peer, j) => {
    switch (peer.kind) {
      case 'pods': {
        if (!isPod(other)) return `peer ${j}: selects pods, and ${other.name} is not a pod`;
        const labels = { ...(cluster.namespaces[other.namespace] ?? {}), [NAMESPACE_NAME_LABEL]: other.namespace };
        const missing: string[] = [];
        const unmetNs = unmetOf(peer.namespaces, labels);
        if (unmetNs) missing.push(`namespace ${other.namespace} to have ${unmetNs}`);
        const unmetPods = peer.pods ? unmetOf(peer.pods, other.labels) : '';
        if (unmetPods) missing.push(`labels ${unmetPods}`);
        return `peer ${j}: needs ${missing.length ? missing.join(' and ') : 'a match'}`;
      }
      case 'networks':
        return `peer ${j}: ${other.ip === undefined ? 'its IP is unknown' : `its IP ${other.ip} is not in networks ${peer.cidrs.join(', ')}`}`;
      case 'nodes':
        return `peer ${j}: matches nodes, and ${isPod(other) ? objectId(other) : other.name} is not one`;
      case 'domainNames':
        return `peer ${j}: matches the names ${peer.names.join(', ')}, and ${isPod(other) ? objectId(other) : other.name} has none of them`;
      case 'unknown':
        return `peer ${j}: has no field netproof reads (${peer.fields.join(', ') || 'empty'}), so it matches nothing for an Accept rule`;
    }
  });
}

function portMiss(policy: PolicyRef, direction: Direction, ruleIndex: number, ports: readonly PortModel[], v: Verdict): NearMiss {
  const miss = ports.some((p) => p.protocol === v.flow.protocol) ? 'port' : 'protocol';
  return { policy, direction, ruleIndex, miss, ports, asked: { port: v.flow.port, protocol: v.flow.protocol } };
}

/** What the other end lacks for each peer, in words (one line per peer). */
function peerNeeds(
  peers: readonly PeerModel[], policyNamespace: string, other: PodModel | ExternalModel, cluster: ClusterModel, dataplane: Dataplane,
): string[] {
  return peers.map((peer, j) => {
    if (peer.kind === 'ipBlock') {
      if (isPod(other) && dataplane === 'dataplane-v2') return `peer ${j}: ipBlock ${peer.cidr} never matches pod traffic on Dataplane V2`;
      return `peer ${j}: ${other.ip === undefined ? 'its IP is unknown' : `its IP ${other.ip} is not in ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(', ')}` : ''}`}`;
    }
    if (!isPod(other)) return `peer ${j}: selects pods, and ${other.name} is not a pod`;
    const missing: string[] = [];
    if (peer.namespaces.kind === 'own') {
      if (other.namespace !== policyNamespace) missing.push(`to be in namespace ${policyNamespace} (it is in ${other.namespace})`);
    } else {
      const labels = { ...(cluster.namespaces[other.namespace] ?? {}), [NAMESPACE_NAME_LABEL]: other.namespace };
      const unmet = unmetOf(peer.namespaces.selector, labels);
      if (unmet) missing.push(`namespace ${other.namespace} to have ${unmet}`);
    }
    const unmetPods = unmetOf(peer.pods, other.labels);
    if (unmetPods) missing.push(`labels ${unmetPods}`);
    return `peer ${j}: needs ${missing.length ? missing.join(' and ') : 'a match'}`;
  });
}

/** The requirements of a selector that the labels do not meet, in words (`app=api`, `tier in (a,b)`); empty when all are met. */
function unmetOf(selector: LabelSelectorModel, labels: Readonly<Record<string, string>>): string {
  return requirementsOf(selector).filter((r) => !requirementMatches(r, labels))
    .map((r) => (r.operator === 'In' && r.values.length === 1 ? `${r.key}=${r.values[0]}` : describeSelector({ matchLabels: {}, matchExpressions: [r] })))
    .join(',');
}

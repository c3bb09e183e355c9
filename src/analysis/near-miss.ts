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
import { Direction, NAMESPACE_NAME_LABEL, NetworkPolicyModel, PeerModel, PolicyModel, RuleModel } from '../model/policy';
import { PortModel, Protocol } from '../model/port';
import { compareStrings, describeSelector, LabelSelectorModel, requirementMatches, requirementsOf } from '../model/selector';
import { EndpointId, PolicyRef, SideVerdict, Verdict } from '../verify/api';
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

/** A side of a verdict with its near misses (set only on a side the NetworkPolicies deny, when a rule nearly allowed). */
export type ExplainedSide = SideVerdict & { readonly nearMisses?: readonly NearMiss[] };

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

function nearMisses(input: NearMissInput, v: Verdict, direction: Direction, ends: Ends): NearMiss[] {
  const side = direction === 'egress' ? v.egress : v.ingress;
  // Only a side the NetworkPolicies decided (not a ClusterNetworkPolicy tier) and denied.
  if (side.allowed || !side.isolated || (side.decidedBy !== undefined && side.decidedBy !== 'NetworkPolicy')) return [];
  const self = direction === 'egress' ? ends.from : ends.to;
  const other = direction === 'egress' ? ends.to : ends.from;
  if (!isPod(self)) return [];
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

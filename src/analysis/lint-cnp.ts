/**
 * The ClusterNetworkPolicy lints: equal priorities that a pod could meet (NP010), rules that an earlier
 * rule of the same policy always matches first (NP011), a GKE profile that does not run them (NP012),
 * experimental peers on the standard channel (NP013), and Admin Accepts that override a namespace's
 * default deny (NP014). Rules and texts live with the others in `lint.ts`.
 */
import { Prover } from './proofs';
import { parseCidr, cidrContains } from '../model/cidr';
import { ClusterModel, Dataplane, DEFAULT_NETWORK } from '../model/cluster';
import { CNP_MIN_GKE_VERSION, compareGkeVersions, parseGkeVersion } from '../model/gke';
import { canonicalJson } from '../model/json';
import {
  ClusterNetworkPolicyModel, CnpPeerModel, CnpProtocolModel, CnpRuleModel, Direction, NAMESPACE_NAME_LABEL, NetworkPolicyModel, policyId, PolicyModel,
} from '../model/policy';
import { compareStrings, isSelectAll, matchesLabels } from '../model/selector';
import { Verifier } from '../verify/verifier';

/** What the ClusterNetworkPolicy lints read (a part of the lint input). */
export interface CnpLintInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  readonly podCidrs?: readonly string[];
  readonly serviceCidrs?: readonly string[];
  readonly gkeVersion?: string;
  readonly cnpExperimental?: boolean;
}

export type CnpLint = 'equalPriority' | 'shadowedRule' | 'unsupportedProfile' | 'experimentalPeer' | 'acceptOverridesDeny';

export function cnpLints(input: CnpLintInput, add: (lint: CnpLint, subject: string, message: string) => void): void {
  const cnps = input.policies.filter((p): p is ClusterNetworkPolicyModel => p.kind === 'ClusterNetworkPolicy');
  if (cnps.length === 0) return;

  // NP012: a GKE profile that does not run ClusterNetworkPolicy.
  if (input.gkeVersion !== undefined) {
    const version = parseGkeVersion(input.gkeVersion);
    const min = parseGkeVersion(CNP_MIN_GKE_VERSION)!;
    const reasons: string[] = [];
    if (input.dataplane !== 'dataplane-v2') reasons.push(`the dataplane is ${input.dataplane}, and GKE runs it on Dataplane V2 only`);
    if (version !== undefined && compareGkeVersions(version, min) < 0) reasons.push(`GKE ${input.gkeVersion} is older than ${CNP_MIN_GKE_VERSION}, the first version that has it`);
    if (reasons.length > 0) {
      for (const p of cnps) {
        add('unsupportedProfile', policyId(p), `GKE does not run ClusterNetworkPolicy here: ${reasons.join('; ')}, so the cluster would ignore this guardrail. `
          + `Use ClusterProfile.dataplaneV2({ gkeVersion: '${CNP_MIN_GKE_VERSION}' }) or newer, or remove the ClusterNetworkPolicy`);
      }
    }
  }

  for (const p of cnps) {
    for (const direction of ['ingress', 'egress'] as const) {
      const rules = p[direction];
      rules.forEach((rule, j) => {
        // NP011: an earlier rule of the policy matches everything this one could.
        const i = rules.findIndex((earlier, k) => k < j && ruleCovers(earlier, rule));
        if (i >= 0) {
          add('shadowedRule', policyId(p), `${direction}[${j}]${named(rule)} (${rule.action}) never matches: ${direction}[${i}]${named(rules[i])} `
            + `(${rules[i].action}) matches all of its traffic first. Remove it, or move it before ${direction}[${i}]`);
        }
        // NP013: experimental peers on the standard channel of the CRD.
        if (!input.cnpExperimental) {
          rule.peers.forEach((peer, k) => {
            if (peer.kind !== 'nodes' && peer.kind !== 'domainNames') return;
            add('experimentalPeer', policyId(p), `${direction}[${j}].${direction === 'ingress' ? 'from' : 'to'}[${k}] is a ${peer.kind} peer, which only the experimental `
              + 'channel of the ClusterNetworkPolicy CRD has; with the standard channel the API server rejects the policy. Install the experimental CRD '
              + '(and say so in the cluster profile), or use networks peers');
          });
        }
      });
    }
  }

  // NP014: an Admin Accept decides before a namespace's NetworkPolicies, default deny included.
  const denying = (direction: Direction) => new Set(input.policies
    .filter((p): p is NetworkPolicyModel => p.kind === 'NetworkPolicy' && isSelectAll(p.podSelector) && p.network === undefined
      && p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && p[direction].length === 0)
    .map((p) => p.namespace));
  for (const direction of ['ingress', 'egress'] as const) {
    const deny = denying(direction);
    if (deny.size === 0) continue;
    for (const p of cnps.filter((c) => c.tier === 'Admin')) {
      const inSubject = [...new Set(input.cluster.pods
        .filter((pod) => deny.has(pod.namespace) && inCnpSubject(p, pod.namespace, pod.labels, input.cluster))
        .map((pod) => pod.namespace))].sort(compareStrings);
      if (inSubject.length === 0) continue;
      p[direction].forEach((rule, j) => {
        if (rule.action !== 'Accept') return;
        add('acceptOverridesDeny', policyId(p), `${direction}[${j}]${named(rule)} Accept overrides the ${direction} default deny of namespace${inSubject.length > 1 ? 's' : ''} `
          + `${inSubject.join(', ')}: the traffic it matches is allowed before any NetworkPolicy of theirs is read. Narrow its peers or protocols if that is not meant`);
      });
    }
  }

  // NP010: equal priorities that a pod that could exist would meet (the known pods' are an error of the verifier).
  const verifier = new Verifier({ policies: input.policies, cluster: input.cluster, dataplane: input.dataplane });
  const prover = new Prover({
    policies: input.policies,
    cluster: input.cluster,
    dataplane: input.dataplane,
    podCidrs: input.podCidrs ?? [],
    serviceCidrs: input.serviceCidrs ?? [],
    verifier,
  }, []);
  const networks = [...new Set([DEFAULT_NETWORK, ...input.cluster.pods.flatMap((pod) => pod.networks)])].sort(compareStrings);
  for (const network of networks) {
    const problem = prover.tierOrderProblem(network);
    if (problem !== undefined) {
      add('equalPriority', `cnp/${problem.policy}`, problem.message);
      break;
    }
  }
}

function named(rule: CnpRuleModel): string {
  return rule.name ? ` ${JSON.stringify(rule.name)}` : '';
}

function inCnpSubject(p: ClusterNetworkPolicyModel, namespace: string, labels: Readonly<Record<string, string>>, cluster: ClusterModel): boolean {
  const nsLabels = { ...(cluster.namespaces[namespace] ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  return matchesLabels(p.subject.namespaces, nsLabels) && (p.subject.pods === undefined || matchesLabels(p.subject.pods, labels));
}

/** Does `a` match all the traffic `b` could (its peers and its protocols), so that `b` after `a` never matches? */
function ruleCovers(a: CnpRuleModel, b: CnpRuleModel): boolean {
  const protocols = a.protocols === 'all' || (b.protocols !== 'all' && b.protocols.every((e) => (a.protocols as readonly CnpProtocolModel[]).some((f) => protocolCovers(f, e))));
  return protocols && b.peers.every((q) => a.peers.some((p) => peerCovers(p, a.action, q)));
}

function protocolCovers(f: CnpProtocolModel, e: CnpProtocolModel): boolean {
  if ('namedPort' in f || 'namedPort' in e) return 'namedPort' in f && 'namedPort' in e && f.namedPort === e.namedPort;
  if (f.protocol !== e.protocol) return false;
  if (f.port === undefined) return true;
  if (e.port === undefined) return false;
  return f.port <= e.port && (f.endPort ?? f.port) >= (e.endPort ?? e.port);
}

/** Does peer `p` (of a rule with `action`) match everything peer `q` matches? */
function peerCovers(p: CnpPeerModel, action: CnpRuleModel['action'], q: CnpPeerModel): boolean {
  if (p.kind === 'unknown') return action !== 'Accept'; // fails closed: it matches everything
  if (canonicalJson(p) === canonicalJson(q)) return true;
  if (p.kind === 'pods' && q.kind === 'pods') {
    const namespaces = isSelectAll(p.namespaces) || canonicalJson(p.namespaces) === canonicalJson(q.namespaces);
    return namespaces && (p.pods === undefined || isSelectAll(p.pods) || (q.pods !== undefined && canonicalJson(p.pods) === canonicalJson(q.pods)));
  }
  if (p.kind === 'networks' && q.kind === 'networks') {
    const outer = p.cidrs.map((c) => parseCidr(c)).flatMap((r) => (r.ok ? [r.value] : []));
    return q.cidrs.every((c) => {
      const inner = parseCidr(c);
      return inner.ok && outer.some((o) => cidrContains(o, inner.value));
    });
  }
  return false;
}

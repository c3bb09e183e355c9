/** The shared vocabulary of the reports: policies, peers, rules and verdicts in words. */
import { Counterexample, HypotheticalPod } from '../analysis/counterexamples';
import { CnpNearMiss, ExplainedSide, NearMiss } from '../analysis/near-miss';
import { isPodId } from '../model/ids';
import { CnpPeerModel, CnpProtocolModel, NAMESPACE_NAME_LABEL, PeerModel } from '../model/policy';
import { describePort } from '../model/port';
import { describeSelector, isSelectAll } from '../model/selector';
import { PolicyRef, RuleRef, SideVerdict, TierRuleRef, TierStep, Verdict } from '../verify/api';

export function describePolicyRef(p: PolicyRef): string {
  return `${p.kind === 'FQDNNetworkPolicy' ? 'FQDNNetworkPolicy ' : ''}${p.namespace}/${p.name}`;
}

export function describePeer(peer: RuleRef['peer']): string {
  if (peer === 'all') return 'any peer';
  if (peer.kind === 'fqdn') return `FQDN ${peer.match}`;
  return describeModelPeer(peer);
}

export function describeModelPeer(peer: PeerModel): string {
  if (peer.kind === 'ipBlock') return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(', ')}` : ''}`;
  const pods = isSelectAll(peer.pods) ? 'all pods' : `pods ${describeSelector(peer.pods)}`;
  if (peer.namespaces.kind === 'own') return `${pods} of the policy's namespace`;
  return isSelectAll(peer.namespaces.selector) ? `${pods} of all namespaces` : `${pods} of namespaces ${describeSelector(peer.namespaces.selector)}`;
}

export function describeRule(r: RuleRef): string {
  const peer = r.peerIndex === undefined ? describePeer(r.peer) : `peer ${r.peerIndex}: ${describePeer(r.peer)}`;
  const port = r.port === 'all' ? 'all ports' : describePort(r.port);
  return `${describePolicyRef(r.policy)} ${r.direction}[${r.ruleIndex}] (${peer}; ${port})`;
}


/** `cnp/tenant-isolation egress[1] "pass-monitoring" Pass`. */
export function describeTierRule(r: TierRuleRef): string {
  return `cnp/${r.policy.name} ${r.direction}[${r.ruleIndex}]${r.ruleName ? ` ${JSON.stringify(r.ruleName)}` : ''} ${r.action}`;
}

/** The NetworkPolicy tier's part: not isolated, or isolated and what its rules say. */
function describeNetworkPolicyTier(side: SideVerdict): string {
  if (!side.isolated) return 'not isolated';
  const by = `isolated by ${side.isolatedBy.map(describePolicyRef).join(', ')}`;
  return side.allowed ? `${by}; allowed by ${side.allowedBy.map(describeRule).join(', ')}` : `${by}; no rule of those policies matches this peer and port`;
}

/** A side decided through ClusterNetworkPolicy tiers: each tier's part in order, then the outcome. */
function describeTiers(what: string, side: SideVerdict, tiers: readonly TierStep[]): string {
  const steps = tiers.map((t) => (t.tier === 'NetworkPolicy' ? `[NetworkPolicy] ${describeNetworkPolicyTier(side)}` : `[${t.tier}] ${describeTierRule(t.rule)}`));
  if (side.decidedBy === 'default') steps.push('no tier decides');
  return `${what}: ${steps.join(' -> ')}, so ${side.allowed ? 'allowed' : 'denied'}`;
}

function describeSide(endpoint: string, side: SideVerdict): string {
  const what = `${side.direction} of ${endpoint}`;
  if (!isPodId(endpoint)) return `${what}: an external endpoint, which no NetworkPolicy constrains`;
  if (side.tiers !== undefined) return describeTiers(what, side, side.tiers);
  if (!side.isolated) return `${what}: not isolated (no policy selects it for ${side.direction}), so allowed`;
  const by = `isolated by ${side.isolatedBy.map(describePolicyRef).join(', ')}`;
  if (side.allowed) return `${what}: ${by}; allowed by ${side.allowedBy.map(describeRule).join(', ')}`;
  return `${what}: ${by}; no rule of those policies matches this peer and port, so denied`;
}

/**
 * A rule that nearly allowed, and what it would need: `rule 0 of shop/backend-from-frontend allows TCP
 * 8080; asked TCP 8443`.
 */
export function describeNearMiss(m: NearMiss): string {
  const rule = `rule ${m.ruleIndex} of ${describePolicyRef(m.policy)}`;
  const toward = m.direction === 'ingress' ? 'from' : 'to';
  switch (m.miss) {
    case 'port':
    case 'protocol':
      return `${rule} allows ${m.ports.map(describePort).join(', ')}; asked ${m.asked.protocol} ${m.asked.port}`;
    case 'peer':
      return `${rule} allows ${toward} ${m.peers.map(describeModelPeer).join(' or ')}; asked ${toward} ${m.endpoint} (${m.needs.join('; ')})`;
    case 'network':
      return `${rule} allows it on network ${m.network} only (its networking.gke.io/network annotation); asked on network ${m.asked}`;
  }
}

/** A ClusterNetworkPolicy `protocols` entry: `TCP 8080`, `TCP 8000-8100`, `all UDP`, `port named http`. */
export function describeCnpProtocol(p: CnpProtocolModel): string {
  if ('namedPort' in p) return `port named ${p.namedPort}`;
  if (p.port === undefined) return `all ${p.protocol}`;
  return `${p.protocol} ${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`;
}

/** A ClusterNetworkPolicy peer: `pods app=api of namespaces team=pay`, `networks 10.0.0.0/8`. */
export function describeCnpPeer(peer: CnpPeerModel): string {
  switch (peer.kind) {
    case 'pods': {
      const pods = peer.pods === undefined || isSelectAll(peer.pods) ? 'all pods' : `pods ${describeSelector(peer.pods)}`;
      return isSelectAll(peer.namespaces) ? `${pods} of all namespaces` : `${pods} of namespaces ${describeSelector(peer.namespaces)}`;
    }
    case 'networks': return `networks ${peer.cidrs.join(', ')}`;
    case 'nodes': return `nodes ${describeSelector(peer.selector)}`;
    case 'domainNames': return `domain names ${peer.names.join(', ')}`;
    case 'unknown': return `an unreadable peer (${peer.fields.join(', ') || 'empty'})`;
  }
}

/**
 * A ClusterNetworkPolicy rule that nearly decided otherwise: `Admin rule 0 "allow-web" (Accept) of
 * cnp/web-access allows TCP 8080; asked TCP 8443`.
 */
export function describeCnpNearMiss(m: CnpNearMiss): string {
  const rule = `${m.tier} rule ${m.ruleIndex}${m.ruleName ? ` ${JSON.stringify(m.ruleName)}` : ''} (${m.action}) of cnp/${m.policy.name}`;
  const toward = m.direction === 'ingress' ? 'from' : 'to';
  const verb = m.action === 'Accept' ? 'accepts' : 'passes';
  if (m.miss === 'peer') return `${rule} ${verb} ${toward} ${m.peers.map(describeCnpPeer).join(' or ')}; asked ${toward} ${m.endpoint} (${m.needs.join('; ')})`;
  return `${rule} ${verb} ${m.protocols.map(describeCnpProtocol).join(', ')}; asked ${m.asked.protocol} ${m.asked.port}`;
}

/** A side's line, then its near misses (NetworkPolicy rules, then ClusterNetworkPolicy rules) indented below it. */
function sideLines(endpoint: string, side: ExplainedSide): string[] {
  const line = (m: NearMiss | CnpNearMiss) => `    near miss: ${'tier' in m ? describeCnpNearMiss(m) : describeNearMiss(m)}`;
  return [`  ${describeSide(endpoint, side)}`, ...(side.nearMisses ?? []).map(line)];
}

/** A verdict and every reason, one line each, indented under a headline; near misses under their side. */
export function formatVerdict(v: Verdict): string {
  const head = `${v.from} -> ${v.to} on ${v.flow.protocol} ${v.flow.port} (network ${v.flow.network}, dataplane ${v.dataplane}): ${v.allowed ? 'ALLOWED' : 'DENIED'}`;
  if (v.special === 'loopback') return `${head}\n  a pod can always reach itself (Kubernetes cannot block loopback traffic)`;
  return [head, ...sideLines(v.from, v.egress), ...sideLines(v.to, v.ingress)].join('\n');
}

/** `a pod that could exist: in namespace shop (exists), labels env=prod, role=client`. */
export function describeHypotheticalPod(p: HypotheticalPod): string {
  const nsLabels = Object.entries(p.namespaceLabels).filter(([k]) => k !== NAMESPACE_NAME_LABEL).map(([k, v]) => `${k}=${v}`);
  const ns = p.newNamespace ? `new${nsLabels.length ? `, labels ${nsLabels.join(', ')}` : ', no labels'}` : 'exists';
  const labels = Object.entries(p.labels).map(([k, v]) => `${k}=${v}`);
  const parts = [`in namespace ${p.namespace} (${ns})`, labels.length ? `labels ${labels.join(', ')}` : 'no labels'];
  if (p.ports.length) parts.push(`container ports ${p.ports.map((cp) => `${cp.name ? `${cp.name} ` : ''}${cp.port}/${cp.protocol}`).join(', ')}`);
  if (p.ip !== undefined) parts.push(`IP ${p.ip}`);
  return `a pod that could exist: ${parts.join(', ')}`;
}

/** A counterexample: its verdict, and after the headline what each hypothetical end is. */
export function formatCounterexample(c: Counterexample): string {
  const [head, ...rest] = formatVerdict(c).split('\n');
  const about: string[] = [];
  if (c.pod) about.push(`  ${c.from} is ${describeHypotheticalPod(c.pod)}`);
  if (c.fromPod) about.push(`  ${c.from} is ${describeHypotheticalPod(c.fromPod)}`);
  if (c.toPod) about.push(`  ${c.to} is ${describeHypotheticalPod(c.toPod)}`);
  if (c.fromExternal) about.push(`  ${c.from} is an address no declared external has: ${c.fromExternal.ip}`);
  if (c.toExternal) about.push(`  ${c.to} is an address no declared external has: ${c.toExternal.ip}`);
  return [head, ...about, ...rest].join('\n');
}

/** Is the counterexample about a pod that could exist? */
export function isHypothetical(c: Counterexample): boolean {
  return c.pod !== undefined || c.fromPod !== undefined || c.toPod !== undefined;
}

/** The shared vocabulary of the reports: policies, peers, rules and verdicts in words. */
import { isPodId } from '../model/ids';
import { PeerModel } from '../model/policy';
import { describePort } from '../model/port';
import { describeSelector, isSelectAll } from '../model/selector';
import { PolicyRef, RuleRef, SideVerdict, Verdict } from '../verify/api';

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


function describeSide(endpoint: string, side: SideVerdict): string {
  const what = `${side.direction} of ${endpoint}`;
  if (!isPodId(endpoint)) return `${what}: an external endpoint, which no NetworkPolicy constrains`;
  if (!side.isolated) return `${what}: not isolated (no policy selects it for ${side.direction}), so allowed`;
  const by = `isolated by ${side.isolatedBy.map(describePolicyRef).join(', ')}`;
  if (side.allowed) return `${what}: ${by}; allowed by ${side.allowedBy.map(describeRule).join(', ')}`;
  return `${what}: ${by}; no rule of those policies matches this peer and port, so denied`;
}

/** A verdict and every reason, one line each, indented under a headline. */
export function formatVerdict(v: Verdict): string {
  const head = `${v.from} -> ${v.to} on ${v.flow.protocol} ${v.flow.port} (network ${v.flow.network}, dataplane ${v.dataplane}): ${v.allowed ? 'ALLOWED' : 'DENIED'}`;
  if (v.special === 'loopback') return `${head}\n  a pod can always reach itself (Kubernetes cannot block loopback traffic)`;
  return [head, `  ${describeSide(v.from, v.egress)}`, `  ${describeSide(v.to, v.ingress)}`].join('\n');
}

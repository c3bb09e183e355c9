/** Verdicts and intent results in words, for synth errors, `netproof explain` and `netproof verify`. */
import { IntentResult } from '../intents/check';
import { LintFinding } from '../lint/lint';
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

/** Pod ids are `namespace/name`; external names never contain "/". */
function isExternal(id: string): boolean {
  return !id.includes('/');
}

function describeSide(endpoint: string, side: SideVerdict): string {
  const what = `${side.direction} of ${endpoint}`;
  if (isExternal(endpoint)) return `${what}: an external endpoint, which no NetworkPolicy constrains`;
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

/**
 * The report of an intent check, in the order the intents were stated: ✓ or ✗ and the intent (after its
 * label, when one is given and differs), each violation with its counterexamples, then a summary line.
 */
export function formatIntentResults(results: readonly IntentResult[], labels?: readonly string[]): string {
  const lines: string[] = [];
  results.forEach((r, i) => {
    const label = labels?.[i] !== undefined && labels[i] !== r.text ? `${labels[i]}: ${r.text}` : r.text;
    lines.push(`${r.holds ? '✓' : '✗'} ${label}`);
    if (r.holds) return;
    if (r.problem) lines.push(`  ${r.problem}`);
    if (r.violations > 0) lines.push(`  ${r.violations} of ${r.checked} checked pairs contradict it${r.counterexamples.length < r.violations ? `; the first ${r.counterexamples.length}` : ''}:`);
    for (const v of r.counterexamples) lines.push(...formatVerdict(v).split('\n').map((l) => `    ${l}`));
  });
  const failed = results.filter((r) => !r.holds).length;
  lines.push(`${results.length - failed} of ${results.length} intents hold${failed ? `, ${failed} violated` : ''}`);
  return lines.join('\n');
}

/** Lint findings, one line each: `warning NP005 egress-deny-without-dns shop/api: ...`. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.severity} ${f.id} ${f.name} ${f.subject}: ${f.message}`).join('\n');
}

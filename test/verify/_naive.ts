/**
 * A deliberately simple reference evaluator, used only by tests: every pair, every policy, every rule,
 * straight from the normative text, with its own label, CIDR, port and FQDN matching. No classes,
 * no bitsets, no caches. Slow on purpose.
 */
import { parseCidr, parseIp } from '../../src/model/cidr';
import { ClusterModel, Dataplane, PodModel } from '../../src/model/cluster';
import { ClusterNetworkPolicyModel, CnpPeerModel, CnpRuleModel, PolicyModel } from '../../src/model/policy';
import { PortModel, Protocol } from '../../src/model/port';
import { LabelSelectorModel, Labels } from '../../src/model/selector';

export type NaiveEndpoint = { kind: 'pod'; pod: PodModel } | { kind: 'external'; name: string; ip: string; hostname?: string };

export interface NaiveSide {
  /** With ClusterNetworkPolicies: who decided (`Admin:cnp/name|rule`, `NetworkPolicy`, `Baseline:...`, `default`). */
  decidedBy?: string;
  isolatedBy: string[];
  /** `policy|ruleIndex|peerIndex|portIndex`, `-` for all. */
  allowedBy: string[];
  allowed: boolean;
}

export interface NaiveVerdict {
  allowed: boolean;
  loopback: boolean;
  egress: NaiveSide;
  ingress: NaiveSide;
}

export interface NaiveFlow { port: number; protocol: Protocol; network: string }

function labelsMatch(sel: LabelSelectorModel, labels: Labels): boolean {
  for (const k of Object.keys(sel.matchLabels)) {
    if (!(k in labels) || labels[k] !== sel.matchLabels[k]) return false;
  }
  for (const e of sel.matchExpressions) {
    const has = hasKey(labels, e.key);
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && !(has && e.values.indexOf(labels[e.key]) >= 0)) return false;
    if (e.operator === 'NotIn' && has && e.values.indexOf(labels[e.key]) >= 0) return false;
  }
  return true;
}
function hasKey(labels: Labels, key: string): boolean {
  return Object.keys(labels).indexOf(key) >= 0;
}

function bits(ip: string): string {
  const r = parseIp(ip);
  if (!r.ok) throw new Error(`bad ip ${ip}`);
  const width = r.value.family === 4 ? 32 : 128;
  return `${r.value.family}:${r.value.value.toString(2).padStart(width, '0')}`;
}
function sameFamily(ip: string, cidr: string): boolean {
  return (ip.indexOf(':') >= 0) === (cidr.indexOf(':') >= 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  if (!c.ok) throw new Error(`bad cidr ${cidr}`);
  const width = c.value.family === 4 ? 32 : 128;
  const net = `${c.value.family}:${c.value.network.toString(2).padStart(width, '0')}`;
  const b = bits(ip);
  return b.slice(0, 2 + c.value.prefix) === net.slice(0, 2 + c.value.prefix);
}

function glob(pattern: string, host: string): boolean {
  if (pattern === '') return host === '';
  if (pattern[0] === '*') {
    for (let n = 1; n <= host.length; n++) {
      if (host.slice(0, n).includes('.')) break;
      if (glob(pattern.slice(1), host.slice(n))) return true;
    }
    return false;
  }
  return host.length > 0 && host[0] === pattern[0] && glob(pattern.slice(1), host.slice(1));
}
function trimDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, s.length - 1) : s;
}

export function naiveExplain(policies: readonly PolicyModel[], cluster: ClusterModel, dataplane: Dataplane,
  from: NaiveEndpoint, to: NaiveEndpoint, flow: NaiveFlow): NaiveVerdict {
  const nsLabels = (ns: string): Labels => ({ ...(cluster.namespaces[ns] ?? {}), 'kubernetes.io/metadata.name': ns });

  const portOk = (p: PortModel, dest: NaiveEndpoint): boolean => {
    if (p.protocol !== flow.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') {
      const last = p.endPort === undefined ? p.port : p.endPort;
      return flow.port >= p.port && flow.port <= last;
    }
    if (dest.kind !== 'pod') return false;
    return dest.pod.ports.some((cp) => cp.name === p.port && cp.protocol === flow.protocol && cp.port === flow.port);
  };

  const otherIp = (e: NaiveEndpoint): string | undefined => (e.kind === 'external' ? e.ip : e.pod.ip);
  const cnpPeerOk = (peer: CnpPeerModel, action: string, other: NaiveEndpoint): boolean => {
    if (peer.kind === 'unknown') return action !== 'Accept';
    if (peer.kind === 'pods') {
      if (other.kind !== 'pod') return false;
      return labelsMatch(peer.namespaces, nsLabels(other.pod.namespace)) && (peer.pods === undefined || labelsMatch(peer.pods, other.pod.labels));
    }
    if (peer.kind === 'networks') {
      const ip = otherIp(other);
      return ip !== undefined && peer.cidrs.some((c) => sameFamily(ip, c) && inCidr(ip, c));
    }
    if (other.kind !== 'external') return false;
    if (peer.kind === 'nodes') {
      return (cluster.nodes ?? []).some((n) => labelsMatch(peer.selector, n.labels) && n.ips.some((ip) => bits(ip) === bits(other.ip)));
    }
    if (other.hostname === undefined) return false;
    const host = trimDot(other.hostname.toLowerCase());
    return peer.names.some((n) => {
      const want = trimDot(n.toLowerCase());
      if (!want.startsWith('*.')) return want === host;
      const suffix = want.slice(1);
      return host.length > suffix.length && host.slice(host.length - suffix.length) === suffix;
    });
  };
  const cnpPortOk = (rule: CnpRuleModel, dest: NaiveEndpoint): boolean => {
    if (rule.protocols === 'all') return true;
    return rule.protocols.some((e) => {
      if ('namedPort' in e) return dest.kind === 'pod' && dest.pod.ports.some((cp) => cp.name === e.namedPort && cp.protocol === flow.protocol && cp.port === flow.port);
      if (e.protocol !== flow.protocol) return false;
      return e.port === undefined || (flow.port >= e.port && flow.port <= (e.endPort === undefined ? e.port : e.endPort));
    });
  };
  const cnps = policies.filter((p): p is ClusterNetworkPolicyModel => p.kind === 'ClusterNetworkPolicy');
  /** A tier's first matching rule for the side: policies by priority then name, rules in order. */
  const firstMatch = (tier: string, dir: 'ingress' | 'egress', subject: PodModel, other: NaiveEndpoint, dest: NaiveEndpoint) => {
    const list = cnps.filter((p) => p.tier === tier).sort((a, b) => (a.priority !== b.priority ? a.priority - b.priority : a.name < b.name ? -1 : 1));
    for (const p of list) {
      const inSubject = labelsMatch(p.subject.namespaces, nsLabels(subject.namespace))
        && (p.subject.pods === undefined || labelsMatch(p.subject.pods, subject.labels));
      if (!inSubject) continue;
      const rules = dir === 'ingress' ? p.ingress : p.egress;
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r];
        if (!cnpPortOk(rule, dest)) continue;
        if (!rule.peers.some((peer) => cnpPeerOk(peer, rule.action, other))) continue;
        return { action: rule.action, text: `${tier}:cnp/${p.name}|${r}` };
      }
    }
    return undefined;
  };

  const side = (dir: 'ingress' | 'egress', subject: PodModel, other: NaiveEndpoint, dest: NaiveEndpoint): NaiveSide => {
    const np = npSide(dir, subject, other, dest);
    if (cnps.length === 0) return np;
    const admin = firstMatch('Admin', dir, subject, other, dest);
    if (admin !== undefined && admin.action !== 'Pass') return { ...np, allowed: admin.action === 'Accept', decidedBy: admin.text };
    if (np.isolatedBy.length > 0) return { ...np, decidedBy: 'NetworkPolicy' };
    const baseline = firstMatch('Baseline', dir, subject, other, dest);
    if (baseline !== undefined && baseline.action !== 'Pass') return { ...np, allowed: baseline.action === 'Accept', decidedBy: baseline.text };
    return { ...np, allowed: true, decidedBy: 'default' };
  };

  const npSide = (dir: 'ingress' | 'egress', subject: PodModel, other: NaiveEndpoint, dest: NaiveEndpoint): NaiveSide => {
    const out: NaiveSide = { isolatedBy: [], allowedBy: [], allowed: true };
    for (const pol of policies) {
      if (pol.kind === 'ClusterNetworkPolicy') continue;
      if (pol.namespace !== subject.namespace) continue;
      if (!labelsMatch(pol.podSelector, subject.labels)) continue;
      const name = `${pol.kind}:${pol.namespace}/${pol.name}`;
      if (pol.kind === 'FQDNNetworkPolicy') {
        if (dir === 'ingress') continue;
        out.isolatedBy.push(name);
        for (let r = 0; r < pol.egress.length; r++) {
          const rule = pol.egress[r];
          for (let m = 0; m < rule.matches.length; m++) {
            if (other.kind !== 'external' || other.hostname === undefined) continue;
            const host = trimDot(other.hostname.toLowerCase());
            const mm = rule.matches[m];
            const hit = mm.name !== undefined ? trimDot(mm.name.toLowerCase()) === host
              : mm.pattern !== undefined && glob(trimDot(mm.pattern.toLowerCase()), host);
            if (!hit) continue;
            if (rule.ports === 'all') out.allowedBy.push(`${name}|${r}|${m}|-`);
            else rule.ports.forEach((p, pi) => { if (portOk(p, dest)) out.allowedBy.push(`${name}|${r}|${m}|${pi}`); });
          }
        }
        continue;
      }
      if (pol.network !== undefined && pol.network !== flow.network) continue;
      const type = dir === 'ingress' ? 'Ingress' : 'Egress';
      if (pol.policyTypes.indexOf(type) < 0) continue;
      out.isolatedBy.push(name);
      const rules = dir === 'ingress' ? pol.ingress : pol.egress;
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r];
        const peerHits: string[] = [];
        if (rule.peers === 'all') {
          peerHits.push('-');
        } else {
          for (let pi = 0; pi < rule.peers.length; pi++) {
            const peer = rule.peers[pi];
            let hit = false;
            if (peer.kind === 'ipBlock') {
              const ip = other.kind === 'external' ? other.ip : dataplane === 'dataplane-v2' ? undefined : other.pod.ip;
              hit = ip !== undefined && inCidr(ip, peer.cidr) && !peer.except.some((e) => inCidr(ip, e));
            } else if (other.kind === 'pod') {
              const nsOk = peer.namespaces.kind === 'own' ? other.pod.namespace === pol.namespace
                : labelsMatch(peer.namespaces.selector, nsLabels(other.pod.namespace));
              hit = nsOk && labelsMatch(peer.pods, other.pod.labels);
            }
            if (hit) peerHits.push(String(pi));
          }
        }
        for (const ph of peerHits) {
          if (rule.ports === 'all') out.allowedBy.push(`${name}|${r}|${ph}|-`);
          else rule.ports.forEach((p, pi) => { if (portOk(p, dest)) out.allowedBy.push(`${name}|${r}|${ph}|${pi}`); });
        }
      }
    }
    out.allowed = out.isolatedBy.length === 0 || out.allowedBy.length > 0;
    return out;
  };

  const free: NaiveSide = { isolatedBy: [], allowedBy: [], allowed: true };
  const egress = from.kind === 'pod' ? side('egress', from.pod, to, to) : free;
  const ingress = to.kind === 'pod' ? side('ingress', to.pod, from, to) : free;
  const loopback = from.kind === 'pod' && to.kind === 'pod' && from.pod === to.pod;
  return { allowed: loopback || (egress.allowed && ingress.allowed), loopback, egress, ingress };
}

/**
 * A deliberately simple reference evaluator, used only by tests: every pair, every policy, every rule,
 * straight from the normative text, with its own label, CIDR, port and FQDN matching. No classes,
 * no bitsets, no caches. Slow on purpose.
 */
import { parseCidr, parseIp } from '../../src/model/cidr';
import { ClusterModel, Dataplane, PodModel } from '../../src/model/cluster';
import { PolicyModel } from '../../src/model/policy';
import { PortModel, Protocol } from '../../src/model/port';
import { LabelSelectorModel, Labels } from '../../src/model/selector';

export type NaiveEndpoint = { kind: 'pod'; pod: PodModel } | { kind: 'external'; name: string; ip: string; hostname?: string };

export interface NaiveSide {
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

  const side = (dir: 'ingress' | 'egress', subject: PodModel, other: NaiveEndpoint, dest: NaiveEndpoint): NaiveSide => {
    const out: NaiveSide = { isolatedBy: [], allowedBy: [], allowed: true };
    for (const pol of policies) {
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

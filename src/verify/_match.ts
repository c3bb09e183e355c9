/**
 * The verifier's primitive matchers: one place for peers, ipBlocks, ports and FQDN names, shared by the
 * class-based reachability engine and the per-pair explanation, so both evaluate one semantics.
 */
import { NetproofError } from '../errors';
import { VerifyMessages } from './messages';
import { cidrContainsIp, IpFamily, parseCidr, parseIp, ParsedCidr } from '../model/cidr';
import { ContainerPortModel, Dataplane } from '../model/cluster';
import { CnpRuleModel, FqdnMatchModel, IpBlockPeerModel } from '../model/policy';
import { Protocol, PortModel } from '../model/port';

export interface ParsedIp {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** An ipBlock as numbers: `cidr` minus every `except`. */
export interface IpBlock {
  readonly cidr: ParsedCidr;
  readonly except: readonly ParsedCidr[];
}

export function parseIpOrThrow(ip: string, where: string, message: (ip: string, reason: string) => string): ParsedIp {
  const parsed = parseIp(ip);
  if (!parsed.ok) throw new NetproofError(where, message(ip, parsed.reason), 'ip');
  return parsed.value;
}

export function parseIpBlock(peer: IpBlockPeerModel, where: string): IpBlock {
  const parse = (text: string, field: string): ParsedCidr => {
    const r = parseCidr(text);
    if (!r.ok) throw new NetproofError(where, VerifyMessages.badCidr(text, r.reason), field);
    return r.value;
  };
  return { cidr: parse(peer.cidr, 'ipBlock.cidr'), except: peer.except.map((e) => parse(e, 'ipBlock.except')) };
}

/** Is the address inside the block's CIDR and outside all of its excepts? */
export function ipBlockContains(block: IpBlock, ip: ParsedIp | undefined): boolean {
  if (ip === undefined || !cidrContainsIp(block.cidr, ip.family, ip.value)) return false;
  for (const e of block.except) if (cidrContainsIp(e, ip.family, ip.value)) return false;
  return true;
}

/** Does an ipBlock apply to pod traffic under this dataplane? (Dataplane V2: never.) */
export function ipBlockMatchesPods(dataplane: Dataplane): boolean {
  return dataplane !== 'dataplane-v2';
}

/**
 * How one port entry of a rule treats a flow: `true` (it admits the flow's port and protocol), `false`, or
 * the name of a container port, which admits the flow only towards a destination pod whose port of that
 * name (and protocol) has the flow's number (never a non-pod destination). The one port matcher: the
 * class engine and the per-pair explanation both ask it.
 */
export function portEntryEffect(entry: PortModel, port: number, protocol: Protocol): boolean | string {
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') return port >= entry.port && port <= (entry.endPort ?? entry.port);
  return entry.port;
}

/** What a rule's ports (`all`, or entries) do to a flow: admit it outright, or only towards pods with one of `names`. */
export interface PortEffect {
  readonly all: boolean;
  readonly names: readonly string[];
}

export const ADMITS_ALL: PortEffect = Object.freeze({ all: true, names: Object.freeze([]) as readonly string[] });
export const ADMITS_NONE: PortEffect = Object.freeze({ all: false, names: Object.freeze([]) as readonly string[] });

export function portEffect(ports: 'all' | readonly PortModel[], port: number, protocol: Protocol): PortEffect {
  if (ports === 'all') return ADMITS_ALL;
  const names: string[] = [];
  for (const e of ports) {
    const effect = portEntryEffect(e, port, protocol);
    if (effect === true) return ADMITS_ALL;
    if (typeof effect === 'string') names.push(effect);
  }
  return names.length === 0 ? ADMITS_NONE : { all: false, names };
}

/** Does a port entry admit the flow towards a destination with these container ports (undefined: not a pod)? */
export function portEntryMatches(entry: PortModel, port: number, protocol: Protocol, destPorts: readonly ContainerPortModel[] | undefined): boolean {
  const effect = portEntryEffect(entry, port, protocol);
  if (typeof effect !== 'string') return effect;
  return destPorts !== undefined && namedPortIs(destPorts, effect, port, protocol);
}

/** Does the container port named `name` (with this protocol) have the number `port`? */
export function namedPortIs(ports: readonly ContainerPortModel[], name: string, port: number, protocol: Protocol): boolean {
  for (const cp of ports) {
    if (cp.name === name && cp.protocol === protocol && cp.port === port) return true;
  }
  return false;
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

const patternCache = new Map<string, RegExp>();

/**
 * FQDNNetworkPolicy matching. `name`: exact, case-insensitive, a trailing dot ignored. `pattern`: the
 * same, where each `*` stands for one or more characters inside one DNS label (never a dot), so
 * `*.example.com` matches `api.example.com` but neither `example.com` nor `a.b.example.com`.
 */
export function fqdnMatches(match: FqdnMatchModel, hostname: string | undefined): boolean {
  if (hostname === undefined) return false;
  const host = normalizeHost(hostname);
  if (match.name !== undefined) return normalizeHost(match.name) === host;
  if (match.pattern === undefined) return false;
  const pattern = normalizeHost(match.pattern);
  let re = patternCache.get(pattern);
  if (re === undefined) {
    const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('[^.]+');
    re = new RegExp(`^${body}$`);
    patternCache.set(pattern, re);
  }
  return re.test(host);
}

/** What the FQDN match entry is, for reports. */
export function fqdnMatchText(match: FqdnMatchModel): string {
  return match.name ?? match.pattern ?? '';
}

/**
 * How a ClusterNetworkPolicy rule's `protocols` treat a flow (the one matcher for the engine, explain and
 * the proofs): all (`protocols` absent, or an entry of the flow's protocol whose port or range holds the
 * flow's port), or only towards destination pods whose container port of one of `names` has the flow's
 * number and protocol.
 */
export function cnpPortEffect(protocols: CnpRuleModel['protocols'], port: number, protocol: Protocol): PortEffect {
  if (protocols === 'all') return ADMITS_ALL;
  const names: string[] = [];
  for (const e of protocols) {
    if ('namedPort' in e) {
      names.push(e.namedPort);
      continue;
    }
    if (e.protocol !== protocol) continue;
    if (e.port === undefined || (port >= e.port && port <= (e.endPort ?? e.port))) return ADMITS_ALL;
  }
  return names.length === 0 ? ADMITS_NONE : { all: false, names };
}

/** Does the effect admit the flow towards a destination with these container ports (undefined: not a pod)? */
export function effectAdmits(effect: PortEffect, destPorts: readonly ContainerPortModel[] | undefined, port: number, protocol: Protocol): boolean {
  if (effect.all) return true;
  return destPorts !== undefined && effect.names.some((n) => namedPortIs(destPorts, n, port, protocol));
}

/**
 * A ClusterNetworkPolicy `domainNames` entry against an external's hostname: exact (case-insensitive, a
 * trailing dot ignored), or `*.suffix`, which matches one or more whole labels before the suffix.
 */
export function cnpDomainMatches(name: string, hostname: string | undefined): boolean {
  if (hostname === undefined) return false;
  const host = normalizeHost(hostname);
  const want = normalizeHost(name);
  if (!want.startsWith('*.')) return host === want;
  const suffix = want.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length;
}

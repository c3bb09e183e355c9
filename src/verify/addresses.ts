/**
 * The address space as the policies see it. ipBlock matching is the only way an address matters, so the
 * space (IPv4 and IPv6) splits into intervals at every ipBlock and except boundary, at the edges of the
 * Pod and Service ranges and of the private and special ranges; within one interval every address
 * answers every ipBlock alike, as every port of one port interval does. Two uses, one partition:
 * - addresses outside the model: one representative external per interval outside the Pod and Service
 *   ranges, so "nothing reaches the internet" holds for every address an ipBlock could admit;
 * - the IPs a pod that could exist may have: the intervals inside the Pod ranges (every interval when
 *   none is known), as long as an address of it is free.
 */
import { cidrContainsIp, familyBits, formatIp, IpFamily, parseCidr, ParsedCidr, parseIp } from '../model/cidr';
import { ClusterModel, ExternalModel } from '../model/cluster';
import { PolicyModel } from '../model/policy';

/** Representatives of public address space are named `internet@<ip>`; of private or special space `address@<ip>`. */
export const INTERNET_PREFIX = 'internet@';
export const ADDRESS_PREFIX = 'address@';

const NOT_PUBLIC: Record<IpFamily, readonly string[]> = {
  4: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
    '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'],
  6: ['::/3', '4000::/2', '8000::/1'], // everything outside 2000::/3 (global unicast)
};

function cidrs(list: readonly string[]): ParsedCidr[] {
  return list.map((c) => parseCidr(c)).flatMap((r) => (r.ok ? [r.value] : []));
}

/** One interval of one family: every address `start <= a < end`. */
export interface AddressInterval {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
  /** Outside every private and special range. */
  readonly isPublic: boolean;
  /** Inside a Pod range (every interval, when no Pod range is known). */
  readonly inPods: boolean;
  /** Inside a Service range. */
  readonly inServices: boolean;
}

/** Every CIDR that splits the address space: ipBlock CIDRs and excepts, and ClusterNetworkPolicy networks. */
export function ipBlockCidrs(policies: readonly PolicyModel[]): ParsedCidr[] {
  const out: ParsedCidr[] = [];
  for (const p of policies) {
    if (p.kind === 'ClusterNetworkPolicy') {
      for (const rule of p.egress) for (const peer of rule.peers) if (peer.kind === 'networks') for (const c of cidrs(peer.cidrs)) out.push(c);
      continue;
    }
    if (p.kind !== 'NetworkPolicy') continue;
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) if (peer.kind === 'ipBlock') for (const c of cidrs([peer.cidr, ...peer.except])) out.push(c);
    }
  }
  return out;
}

/** The partition of the address space, sorted by family then address. */
export class AddressSpace {
  public readonly intervals: readonly AddressInterval[];
  private readonly podRanges: readonly ParsedCidr[];

  /**
   * @param blocks the CIDRs that split the space (ipBlocks and excepts)
   * @param podCidrs the Pod ranges (empty: unknown, pods may have any address)
   * @param serviceCidrs the Service ranges
   */
  constructor(blocks: readonly ParsedCidr[], podCidrs: readonly string[], serviceCidrs: readonly string[]) {
    const pods = cidrs(podCidrs);
    const services = cidrs(serviceCidrs);
    this.podRanges = pods;
    const intervals: AddressInterval[] = [];
    for (const family of [4, 6] as const) {
      const notPublic = cidrs(NOT_PUBLIC[family]);
      const end = 1n << BigInt(familyBits(family));
      const bounds = new Set<bigint>([0n, end]);
      for (const b of [...blocks, ...notPublic, ...pods, ...services]) {
        if (b.family !== family) continue;
        bounds.add(b.network);
        bounds.add(b.network + (1n << BigInt(familyBits(family) - b.prefix)));
      }
      const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 0; i + 1 < sorted.length; i++) {
        const start = sorted[i];
        const inside = (list: readonly ParsedCidr[]) => list.some((c) => cidrContainsIp(c, family, start));
        intervals.push({
          family,
          start,
          end: sorted[i + 1],
          isPublic: !inside(notPublic),
          inPods: pods.length === 0 || inside(pods),
          inServices: inside(services),
        });
      }
    }
    this.intervals = intervals;
  }

  /** Are the Pod ranges known? */
  public get podRangesKnown(): boolean {
    return this.podRanges.length > 0;
  }

  /** The interval holding an address. */
  public indexOf(family: IpFamily, value: bigint): number {
    let lo = 0;
    let hi = this.intervals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const iv = this.intervals[mid];
      if (iv.family < family || (iv.family === family && iv.start <= value)) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The intervals inside `cidr` minus every `except` (exact: the partition splits at their edges). */
  public blockIntervals(cidr: ParsedCidr, except: readonly ParsedCidr[]): number[] {
    const out: number[] = [];
    this.intervals.forEach((iv, i) => {
      if (iv.family !== cidr.family || !cidrContainsIp(cidr, iv.family, iv.start)) return;
      if (except.some((e) => cidrContainsIp(e, iv.family, iv.start))) return;
      out.push(i);
    });
    return out;
  }

  /** An address of interval `i` none of `taken` has, preferring its first; undefined when every address is taken. */
  public freeAddress(i: number, taken: ReadonlySet<string>): string | undefined {
    const iv = this.intervals[i];
    for (let a = iv.start, n = 0; a < iv.end && n < 1024; a++, n++) {
      const text = formatIp(iv.family, a);
      if (!taken.has(text)) return text;
    }
    return undefined;
  }
}

/** Addresses of the pods, externals and nodes of a cluster, canonical. */
export function takenAddresses(cluster: ClusterModel): Set<string> {
  const taken = new Set<string>();
  const ips = [...cluster.externals, ...cluster.pods].map((e) => e.ip).concat((cluster.nodes ?? []).flatMap((n) => n.ips));
  for (const text of ips) {
    const ip = text === undefined ? undefined : parseIp(text);
    if (ip?.ok) taken.add(formatIp(ip.value.family, ip.value.value));
  }
  return taken;
}

/**
 * The cluster plus one external per interval of address space outside the Pod and Service ranges, at an
 * address no pod or declared external has (a declared external stands for its own address only, never
 * for its interval). `excluded` ranges (the Pod and Service ranges, whose addresses are pods and
 * services, not hosts) get no representative.
 */
export function withAddressRepresentatives(cluster: ClusterModel, policies: readonly PolicyModel[], excluded: readonly string[] = []): ClusterModel {
  const space = new AddressSpace(ipBlockCidrs(policies), [], excluded);
  const excludedBlocks = cidrs(excluded);
  const taken = takenAddresses(cluster);
  const extra: ExternalModel[] = [];
  space.intervals.forEach((iv, i) => {
    if (excludedBlocks.some((b) => cidrContainsIp(b, iv.family, iv.start))) return;
    const ip = space.freeAddress(i, taken);
    if (ip === undefined) return; // every address of it is a declared endpoint, which stands for it
    extra.push({ name: `${iv.isPublic ? INTERNET_PREFIX : ADDRESS_PREFIX}${ip}`, ip });
  });
  return extra.length === 0 ? cluster : { ...cluster, externals: [...cluster.externals, ...extra] };
}

/** Is this external the internet (the modelled `internet` endpoint, or a public-address representative)? */
export function isInternet(e: ExternalModel): boolean {
  return e.name === 'internet' || e.name.startsWith(INTERNET_PREFIX);
}

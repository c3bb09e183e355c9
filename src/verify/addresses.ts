/**
 * Addresses outside the model. Intents such as "nothing reaches the internet" or "only payments
 * reaches the ledger" must hold for every address an ipBlock could admit, not only for the externals
 * someone declared. ipBlock matching is the only way an address matters, so the address space splits
 * into intervals at every ipBlock and except boundary (and at the edges of the private and special
 * ranges); one representative address per interval stands for all of it, as one port per interval does.
 */
import { cidrContainsIp, IpFamily, parseCidr, ParsedCidr, parseIp, formatIp, familyBits } from '../model/cidr';
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

/**
 * The cluster plus one external per interval of address space that no existing endpoint already stands
 * for. `excluded` ranges (the Pod and Service ranges, whose addresses are pods and services, not hosts)
 * get no representative.
 */
export function withAddressRepresentatives(cluster: ClusterModel, policies: readonly PolicyModel[], excluded: readonly string[] = []): ClusterModel {
  const blocks: ParsedCidr[] = [];
  for (const p of policies) {
    if (p.kind !== 'NetworkPolicy') continue;
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) if (peer.kind === 'ipBlock') blocks.push(...cidrs([peer.cidr, ...peer.except]));
    }
  }
  const excludedBlocks = cidrs(excluded);
  const taken: { family: IpFamily; value: bigint }[] = [];
  for (const e of [...cluster.externals, ...cluster.pods]) {
    const ip = e.ip === undefined ? undefined : parseIp(e.ip);
    if (ip?.ok) taken.push(ip.value);
  }
  const extra: ExternalModel[] = [];
  for (const family of [4, 6] as const) {
    const notPublic = cidrs(NOT_PUBLIC[family]);
    const end = 1n << BigInt(familyBits(family));
    const bounds = new Set<bigint>([0n, end]);
    for (const b of [...blocks, ...notPublic, ...excludedBlocks]) {
      if (b.family !== family) continue;
      bounds.add(b.network);
      bounds.add(b.network + (1n << BigInt(familyBits(family) - b.prefix)));
    }
    const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const [start, stop] = [sorted[i], sorted[i + 1]];
      const inside = (ip: { family: IpFamily; value: bigint }) => ip.family === family && ip.value >= start && ip.value < stop;
      if (excludedBlocks.some((b) => cidrContainsIp(b, family, start))) continue;
      if (taken.some(inside)) continue; // an existing endpoint already stands for this interval
      const isPublic = !notPublic.some((b) => cidrContainsIp(b, family, start));
      const ip = formatIp(family, start);
      extra.push({ name: `${isPublic ? INTERNET_PREFIX : ADDRESS_PREFIX}${ip}`, ip });
    }
  }
  return extra.length === 0 ? cluster : { ...cluster, externals: [...cluster.externals, ...extra] };
}

/** Is this external the internet (the modelled `internet` endpoint, or a public-address representative)? */
export function isInternet(e: ExternalModel): boolean {
  return e.name === 'internet' || e.name.startsWith(INTERNET_PREFIX);
}

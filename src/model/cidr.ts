/**
 * Real IP and CIDR parsing (IPv4 dotted quads, IPv6 with `::` compression and embedded IPv4),
 * as numbers, so that containment and overlap are arithmetic rather than string games.
 */

export type IpFamily = 4 | 6;

export interface ParsedCidr {
  readonly family: IpFamily;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
  /** True when the text had host bits set (e.g. `10.0.0.1/8`). */
  readonly hostBitsSet: boolean;
  /** Canonical text: network address and prefix, IPv6 in RFC 5952 form. */
  readonly canonical: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function familyBits(family: IpFamily): number {
  return BITS[family];
}

/** Parses an IP address; the reason says exactly what is wrong. */
export function parseIp(text: string): ParseResult<{ family: IpFamily; value: bigint }> {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return typeof v6 === 'string' ? { ok: false, reason: v6 } : { ok: true, value: { family: 6, value: v6 } };
  }
  const v4 = parseIpv4(text);
  return typeof v4 === 'string' ? { ok: false, reason: v4 } : { ok: true, value: { family: 4, value: v4 } };
}

function parseIpv4(text: string): bigint | string {
  const fast = ipv4Number(text);
  if (fast >= 0) return BigInt(fast);
  const parts = text.split('.');
  if (parts.length !== 4) return `an IPv4 address has 4 dot-separated octets, got ${parts.length}`;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return `octet "${part}" is not a decimal number of 1 to 3 digits`;
    if (part.length > 1 && part.startsWith('0')) return `octet "${part}" has a leading zero (ambiguous octal form)`;
    const n = Number(part);
    if (n > 255) return `octet ${n} is greater than 255`;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** Is the text an IPv4 address in its canonical form (four decimal octets, no leading zeros)? */
export function isCanonicalIpv4(text: string): boolean {
  return ipv4Number(text) >= 0;
}

/**
 * A well-formed dotted quad as a number (one pass, no allocation), or -1 for anything else, which the
 * full parser then reads and explains.
 */
function ipv4Number(text: string): number {
  let value = 0;
  let octets = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = i;
    let octet = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
    value = value * 256 + octet;
    octets++;
    if (i === n) break;
    if (text.charCodeAt(i) !== 46 || octets === 4) return -1;
    i++;
    if (i === n) return -1;
  }
  return octets === 4 ? value : -1;
}

function parseIpv6(text: string): bigint | string {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return 'an IPv6 address has only hex digits, ":" and an optional trailing IPv4 part';
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear only once';
  // An embedded IPv4 part may only end the whole address (`::ffff:10.1.2.3`), never precede "::".
  const parseGroups = (s: string, endsAddress: boolean): number[] | string => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (g.includes('.') && !(endsAddress && i === groups.length - 1)) return `embedded IPv4 part "${g}" may only end the address, e.g. "::ffff:10.1.2.3"`;
      if (g.includes('.')) {
        const v4 = parseIpv4(g);
        if (typeof v4 === 'string') return `embedded IPv4 part "${g}": ${v4}`;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return `group "${g}" is not 1 to 4 hex digits`;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0], halves.length === 1);
  if (typeof head === 'string') return head;
  let groups: number[];
  if (halves.length === 2) {
    const tail = parseGroups(halves[1], true);
    if (typeof tail === 'string') return tail;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return 'too many groups around "::"';
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
    if (groups.length !== 8) return `an IPv6 address without "::" has 8 groups, got ${groups.length}`;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/** Parses `address/prefix`. Host bits are allowed here (the API server allows them) and reported. */
export function parseCidr(text: string): ParseResult<ParsedCidr> {
  if (typeof text !== 'string') return { ok: false, reason: 'a CIDR is a string such as "10.0.0.0/8"' };
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'a CIDR needs a prefix length after "/", e.g. "10.0.0.0/8" or "10.0.0.1/32"' };
  const ip = parseIp(text.slice(0, slash));
  if (!ip.ok) return ip;
  const prefixText = text.slice(slash + 1);
  const bits = BITS[ip.value.family];
  if (!/^[0-9]{1,3}$/.test(prefixText) || (prefixText.length > 1 && prefixText.startsWith('0'))) {
    return { ok: false, reason: `prefix length "${prefixText}" is not a decimal number` };
  }
  const prefix = Number(prefixText);
  if (prefix > bits) return { ok: false, reason: `prefix length ${prefix} is greater than ${bits} for IPv${ip.value.family}` };
  const mask = prefixMask(ip.value.family, prefix);
  const network = ip.value.value & mask;
  return {
    ok: true,
    value: {
      family: ip.value.family,
      network,
      prefix,
      hostBitsSet: network !== ip.value.value,
      canonical: `${formatIp(ip.value.family, network)}/${prefix}`,
    },
  };
}

export function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/**
 * The address that stands for a block: its first usable host (network + 1) when the block holds at least
 * four addresses, else the network address itself (a /32 or /128 is its one host).
 */
export function representativeAddress(cidr: ParsedCidr): string {
  const hostBits = BITS[cidr.family] - cidr.prefix;
  return formatIp(cidr.family, hostBits >= 2 ? cidr.network + 1n : cidr.network);
}

/** Is `inner` inside `outer` (equal counts as inside)? */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return outer.family === inner.family && inner.prefix >= outer.prefix
    && (inner.network & prefixMask(outer.family, outer.prefix)) === outer.network;
}

export function cidrContainsIp(cidr: ParsedCidr, family: IpFamily, ip: bigint): boolean {
  return cidr.family === family && (ip & prefixMask(family, cidr.prefix)) === cidr.network;
}

export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

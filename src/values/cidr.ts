import { Fix, NetproofError } from '../errors';
import { cidrContains, IpFamily, ParsedCidr, parseCidr } from '../model/cidr';

/** A validated IPv4 or IPv6 CIDR block (`Cidr.of('10.0.0.0/8')`). */
export class Cidr {
  /** Parses and validates; host bits must be clear so that what is written is what is matched. */
  public static of(text: string, where = 'Cidr.of'): Cidr {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new NetproofError(where, `invalid CIDR "${text}": ${parsed.reason}. ${Fix.cidr}`);
    if (parsed.value.hostBitsSet) {
      throw new NetproofError(where, `CIDR "${text}" has host bits set. ${Fix.cidrHostBits(parsed.value.canonical)}`);
    }
    return new Cidr(parsed.value);
  }

  /** A single address as /32 or /128. */
  public static host(ip: string, where = 'Cidr.host'): Cidr {
    return Cidr.of(`${ip}/${ip.includes(':') ? 128 : 32}`, where);
  }

  private constructor(public readonly parsed: ParsedCidr) {}

  public get family(): IpFamily { return this.parsed.family; }

  /** Does this block contain `other` (equal counts)? */
  public contains(other: Cidr): boolean { return cidrContains(this.parsed, other.parsed); }

  public toString(): string { return this.parsed.canonical; }
}

/**
 * Every user-facing error of netproof is a NetproofError whose message says where (construct path,
 * or file, document index and field), what is wrong with which value, the expected form and the fix.
 * Message texts live here so tests import them instead of retyping them.
 */

export class NetproofError extends Error {
  /** Construct path, factory name, or `file[document N]`. */
  public readonly where: string;
  /** Field path inside the object, when there is one (e.g. `spec.ingress[0].ports[1].port`). */
  public readonly field?: string;
  /** The problem without location. */
  public readonly reason: string;

  constructor(where: string, reason: string, field?: string) {
    super(`${where}${field ? ` ${field}` : ''}: ${reason}`);
    this.name = 'NetproofError';
    this.where = where;
    this.field = field;
    this.reason = reason;
  }
}

/** Throws a NetproofError when `reason` is defined. */
export function check(reason: string | undefined, where: string, fix: string, field?: string): void {
  if (reason !== undefined) throw new NetproofError(where, `${reason}. ${fix}`, field);
}

export const Fix = {
  port: 'Use a port between 1 and 65535, e.g. 80',
  portRange: 'Give the range as (first, last) with first <= last, both between 1 and 65535',
  portName: 'Use the name of a container port: 1-15 lower case letters, digits and "-", with at least one letter, e.g. "http"',
  cidr: 'Write an address and a prefix length, e.g. "10.0.0.0/8" or "2600:2d00:1:1::/64"',
  cidrHostBits: (canonical: string) => `Clear the host bits: write "${canonical}"`,
  except: 'Each except must be a strictly smaller CIDR of the same family inside the cidr',
  labelKey: 'Use [prefix/]name where name is at most 63 alphanumerics, "-", "_" or ".", e.g. "app" or "example.com/tier"',
  labelValue: 'Use at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric, e.g. "web"',
  dns1123Label: 'Use at most 63 lower case letters, digits and "-", starting and ending with a letter or digit, e.g. "shop"',
  dns1123Subdomain: 'Use lower case letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. "allow-frontend"',
  fqdn: 'Use a DNS name such as "api.example.com" or a pattern such as "*.example.com"',
} as const;

/**
 * Kubernetes syntax rules (apimachinery validation) as pure checks. Each returns `undefined` when the
 * value is valid, or the reason it is not; callers add where the value came from and the fix.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function checkDns1123Label(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > 63) return `must be at most 63 characters, got ${value.length}`;
  if (!DNS1123_LABEL.test(value)) return 'must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character (DNS-1123 label)';
  return undefined;
}

export function checkDns1123Subdomain(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > 253) return `must be at most 253 characters, got ${value.length}`;
  if (!DNS1123_SUBDOMAIN.test(value)) return 'must consist of lower case alphanumeric characters, "-" or ".", and start and end with an alphanumeric character (DNS-1123 subdomain)';
  return undefined;
}

export function checkLabelKey(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'a label key must be a non-empty string';
  const parts = key.split('/');
  if (parts.length > 2) return 'a label key has at most one "/" (optional DNS subdomain prefix, then a name)';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) return 'the prefix before "/" must not be empty';
    const bad = checkDns1123Subdomain(prefix);
    if (bad) return `the prefix "${prefix}" ${bad}`;
  }
  if (name.length === 0) return 'the name part must not be empty';
  if (name.length > 63) return `the name part must be at most 63 characters, got ${name.length}`;
  if (!QUALIFIED_NAME.test(name)) return 'the name part must consist of alphanumeric characters, "-", "_" or ".", and start and end with an alphanumeric character';
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (typeof value !== 'string') return 'a label value must be a string';
  if (value.length === 0) return undefined;
  if (value.length > 63) return `a label value must be at most 63 characters, got ${value.length}`;
  if (!QUALIFIED_NAME.test(value)) return 'a label value must be empty or consist of alphanumeric characters, "-", "_" or ".", and start and end with an alphanumeric character';
  return undefined;
}

/** IANA service name, as Kubernetes requires for named ports (RFC 6335). */
export function checkPortName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a port name must be a non-empty string';
  if (name.length > 15) return `a port name must be at most 15 characters, got ${name.length}`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'a port name may contain only lower case letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'a port name must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-')) return 'a port name must not start or end with "-"';
  if (name.includes('--')) return 'a port name must not contain "--"';
  return undefined;
}

export function checkPortNumber(port: number): string | undefined {
  if (typeof port !== 'number' || !Number.isInteger(port)) return `a port must be a whole number between 1 and 65535, got ${String(port)}`;
  if (port < 1 || port > 65535) return `port must be between 1 and 65535, got ${port}`;
  return undefined;
}

/** FQDN names and wildcard patterns as GKE FQDNNetworkPolicy accepts them. */
export function checkFqdnName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a name must be a non-empty string';
  if (name.length > 255) return `a name must be at most 255 characters, got ${name.length}`;
  const labels = name.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (!/^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/.test(label)) return `label "${label}" is not a DNS label (letters, digits and "-", at most 63 characters)`;
  }
  return undefined;
}

export function checkFqdnPattern(pattern: string): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return 'a pattern must be a non-empty string';
  if (!pattern.includes('*')) return checkFqdnName(pattern);
  const labels = pattern.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (label === '*') continue;
    if (!/^[a-zA-Z0-9*]([-a-zA-Z0-9*]{0,61}[a-zA-Z0-9*])?$/.test(label)) return `label "${label}" is not a DNS label or "*"`;
  }
  return undefined;
}

/**
 * A ClusterNetworkPolicy `domainNames` entry, as the CRD's pattern admits it: DNS labels of letters,
 * digits, "-" and "_" (not first or last), optionally prefixed by "*." (one or more whole labels), at
 * least two labels, an optional trailing dot.
 */
export function checkCnpDomainName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a domain name must be a non-empty string';
  if (name.length > 253) return `a domain name must be at most 253 characters, got ${name.length}`;
  if (!/^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/.test(name)) {
    return 'must be a domain name of at least two labels (letters, digits, "-" and "_"), with "*." only as a prefix';
  }
  return undefined;
}

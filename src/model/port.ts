/** Ports and protocols as data, with the Kubernetes defaults made explicit. */
import { compareStrings } from './selector';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/**
 * One entry of a rule's `ports`. `port` absent means every port of the protocol; a string is a named
 * port resolved on the destination pod's container ports; `endPort` makes `port..endPort` a range.
 */
export interface PortModel {
  readonly protocol: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

export function describePort(p: PortModel): string {
  if (p.port === undefined) return `${p.protocol} all ports`;
  if (p.endPort !== undefined) return `${p.protocol} ${p.port}-${p.endPort}`;
  return typeof p.port === 'string' ? `${p.protocol} port named ${p.port}` : `${p.protocol} ${p.port}`;
}

export function portKey(p: PortModel): string {
  // Sorts by protocol, then numeric ports before named ones, numerically.
  const port = p.port === undefined ? '0' : typeof p.port === 'number' ? `1${String(p.port).padStart(5, '0')}` : `2${p.port}`;
  return `${p.protocol}|${port}|${p.endPort === undefined ? '' : String(p.endPort).padStart(5, '0')}`;
}

/** Sorted, de-duplicated ports; an "all ports of protocol P" entry absorbs the other entries of P. */
export function canonicalPorts(ports: 'all' | readonly PortModel[]): 'all' | readonly PortModel[] {
  if (ports === 'all' || ports.length === 0) return 'all';
  const wholeProtocols = new Set(ports.filter((p) => p.port === undefined).map((p) => p.protocol));
  const byKey = new Map<string, PortModel>();
  for (const p of ports) {
    if (p.port !== undefined && wholeProtocols.has(p.protocol)) continue;
    const clean: PortModel = p.port === undefined ? { protocol: p.protocol }
      : p.endPort === undefined || p.endPort === p.port ? { protocol: p.protocol, port: p.port }
        : { protocol: p.protocol, port: p.port, endPort: p.endPort };
    byKey.set(portKey(clean), clean);
  }
  return [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k)!);
}

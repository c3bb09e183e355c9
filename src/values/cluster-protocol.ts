import { ClusterFix, NetproofError } from '../errors';
import { CnpProtocolModel } from '../model/policy';
import { Protocol } from '../model/port';
import { checkPortNumber } from '../model/validate';
import { cnpProtocolProblems } from '../model/validate-cnp';

/**
 * One `protocols` entry of a ClusterNetworkPolicy rule: a protocol with a port or a range, or a
 * destination container port by name. `ClusterProtocol.tcp(443)`, `ClusterProtocol.udpRange(30000, 32767)`,
 * `ClusterProtocol.allTcp()`, `ClusterProtocol.namedPort('http')`.
 */
export class ClusterProtocol {
  public static readonly DNS_UDP = ClusterProtocol.udp(53);
  public static readonly DNS_TCP = ClusterProtocol.tcp(53);
  public static readonly HTTP = ClusterProtocol.tcp(80);
  public static readonly HTTPS = ClusterProtocol.tcp(443);

  public static tcp(port: number): ClusterProtocol { return ClusterProtocol.range('TCP', port, port, 'ClusterProtocol.tcp'); }
  public static udp(port: number): ClusterProtocol { return ClusterProtocol.range('UDP', port, port, 'ClusterProtocol.udp'); }
  public static sctp(port: number): ClusterProtocol { return ClusterProtocol.range('SCTP', port, port, 'ClusterProtocol.sctp'); }

  /** Ports `first` to `last`, both included (`first === last` is the one port). */
  public static tcpRange(first: number, last: number): ClusterProtocol { return ClusterProtocol.range('TCP', first, last, 'ClusterProtocol.tcpRange'); }
  public static udpRange(first: number, last: number): ClusterProtocol { return ClusterProtocol.range('UDP', first, last, 'ClusterProtocol.udpRange'); }
  public static sctpRange(first: number, last: number): ClusterProtocol { return ClusterProtocol.range('SCTP', first, last, 'ClusterProtocol.sctpRange'); }

  /** Every TCP port: written as the range 1-65535 (the CRD needs a destinationPort with each protocol). */
  public static allTcp(): ClusterProtocol { return ClusterProtocol.range('TCP', 1, 65535, 'ClusterProtocol.allTcp'); }
  public static allUdp(): ClusterProtocol { return ClusterProtocol.range('UDP', 1, 65535, 'ClusterProtocol.allUdp'); }
  public static allSctp(): ClusterProtocol { return ClusterProtocol.range('SCTP', 1, 65535, 'ClusterProtocol.allSctp'); }

  /**
   * A destination container port by name (`destinationNamedPort`), on whatever protocol the container
   * port has. Only for rules whose peers are pods: networks, nodes and domain names have no named ports.
   */
  public static namedPort(name: string): ClusterProtocol {
    return ClusterProtocol.checked({ namedPort: name }, 'ClusterProtocol.namedPort');
  }

  private static range(protocol: Protocol, first: number, last: number, where: string): ClusterProtocol {
    const single = first === last;
    for (const [field, port] of [['first', first], ['last', last]] as const) {
      const bad = checkPortNumber(port);
      if (bad !== undefined) throw new NetproofError(where, `${bad}. ${single ? ClusterFix.port : ClusterFix.range}`, single ? undefined : field);
    }
    if (last < first) throw new NetproofError(where, `the range ends before it starts, got ${first}-${last}. ${ClusterFix.range}`);
    return ClusterProtocol.checked(single ? { protocol, port: first } : { protocol, port: first, endPort: last }, where);
  }

  private static checked(model: CnpProtocolModel, where: string): ClusterProtocol {
    const problem = cnpProtocolProblems(model, 'protocol')[0];
    if (problem !== undefined) throw new NetproofError(where, `${problem.reason}. ${ClusterFix[problem.code]}`);
    return new ClusterProtocol(Object.freeze({ ...model }));
  }

  private constructor(
    /** The model form: `{ protocol, port, endPort? }` (endPort only above port) or `{ namedPort }`. */
    public readonly model: CnpProtocolModel,
  ) {}

  /** Is this a destination port name? */
  public get isNamed(): boolean { return 'namedPort' in this.model; }

  /** "TCP 443", "UDP 30000-32767", "port named http". */
  public toString(): string {
    const m = this.model;
    if ('namedPort' in m) return `port named ${m.namedPort}`;
    return m.endPort === undefined ? `${m.protocol} ${m.port}` : `${m.protocol} ${m.port}-${m.endPort}`;
  }
}

import { check, Fix, NetproofError } from '../errors';
import { describePort, PortModel, Protocol, PROTOCOLS } from '../model/port';
import { checkPortName, checkPortNumber } from '../model/validate';

/**
 * A port (or range, or all ports) of one protocol, as a rule allows it.
 *
 * `Port.tcp(80)`, `Port.udpRange(30000, 32767)`, `Port.named('http')`, `Port.allTcp()`.
 */
export class Port {
  public static readonly DNS_UDP = Port.udp(53);
  public static readonly DNS_TCP = Port.tcp(53);
  public static readonly HTTP = Port.tcp(80);
  public static readonly HTTPS = Port.tcp(443);

  public static tcp(port: number): Port { return Port.single('TCP', port, 'Port.tcp'); }
  public static udp(port: number): Port { return Port.single('UDP', port, 'Port.udp'); }
  public static sctp(port: number): Port { return Port.single('SCTP', port, 'Port.sctp'); }

  public static tcpRange(first: number, last: number): Port { return Port.range('TCP', first, last, 'Port.tcpRange'); }
  public static udpRange(first: number, last: number): Port { return Port.range('UDP', first, last, 'Port.udpRange'); }
  public static sctpRange(first: number, last: number): Port { return Port.range('SCTP', first, last, 'Port.sctpRange'); }

  /** A named container port, resolved on the destination pod. */
  public static named(name: string, protocol: Protocol = 'TCP'): Port {
    check(checkPortName(name), 'Port.named', `${Fix.portName}`, `name "${name}"`);
    Port.checkProtocol(protocol, 'Port.named');
    return new Port({ protocol, port: name });
  }

  /** Every TCP port. Rendered as a protocol without a port (never port 0); `1-65535` on Dataplane V2. */
  public static allTcp(): Port { return new Port({ protocol: 'TCP' }); }
  public static allUdp(): Port { return new Port({ protocol: 'UDP' }); }
  public static allSctp(): Port { return new Port({ protocol: 'SCTP' }); }

  /** Wraps a model port that was already validated (parser output). @internal */
  public static fromModel(model: PortModel): Port { return new Port(model); }

  private static single(protocol: Protocol, port: number, where: string): Port {
    check(checkPortNumber(port), where, Fix.port);
    return new Port({ protocol, port });
  }

  private static range(protocol: Protocol, first: number, last: number, where: string): Port {
    check(checkPortNumber(first), where, Fix.portRange, 'first');
    check(checkPortNumber(last), where, Fix.portRange, 'last');
    if (last < first) throw new NetproofError(where, `endPort must be greater than or equal to port, got ${first}-${last}. ${Fix.portRange}`);
    return first === last ? new Port({ protocol, port: first }) : new Port({ protocol, port: first, endPort: last });
  }

  private static checkProtocol(protocol: string, where: string): void {
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      throw new NetproofError(where, `protocol must be one of TCP, UDP, SCTP, got "${protocol}". Use the upper-case protocol name`);
    }
  }

  /** The model form (protocol explicit). */
  public readonly model: PortModel;

  private constructor(model: PortModel) {
    this.model = Object.freeze({ ...model });
  }

  public get protocol(): Protocol { return this.model.protocol; }

  /** "TCP 80", "UDP 30000-32767", "TCP port named http", "TCP all ports". */
  public toString(): string { return describePort(this.model); }
}

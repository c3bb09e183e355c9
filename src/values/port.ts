import type { IConstruct } from 'constructs';
import { readServiceObject } from './_service-object';
import { check, Fix, NetproofError } from '../errors';
import { describePort, PortModel, Protocol, PROTOCOLS } from '../model/port';
import { ServiceProblem, serviceTargetPort } from '../model/service';
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

  /**
   * The pod port behind a port of a Service (cdk8s-plus `Service`, `KubeService`, or an ApiObject of kind
   * Service), by the Service port's name or number: its `targetPort` — a number, or a container port name
   * resolved on each pod — with the Service port's protocol (the port itself when targetPort is absent).
   * NetworkPolicies see pod ports, so this is the port a rule or an intent about the Service needs.
   * `protocol` picks among Service ports that share a number (53/UDP and 53/TCP).
   */
  public static ofService(service: IConstruct, port: number | string, protocol?: Protocol): Port {
    const { model, path } = readServiceObject(service, 'Port.ofService');
    if (protocol !== undefined) Port.checkProtocol(protocol, 'Port.ofService');
    const resolved = serviceTargetPort(model, port, protocol);
    if (resolved instanceof ServiceProblem) throw new NetproofError(`Port.ofService ${path}`, String(resolved));
    return Port.fromModel(resolved);
  }

  /** Every TCP port. Rendered as a protocol without a port (never port 0); `1-65535` on Dataplane V2. */
  public static allTcp(): Port { return new Port({ protocol: 'TCP' }); }
  public static allUdp(): Port { return new Port({ protocol: 'UDP' }); }
  public static allSctp(): Port { return new Port({ protocol: 'SCTP' }); }

  /**
   * A port from its model form (`{ protocol, port?, endPort? }`, as a parser or a generator produces it),
   * validated as the API server validates a NetworkPolicy port: a protocol of TCP, UDP or SCTP, a number
   * between 1 and 65535 or a container port name, `endPort` only after a number and not below it.
   */
  public static fromModel(model: PortModel): Port {
    const where = 'Port.fromModel';
    if (typeof model !== 'object' || model === null) throw new NetproofError(where, `expected { protocol, port?, endPort? }, got ${String(model)}. Pass a port model, e.g. { protocol: 'TCP', port: 80 }`);
    const extra = Object.keys(model).filter((k) => !['protocol', 'port', 'endPort'].includes(k));
    if (extra.length > 0) throw new NetproofError(where, `unknown field "${extra[0]}". A port model has protocol, port and endPort only`);
    Port.checkProtocol(model.protocol, where);
    const { protocol, port, endPort } = model;
    if (port === undefined) {
      if (endPort !== undefined) throw new NetproofError(where, `endPort ${endPort} needs a port. Give port as well, or leave both out for every ${protocol} port`);
      return new Port({ protocol });
    }
    if (typeof port === 'string') {
      check(checkPortName(port), where, Fix.portName, `name "${port}"`);
      if (endPort !== undefined) throw new NetproofError(where, `endPort cannot follow the named port "${port}". Use a numeric port with endPort, or the name alone`);
      return new Port({ protocol, port });
    }
    if (typeof port !== 'number') throw new NetproofError(where, `port must be a number or a container port name, got ${JSON.stringify(port)}. ${Fix.port}`);
    if (endPort === undefined) return Port.single(protocol, port, where);
    return Port.range(protocol, port, endPort, where);
  }

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

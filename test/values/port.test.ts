import { Fix } from '../../src/errors';
import { Port } from '../../src/values/port';
import { errorOf } from '../_helpers-constructs';

describe('Port', () => {
  test('factories make the model explicit', () => {
    expect(Port.tcp(80).model).toEqual({ protocol: 'TCP', port: 80 });
    expect(Port.udp(53).model).toEqual({ protocol: 'UDP', port: 53 });
    expect(Port.sctp(9).model).toEqual({ protocol: 'SCTP', port: 9 });
    expect(Port.tcpRange(8000, 8100).model).toEqual({ protocol: 'TCP', port: 8000, endPort: 8100 });
    expect(Port.udpRange(5, 5).model).toEqual({ protocol: 'UDP', port: 5 });
    expect(Port.named('http').model).toEqual({ protocol: 'TCP', port: 'http' });
    expect(Port.named('dns', 'UDP').model).toEqual({ protocol: 'UDP', port: 'dns' });
    expect(Port.allTcp().model).toEqual({ protocol: 'TCP' });
    expect(Port.allUdp().model).toEqual({ protocol: 'UDP' });
  });

  test('constants', () => {
    expect(Port.DNS_UDP.model).toEqual({ protocol: 'UDP', port: 53 });
    expect(Port.DNS_TCP.model).toEqual({ protocol: 'TCP', port: 53 });
    expect(Port.HTTP.model).toEqual({ protocol: 'TCP', port: 80 });
    expect(Port.HTTPS.model).toEqual({ protocol: 'TCP', port: 443 });
  });

  test('toString reports use', () => {
    expect(String(Port.tcp(80))).toBe('TCP 80');
    expect(String(Port.udpRange(30000, 32767))).toBe('UDP 30000-32767');
    expect(String(Port.named('http'))).toBe('TCP port named http');
    expect(String(Port.allTcp())).toBe('TCP all ports');
  });

  test('models are immutable', () => {
    const p = Port.tcp(80);
    expect(Object.isFrozen(p.model)).toBe(true);
  });

  test('fails when port is 0', () => {
    expect(errorOf(() => Port.tcp(0)).message).toBe(`Port.tcp: port must be between 1 and 65535, got 0. ${Fix.port}`);
  });

  test('fails when port is 70000', () => {
    expect(errorOf(() => Port.udp(70000)).message).toBe(`Port.udp: port must be between 1 and 65535, got 70000. ${Fix.port}`);
  });

  test('fails when port is not whole', () => {
    expect(errorOf(() => Port.tcp(80.5)).reason).toContain('whole number between 1 and 65535, got 80.5');
  });

  test('fails when endPort < port', () => {
    expect(errorOf(() => Port.tcpRange(9000, 8000)).message)
      .toBe(`Port.tcpRange: endPort must be greater than or equal to port, got 9000-8000. ${Fix.portRange}`);
  });

  test('fails when a range end is out of bounds', () => {
    expect(errorOf(() => Port.tcpRange(1, 65536)).message).toBe(`Port.tcpRange last: port must be between 1 and 65535, got 65536. ${Fix.portRange}`);
  });

  test('fails on an invalid port name', () => {
    expect(errorOf(() => Port.named('HTTP')).message).toContain('only lower case letters, digits and "-"');
    expect(errorOf(() => Port.named('a-very-long-port-name')).message).toContain('at most 15 characters, got 21');
    expect(errorOf(() => Port.named('123')).message).toContain('at least one letter');
  });

  test('fails on an unknown protocol', () => {
    expect(errorOf(() => Port.named('http', 'ICMP' as any)).message).toContain('protocol must be one of TCP, UDP, SCTP, got "ICMP"');
  });
});

describe('Port.fromModel validates as the API server does', () => {
  test('valid models become ports', () => {
    expect(Port.fromModel({ protocol: 'UDP', port: 53 }).model).toEqual({ protocol: 'UDP', port: 53 });
    expect(Port.fromModel({ protocol: 'TCP', port: 8000, endPort: 8100 }).model).toEqual({ protocol: 'TCP', port: 8000, endPort: 8100 });
    expect(Port.fromModel({ protocol: 'TCP', port: 'http' }).model).toEqual({ protocol: 'TCP', port: 'http' });
    expect(Port.fromModel({ protocol: 'SCTP' }).model).toEqual({ protocol: 'SCTP' });
  });

  test.each<[string, unknown, string]>([
    ['protocol ICMP', { protocol: 'ICMP', port: 1 }, 'Port.fromModel: protocol must be one of TCP, UDP, SCTP, got "ICMP". Use the upper-case protocol name'],
    ['a lower-case protocol', { protocol: 'tcp', port: 80 }, 'Port.fromModel: protocol must be one of TCP, UDP, SCTP, got "tcp". Use the upper-case protocol name'],
    ['port 0', { protocol: 'TCP', port: 0 }, `Port.fromModel: port must be between 1 and 65535, got 0. ${Fix.port}`],
    ['port 70000', { protocol: 'TCP', port: 70000 }, `Port.fromModel: port must be between 1 and 65535, got 70000. ${Fix.port}`],
    ['a range backwards', { protocol: 'TCP', port: 9000, endPort: 8000 }, `Port.fromModel: endPort must be greater than or equal to port, got 9000-8000. ${Fix.portRange}`],
    ['endPort without port', { protocol: 'TCP', endPort: 80 }, 'Port.fromModel: endPort 80 needs a port. Give port as well, or leave both out for every TCP port'],
    ['endPort after a name', { protocol: 'TCP', port: 'http', endPort: 80 }, 'Port.fromModel: endPort cannot follow the named port "http". Use a numeric port with endPort, or the name alone'],
    ['a bad port name', { protocol: 'TCP', port: 'HTTP_1' }, 'Port.fromModel name "HTTP_1": '],
    ['an unknown field', { protocol: 'TCP', port: 80, name: 'x' }, 'Port.fromModel: unknown field "name". A port model has protocol, port and endPort only'],
    ['a port of the wrong type', { protocol: 'TCP', port: true }, 'Port.fromModel: port must be a number or a container port name, got true.'],
  ])('rejects %s', (_name, model, message) => {
    expect(errorOf(() => Port.fromModel(model as never)).message.startsWith(message)).toBe(true);
  });
});

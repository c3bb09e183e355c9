import { ClusterFix } from '../../src/errors';
import { ClusterProtocol } from '../../src/values/cluster-protocol';
import { errorOf } from '../_helpers-constructs';

describe('ClusterProtocol', () => {
  test('one port of each protocol', () => {
    expect(ClusterProtocol.tcp(443).model).toEqual({ protocol: 'TCP', port: 443 });
    expect(ClusterProtocol.udp(53).model).toEqual({ protocol: 'UDP', port: 53 });
    expect(ClusterProtocol.sctp(2905).model).toEqual({ protocol: 'SCTP', port: 2905 });
    expect(String(ClusterProtocol.tcp(443))).toBe('TCP 443');
    expect(ClusterProtocol.tcp(443).isNamed).toBe(false);
  });

  test('ranges; a one-port range is that port (the CRD wants start < end)', () => {
    expect(ClusterProtocol.tcpRange(8000, 8100).model).toEqual({ protocol: 'TCP', port: 8000, endPort: 8100 });
    expect(ClusterProtocol.udpRange(30000, 32767).model).toEqual({ protocol: 'UDP', port: 30000, endPort: 32767 });
    expect(ClusterProtocol.sctpRange(9, 9).model).toEqual({ protocol: 'SCTP', port: 9 });
    expect(String(ClusterProtocol.udpRange(30000, 32767))).toBe('UDP 30000-32767');
  });

  test('every port of a protocol is the range 1-65535 (never a protocol without a port)', () => {
    expect(ClusterProtocol.allTcp().model).toEqual({ protocol: 'TCP', port: 1, endPort: 65535 });
    expect(ClusterProtocol.allUdp().model).toEqual({ protocol: 'UDP', port: 1, endPort: 65535 });
    expect(ClusterProtocol.allSctp().model).toEqual({ protocol: 'SCTP', port: 1, endPort: 65535 });
  });

  test('a destination port by name', () => {
    const p = ClusterProtocol.namedPort('http');
    expect(p.model).toEqual({ namedPort: 'http' });
    expect(p.isNamed).toBe(true);
    expect(String(p)).toBe('port named http');
  });

  test('named constants', () => {
    expect(ClusterProtocol.DNS_UDP.model).toEqual({ protocol: 'UDP', port: 53 });
    expect(ClusterProtocol.DNS_TCP.model).toEqual({ protocol: 'TCP', port: 53 });
    expect(ClusterProtocol.HTTP.model).toEqual({ protocol: 'TCP', port: 80 });
    expect(ClusterProtocol.HTTPS.model).toEqual({ protocol: 'TCP', port: 443 });
  });

  test('is immutable', () => {
    expect(Object.isFrozen(ClusterProtocol.tcp(80).model)).toBe(true);
  });

  test('fails when port is 0', () => {
    expect(errorOf(() => ClusterProtocol.tcp(0)).message).toBe(`ClusterProtocol.tcp: port must be between 1 and 65535, got 0. ${ClusterFix.port}`);
  });

  test('fails when port is not a whole number', () => {
    expect(errorOf(() => ClusterProtocol.udp(5.5)).message).toBe(`ClusterProtocol.udp: a port must be a whole number between 1 and 65535, got 5.5. ${ClusterFix.port}`);
  });

  test('fails when a range bound is out of range', () => {
    expect(errorOf(() => ClusterProtocol.tcpRange(0, 10)).message).toBe(`ClusterProtocol.tcpRange first: port must be between 1 and 65535, got 0. ${ClusterFix.range}`);
    expect(errorOf(() => ClusterProtocol.udpRange(1, 65536)).message).toBe(`ClusterProtocol.udpRange last: port must be between 1 and 65535, got 65536. ${ClusterFix.range}`);
  });

  test('fails when a range ends before it starts', () => {
    expect(errorOf(() => ClusterProtocol.sctpRange(10, 5)).message).toBe(`ClusterProtocol.sctpRange: the range ends before it starts, got 10-5. ${ClusterFix.range}`);
  });

  test('fails on a port name that is not an IANA service name', () => {
    expect(errorOf(() => ClusterProtocol.namedPort('HTTP')).message)
      .toBe(`ClusterProtocol.namedPort: port name "HTTP": a port name may contain only lower case letters, digits and "-". ${ClusterFix.namedPort}`);
    expect(errorOf(() => ClusterProtocol.namedPort('a-very-long-port-name')).message)
      .toBe(`ClusterProtocol.namedPort: port name "a-very-long-port-name": a port name must be at most 15 characters, got 21. ${ClusterFix.namedPort}`);
  });
});

import { Fix } from '../../src/errors';
import { Cidr } from '../../src/values/cidr';
import { errorOf } from '../_helpers-constructs';

describe('Cidr', () => {
  test('parses IPv4 and IPv6 into canonical text', () => {
    expect(String(Cidr.of('10.0.0.0/8'))).toBe('10.0.0.0/8');
    expect(String(Cidr.of('2600:2d00:0001:b029:0:0:0:0/64'))).toBe('2600:2d00:1:b029::/64');
    expect(Cidr.of('::/0').family).toBe(6);
    expect(String(Cidr.host('169.254.169.252'))).toBe('169.254.169.252/32');
    expect(String(Cidr.host('fd00::1'))).toBe('fd00::1/128');
  });

  test('containment', () => {
    expect(Cidr.of('10.0.0.0/8').contains(Cidr.of('10.1.0.0/16'))).toBe(true);
    expect(Cidr.of('10.0.0.0/8').contains(Cidr.of('11.0.0.0/16'))).toBe(false);
    expect(Cidr.of('10.0.0.0/8').contains(Cidr.of('::/0'))).toBe(false);
  });

  test('fails on 999.1.1.1/33', () => {
    expect(errorOf(() => Cidr.of('999.1.1.1/33')).message).toBe(`Cidr.of: invalid CIDR "999.1.1.1/33": octet 999 is greater than 255. ${Fix.cidr}`);
  });

  test('fails on a prefix longer than the family', () => {
    expect(errorOf(() => Cidr.of('10.0.0.0/33')).reason).toContain('prefix length 33 is greater than 32 for IPv4');
    expect(errorOf(() => Cidr.of('fd00::/129')).reason).toContain('prefix length 129 is greater than 128 for IPv6');
  });

  test('fails without a prefix', () => {
    expect(errorOf(() => Cidr.of('10.0.0.0')).reason).toContain('needs a prefix length');
  });

  test('fails on host bits', () => {
    expect(errorOf(() => Cidr.of('10.0.0.1/8')).message).toBe(`Cidr.of: CIDR "10.0.0.1/8" has host bits set. ${Fix.cidrHostBits('10.0.0.0/8')}`);
  });

  test('fails on malformed IPv6', () => {
    expect(errorOf(() => Cidr.of('1::2::3/64')).reason).toContain('"::" may appear only once');
  });
});

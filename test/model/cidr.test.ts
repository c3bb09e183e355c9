import * as fc from 'fast-check';
import { cidrContains, cidrContainsIp, formatIp, parseCidr, parseIp, ParsedCidr } from '../../src/model/cidr';

function cidr(text: string): ParsedCidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r.value;
}

function reason(text: string): string {
  const r = parseCidr(text);
  if (r.ok) throw new Error(`${text} parsed, expected a failure`);
  return r.reason;
}

describe('parseCidr', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0/8', 4, 8],
    ['0.0.0.0/0', '0.0.0.0/0', 4, 0],
    ['169.254.169.252/32', '169.254.169.252/32', 4, 32],
    ['2600:2d00:1:b029::/64', '2600:2d00:1:b029::/64', 6, 64],
    ['2600:2D00:0001:0001:0000:0000:0000:0000/64', '2600:2d00:1:1::/64', 6, 64],
    ['::/0', '::/0', 6, 0],
    ['::1/128', '::1/128', 6, 128],
    ['::ffff:10.1.2.3/128', '::ffff:a01:203/128', 6, 128],
    ['1:2:3:4:5:6:10.1.2.3/128', '1:2:3:4:5:6:a01:203/128', 6, 128],
    ['fe80:0:0:1:0:0:0:1/128', 'fe80:0:0:1::1/128', 6, 128],
  ])('%s is %s (IPv%d /%d)', (text, canonical, family, prefix) => {
    const c = cidr(text);
    expect(c).toMatchObject({ canonical, family, prefix, hostBitsSet: false });
  });

  test('reports host bits and canonicalises', () => {
    expect(cidr('10.1.2.3/8')).toMatchObject({ canonical: '10.0.0.0/8', hostBitsSet: true });
    expect(cidr('2001:db8::1/32')).toMatchObject({ canonical: '2001:db8::/32', hostBitsSet: true });
  });

  test.each([
    ['999.1.1.1/33', 'octet 999 is greater than 255'],
    ['10.0.0.0/33', 'prefix length 33 is greater than 32 for IPv4'],
    ['10.0.0/8', 'an IPv4 address has 4 dot-separated octets, got 3'],
    ['10.0.0.0', 'a CIDR needs a prefix length after "/"'],
    ['10.0.0.0/', 'prefix length "" is not a decimal number'],
    ['10.0.0.0/08', 'prefix length "08" is not a decimal number'],
    ['010.0.0.0/8', 'octet "010" has a leading zero'],
    ['10.0.0.x/8', 'octet "x" is not a decimal number'],
    ['2001:db8::1::/64', '"::" may appear only once'],
    ['2001:db8:1:2:3:4:5:6:7/64', 'an IPv6 address without "::" has 8 groups, got 9'],
    ['2001:db8:12345::/64', 'group "12345" is not 1 to 4 hex digits'],
    ['::/129', 'prefix length 129 is greater than 128 for IPv6'],
    ['1:2:3:4:5:6:7::8/128', 'too many groups around "::"'],
    ['g::/64', 'an IPv6 address has only hex digits'],
    ['1.2.3.4::/64', 'embedded IPv4 part "1.2.3.4" may only end the address'],
    ['1:2:3:4:5:6:1.2.3.4:8/128', 'embedded IPv4 part "1.2.3.4" may only end the address'],
  ])('rejects %s: %s', (text, expected) => {
    expect(reason(text)).toContain(expected);
  });
});

describe('containment', () => {
  test.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['0.0.0.0/0', '192.168.1.1/32', true],
    ['2600:2d00::/32', '2600:2d00:1:1::/64', true],
    ['10.0.0.0/8', '::/0', false],
    ['::/0', '10.0.0.0/8', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(cidr(outer), cidr(inner))).toBe(expected);
  });

  test('addresses', () => {
    const ip = (t: string) => { const r = parseIp(t); if (!r.ok) throw new Error(r.reason); return r.value; };
    const a = ip('10.8.0.10');
    expect(cidrContainsIp(cidr('10.8.0.0/14'), a.family, a.value)).toBe(true);
    expect(cidrContainsIp(cidr('10.12.0.0/14'), a.family, a.value)).toBe(false);
    const b = ip('2600:2d00:1:1::5');
    expect(cidrContainsIp(cidr('2600:2d00:1:1::/64'), b.family, b.value)).toBe(true);
    expect(cidrContainsIp(cidr('0.0.0.0/0'), b.family, b.value)).toBe(false);
  });
});

describe('formatIp', () => {
  test('RFC 5952: longest zero run compressed, first on ties, single zero group kept', () => {
    expect(formatIp(6, 0n)).toBe('::');
    expect(formatIp(6, (1n << 112n) | 1n)).toBe('1::1');
    expect(formatIp(6, (1n << 112n) | (1n << 80n) | 1n)).toBe('1:0:1::1');
    expect(formatIp(6, (1n << 112n) | (2n << 96n) | (3n << 80n) | (4n << 64n) | (5n << 48n) | (6n << 32n) | (7n << 16n))).toBe('1:2:3:4:5:6:7:0');
    expect(formatIp(4, 0xa9fea9fcn)).toBe('169.254.169.252');
  });
});

describe('parseIp: IPv4', () => {
  /** The dotted-quad rules, written out plainly: the one-pass reader must agree with them on every text. */
  const reference = (text: string): bigint | undefined => {
    const parts = text.split('.');
    if (parts.length !== 4) return undefined;
    let value = 0n;
    for (const part of parts) {
      if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0')) || Number(part) > 255) return undefined;
      value = (value << 8n) | BigInt(Number(part));
    }
    return value;
  };

  test('agrees with the dotted-quad rules on generated texts', () => {
    const text = fc.array(fc.constantFrom('0', '1', '2', '5', '9', '.', '25', '255', '256', '00', '010'), { maxLength: 9 }).map((xs) => xs.join(''));
    fc.assert(fc.property(text, (t) => {
      const r = parseIp(t);
      expect(r.ok ? r.value.value : undefined).toEqual(reference(t));
    }), { numRuns: 5000, seed: 3 });
  });

  test.each([
    ['01.2.3.4', 'octet "01" has a leading zero (ambiguous octal form)'],
    ['256.1.1.1', 'octet 256 is greater than 255'],
    ['1.2.3', 'an IPv4 address has 4 dot-separated octets, got 3'],
    ['1.2.3.', 'octet "" is not a decimal number of 1 to 3 digits'],
    ['1.2.3.4 ', 'octet "4 " is not a decimal number of 1 to 3 digits'],
  ])('fails on %s with the reason', (t, why) => {
    expect(parseIp(t)).toEqual({ ok: false, reason: why });
  });
});

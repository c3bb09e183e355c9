import { checkDns1123Label, checkDns1123Subdomain, checkFqdnPattern, checkLabelKey, checkLabelValue, checkPortName, checkPortNumber } from '../../src/model/validate';

describe('label keys', () => {
  test.each(['app', 'app.kubernetes.io/name', 'k8s-app', 'a_b.c-d', 'example.com/Tier', 'x'.repeat(63)])('accepts %s', (key) => {
    expect(checkLabelKey(key)).toBeUndefined();
  });
  test.each([
    ['', 'non-empty'],
    ['-app', 'start and end with an alphanumeric'],
    ['app/', 'the name part must not be empty'],
    ['/app', 'the prefix before "/" must not be empty'],
    ['a/b/c', 'at most one "/"'],
    ['Example.com/app', 'DNS-1123 subdomain'],
    ['x'.repeat(64), 'at most 63 characters, got 64'],
    ['app name', 'alphanumeric characters'],
  ])('rejects %j: %s', (key, expected) => {
    expect(checkLabelKey(key)).toContain(expected);
  });
});

describe('label values', () => {
  test.each(['', 'web', 'v1.2_3-x', 'x'.repeat(63)])('accepts %j', (v) => expect(checkLabelValue(v)).toBeUndefined());
  test.each([['-web', 'start and ending'], ['x'.repeat(64), 'at most 63'], ['a b', 'alphanumeric']])('rejects %j', (v, expected) => {
    expect(checkLabelValue(v)).toContain(expected.split(' ')[0]);
  });
});

describe('names', () => {
  test('DNS-1123 labels', () => {
    expect(checkDns1123Label('shop')).toBeUndefined();
    expect(checkDns1123Label('Shop')).toContain('lower case');
    expect(checkDns1123Label('a'.repeat(64))).toBe('must be at most 63 characters, got 64');
  });
  test('DNS-1123 subdomains', () => {
    expect(checkDns1123Subdomain('allow.frontend-1')).toBeUndefined();
    expect(checkDns1123Subdomain('a'.repeat(254))).toBe('must be at most 253 characters, got 254');
    expect(checkDns1123Subdomain('bad_name')).toContain('DNS-1123 subdomain');
  });
});

describe('ports', () => {
  test.each([1, 80, 65535])('accepts %d', (p) => expect(checkPortNumber(p)).toBeUndefined());
  test.each([[0, 'got 0'], [70000, 'got 70000'], [-1, 'got -1'], [1.5, 'whole number']])('rejects %d', (p, expected) => {
    expect(checkPortNumber(p)).toContain(expected);
  });
  test.each(['http', 'dns-tcp', 'h2c', 'a'.repeat(15)])('accepts port name %s', (n) => expect(checkPortName(n)).toBeUndefined());
  test.each([
    ['HTTP', 'lower case'], ['8080', 'at least one letter'], ['-http', 'start or end'], ['my--port', '"--"'], ['a'.repeat(16), 'at most 15'],
  ])('rejects port name %s', (n, expected) => expect(checkPortName(n)).toContain(expected));
});

test('FQDN patterns', () => {
  expect(checkFqdnPattern('*.example.com')).toBeUndefined();
  expect(checkFqdnPattern('api.example.com')).toBeUndefined();
  expect(checkFqdnPattern('bad_name.example.com')).toContain('bad_name');
});

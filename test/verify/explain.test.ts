import { cluster, cport, ext, fqdn, fqdnPattern, inNs, ipb, np, own, pod, rule, sel, tcp } from './_build';
import { EXTERNALS_GROUP, podsWithoutIp, Verifier } from '../../src/verify/verifier';

const c = cluster(
  { shop: { team: 'web' }, ops: {} },
  [
    pod('shop/frontend', { app: 'frontend' }, { ip: '10.8.0.10', ports: [cport(8080, 'TCP', 'http')] }),
    pod('shop/backend', { app: 'backend' }, { ip: '10.8.0.11', ports: [cport(8080, 'TCP', 'http')] }),
    pod('ops/prom', { app: 'prom' }, { ip: '10.8.1.5' }),
  ],
  [ext('metadata', '169.254.169.252'), ext('api', '203.0.113.9', 'api.example.com')],
);
const ref = (name: string, namespace = 'shop') => ({ kind: 'NetworkPolicy', namespace, name });
const flow = { port: 8080, protocol: 'TCP' as const };

describe('explain', () => {
  const denyAll = np('shop/default-deny', { types: ['Ingress', 'Egress'] });
  const fromFrontend = np('shop/backend-from-frontend', {
    select: sel({ app: 'backend' }),
    ingress: [rule([own(sel({ app: 'frontend' })), inNs(sel({ 'kubernetes.io/metadata.name': 'ops' }))], [tcp(9090), tcp('http')])],
  });
  const frontendOut = np('shop/frontend-out', {
    select: sel({ app: 'frontend' }),
    types: ['Egress'],
    egress: [rule([own(sel({ app: 'backend' }))], [tcp(8080)]), rule('all', [tcp(8000, 8100)]), rule([ipb('169.254.169.252/32')], [tcp(988)])],
  });
  const v = new Verifier({ policies: [denyAll, fromFrontend, frontendOut], cluster: c });

  test('an allowed connection names the isolating policies and every rule, peer and port that allowed each side', () => {
    const verdict = v.explain('shop/frontend', 'shop/backend', flow);
    expect(verdict).toEqual({
      from: 'shop/frontend',
      to: 'shop/backend',
      flow: { port: 8080, protocol: 'TCP', network: 'default' },
      dataplane: 'upstream',
      allowed: true,
      egress: {
        direction: 'egress',
        isolated: true,
        allowed: true,
        isolatedBy: [ref('default-deny'), ref('frontend-out')],
        allowedBy: [
          { policy: ref('frontend-out'), direction: 'egress', ruleIndex: 0, peerIndex: 0, peer: own(sel({ app: 'backend' })), port: tcp(8080), portIndex: 0 },
          { policy: ref('frontend-out'), direction: 'egress', ruleIndex: 1, peer: 'all', port: tcp(8000, 8100), portIndex: 0 },
        ],
      },
      ingress: {
        direction: 'ingress',
        isolated: true,
        allowed: true,
        isolatedBy: [ref('default-deny'), ref('backend-from-frontend')],
        allowedBy: [
          { policy: ref('backend-from-frontend'), direction: 'ingress', ruleIndex: 0, peerIndex: 0, peer: own(sel({ app: 'frontend' })), port: tcp('http'), portIndex: 1 },
        ],
      },
    });
  });

  test('a denied connection says which side denied it and that no rule allowed it', () => {
    const verdict = v.explain('ops/prom', 'shop/frontend', flow);
    expect(verdict).toMatchObject({
      allowed: false,
      egress: { isolated: false, isolatedBy: [], allowedBy: [], allowed: true },
      ingress: { isolated: true, isolatedBy: [ref('default-deny')], allowedBy: [], allowed: false },
    });
    expect(verdict.special).toBeUndefined();
  });

  test('the peer index points at the matching peer of a rule', () => {
    const verdict = v.explain('ops/prom', 'shop/backend', { port: 9090, protocol: 'TCP' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.ingress.allowedBy).toEqual([
      { policy: ref('backend-from-frontend'), direction: 'ingress', ruleIndex: 0, peerIndex: 1, peer: inNs(sel({ 'kubernetes.io/metadata.name': 'ops' })), port: tcp(9090), portIndex: 0 },
    ]);
  });

  test('a pod to an external is decided by egress alone; the external side is never isolated', () => {
    const verdict = v.explain('shop/frontend', 'metadata', { port: 988, protocol: 'TCP' });
    expect(verdict).toMatchObject({
      allowed: true,
      egress: { allowedBy: [{ policy: ref('frontend-out'), ruleIndex: 2, peerIndex: 0, peer: ipb('169.254.169.252/32'), portIndex: 0 }] },
      ingress: { direction: 'ingress', isolated: false, isolatedBy: [], allowedBy: [], allowed: true },
    });
  });

  test('loopback is allowed and marked special, while both sides are still reported', () => {
    const verdict = v.explain('ops/prom', 'ops/prom', flow);
    expect(verdict).toMatchObject({ allowed: true, special: 'loopback', egress: { isolated: false }, ingress: { isolated: false } });
    const isolated = v.explain('shop/frontend', 'shop/frontend', { port: 1, protocol: 'UDP' });
    expect(isolated).toMatchObject({ allowed: true, special: 'loopback', egress: { allowed: false }, ingress: { allowed: false } });
  });

  test('FQDN rules are reported with the matching name or pattern and the port entry', () => {
    const f = fqdn('shop/fqdn', sel({ app: 'backend' }), [{ matches: [{ name: 'other.example.com' }, fqdnPattern('*.example.com')], ports: [tcp(80), tcp(443)] }]);
    const dv2 = new Verifier({ policies: [f], cluster: c, dataplane: 'dataplane-v2' });
    expect(dv2.explain('shop/backend', 'api', { port: 443, protocol: 'TCP' }).egress).toEqual({
      direction: 'egress',
      isolated: true,
      allowed: true,
      isolatedBy: [{ kind: 'FQDNNetworkPolicy', namespace: 'shop', name: 'fqdn' }],
      allowedBy: [{ policy: { kind: 'FQDNNetworkPolicy', namespace: 'shop', name: 'fqdn' }, direction: 'egress', ruleIndex: 0, peerIndex: 1, peer: { kind: 'fqdn', match: '*.example.com' }, port: tcp(443), portIndex: 1 }],
    });
    expect(dv2.explain('shop/backend', 'metadata', { port: 443, protocol: 'TCP' }).egress).toMatchObject({ isolated: true, allowed: false, allowedBy: [] });
  });

  test('on another network, annotated policies of other networks are not reported', () => {
    const blue = cluster({ shop: {} }, [pod('shop/a', {}, { networks: ['default', 'blue'] }), pod('shop/b', {}, { networks: ['default', 'blue'] })]);
    const p = np('shop/blue-only', { network: 'blue', types: ['Ingress'] });
    const vb = new Verifier({ policies: [p], cluster: blue, dataplane: 'dataplane-v2' });
    expect(vb.explain('shop/a', 'shop/b', { port: 80, protocol: 'TCP', network: 'blue' })).toMatchObject({ allowed: false, ingress: { isolatedBy: [{ name: 'blue-only' }] } });
    expect(vb.explain('shop/a', 'shop/b', { port: 80, protocol: 'TCP' })).toMatchObject({ allowed: true, flow: { network: 'default' }, ingress: { isolated: false, isolatedBy: [] } });
  });
});

describe('podsWithoutIp', () => {
  const pods = [pod('b/q', {}), pod('a/p', {}), pod('a/ip', {}, { ip: '10.0.0.1' })];
  const withBlock = np('a/from-office', { ingress: [rule([ipb('10.0.0.0/8')])] });
  const withoutBlock = np('a/from-pods', { ingress: [rule([own()])] });
  test.each([
    ['upstream', [withBlock], ['a/p', 'b/q']],
    ['calico', [withBlock], ['a/p', 'b/q']],
    ['dataplane-v2', [withBlock], []],
    ['upstream', [withoutBlock], []],
  ] as const)('dataplane %s: pods without an IP, sorted, only while an ipBlock could match pods', (dataplane, policies, expected) => {
    const input = { policies, cluster: cluster({}, pods), dataplane };
    expect(new Verifier(input).podsWithoutIp()).toEqual(expected);
    expect(podsWithoutIp(input)).toEqual(expected);
  });
});

describe('summary', () => {
  test('counts every ordered pair per namespace pair, self pairs included and always allowed', () => {
    const pods = [
      ...[1, 2, 3].map((i) => pod(`a/p${i}`, { app: 'x' })),
      ...[1, 2].map((i) => pod(`b/p${i}`, { app: 'y' })),
    ];
    const deny = np('a/deny', { types: ['Ingress'] });
    const v = new Verifier({ policies: [deny], cluster: cluster({}, pods, [ext('net', '198.51.100.1')]) });
    expect(v.reach({ port: 80, protocol: 'TCP' }).summary()).toEqual([
      { from: 'a', to: 'a', allowed: 3, denied: 6 },
      { from: 'a', to: 'b', allowed: 6, denied: 0 },
      { from: 'a', to: '(externals)', allowed: 3, denied: 0 },
      { from: 'b', to: 'a', allowed: 0, denied: 6 },
      { from: 'b', to: 'b', allowed: 4, denied: 0 },
      { from: 'b', to: '(externals)', allowed: 2, denied: 0 },
      { from: '(externals)', to: 'a', allowed: 0, denied: 3 },
      { from: '(externals)', to: 'b', allowed: 2, denied: 0 },
    ]);
  });

  test('a namespace named "externals" has its own rows, apart from the externals group', () => {
    const v = new Verifier({ policies: [], cluster: cluster({}, [pod('externals/p', {}), pod('shop/q', {})], [ext('net', '198.51.100.1')]) });
    expect(v.reach({ port: 80, protocol: 'TCP' }).summary()).toEqual([
      { from: 'externals', to: 'externals', allowed: 1, denied: 0 },
      { from: 'externals', to: 'shop', allowed: 1, denied: 0 },
      { from: 'externals', to: '(externals)', allowed: 1, denied: 0 },
      { from: 'shop', to: 'externals', allowed: 1, denied: 0 },
      { from: 'shop', to: 'shop', allowed: 1, denied: 0 },
      { from: 'shop', to: '(externals)', allowed: 1, denied: 0 },
      { from: '(externals)', to: 'externals', allowed: 1, denied: 0 },
      { from: '(externals)', to: 'shop', allowed: 1, denied: 0 },
    ]);
    expect(EXTERNALS_GROUP).toBe('(externals)');
  });

  test('endpoints are pods sorted by id, then externals sorted by name', () => {
    const v = new Verifier({ policies: [], cluster: cluster({}, [pod('b/z', {}), pod('a/y', {}), pod('a/x', {})], [ext('zz', '1.1.1.1'), ext('aa', '1.1.1.2')]) });
    expect(v.reach({ port: 1, protocol: 'UDP' }).endpoints.map((e) => `${e.kind}:${e.id}`)).toEqual(['pod:a/x', 'pod:a/y', 'pod:b/z', 'external:aa', 'external:zz']);
  });
});

describe('port intervals', () => {
  test('split each protocol at the ports, ranges and resolved named ports that rules mention', () => {
    const one = cluster({ x: {} }, [pod('x/a', {}, { ports: [cport(8080, 'TCP', 'http'), cport(9090, 'UDP', 'http')] })]);
    const p = np('x/p', { ingress: [rule('all', [tcp(80), tcp(8000, 8005), tcp('http')])] });
    const v = new Verifier({ policies: [p], cluster: one });
    expect(v.portIntervals('TCP')).toEqual([[1, 79], [80, 80], [81, 7999], [8000, 8005], [8006, 8079], [8080, 8080], [8081, 65535]]);
    expect(v.portIntervals('UDP')).toEqual([[1, 65535]]);
  });

  test('every port of an interval has the same reachability', () => {
    const two = cluster({ x: {} }, [pod('x/a', {}), pod('x/b', {})]);
    const v = new Verifier({ policies: [np('x/p', { ingress: [rule('all', [tcp(8000, 8005)])] })], cluster: two });
    const at = (port: number) => v.reach({ port, protocol: 'TCP' }).allowed(0, 1);
    expect([at(7999), at(8000), at(8003), at(8005), at(8006)]).toEqual([false, true, true, true, false]);
  });
});

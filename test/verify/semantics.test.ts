import {
  cluster, cport, expr, ext, fqdn, fqdnName, fqdnPattern, inNs, ipb, np, own, pod, rule, sctp, sel, tcp, udp,
} from './_build';
import { expectTable, rows } from './_table';
import { NetproofError } from '../../src/errors';
import { Dataplane, DATAPLANES } from '../../src/model/cluster';
import { parsePolicies } from '../../src/parse/policies';
import { VerifyMessages } from '../../src/verify/messages';
import { Verifier } from '../../src/verify/verifier';

/**
 * x (env=prod) and y (env=dev); pods with IPv4 and IPv6 addresses and named ports; externals with
 * and without hostnames.
 */
const base = cluster(
  { x: { env: 'prod' }, y: { env: 'dev' } },
  [
    pod('x/a', { app: 'a' }, { ip: '10.0.0.1', ports: [cport(80, 'TCP', 'http'), cport(53, 'UDP', 'dns')] }),
    pod('x/b', { app: 'b', tier: 'db' }, { ip: '10.0.0.2', ports: [cport(8080, 'TCP', 'http')] }),
    pod('y/a', { app: 'a' }, { ip: '10.0.1.1' }),
    pod('y/c', { app: 'c', tier: 'web' }, { ip: 'fd00::5', ports: [cport(80, 'TCP', 'http'), cport(9000, 'SCTP', 'sig')] }),
  ],
  [
    ext('internet', '203.0.113.9', 'api.example.com'),
    ext('metadata', '169.254.169.254'),
    ext('v6', '2001:db8::1', 'WWW.Example.org.'),
  ],
);

describe('isolation and directions', () => {
  test('without policies everything is allowed, pods and externals', () => {
    expectTable([], base, 'upstream', rows(
      ['x/a', 'y/a', 80, true], ['y/c', 'x/b', 1, true, 'UDP'], ['x/a', 'internet', 443, true], ['metadata', 'x/a', 80, true],
    ));
  });

  test('an ingress default deny isolates only ingress of the selected pods', () => {
    const deny = np('x/deny-in', { types: ['Ingress'] });
    expectTable([deny], base, 'upstream', rows(
      ['y/a', 'x/a', 80, false], ['x/b', 'x/a', 80, false], ['internet', 'x/a', 80, false],
      ['x/a', 'y/a', 80, true], ['x/a', 'internet', 80, true], ['y/a', 'y/c', 80, true],
    ));
  });

  test('an egress default deny isolates only egress, pods and externals alike', () => {
    const deny = np('x/deny-out', { types: ['Egress'] });
    expectTable([deny], base, 'upstream', rows(
      ['x/a', 'y/a', 80, false], ['x/a', 'internet', 443, false], ['x/a', 'x/b', 80, false],
      ['y/a', 'x/a', 80, true], ['internet', 'x/a', 80, true],
    ));
  });

  test('a pod always reaches itself, even when isolated both ways', () => {
    const deny = np('x/deny', { types: ['Ingress', 'Egress'] });
    expectTable([deny], base, 'upstream', rows(['x/a', 'x/a', 80, true], ['x/a', 'x/b', 80, false], ['x/b', 'x/b', 9, true, 'SCTP']));
  });

  test('a connection needs the source egress AND the destination ingress', () => {
    const outX = np('x/out', { types: ['Egress'], egress: [rule([inNs(sel({ env: 'dev' }))])] });
    const denyY = np('y/deny', { select: sel({ app: 'a' }), types: ['Ingress'] });
    expectTable([outX, denyY], base, 'upstream', rows(
      ['x/a', 'y/a', 80, false], // egress allows, ingress denies
      ['x/a', 'y/c', 80, true], // egress allows, y/c not isolated
      ['x/a', 'x/b', 80, false], // egress denies
    ));
  });

  test('policyTypes decide isolation; rules of a direction not in policyTypes are ignored', () => {
    const egressOnly = np('x/e', { types: ['Egress'], ingress: [rule('all')], egress: [rule([own()])] });
    expectTable([egressOnly], base, 'upstream', rows(
      ['y/a', 'x/a', 80, true], // ingress not isolated
      ['x/a', 'x/b', 80, true], ['x/a', 'y/a', 80, false],
    ));
    const ingressOnly = np('x/i', { types: ['Ingress'], egress: [rule([own()])] });
    expectTable([ingressOnly], base, 'upstream', rows(['x/a', 'y/a', 80, true], ['y/a', 'x/a', 80, false]));
  });

  test('rules and policies are unions', () => {
    const p1 = np('x/p1', { select: sel({ app: 'a' }), ingress: [rule([own(sel({ app: 'b' }))], [tcp(80)])] });
    const p2 = np('x/p2', { select: sel({ app: 'a' }), ingress: [rule([inNs(sel({ env: 'dev' }), sel({ app: 'c' }))], [tcp(81)]), rule([ipb('203.0.113.0/24')])] });
    expectTable([p1, p2], base, 'upstream', rows(
      ['x/b', 'x/a', 80, true], ['x/b', 'x/a', 81, false], ['y/c', 'x/a', 81, true], ['y/c', 'x/a', 80, false],
      ['internet', 'x/a', 5, true], ['metadata', 'x/a', 80, false], ['y/a', 'x/a', 80, false],
    ));
  });
});

describe('peers', () => {
  test('a pod selector alone means the policy namespace', () => {
    const p = np('x/p', { ingress: [rule([own(sel({ app: 'a' }))])] });
    expectTable([p], base, 'upstream', rows(['x/a', 'x/b', 80, true], ['y/a', 'x/b', 80, false], ['x/b', 'x/a', 80, false]));
  });

  test('a namespace selector and a pod selector in one peer are an AND', () => {
    const p = np('x/p', { ingress: [rule([inNs(sel({ env: 'dev' }), sel({ app: 'a' }))])] });
    expectTable([p], base, 'upstream', rows(['y/a', 'x/b', 80, true], ['y/c', 'x/b', 80, false], ['x/a', 'x/b', 80, false]));
  });

  test('an empty namespace selector is every namespace, never externals', () => {
    const p = np('x/p', { ingress: [rule([inNs(sel())])] });
    expectTable([p], base, 'upstream', rows(['y/c', 'x/a', 80, true], ['x/b', 'x/a', 80, true], ['internet', 'x/a', 80, false]));
  });

  test('namespaces are selected by kubernetes.io/metadata.name without declaring it', () => {
    const p = np('x/p', { ingress: [rule([inNs(sel({ 'kubernetes.io/metadata.name': 'y' }))])] });
    expectTable([p], base, 'upstream', rows(['y/a', 'x/a', 80, true], ['x/b', 'x/a', 80, false]));
  });

  test('match expressions: In, NotIn, Exists, DoesNotExist', () => {
    const mk = (name: string, e: ReturnType<typeof expr>) => np(`y/${name}`, { select: sel({ app: 'a' }), ingress: [rule([inNs(sel(), sel({}, [e]))])] });
    expectTable([mk('in', expr('app', 'In', ['b', 'c']))], base, 'upstream', rows(['x/b', 'y/a', 80, true], ['y/c', 'y/a', 80, true], ['x/a', 'y/a', 80, false]));
    expectTable([mk('notin', expr('tier', 'NotIn', ['db']))], base, 'upstream', rows(['x/a', 'y/a', 80, true], ['y/c', 'y/a', 80, true], ['x/b', 'y/a', 80, false]));
    expectTable([mk('exists', expr('tier', 'Exists'))], base, 'upstream', rows(['x/b', 'y/a', 80, true], ['y/c', 'y/a', 80, true], ['x/a', 'y/a', 80, false]));
    expectTable([mk('absent', expr('tier', 'DoesNotExist'))], base, 'upstream', rows(['x/a', 'y/a', 80, true], ['x/b', 'y/a', 80, false], ['y/c', 'y/a', 80, false]));
  });

  test('a namespace selector with expressions', () => {
    const p = np('x/p', { ingress: [rule([inNs(sel({}, [expr('env', 'NotIn', ['prod'])]))])] });
    expectTable([p], base, 'upstream', rows(['y/a', 'x/a', 80, true], ['x/b', 'x/a', 80, false]));
  });

  test('ipBlock with except, IPv4, matches externals by IP', () => {
    const p = np('x/p', { select: sel({ app: 'a' }), ingress: [rule([ipb('203.0.0.0/8', ['203.0.113.0/24']), ipb('169.254.0.0/16')])] });
    expectTable([p], base, 'upstream', rows(['internet', 'x/a', 80, false], ['metadata', 'x/a', 80, true], ['v6', 'x/a', 80, false]));
  });

  test('ipBlock with except, IPv6, egress to externals and pods', () => {
    const p = np('x/p', { types: ['Egress'], egress: [rule([ipb('2001:db8::/32', ['2001:db8::/64']), ipb('fd00::/64')])] });
    expectTable([p], base, 'upstream', rows(['x/a', 'v6', 443, false], ['x/a', 'y/c', 80, true], ['x/a', 'internet', 443, false]));
    const q = np('x/q', { types: ['Egress'], egress: [rule([ipb('2001:db8::/32', ['2001:db8:1::/48'])])] });
    expectTable([q], base, 'upstream', rows(['x/a', 'v6', 443, true], ['x/a', 'metadata', 80, false]));
  });

  test('ipBlock 0.0.0.0/0 never matches an IPv6 address, and ::/0 never an IPv4 one', () => {
    const p = np('x/p', { types: ['Egress'], egress: [rule([ipb('0.0.0.0/0')])] });
    expectTable([p], base, 'upstream', rows(['x/a', 'internet', 1, true], ['x/a', 'v6', 1, false], ['x/a', 'y/c', 80, false], ['x/a', 'y/a', 80, true]));
    const q = np('x/q', { types: ['Egress'], egress: [rule([ipb('::/0')])] });
    expectTable([q], base, 'upstream', rows(['x/a', 'internet', 1, false], ['x/a', 'v6', 1, true], ['x/a', 'y/c', 80, true]));
  });

  test('a pod without an IP never matches an ipBlock', () => {
    const c = cluster({ x: {} }, [pod('x/a', {}), pod('x/noip', { app: 'n' })]);
    const p = np('x/p', { select: sel({}, [expr('app', 'DoesNotExist')]), ingress: [rule([ipb('0.0.0.0/0')])] });
    expectTable([p], c, 'upstream', rows(['x/noip', 'x/a', 80, false]));
  });

  test('peers all admits every pod and every external', () => {
    const p = np('x/p', { types: ['Ingress', 'Egress'], ingress: [rule('all', [tcp(80)])], egress: [rule('all', [tcp(443)])] });
    expectTable([p], base, 'upstream', rows(
      ['y/c', 'x/a', 80, true], ['internet', 'x/a', 80, true], ['internet', 'x/a', 81, false],
      ['x/a', 'metadata', 443, true], ['x/a', 'y/a', 443, true], ['x/a', 'y/a', 80, false],
    ));
  });
});

describe('ports', () => {
  test('numeric port and protocol', () => {
    const p = np('x/p', { ingress: [rule('all', [tcp(80), udp(53), sctp(9000)])] });
    expectTable([p], base, 'upstream', rows(
      ['y/a', 'x/a', 80, true], ['y/a', 'x/a', 81, false], ['y/a', 'x/a', 80, false, 'UDP'],
      ['y/a', 'x/a', 53, true, 'UDP'], ['y/a', 'x/a', 53, false], ['y/a', 'x/b', 9000, true, 'SCTP'], ['y/a', 'x/b', 9000, false, 'UDP'],
    ));
  });

  test('endPort ranges are inclusive', () => {
    const p = np('x/p', { ingress: [rule('all', [tcp(8000, 8100)])] });
    expectTable([p], base, 'upstream', rows(['y/a', 'x/a', 8000, true], ['y/a', 'x/a', 8100, true], ['y/a', 'x/a', 8101, false], ['y/a', 'x/a', 7999, false], ['y/a', 'x/a', 8080, false, 'UDP']));
  });

  test('a port entry without a port admits every port of its protocol', () => {
    const p = np('x/p', { ingress: [rule('all', [udp()])] });
    expectTable([p], base, 'upstream', rows(['y/a', 'x/a', 1, true, 'UDP'], ['y/a', 'x/a', 65535, true, 'UDP'], ['y/a', 'x/a', 1, false, 'TCP']));
  });

  test('ports all admits every port of every protocol', () => {
    const p = np('x/p', { ingress: [rule([own()], 'all')] });
    expectTable([p], base, 'upstream', rows(['x/b', 'x/a', 1, true, 'SCTP'], ['x/b', 'x/a', 65535, true, 'UDP'], ['y/a', 'x/a', 80, false]));
  });

  test('a named port in an ingress rule is resolved on the destination pod', () => {
    const p = np('x/p', { ingress: [rule('all', [tcp('http')])] });
    expectTable([p], base, 'upstream', rows(
      ['y/a', 'x/a', 80, true], ['y/a', 'x/b', 8080, true], ['y/a', 'x/b', 80, false], ['y/a', 'x/a', 8080, false], ['y/a', 'x/a', 80, false, 'UDP'],
    ));
  });

  test('a named port needs the container port protocol to match', () => {
    const p = np('x/p', { ingress: [rule('all', [udp('http'), tcp('dns')])] });
    expectTable([p], base, 'upstream', rows(['y/a', 'x/a', 80, false], ['y/a', 'x/a', 53, false, 'UDP'], ['y/a', 'x/a', 80, false, 'UDP']));
  });

  test('a named port in an egress rule is resolved on the destination pod and never matches an external', () => {
    const p = np('y/p', { select: sel({ app: 'a' }), types: ['Egress'], egress: [rule('all', [tcp('http'), sctp('sig')])] });
    expectTable([p], base, 'upstream', rows(
      ['y/a', 'x/a', 80, true], ['y/a', 'x/b', 8080, true], ['y/a', 'x/b', 80, false], ['y/a', 'y/c', 9000, true, 'SCTP'],
      ['y/a', 'internet', 80, false], ['y/a', 'internet', 8080, false],
    ));
  });
});

describe('dataplanes', () => {
  const podRange = np('x/p', { select: sel({ app: 'b' }), ingress: [rule([ipb('10.0.0.0/16', ['10.0.0.1/32'])])] });
  test.each([['upstream'], ['calico']] as [Dataplane][])('%s: ipBlock matches pod IPs (with except)', (dp) => {
    expectTable([podRange], base, dp, rows(['y/a', 'x/b', 80, true], ['x/a', 'x/b', 80, false], ['y/c', 'x/b', 80, false]));
  });
  test('dataplane-v2: ipBlock never matches pods, only externals', () => {
    expectTable([podRange], base, 'dataplane-v2', rows(['y/a', 'x/b', 80, false], ['x/a', 'x/b', 80, false]));
    const open = np('x/q', { types: ['Egress'], egress: [rule([ipb('0.0.0.0/0')])] });
    expectTable([open], base, 'dataplane-v2', rows(['x/a', 'y/a', 80, false], ['x/a', 'internet', 443, true]));
  });
});

describe('GKE multi-network', () => {
  const mn = cluster(
    { x: {} },
    [
      pod('x/a', { app: 'a' }, { ip: '10.0.0.1', networks: ['default', 'blue'] }),
      pod('x/b', { app: 'b' }, { ip: '10.0.0.2', networks: ['default', 'blue'] }),
      pod('x/c', { app: 'c' }, { ip: '10.0.0.3' }),
      pod('x/d', { app: 'd' }, { ip: '192.168.0.4', networks: ['blue'] }),
    ],
    [ext('internet', '203.0.113.9')],
  );

  test('an annotated policy applies only on its network', () => {
    const p = np('x/blue-deny', { network: 'blue', types: ['Ingress'] });
    expectTable([p], mn, 'dataplane-v2', rows(
      ['x/a', 'x/b', 80, false, 'TCP', 'blue'], ['x/d', 'x/b', 80, false, 'TCP', 'blue'],
      ['x/a', 'x/b', 80, true, 'TCP', 'default'], ['x/c', 'x/b', 80, true, 'TCP', 'default'],
    ));
  });

  test('a policy without the annotation applies on every network of the pods it selects', () => {
    const p = np('x/deny', { select: sel({ app: 'b' }), types: ['Ingress'] });
    expectTable([p], mn, 'dataplane-v2', rows(['x/a', 'x/b', 80, false, 'TCP', 'blue'], ['x/a', 'x/b', 80, false, 'TCP', 'default']));
  });

  test('externals take part on every network', () => {
    const p = np('x/out', { network: 'blue', types: ['Egress'], egress: [rule([ipb('203.0.113.0/24')])] });
    expectTable([p], mn, 'dataplane-v2', rows(
      ['x/a', 'internet', 443, true, 'TCP', 'blue'], ['x/a', 'x/b', 443, false, 'TCP', 'blue'], ['internet', 'x/d', 80, true, 'TCP', 'blue'],
      ['x/a', 'x/b', 443, true, 'TCP', 'default'],
    ));
  });

  test('an annotation naming a network no pod is attached to selects nothing', () => {
    const p = np('x/ghost', { network: 'green', types: ['Ingress', 'Egress'] });
    expectTable([p], mn, 'upstream', rows(['x/a', 'x/b', 80, true], ['x/a', 'x/d', 80, true, 'TCP', 'blue']));
  });

  test('only pods attached to the flow network appear in the matrix', () => {
    const v = new Verifier({ policies: [], cluster: mn });
    expect(v.reach({ port: 80, protocol: 'TCP', network: 'blue' }).endpoints.map((e) => e.id)).toEqual(['x/a', 'x/b', 'x/d', 'internet']);
    expect(v.reach({ port: 80, protocol: 'TCP' }).endpoints.map((e) => e.id)).toEqual(['x/a', 'x/b', 'x/c', 'internet']);
    expect(() => v.explain('x/c', 'x/a', { port: 80, protocol: 'TCP', network: 'blue' })).toThrow(VerifyMessages.notOnNetwork('x/c', 'blue'));
  });
});

describe('FQDNNetworkPolicy', () => {
  const fq = (...matches: Parameters<typeof fqdn>[2][number]['matches']) => fqdn('x/f', sel({ app: 'a' }), [{ matches, ports: [tcp(443)] }]);

  test('isolates egress of selected pods and allows names exactly, case-insensitive, trailing dot ignored', () => {
    expectTable([fq(fqdnName('API.example.com.'), fqdnName('www.example.org'))], base, 'dataplane-v2', rows(
      ['x/a', 'internet', 443, true], ['x/a', 'v6', 443, true], ['x/a', 'internet', 80, false],
      ['x/a', 'metadata', 443, false], ['x/a', 'x/b', 443, false], ['x/b', 'internet', 80, true],
    ));
  });

  test('a pattern * matches one or more characters within one DNS label', () => {
    const c = cluster({ x: {} }, [pod('x/a', { app: 'a' })], [
      ext('one', '198.51.100.1', 'api.example.com'), ext('two', '198.51.100.2', 'a.b.example.com'),
      ext('apex', '198.51.100.3', 'example.com'), ext('mid', '198.51.100.4', 'storage-eu.googleapis.com'),
    ]);
    expectTable([fq(fqdnPattern('*.example.com'), fqdnPattern('storage-*.googleapis.com'))], c, 'dataplane-v2', rows(
      ['x/a', 'one', 443, true], ['x/a', 'two', 443, false], ['x/a', 'apex', 443, false], ['x/a', 'mid', 443, true],
    ));
  });

  test('never matches pods, never matches named ports, unions with NetworkPolicy egress', () => {
    const f = fqdn('x/f', sel({ app: 'a' }), [{ matches: [fqdnName('api.example.com')], ports: [tcp('https'), tcp(443)] }]);
    const n = np('x/n', { select: sel({ app: 'a' }), types: ['Egress'], egress: [rule([own()], [tcp(80)])] });
    expectTable([f, n], base, 'dataplane-v2', rows(['x/a', 'internet', 443, true], ['x/a', 'x/b', 80, true], ['x/a', 'x/b', 443, false], ['x/a', 'internet', 80, false]));
  });

  test('applies on every network', () => {
    const c = cluster({ x: {} }, [pod('x/a', { app: 'a' }, { networks: ['blue'] })], [ext('one', '198.51.100.1', 'api.example.com'), ext('two', '198.51.100.2')]);
    expectTable([fq(fqdnName('api.example.com'))], c, 'dataplane-v2', rows(['x/a', 'one', 443, true, 'TCP', 'blue'], ['x/a', 'two', 443, false, 'TCP', 'blue']));
  });

  test.each(DATAPLANES.filter((d) => d !== 'dataplane-v2').map((d) => [d]))('fails closed under %s', (dp) => {
    const make = () => new Verifier({ policies: [fq(fqdnName('api.example.com'))], cluster: base, dataplane: dp });
    expect(make).toThrow(NetproofError);
    expect(make).toThrow(VerifyMessages.fqdnNeedsDataplaneV2(dp));
  });
});

describe('externals', () => {
  test('external to pod is constrained only by the pod ingress; pod to external only by egress', () => {
    const p = np('x/p', { types: ['Ingress', 'Egress'], ingress: [rule([ipb('169.254.169.254/32')])], egress: [rule([ipb('203.0.113.9/32')], [tcp(443)])] });
    expectTable([p], base, 'upstream', rows(
      ['metadata', 'x/a', 80, true], ['internet', 'x/a', 80, false], ['x/a', 'internet', 443, true], ['x/a', 'metadata', 443, false],
      ['internet', 'y/a', 80, true], ['y/a', 'metadata', 80, true],
    ));
  });

  test('external to external is not modelled: the matrix answers false, explain refuses', () => {
    const v = new Verifier({ policies: [], cluster: base });
    const m = v.reach({ port: 80, protocol: 'TCP' });
    const i = m.endpoints.findIndex((e) => e.id === 'internet');
    const j = m.endpoints.findIndex((e) => e.id === 'metadata');
    expect(m.allowed(i, j)).toBe(false);
    expect(m.allowed(i, i)).toBe(false);
    expect(() => v.explain('internet', 'metadata', { port: 80, protocol: 'TCP' })).toThrow(VerifyMessages.externalToExternal('internet', 'metadata'));
  });
});

describe('input errors', () => {
  const v = new Verifier({ policies: [], cluster: base });
  test('fails when an endpoint is unknown', () => {
    expect(() => v.explain('x/zzz', 'x/a', { port: 80, protocol: 'TCP' })).toThrow(VerifyMessages.unknownEndpoint('x/zzz'));
  });
  test('fails when port is 0', () => {
    expect(() => v.reach({ port: 0, protocol: 'TCP' })).toThrow(VerifyMessages.badPort(0));
  });
  test('fails when protocol is unknown', () => {
    expect(() => v.reach({ port: 80, protocol: 'ICMP' as never })).toThrow(VerifyMessages.badProtocol('ICMP'));
  });
  test('fails when a matrix index is out of range', () => {
    expect(() => v.reach({ port: 80, protocol: 'TCP' }).allowed(0, 99)).toThrow(NetproofError);
  });
  test('fails when a pod id is duplicated', () => {
    expect(() => new Verifier({ policies: [], cluster: cluster({}, [pod('x/a', {}), pod('x/a', {})]) })).toThrow(VerifyMessages.duplicateEndpoint('x/a'));
  });
  test('fails when a pod IP is not an address', () => {
    expect(() => new Verifier({ policies: [], cluster: cluster({}, [pod('x/a', {}, { ip: '10.0.0.300' })]) })).toThrow(NetproofError);
  });
  test('fails when a policy kind is unknown', () => {
    const bad = { ...np('x/p'), kind: 'AdminNetworkPolicy' } as never;
    expect(() => new Verifier({ policies: [bad], cluster: base })).toThrow(VerifyMessages.unknownPolicyKind('AdminNetworkPolicy'));
  });
  test('fails when the dataplane is unknown', () => {
    expect(() => new Verifier({ policies: [], cluster: base, dataplane: 'cilium' as never })).toThrow(VerifyMessages.unknownDataplane('cilium'));
  });
});

describe('error locations', () => {
  test('fails when an FQDNNetworkPolicy from a file is verified without Dataplane V2, naming file and document', () => {
    const f = { ...fqdn('x/f', sel(), [{ matches: [fqdnName('api.example.com')], ports: 'all' as const }]), source: { file: 'policies/egress.yaml', index: 2 } };
    expect(() => new Verifier({ policies: [f], cluster: base, dataplane: 'calico' }))
      .toThrow(`policies/egress.yaml[document 2] FQDNNetworkPolicy x/f: ${VerifyMessages.fqdnNeedsDataplaneV2('calico')}`);
  });

  test('fails naming the document and the item when the policy is an item of a List', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: cfg}', '---',
      'apiVersion: v1', 'kind: List', 'items:',
      '  - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: a, namespace: x}, spec: {podSelector: {}}}',
      '  - apiVersion: networking.gke.io/v1alpha1',
      '    kind: FQDNNetworkPolicy',
      '    metadata: {name: f, namespace: x}',
      '    spec: {podSelector: {}, egress: [{matches: [{name: api.example.com}]}]}',
    ].join('\n');
    const { policies } = parsePolicies(text, 'list.yaml');
    expect(() => new Verifier({ policies, cluster: base, dataplane: 'calico' }))
      .toThrow(`list.yaml[document 1] items[1] FQDNNetworkPolicy x/f: ${VerifyMessages.fqdnNeedsDataplaneV2('calico')}`);
  });
});

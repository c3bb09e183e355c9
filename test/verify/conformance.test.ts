/**
 * Conformance: the truth tables of the upstream Kubernetes network-policy e2e suite
 * (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go: namespaces x/y/z, pods a/b/c serving
 * ports 80 and 81 over TCP, UDP and SCTP on container ports named serve-<port>-<protocol>, pod label
 * pod=<name>), re-expressed as netproof models; and the examples of the Kubernetes NetworkPolicy
 * documentation (concepts/services-networking/network-policies). Multi-step upstream cases (update,
 * delete, relabel) are one case per state. Self pairs are not compared (upstream ignores loopback).
 */
import { cluster, ext, inNs, ipb, np, own, pod, rule, sel, tcp } from './_build';
import { ALL, Case, e2eCluster, gen, nsName, UPSTREAM } from './_e2e';
import { expectTable, rows } from './_table';
import { differences, Truth } from './_truth';
import { Dataplane } from '../../src/model/cluster';
import { PROTOCOLS } from '../../src/model/port';
import { Verifier } from '../../src/verify/verifier';

describe('upstream e2e truth tables (kubernetes/kubernetes test/e2e/network/netpol)', () => {
  const runs = UPSTREAM.flatMap((c) => (c.dataplanes ?? ALL).map((dp) => [c.name, dp, c] as [string, Dataplane, Case]));
  test.each(runs)('%s [%s]', (_name, dp, c) => {
    const cl = e2eCluster(c.pods, { nsLabels: c.nsLabels, podLabels: c.podLabels });
    const wrong = c.checks.flatMap((ch) => differences(c.policies, cl, dp, ch.port, ch.protocol, ch.truth(new Truth(c.pods, ch.default ?? true))));
    expect(wrong).toEqual([]);
  });

  test('the transcription covers every upstream case (all protocols)', () => {
    expect(UPSTREAM.length).toBeGreaterThanOrEqual(50);
    expect(new Set(UPSTREAM.flatMap((c) => c.checks.map((ch) => ch.protocol)))).toEqual(new Set(['TCP', 'UDP', 'SCTP']));
  });

  test('on Dataplane V2 the CIDR cases isolate the client completely (ipBlock never matches pods)', () => {
    for (const c of UPSTREAM.filter((u) => u.dataplanes !== undefined)) {
      const cl = e2eCluster(c.pods);
      expect(differences(c.policies, cl, 'dataplane-v2', 80, 'TCP', new Truth(c.pods, true).allEgress('x/a', false))).toEqual([]);
    }
  });

  test('loopback: every pod reaches itself even under default-deny-all (upstream leaves this to the CNI)', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c'];
    const policies = ['x', 'y', 'z'].map((ns) => gen(ns, 'deny-all', {}, { ingress: [], egress: [] }));
    const v = new Verifier({ policies, cluster: e2eCluster(pods) });
    for (const protocol of PROTOCOLS) {
      for (const port of [80, 81]) {
        const m = v.reach({ port, protocol });
        const selfAllowed = m.endpoints.map((_, i) => m.allowed(i, i));
        expect(selfAllowed).toEqual(pods.map(() => true));
        expect(m.summary().reduce((n, r) => n + r.allowed, 0)).toBe(9);
      }
    }
  });
});

/** The examples of the Kubernetes documentation page "Network Policies". */
describe('Kubernetes documentation examples', () => {
  const docs = cluster(
    { default: {}, myproject: { project: 'myproject' }, other: {} },
    [
      pod('default/db', { role: 'db' }, { ip: '10.0.0.5' }),
      pod('default/frontend', { role: 'frontend' }, { ip: '10.0.0.6' }),
      pod('default/web', { role: 'web' }, { ip: '10.0.1.7' }),
      pod('myproject/app', { app: 'x' }, { ip: '10.1.0.1' }),
      pod('other/frontend', { role: 'frontend' }, { ip: '10.2.0.1' }),
    ],
    [ext('in-block', '172.17.0.9'), ext('excepted', '172.17.1.9'), ext('db-peer', '10.0.0.200'), ext('internet', '198.51.100.1')],
  );

  test('test-network-policy: ingress from ipBlock/namespaceSelector/podSelector on TCP 6379, egress to 10.0.0.0/24 on TCP 5978', () => {
    const p = np('default/test-network-policy', {
      select: sel({ role: 'db' }),
      types: ['Ingress', 'Egress'],
      ingress: [rule([ipb('172.17.0.0/16', ['172.17.1.0/24']), inNs(sel({ project: 'myproject' })), own(sel({ role: 'frontend' }))], [tcp(6379)])],
      egress: [rule([ipb('10.0.0.0/24')], [tcp(5978)])],
    });
    expectTable([p], docs, 'upstream', rows(
      ['in-block', 'default/db', 6379, true], ['excepted', 'default/db', 6379, false], ['internet', 'default/db', 6379, false],
      ['myproject/app', 'default/db', 6379, true], ['default/frontend', 'default/db', 6379, true],
      ['other/frontend', 'default/db', 6379, false], ['default/web', 'default/db', 6379, false], ['default/frontend', 'default/db', 6380, false],
      ['default/db', 'db-peer', 5978, true], ['default/db', 'in-block', 5978, false], ['default/db', 'db-peer', 6379, false],
      ['default/db', 'default/frontend', 5978, true], ['default/db', 'default/web', 5978, false], ['default/db', 'myproject/app', 5978, false],
      ['default/frontend', 'default/web', 80, true],
    ));
    // Dataplane V2: the /24 no longer reaches the pod in it.
    expectTable([p], docs, 'dataplane-v2', rows(['default/db', 'default/frontend', 5978, false], ['default/db', 'db-peer', 5978, true]));
  });

  test('default deny all ingress; allow all ingress', () => {
    const deny = np('default/default-deny-ingress', { types: ['Ingress'] });
    expectTable([deny], docs, 'upstream', rows(['default/frontend', 'default/db', 80, false], ['internet', 'default/web', 443, false], ['default/db', 'internet', 443, true], ['default/db', 'other/frontend', 1, true, 'UDP']));
    const allow = np('default/allow-all-ingress', { ingress: [rule('all')], types: ['Ingress'] });
    expectTable([deny, allow], docs, 'upstream', rows(['default/frontend', 'default/db', 80, true], ['internet', 'default/web', 443, true]));
  });

  test('default deny all egress; allow all egress; default deny all', () => {
    const deny = np('default/default-deny-egress', { types: ['Egress'] });
    expectTable([deny], docs, 'upstream', rows(['default/db', 'default/frontend', 80, false], ['default/db', 'internet', 443, false], ['internet', 'default/db', 80, true]));
    const allow = np('default/allow-all-egress', { egress: [rule('all')], types: ['Egress'] });
    expectTable([deny, allow], docs, 'upstream', rows(['default/db', 'default/frontend', 80, true], ['default/db', 'internet', 443, true]));
    const all = np('default/default-deny-all', { types: ['Ingress', 'Egress'] });
    expectTable([all], docs, 'upstream', rows(['default/db', 'default/frontend', 80, false], ['myproject/app', 'default/db', 80, false], ['default/db', 'default/db', 80, true]));
  });

  test('namespaceSelector and podSelector in one peer (AND) versus two peers (OR)', () => {
    const c = cluster(
      { alice: { user: 'alice' }, bob: { user: 'bob' }, target: {} },
      [pod('alice/client', { role: 'client' }), pod('alice/server', { role: 'server' }), pod('bob/client', { role: 'client' }), pod('target/t', {}), pod('target/client', { role: 'client' })],
    );
    const and = np('target/and', { ingress: [rule([inNs(sel({ user: 'alice' }), sel({ role: 'client' }))])] });
    expectTable([and], c, 'upstream', rows(['alice/client', 'target/t', 80, true], ['alice/server', 'target/t', 80, false], ['bob/client', 'target/t', 80, false], ['target/client', 'target/t', 80, false]));
    const or = np('target/or', { ingress: [rule([inNs(sel({ user: 'alice' })), own(sel({ role: 'client' }))])] });
    expectTable([or], c, 'upstream', rows(['alice/client', 'target/t', 80, true], ['alice/server', 'target/t', 80, true], ['bob/client', 'target/t', 80, false], ['target/client', 'target/t', 80, true]));
  });

  test('targeting a range of ports with endPort', () => {
    const p = np('default/multi-port-egress', { select: sel({ role: 'db' }), types: ['Egress'], egress: [rule([ipb('10.0.0.0/24')], [tcp(32000, 32768)])] });
    expectTable([p], docs, 'upstream', rows(
      ['default/db', 'db-peer', 32000, true], ['default/db', 'db-peer', 32768, true], ['default/db', 'db-peer', 31999, false],
      ['default/db', 'db-peer', 32769, false], ['default/db', 'db-peer', 32000, false, 'UDP'],
    ));
  });

  test('targeting a namespace by its name', () => {
    const p = np('default/by-name', { ingress: [rule([inNs(nsName('myproject'))])] });
    expectTable([p], docs, 'upstream', rows(['myproject/app', 'default/db', 80, true], ['other/frontend', 'default/db', 80, false], ['default/web', 'default/db', 80, false]));
  });
});

/**
 * The cases of the upstream Kubernetes network-policy e2e suite (kubernetes/kubernetes
 * test/e2e/network/netpol/network_policy.go) as netproof models with their truth tables: used by the
 * conformance test and by the import round trip.
 */
import { cluster, cport, expr, inNs, ipb, np, own, pod, rule, sctp, sel, tcp, udp } from './_build';
import { Truth } from './_truth';
import { Dataplane } from '../../src/model/cluster';
import { NetworkPolicyModel, PolicyType } from '../../src/model/policy';
import { Protocol, PROTOCOLS } from '../../src/model/port';
import { Labels } from '../../src/model/selector';

const NS_INDEX: Record<string, number> = { x: 1, y: 2, z: 3 };
const POD_INDEX: Record<string, number> = { a: 1, b: 2, c: 3 };
const ipOf = (id: string) => { const [ns, p] = id.split('/'); return `10.${NS_INDEX[ns]}.0.${POD_INDEX[p]}`; };
const SERVE = [80, 81].flatMap((port) => PROTOCOLS.map((protocol) => cport(port, protocol, `serve-${port}-${protocol.toLowerCase()}`)));

export function e2eCluster(ids: readonly string[], extra: { nsLabels?: Record<string, Labels>; podLabels?: Record<string, Labels> } = {}) {
  return cluster(
    { x: { ...extra.nsLabels?.x }, y: { ...extra.nsLabels?.y }, z: { ...extra.nsLabels?.z } },
    ids.map((id) => pod(id, { pod: id.split('/')[1], ...extra.podLabels?.[id] }, { ip: ipOf(id), ports: SERVE })),
  );
}

/** `GenNetworkPolicyWithNameAndPodMatchLabel`-like: a policy in `ns` whose types follow the rules given. */
type Rules = ReturnType<typeof rule>[];
export function gen(
  ns: string, name: string, podLabels: Labels, opts: { ingress?: Rules; egress?: Rules; types?: PolicyType[] },
): NetworkPolicyModel {
  const types: PolicyType[] = opts.types ?? [...(opts.ingress ? ['Ingress' as const] : []), ...(opts.egress ? ['Egress' as const] : [])];
  return np(`${ns}/${name}`, { select: sel(podLabels), ingress: opts.ingress ?? [], egress: opts.egress ?? [], types });
}

export const nsName = (n: string) => sel({ 'kubernetes.io/metadata.name': n });

export interface Check { port: number; protocol: Protocol; truth: (t: Truth) => Truth; default?: boolean }
export interface Case {
  name: string;
  pods: string[];
  policies: NetworkPolicyModel[];
  checks: Check[];
  nsLabels?: Record<string, Labels>;
  podLabels?: Record<string, Labels>;
  /** Cases with ipBlocks on pod IPs behave differently on Dataplane V2 (tested separately). */
  dataplanes?: Dataplane[];
}

export const ALL: Dataplane[] = ['upstream', 'calico', 'dataplane-v2'];
const id = (t: Truth) => t;
const allowXaFromNsY: (t: Truth) => Truth = (t) => t.peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);

export const UPSTREAM: Case[] = [
  ...(['TCP', 'UDP', 'SCTP'] as Protocol[]).map((protocol): Case => ({
    name: `should support a 'default-deny-ingress' policy (${protocol})`,
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [gen('x', 'deny-ingress', {}, { ingress: [] })],
    checks: [{ port: 80, protocol, truth: (t) => t.peer({}, { ns: 'x' }, false) }],
  })),
  {
    name: "should support a 'default-deny-all' policy",
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'deny-all', {}, { ingress: [], egress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({}, { ns: 'x' }, false).peer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [gen('x', 'x-a-allows-x-b', { pod: 'a' }, { ingress: [rule([own(sel({ pod: 'b' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).pair('x/b', 'x/a', true) }],
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'deny-all', {}, { ingress: [] }), gen('x', 'allow-all-to-a', { pod: 'a' }, { ingress: [rule([inNs(sel(), sel())])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', true).allIngress('x/b', false) }],
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'allow-from-another-ns', { pod: 'a' }, { ingress: [rule([inNs(sel())])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'allow-client-a-via-ns-selector', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'x-a-allows-x-b', { pod: 'a' }, { ingress: [rule([own(sel({}, [expr('pod', 'In', ['b'])]))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).pair('x/b', 'x/a', true) }],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'allow-ns-y-match-selector', { pod: 'a' }, { ingress: [rule([inNs(sel({}, [expr('kubernetes.io/metadata.name', 'In', ['y'])]))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [gen('x', 'allow-ns-y-match-selector', { pod: 'a' }, {
      ingress: [rule([inNs(sel({}, [expr('kubernetes.io/metadata.name', 'NotIn', ['x'])])), own(sel({ pod: 'b' }))])],
    })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.pair('x/c', 'x/a', false) }],
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    policies: [gen('x', 'allow-ns-y-podselector-and-nsselector', { pod: 'a' }, {
      ingress: [rule([inNs(sel({}, [expr('kubernetes.io/metadata.name', 'NotIn', ['x'])]), sel({ pod: 'b' }))])],
    })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).pair('y/b', 'x/a', true).pair('z/b', 'x/a', true) }],
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'],
    policies: [gen('x', 'allow-ns-y-z-pod-b-c', { pod: 'a' }, {
      ingress: [rule([inNs(sel({}, [expr('kubernetes.io/metadata.name', 'NotIn', ['x'])]), sel({}, [expr('pod', 'In', ['b', 'c'])]))])],
    })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).pair('y/a', 'x/a', false) }],
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    pods: ['x/a', 'x/b', 'x/c'],
    policies: [gen('x', 'allow-ns-x-pod-b-c', { pod: 'a' }, { ingress: [rule([own(sel({ pod: 'b' })), own(sel({ pod: 'c' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).pair('x/b', 'x/a', true).pair('x/c', 'x/a', true) }],
  },
  ...([['TCP', ['x/a', 'x/b', 'y/a', 'y/b', 'z/a']], ['UDP', ['x/a', 'x/b', 'y/a']], ['SCTP', ['x/a', 'x/b', 'y/a']]] as [Protocol, string[]][]).map(([protocol, pods]): Case => ({
    name: `should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector (${protocol})`,
    pods,
    policies: [gen('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'), sel({ pod: 'a' }))])] })],
    checks: [{ port: 80, protocol, truth: (t) => t.allIngress('x/a', false).pair('y/a', 'x/a', true) }],
  })),
  ...([['TCP', ['x/a', 'x/b', 'y/a', 'y/b', 'z/a']], ['UDP', ['x/a', 'x/b', 'y/a', 'z/a']], ['SCTP', ['x/a', 'x/b', 'y/a', 'z/a']]] as [Protocol, string[]][]).map(([protocol, pods]): Case => ({
    name: `should enforce policy based on Ports (${protocol})`,
    pods,
    policies: [gen('x', 'allow-port-81', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))], [{ protocol, port: 81 }])] })],
    checks: [{ port: 81, protocol, truth: allowXaFromNsY }],
  })),
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (port 81 only)',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [gen('x', 'allow-client-a-via-ns-selector', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))], [tcp(81)])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: allowXaFromNsY }, { port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }],
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (81 and 80)',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [
      gen('x', 'allow-client-a-via-ns-selector', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))], [tcp(81)])] }),
      gen('x', 'allow-client-a-via-ns-selector-80', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))], [tcp(80)])] }),
    ],
    checks: [{ port: 81, protocol: 'TCP', truth: allowXaFromNsY }, { port: 80, protocol: 'TCP', truth: allowXaFromNsY }],
  },
  {
    name: 'should support allow-all policy',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'allow-all', {}, { ingress: [rule('all')] })],
    checks: [{ port: 80, protocol: 'TCP', truth: id }, { port: 81, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should allow ingress access on one named port',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'allow-all', {}, { ingress: [rule('all', [tcp('serve-81-tcp')])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: id }, { port: 80, protocol: 'TCP', truth: (t) => t.peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'allow-client-a-via-ns-selector-80', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))], [tcp('serve-80-tcp')])] })],
    checks: [
      { port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) },
      { port: 81, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) },
    ],
  },
  {
    name: 'should allow egress access on one named port',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-egress', {}, { egress: [rule('all', [tcp('serve-80-tcp')])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: id }, { port: 81, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should enforce updated policy (before: allow all)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-all-mutate-to-deny-all', {}, { ingress: [rule('all')] })],
    checks: [{ port: 81, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should enforce updated policy (after: deny all)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-all-mutate-to-deny-all', {}, { ingress: [] })],
    checks: [{ port: 81, protocol: 'TCP', truth: (t) => t.peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'should allow ingress access from updated namespace (before the label)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-client-a-via-ns-selector', { pod: 'a' }, { ingress: [rule([inNs(sel({ ns2: 'updated' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }],
  },
  {
    name: 'should allow ingress access from updated namespace (after the label)',
    pods: ['x/a', 'y/a'],
    nsLabels: { y: { ns2: 'updated' } },
    policies: [gen('x', 'allow-client-a-via-ns-selector', { pod: 'a' }, { ingress: [rule([inNs(sel({ ns2: 'updated' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).peer({ ns: 'y' }, {}, true) }],
  },
  {
    name: 'should allow ingress access from updated pod (before the label)',
    pods: ['x/a', 'x/b'],
    policies: [gen('x', 'allow-client-a-via-pod-selector', { pod: 'a' }, { ingress: [rule([own(sel({ pod: 'b', pod2: 'updated' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }],
  },
  {
    name: 'should allow ingress access from updated pod (after the label)',
    pods: ['x/a', 'x/b'],
    podLabels: { 'x/b': { pod2: 'updated' } },
    policies: [gen('x', 'allow-client-a-via-pod-selector', { pod: 'a' }, { ingress: [rule([own(sel({ pod: 'b', pod2: 'updated' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).pair('x/b', 'x/a', true) }],
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'deny-empty-policy', {}, { ingress: [rule([own(sel())])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'y' }, { ns: 'x' }, false).peer({ ns: 'z' }, { ns: 'x' }, false) }],
  },
  {
    name: 'should deny ingress access to updated pod (before the label)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'deny-ingress-via-label-selector', { target: 'isolated' }, { ingress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should deny ingress access to updated pod (after the label)',
    pods: ['x/a', 'y/a'],
    podLabels: { 'x/a': { target: 'isolated' } },
    policies: [gen('x', 'deny-ingress-via-label-selector', { target: 'isolated' }, { ingress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }],
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'deny-egress-pod-a', { pod: 'a' }, { egress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allEgress('x/a', false) }],
  },
  {
    name: 'should deny egress from all pods in a namespace',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'deny-egress-ns-x', {}, { egress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should work with Ingress, Egress specified together',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [gen('x', 'allow-client-a-via-pod-selector', { pod: 'a' }, {
      ingress: [rule([own(sel({ pod: 'b' }))])], egress: [rule('all', [tcp(80)])], types: ['Egress', 'Ingress'],
    })],
    checks: [
      { port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).pair('x/b', 'x/a', true) },
      { port: 81, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false).allEgress('x/a', false).pair('x/b', 'x/a', true) },
    ],
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [
      gen('x', 'allow-to-ns-y-pod-a', { pod: 'a' }, { egress: [rule([inNs(nsName('y'), sel({ pod: 'a' }))])] }),
      gen('y', 'allow-from-xa-on-ya-match-selector', { pod: 'a' }, { ingress: [rule([inNs(nsName('x'), sel({ pod: 'a' }))])] }),
      gen('y', 'allow-from-xa-on-yb-match-selector', { pod: 'b' }, { ingress: [rule([inNs(nsName('x'), sel({ pod: 'a' }))])] }),
    ],
    checks: [{
      port: 80,
      protocol: 'TCP',
      truth: (t) => t.peer({ ns: 'x', pod: 'a' }, {}, false).peer({}, { ns: 'y', pod: 'a' }, false).pair('x/a', 'y/a', true).peer({}, { ns: 'y', pod: 'b' }, false),
    }],
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [gen('x', 'allow-to-ns-y-pod-a', { pod: 'a' }, { egress: [rule([inNs(nsName('y'), sel({ pod: 'a' }))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allEgress('x/a', false).pair('x/a', 'y/a', true) }],
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-ingress-by-proto', { pod: 'a' }, { ingress: [rule('all', [tcp()])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: id }, { port: 80, protocol: 'UDP', truth: (t) => t.peer({}, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence (port 80 only)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-ingress-port-80', {}, { ingress: [rule('all', [tcp(80)])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: (t) => t.peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence (plus allow-all)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-ingress-port-80', {}, { ingress: [rule('all', [tcp(80)])] }), gen('x', 'allow-ingress', {}, { ingress: [rule('all')] })],
    checks: [{ port: 81, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (port 80 only)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-egress-port-80', {}, { egress: [rule('all', [tcp(80)])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (plus allow-all)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-egress-port-80', {}, { egress: [rule('all', [tcp(80)])] }), gen('x', 'allow-egress', {}, { egress: [rule('all')] })],
    checks: [{ port: 81, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should stop enforcing policies after they are deleted (while present)',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'deny-all', {}, { ingress: [], egress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, {}, false).peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'should stop enforcing policies after they are deleted (after deletion)',
    pods: ['x/a', 'y/a'],
    policies: [],
    checks: [{ port: 80, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should allow egress access to server in CIDR block',
    pods: ['x/a', 'y/a', 'y/b'],
    dataplanes: ['upstream', 'calico'],
    policies: [gen('x', 'allow-client-a-via-cidr-egress-rule', { pod: 'a' }, { egress: [rule([ipb(`${ipOf('y/b')}/32`)])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allEgress('x/a', false).pair('x/a', 'y/b', true) }],
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    pods: ['x/a', 'x/b', 'x/c'],
    dataplanes: ['upstream', 'calico'],
    policies: [gen('x', 'allow-client-a-via-cidr-egress-rule', { pod: 'a' }, { egress: [rule([ipb('0.0.0.0/4', [`${ipOf('x/b')}/32`])])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.pair('x/a', 'x/b', false) }],
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (after the update)',
    pods: ['x/a', 'x/b', 'x/c'],
    dataplanes: ['upstream', 'calico'],
    policies: [gen('x', 'allow-client-a-via-cidr-egress-rule', { pod: 'a' }, { egress: [rule([ipb(`${ipOf('x/b')}/32`)])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allEgress('x/a', false).pair('x/a', 'x/b', true) }],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (egress only)',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'allow-egress-for-target', { pod: 'a' }, { egress: [rule('all')] })],
    checks: [{ port: 80, protocol: 'TCP', truth: id }],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (plus deny ingress)',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [gen('x', 'allow-egress-for-target', { pod: 'a' }, { egress: [rule('all')] }), gen('x', 'deny-ingress-via-label-selector', { pod: 'a' }, { ingress: [] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }],
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'deny-ingress', {}, { ingress: [] }), gen('x', 'allow-only-sctp-ingress-on-port-81', { pod: 'a' }, { ingress: [rule('all', [sctp(81)])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: (t) => t.peer({}, { ns: 'x' }, false) }, { port: 81, protocol: 'SCTP', truth: id }],
  },
  {
    name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-only-sctp-ingress-on-port-80', { pod: 'a' }, { ingress: [rule('all', [sctp(80)])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }],
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    pods: ['x/a', 'y/a'],
    policies: [gen('x', 'allow-only-udp-ingress-on-port-81', { pod: 'a' }, { ingress: [rule('all', [udp(81)])] })],
    checks: [{ port: 81, protocol: 'TCP', truth: (t) => t.allIngress('x/a', false) }, { port: 81, protocol: 'UDP', truth: id }],
  },
  {
    name: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', { pod: 'a' }, { ingress: [rule([inNs(nsName('y'))])] })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) }],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [gen('x', 'allow-ns-y-match-selector-for-immutable-ns-label', { pod: 'a' }, {
      egress: [rule([inNs(sel({}, [expr('kubernetes.io/metadata.name', 'NotIn', ['y'])]))])],
    })],
    checks: [{ port: 80, protocol: 'TCP', truth: (t) => t.peer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false) }],
  },
];


/**
 * What the ClusterNetworkPolicy constructs mean, as the verifier decides it from the YAML they write:
 * a table of connections between pods of four namespaces (a and a2 of tenant x, b of tenant y, c
 * without a tenant) and kube-dns, each with the verdict and the tier that decides each side. Every row
 * would fail if a tier were evaluated in the wrong place (Admin after NetworkPolicies, Baseline before
 * them, Pass taken for Accept), if rule order or priority were ignored, or if a guardrail were too wide
 * or too narrow.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowFrom, AllowTo, AlwaysAllow, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterPeer, ClusterPods, ClusterPolicyChart, ClusterProtocol,
  ClusterRule, ClusterTier, DefaultDeny, Endpoints, Externals, Peer, PolicyChart, Port, Selector, TenantIsolation, verifyApp,
} from '../../src';
import { LabelExpression } from '../../src/values/selector';
import { Verdict } from '../../src/verify/api';
import { CNP_DPV2 } from '../_helpers-constructs';

const NAMESPACES: Record<string, Record<string, string>> = { a: { tenant: 'x' }, a2: { tenant: 'x' }, b: { tenant: 'y' }, c: {} };
type Ns = 'a' | 'a2' | 'b' | 'c';

interface World {
  readonly app: ReturnType<typeof Testing.app>;
  readonly cluster: ClusterPolicyChart;
  readonly charts: Record<Ns, PolicyChart>;
  readonly pods: Record<Ns, kplus.Pod>;
}

/** Four namespaces (labelled by a cluster chart), one pod each listening on TCP 8080, and no policy. */
function world(): World {
  const app = Testing.app();
  const cluster = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2 });
  const charts = {} as Record<Ns, PolicyChart>;
  const pods = {} as Record<Ns, kplus.Pod>;
  for (const [name, labels] of Object.entries(NAMESPACES)) {
    new kplus.Namespace(cluster, `ns-${name}`, { metadata: { name, labels } });
    charts[name as Ns] = new PolicyChart(app, name, { namespace: name, profile: CNP_DPV2 });
    pods[name as Ns] = new kplus.Pod(charts[name as Ns], 'pod', { containers: [{ image: 'app', portNumber: 8080 }] });
  }
  return { app, cluster, charts, pods };
}

type End = Ns | 'kube-dns';

function verdicts(w: World, from: End, to: End | 'internet', port: Port): Verdict[] {
  const end = (e: End) => (e === 'kube-dns' ? Externals.KUBE_DNS : w.pods[e]);
  return w.cluster.explain(end(from as End), to === 'internet' ? Externals.INTERNET : end(to), port);
}

interface Row {
  readonly title: string;
  readonly build: (w: World) => void;
  readonly from: End;
  readonly to: End | 'internet';
  readonly port?: Port;
  readonly allowed: boolean;
  /** The tier that decides each side (undefined: not checked). */
  readonly egress?: string;
  readonly ingress?: string;
}

const ns = (name: string) => ClusterPods.namespace(name);
type Rules = { ingress?: ClusterRule[]; egress?: ClusterRule[] };
const cnp = (w: World, id: string, tier: ClusterTier, priority: number, subject: ClusterPods, rules: Rules) =>
  new ClusterNetworkPolicy(w.cluster, id, { tier, priority, subject, ...rules });
const allowAllIn = (w: World, n: Ns) => new AllowFrom(w.charts[n], 'from-anyone', { from: [Peer.anyone()] });
const allowAllOut = (w: World, n: Ns) => new AllowTo(w.charts[n], 'to-anyone', { to: [Peer.anyone()] });
const kubeDns = (w: World, priority?: number) =>
  new AlwaysAllow(w.cluster, 'kube-dns', { to: ClusterPods.KUBE_DNS, protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP], priority });

const ROWS: Row[] = [
  // ClusterNetworkPolicy: the tiers around NetworkPolicies
  {
    title: 'an Admin Deny overrides a NetworkPolicy that allows',
    build: (w) => { allowAllIn(w, 'b'); cnp(w, 'deny', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.deny([ns('a')])] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    egress: 'default',
    ingress: 'Admin',
  },
  {
    title: 'a Baseline Deny does not override a NetworkPolicy that allows',
    build: (w) => { allowAllIn(w, 'b'); cnp(w, 'deny', ClusterTier.BASELINE, 10, ns('b'), { ingress: [ClusterRule.deny([ns('a')])] }); },
    from: 'a',
    to: 'b',
    allowed: true,
    ingress: 'NetworkPolicy',
  },
  {
    title: 'a Baseline Deny decides for a pod no NetworkPolicy isolates',
    build: (w) => { cnp(w, 'deny', ClusterTier.BASELINE, 10, ns('b'), { ingress: [ClusterRule.deny([ns('a')])] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    ingress: 'Baseline',
  },
  {
    title: 'an Admin Accept overrides a NetworkPolicy default deny',
    build: (w) => { new DefaultDeny(w.charts.b, 'deny'); cnp(w, 'accept', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.accept([ns('a')])] }); },
    from: 'a',
    to: 'b',
    allowed: true,
    ingress: 'Admin',
  },
  {
    title: 'an Admin Accept of egress leaves the destination\'s ingress to its own policies',
    build: (w) => { new DefaultDeny(w.charts.b, 'deny'); cnp(w, 'accept', ClusterTier.ADMIN, 10, ns('a'), { egress: [ClusterRule.accept([ns('b')])] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    egress: 'Admin',
    ingress: 'NetworkPolicy',
  },
  {
    title: 'an Admin Pass is no Accept: it hands the traffic on, here to a Baseline Deny',
    build: (w) => {
      cnp(w, 'pass', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.pass([ns('a')]), ClusterRule.deny([ClusterPods.allNamespaces()])] });
      cnp(w, 'baseline', ClusterTier.BASELINE, 10, ns('b'), { ingress: [ClusterRule.deny([ClusterPods.allNamespaces()])] });
    },
    from: 'a',
    to: 'b',
    allowed: false,
    ingress: 'Baseline',
  },
  {
    title: 'rules in order: an Accept before a Deny of everything wins',
    build: (w) => { cnp(w, 'p', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.accept([ns('a')]), ClusterRule.deny([ClusterPods.allNamespaces()])] }); },
    from: 'a',
    to: 'b',
    allowed: true,
    ingress: 'Admin',
  },
  {
    title: 'rules in order: a Deny of everything before an Accept wins',
    build: (w) => { cnp(w, 'p', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.deny([ClusterPods.allNamespaces()]), ClusterRule.accept([ns('a')])] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    ingress: 'Admin',
  },
  {
    title: 'priorities: the lower number goes first (Accept at 5, Deny at 6)',
    build: (w) => {
      cnp(w, 'accept', ClusterTier.ADMIN, 5, ns('b'), { ingress: [ClusterRule.accept([ns('a')])] });
      cnp(w, 'deny', ClusterTier.ADMIN, 6, ns('b'), { ingress: [ClusterRule.deny([ns('a')])] });
    },
    from: 'a',
    to: 'b',
    allowed: true,
    ingress: 'Admin',
  },
  {
    title: 'priorities: the lower number goes first (Accept at 6, Deny at 5)',
    build: (w) => {
      cnp(w, 'accept', ClusterTier.ADMIN, 6, ns('b'), { ingress: [ClusterRule.accept([ns('a')])] });
      cnp(w, 'deny', ClusterTier.ADMIN, 5, ns('b'), { ingress: [ClusterRule.deny([ns('a')])] });
    },
    from: 'a',
    to: 'b',
    allowed: false,
    ingress: 'Admin',
  },
  {
    title: 'protocols: a Deny on TCP 8080 denies TCP 8080',
    build: (w) => { cnp(w, 'p', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.deny([ns('a')], { protocols: [ClusterProtocol.tcp(8080)] })] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    ingress: 'Admin',
  },
  {
    title: 'protocols: a Deny on TCP 8080 leaves TCP 9090',
    build: (w) => { cnp(w, 'p', ClusterTier.ADMIN, 10, ns('b'), { ingress: [ClusterRule.deny([ns('a')], { protocols: [ClusterProtocol.tcp(8080)] })] }); },
    from: 'a',
    to: 'b',
    port: Port.tcp(9090),
    allowed: true,
    ingress: 'default',
  },
  {
    title: 'a networks peer matches pod IPs too (0.0.0.0/0 is every IPv4 pod)',
    build: (w) => { cnp(w, 'p', ClusterTier.ADMIN, 10, ns('a'), { egress: [ClusterRule.deny([ClusterPeer.networks('0.0.0.0/0')])] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    egress: 'Admin',
  },

  // TenantIsolation
  {
    title: 'TenantIsolation: another tenant is denied though both NetworkPolicies allow',
    build: (w) => { allowAllOut(w, 'a'); allowAllIn(w, 'b'); new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    egress: 'Admin',
    ingress: 'Admin',
  },
  {
    title: 'TenantIsolation: another tenant is denied by the destination\'s policy alone when the source\'s tenant is not listed',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['y'] }); },
    from: 'a',
    to: 'b',
    allowed: false,
    egress: 'default',
    ingress: 'Admin',
  },
  {
    title: 'TenantIsolation: namespaces of one tenant reach each other (NetworkPolicies decide)',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'a',
    to: 'a2',
    allowed: true,
    egress: 'default',
    ingress: 'default',
  },
  {
    title: 'TenantIsolation: within the tenant a NetworkPolicy still denies',
    build: (w) => { new DefaultDeny(w.charts.a2, 'deny'); new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'a',
    to: 'a2',
    allowed: false,
    ingress: 'NetworkPolicy',
  },
  {
    title: 'TenantIsolation: a namespace without a tenant does not reach a tenant',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'c',
    to: 'a',
    allowed: false,
    ingress: 'Admin',
  },
  {
    title: 'TenantIsolation: a tenant does not reach a namespace without a tenant',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'a',
    to: 'c',
    allowed: false,
    egress: 'Admin',
  },
  {
    title: 'TenantIsolation: kube-dns is an exception by default (passed to NetworkPolicies)',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'a',
    to: 'kube-dns',
    port: Port.DNS_UDP,
    allowed: true,
    egress: 'default',
  },
  {
    title: 'TenantIsolation: without exceptions kube-dns is outside the tenant too',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'], exceptions: [] }); },
    from: 'a',
    to: 'kube-dns',
    port: Port.DNS_UDP,
    allowed: false,
    egress: 'Admin',
  },
  {
    title: 'TenantIsolation: an exception still needs the NetworkPolicies (Pass, not Accept)',
    build: (w) => { new DefaultDeny(w.charts.a, 'deny'); new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'], exceptions: [ns('c')] }); },
    from: 'a',
    to: 'c',
    allowed: false,
    egress: 'NetworkPolicy',
    ingress: 'default',
  },
  {
    title: 'TenantIsolation: an exception is reached as the NetworkPolicies allow',
    build: (w) => { new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'], exceptions: [ns('c')] }); },
    from: 'a',
    to: 'c',
    allowed: true,
    egress: 'default',
    ingress: 'default',
  },

  // AlwaysAllow
  {
    title: 'AlwaysAllow kube-dns: DNS gets through an egress default deny',
    build: (w) => { new DefaultDeny(w.charts.a, 'deny'); kubeDns(w); },
    from: 'a',
    to: 'kube-dns',
    port: Port.DNS_UDP,
    allowed: true,
    egress: 'Admin',
    ingress: 'Admin',
  },
  {
    title: 'AlwaysAllow kube-dns: only on the DNS ports',
    build: (w) => { new DefaultDeny(w.charts.a, 'deny'); kubeDns(w); },
    from: 'a',
    to: 'kube-dns',
    port: Port.tcp(80),
    allowed: false,
    egress: 'NetworkPolicy',
  },
  {
    title: 'AlwaysAllow kube-dns before TenantIsolation: Accept, not Pass',
    build: (w) => { new DefaultDeny(w.charts.a, 'deny'); kubeDns(w); new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'a',
    to: 'kube-dns',
    port: Port.DNS_TCP,
    allowed: true,
    egress: 'Admin',
  },
  {
    title: 'AlwaysAllow monitoring at priority 10 gets through TenantIsolation at 100',
    build: (w) => { new AlwaysAllow(w.cluster, 'monitoring', { from: ns('c') }); new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'c',
    to: 'a',
    allowed: true,
    egress: 'Admin',
    ingress: 'Admin',
  },
  {
    title: 'AlwaysAllow monitoring at priority 200 comes after TenantIsolation at 100',
    build: (w) => { new AlwaysAllow(w.cluster, 'monitoring', { from: ns('c'), priority: 200 }); new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] }); },
    from: 'c',
    to: 'a',
    allowed: false,
    ingress: 'Admin',
  },
  {
    title: 'AlwaysAllow one-sided: the destination\'s own default deny still applies',
    build: (w) => { new DefaultDeny(w.charts.a, 'deny'); new AlwaysAllow(w.cluster, 'monitoring', { from: ns('c'), ingress: false }); },
    from: 'c',
    to: 'a',
    allowed: false,
    egress: 'Admin',
    ingress: 'NetworkPolicy',
  },

  // BaselineDefaultDeny
  {
    title: 'BaselineDefaultDeny: pods no NetworkPolicy isolates are denied both ways',
    build: (w) => { new BaselineDefaultDeny(w.cluster, 'baseline'); },
    from: 'c',
    to: 'a',
    allowed: false,
    egress: 'Baseline',
    ingress: 'Baseline',
  },
  {
    title: 'BaselineDefaultDeny: NetworkPolicies that allow override it',
    build: (w) => { allowAllOut(w, 'a'); allowAllIn(w, 'b'); new BaselineDefaultDeny(w.cluster, 'baseline'); },
    from: 'a',
    to: 'b',
    allowed: true,
    egress: 'NetworkPolicy',
    ingress: 'NetworkPolicy',
  },
  {
    title: 'BaselineDefaultDeny: egress to the internet is denied',
    build: (w) => { new BaselineDefaultDeny(w.cluster, 'baseline'); },
    from: 'a',
    to: 'internet',
    port: Port.HTTPS,
    allowed: false,
    egress: 'Baseline',
  },
  {
    title: 'BaselineDefaultDeny: kube-system is left out by default',
    build: (w) => { allowAllOut(w, 'a'); new BaselineDefaultDeny(w.cluster, 'baseline'); },
    from: 'a',
    to: 'kube-dns',
    port: Port.DNS_UDP,
    allowed: true,
    egress: 'NetworkPolicy',
    ingress: 'default',
  },
  {
    title: 'BaselineDefaultDeny: AlwaysAllow (Admin) comes first',
    build: (w) => { kubeDns(w); new BaselineDefaultDeny(w.cluster, 'baseline'); },
    from: 'a',
    to: 'kube-dns',
    port: Port.DNS_UDP,
    allowed: true,
    egress: 'Admin',
  },
  {
    title: 'BaselineDefaultDeny: egress only',
    build: (w) => { new BaselineDefaultDeny(w.cluster, 'baseline', { ingress: false }); },
    from: 'c',
    to: 'a',
    allowed: false,
    egress: 'Baseline',
    ingress: 'default',
  },
];

describe('ClusterNetworkPolicy constructs, verified', () => {
  test.each(ROWS.map((r) => [r.title, r]))('%s', (_title, row) => {
    const w = world();
    row.build(w);
    const found = verdicts(w, row.from, row.to, row.port ?? Port.tcp(8080));
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect({ allowed: v.allowed, egress: row.egress && v.egress.decidedBy, ingress: row.ingress && v.ingress.decidedBy })
        .toEqual({ allowed: row.allowed, egress: row.egress, ingress: row.ingress });
    }
  });
});

describe('guardrails, proved for every pod and namespace that could exist', () => {
  const otherTenants = (t: string) => Endpoints.namespaces(Selector.expressions(LabelExpression.exists('tenant'), LabelExpression.notIn('tenant', [t])));
  const tenant = (t: string) => Endpoints.namespaces(Selector.labels({ tenant: t }));

  test('TenantIsolation: no pod of a tenant reaches another tenant\'s, whatever their NetworkPolicies; without it, one does', () => {
    const w = world();
    allowAllOut(w, 'a');
    allowAllIn(w, 'b');
    w.cluster.expect(tenant('x')).cannotReach(otherTenants('x'));
    // Every other namespace but kube-system (kube-dns is the default exception) cannot reach tenant x either.
    const outside = Endpoints.namespaces(Selector.expressions(LabelExpression.notIn('tenant', ['x']), LabelExpression.notIn('kubernetes.io/metadata.name', ['kube-system'])));
    w.cluster.expect(outside).cannotReach(tenant('x'));
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([false, false]);
    new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] });
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([true, true]);
  });

  test('AlwaysAllow kube-dns: every pod of every namespace resolves names, whatever its NetworkPolicies', () => {
    const w = world();
    new DefaultDeny(w.charts.a, 'deny');
    w.cluster.expect(Endpoints.namespaces(Selector.all())).canReach(Externals.KUBE_DNS, Port.DNS_UDP, { scope: 'all' });
    expect(verifyApp(w.app).results[0].holds).toBe(false);
    kubeDns(w);
    expect(verifyApp(w.app).results[0].holds).toBe(true);
  });

  test('BaselineDefaultDeny: no pod outside kube-system reaches the internet or another namespace unless a NetworkPolicy allows it', () => {
    const w = world();
    const outsideSystem = Endpoints.namespaces(Selector.expressions(LabelExpression.notIn('kubernetes.io/metadata.name', ['kube-system'])));
    w.cluster.expect(outsideSystem).cannotReach(Externals.INTERNET);
    w.cluster.expect(Endpoints.namespace('c')).cannotReach(Endpoints.namespace('a'));
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([false, false]);
    new BaselineDefaultDeny(w.cluster, 'baseline');
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([true, true]);
  });
});

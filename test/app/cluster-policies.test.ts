/**
 * Synth verifies the ClusterNetworkPolicies it writes with the NetworkPolicies, in one engine: the
 * constructs' objects are read back from their manifests (a JSON patch on one counts), a raw ApiObject
 * ClusterNetworkPolicy counts too, intents see both tiers, and what the API server or the engine would
 * refuse fails synth before anything is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AlwaysAllow, BaselineDefaultDeny, ClusterNetworkPolicy, ClusterProfile, ClusterPods, ClusterPolicyChart, ClusterProtocol, ClusterRule, ClusterTier,
  DefaultDeny, Endpoints, Externals, PolicyChart, Port, Selector, synthesizeAtomically, TenantIsolation, verifyApp,
} from '../../src';
import { CNP_DPV2 } from '../_helpers-constructs';

interface World { app: App; cluster: ClusterPolicyChart; a: PolicyChart; b: PolicyChart }

/** Namespaces a (tenant x) and b (tenant y), one pod each on TCP 8080, no NetworkPolicy. */
function world(): World {
  const app = Testing.app();
  const cluster = new ClusterPolicyChart(app, 'cluster', { profile: CNP_DPV2 });
  const charts: PolicyChart[] = [];
  for (const [name, tenant] of [['a', 'x'], ['b', 'y']]) {
    new kplus.Namespace(cluster, `ns-${name}`, { metadata: { name, labels: { tenant } } });
    const chart = new PolicyChart(app, name, { namespace: name, profile: CNP_DPV2 });
    new kplus.Pod(chart, 'pod', { containers: [{ image: 'app', portNumber: 8080 }] });
    charts.push(chart);
  }
  return { app, cluster, a: charts[0], b: charts[1] };
}

function synthError(app: App): string {
  try {
    app.synthYaml();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth passed');
}

const cnp = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
const resourceOf = (c: { node: { findAll(): any[] } }, name: string) =>
  c.node.findAll().find((x): x is ApiObject => ApiObject.isApiObject(x) && x.name === name)!;

describe('synth verifies ClusterNetworkPolicies with NetworkPolicies', () => {
  test('the model holds the constructs\' ClusterNetworkPolicies as written, with their construct paths', () => {
    const w = world();
    new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] });
    new DefaultDeny(w.a, 'deny');
    const { policies } = verifyApp(w.app).model;
    expect(policies.map((p) => `${p.kind} ${p.name}`)).toEqual(['ClusterNetworkPolicy tenants-x', 'ClusterNetworkPolicy tenants-y', 'NetworkPolicy deny']);
    expect(policies[0]).toMatchObject({ tier: 'Admin', priority: 100, source: { constructPath: 'cluster/tenants' } });
  });

  test('an intent that holds only because of an Admin Accept: DNS through a namespace\'s default deny', () => {
    const w = world();
    new DefaultDeny(w.a, 'deny');
    w.a.expect(Selector.all()).canReach(Externals.KUBE_DNS, Port.DNS_UDP);
    expect(synthError(w.app)).toContain('[a/netproof-intents] intent violated');
    new AlwaysAllow(w.cluster, 'kube-dns', { to: ClusterPods.KUBE_DNS, protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP] });
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([true]);
    expect(() => w.app.synthYaml()).not.toThrow();
  });

  test('an intent that fails because of a Baseline Deny, with the deciding tier in the counterexample', () => {
    const w = world();
    w.a.expect(Selector.all()).canReach(Endpoints.namespace('b'), Port.tcp(8080));
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([true]);
    new BaselineDefaultDeny(w.cluster, 'baseline');
    const message = synthError(w.app);
    expect(message).toContain('[a/netproof-intents] intent violated');
    expect(message).toContain('[Baseline] cnp/baseline egress[0] "default-deny" Deny');
  });

  test('a JSON patch on a guardrail\'s object is verified as written', () => {
    const w = world();
    const tenants = new TenantIsolation(w.cluster, 'tenants', { tenants: ['x', 'y'] });
    w.cluster.expect(Endpoints.namespace('a')).cannotReach(Endpoints.namespace('b'));
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([true]);
    // Deny -> Pass on both sides of both policies: tenants are no longer kept apart.
    for (const tenant of ['tenants-x', 'tenants-y']) {
      const obj = resourceOf(tenants, tenant);
      obj.addJsonPatch(JsonPatch.replace('/spec/ingress/1/action', 'Pass'), JsonPatch.replace('/spec/egress/1/action', 'Pass'));
    }
    const { model, results } = verifyApp(w.app);
    expect(model.policies.find((p) => p.name === 'tenants-x')).toMatchObject({ kind: 'ClusterNetworkPolicy', egress: [{ action: 'Pass' }, { action: 'Pass' }], source: { constructPath: 'cluster/tenants' } });
    expect(results.map((r) => r.holds)).toEqual([false]);
  });

  test('lint errors about raw objects fail synth as the constructs\' do: a ClusterNetworkPolicy on a GKE version that does not run it', () => {
    const app = Testing.app();
    const old = ClusterProfile.dataplaneV2({ gkeVersion: '1.33.2-gke.1000000', podCidrs: ['10.8.0.0/14'], serviceCidrs: ['10.12.0.0/20'] });
    const chart = new ClusterPolicyChart(app, 'cluster', { profile: old });
    new ApiObject(chart, 'raw', cnp('raw', { tier: 'Admin', priority: 3, subject: { namespaces: {} }, ingress: [{ name: 'all', action: 'Accept', from: [{ namespaces: {} }] }] }) as any);
    const message = synthError(app);
    expect(message).toContain('NP012 cnp-unsupported-profile cnp/raw');
    // A chart that writes no policy at all is not linted (and needs no verifier).
    const plain = Testing.app();
    new PolicyChart(plain, 'b', { namespace: 'b', profile: old });
    expect(() => plain.synthYaml()).not.toThrow();
  });

  test('a raw ApiObject ClusterNetworkPolicy is verified: an Admin Accept breaks an intent, naming it', () => {
    const w = world();
    new DefaultDeny(w.b, 'deny');
    w.cluster.expect(Endpoints.namespace('a')).cannotReach(Endpoints.namespace('b'));
    expect(verifyApp(w.app).results.map((r) => r.holds)).toEqual([true]);
    new ApiObject(w.cluster, 'open-b', cnp('open-b', {
      tier: 'Admin', priority: 3, subject: { namespaces: { matchLabels: { tenant: 'y' } } }, ingress: [{ name: 'all', action: 'Accept', from: [{ namespaces: {} }] }],
    }) as any);
    const message = synthError(w.app);
    expect(message).toContain('[cluster/netproof-intents] intent violated');
    expect(message).toContain('[Admin] cnp/open-b ingress[0] "all" Accept');
  });

  test('two guardrails of one tier and priority that match the same traffic fail synth, naming both', () => {
    const w = world();
    new ClusterNetworkPolicy(w.cluster, 'accept', { tier: ClusterTier.ADMIN, priority: 7, subject: ClusterPods.namespace('b'), ingress: [ClusterRule.accept([ClusterPods.namespace('a')])] });
    new ClusterNetworkPolicy(w.cluster, 'deny', { tier: ClusterTier.ADMIN, priority: 7, subject: ClusterPods.namespace('b'), ingress: [ClusterRule.deny([ClusterPods.allNamespaces()])] });
    const message = synthError(w.app);
    expect(message).toContain('cnp/accept');
    expect(message).toContain('cnp/deny');
    expect(message).toContain('match ingress of b/pod from a/pod');
    expect(message).toContain('both in the Admin tier at priority 7');
  });

  test('a raw ClusterNetworkPolicy the API server would reject fails synth, naming the construct and the field, and writes nothing', () => {
    const w = world();
    w.cluster.expect(Endpoints.namespace('a')).canReach(Endpoints.namespace('b'), Port.tcp(8080));
    new ApiObject(w.cluster, 'bad', cnp('bad', { tier: 'Admin', priority: 1001, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }) as any);
    const message = synthError(w.app);
    expect(message).toContain('cluster/bad[object 0] spec.priority');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-cnp-'));
    try {
      expect(() => synthesizeAtomically(w.app, dir)).toThrow('cluster/bad');
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

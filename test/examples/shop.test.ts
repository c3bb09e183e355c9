import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, JsonPatch, Yaml } from 'cdk8s';
import { buildShopApp, SHOP_CLUSTER, TENANTS } from '../../examples/shop/main';
import { AllowFrom, AllowTo, impliedExternalsOf, Peer, PolicyChart, policiesOf, verifyApp } from '../../src';
import { policyId } from '../../src/model/policy';
import { validateAll } from '../_helpers-constructs';

function objects(): any[] {
  return buildShopApp().charts.flatMap((c) => c.toJson());
}

describe('examples/shop', () => {
  test('builds in memory with the expected policies', () => {
    const app = buildShopApp();
    expect(policiesOf(app).map(policyId)).toEqual([
      'cnp/baseline-default-deny', 'cnp/kube-dns-egress', 'cnp/kube-dns-ingress', 'cnp/tenants-shop', 'cnp/tenants-telco',
      'cnf/allow-dns', 'cnf/blue-default-deny', 'cnf/blue-upf-from-ran', 'cnf/blue-upf-from-smf', 'cnf/blue-upf-to-data-network', 'cnf/default-deny',
      'cnf/namespace-isolation', 'shop/backend-to-secret-manager',
      'shop/allow-dns', 'shop/backend-from-frontend', 'shop/backend-to-control-plane', 'shop/backend-to-database', 'shop/backend-workload-identity',
      'shop/database-from-backend', 'shop/default-deny', 'shop/frontend-from-load-balancer', 'shop/frontend-to-backend',
    ]);
    expect(SHOP_CLUSTER.dataplane).toBe('dataplane-v2');
  });

  test('every NetworkPolicy passes the schema check and carries its namespace', () => {
    const all = objects();
    expect(validateAll(all)).toBe(16);
    const clusterScoped = ['Namespace', 'ClusterNetworkPolicy', 'NetworkLogging'];
    for (const o of all.filter((x) => !clusterScoped.includes(x.kind))) expect(o.metadata.namespace).toMatch(/^(shop|cnf)$/);
  });

  test('the cluster chart: the tenants\' Namespaces and the guardrails, cluster-scoped', () => {
    const cluster = buildShopApp().charts.find((c) => c.node.id === 'cluster')!.toJson();
    expect(cluster.map((o: any) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'Namespace shop', 'Namespace cnf', 'ClusterNetworkPolicy kube-dns-egress', 'ClusterNetworkPolicy kube-dns-ingress',
      'ClusterNetworkPolicy tenants-shop', 'ClusterNetworkPolicy tenants-telco', 'ClusterNetworkPolicy baseline-default-deny',
    ]);
    for (const o of cluster) expect(o.metadata.namespace).toBeUndefined();
    const byName = (name: string) => cluster.find((o: any) => o.metadata.name === name);
    expect(byName('cnf').metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'platform', 'tenant': TENANTS.cnf });
    expect(byName('kube-dns-egress').spec).toMatchObject({ tier: 'Admin', priority: 10, subject: { namespaces: {} }, egress: [{ action: 'Accept' }] });
    expect(byName('tenants-shop').spec).toMatchObject({
      tier: 'Admin',
      priority: 100,
      subject: { namespaces: { matchLabels: { tenant: 'shop' } } },
      egress: [{ action: 'Pass', name: 'exceptions' }, { action: 'Deny', to: [{ namespaces: { matchExpressions: [{ key: 'tenant', operator: 'NotIn', values: ['shop'] }] } }] }],
    });
    expect(byName('baseline-default-deny').spec).toMatchObject({ tier: 'Baseline', priority: 1000, egress: [{ action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }] });
  });

  /** The result of the intent stated in these words. */
  const holds = (app: App, text: string) => {
    const result = verifyApp(app).results.find((r) => r.text === text);
    expect(result).toBeDefined();
    return result!.holds;
  };
  const patchAction = (app: App, name: string, at: string, action: string) => {
    const obj = app.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'ClusterNetworkPolicy' && c.name === name)!;
    obj.addJsonPatch(JsonPatch.replace(at, action));
  };
  const TENANTS_APART = 'all pods in namespaces tenant=shop cannot reach all pods in namespaces tenant=telco on any port';
  const DNS = 'all pods in all namespaces can reach pods k8s-app=kube-dns in ns kube-system on UDP 53';
  const NO_INTERNET = 'all pods in namespaces kubernetes.io/metadata.name notin (kube-system) cannot reach the internet on any port';

  test('every intent holds, and each guardrail is what makes its intents hold', () => {
    expect(verifyApp(buildShopApp()).results.filter((r) => !r.holds).map((r) => r.text)).toEqual([]);

    // AlwaysAllow (Admin Accept): without it a namespace with no NetworkPolicy hits the Baseline deny.
    const noDns = buildShopApp();
    patchAction(noDns, 'kube-dns-egress', '/spec/egress/0/action', 'Pass');
    expect(holds(noDns, DNS)).toBe(false);

    // BaselineDefaultDeny: without it a namespace with no NetworkPolicy reaches the internet.
    const noBaseline = buildShopApp();
    patchAction(noBaseline, 'baseline-default-deny', '/spec/egress/0/action', 'Pass');
    expect(holds(noBaseline, NO_INTERNET)).toBe(false);
  });

  test('TenantIsolation keeps tenants apart even when their NetworkPolicies open everything; without it they meet', () => {
    const open = (app: App) => {
      const charts = app.charts.filter(PolicyChart.isPolicyChart);
      new AllowTo(charts.find((c) => c.namespace === 'shop')!, 'to-anyone', { to: [Peer.anyone()] });
      new AllowFrom(charts.find((c) => c.namespace === 'cnf')!, 'from-anyone', { from: [Peer.anyone()] });
      return app;
    };
    expect(holds(open(buildShopApp()), TENANTS_APART)).toBe(true);
    const noTenants = open(buildShopApp());
    patchAction(noTenants, 'tenants-shop', '/spec/egress/1/action', 'Pass');
    patchAction(noTenants, 'tenants-telco', '/spec/ingress/1/action', 'Pass');
    expect(holds(noTenants, TENANTS_APART)).toBe(false);
  });

  test('key objects', () => {
    const all = objects();
    const np = (ns: string, name: string) => all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === name);
    expect(np('shop', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(np('shop', 'backend-from-frontend').spec).toEqual({
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      podSelector: { matchLabels: { app: 'backend' } },
      policyTypes: ['Ingress'],
    });
    expect(np('shop', 'backend-workload-identity').spec.egress).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }]);
    expect(np('shop', 'frontend-from-load-balancer').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '130.211.0.0/22' } }, { ipBlock: { cidr: '35.191.0.0/16' } }]);
    expect(np('cnf', 'blue-upf-from-ran').metadata.annotations).toEqual({ 'networking.gke.io/network': 'blue' });
    expect(np('cnf', 'default-deny').metadata.annotations).toBeUndefined();
    const upf = all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'upf');
    expect(upf.spec.template.metadata.annotations['networking.gke.io/interfaces']).toContain('"network":"blue"');
  });

  test('implied externals for the verifier', () => {
    expect(impliedExternalsOf(buildShopApp()).map((e) => e.name)).toEqual([
      'control-plane', 'lb-health-check-130.211.0.0_22', 'lb-health-check-35.191.0.0_16', 'metadata-server', 'node-local-dns',
    ]);
  });

  test('default cdk8s-plus workloads: readable names and selectors, no hash label in any policy', () => {
    const all = objects();
    expect(all.filter((o) => ['Deployment', 'StatefulSet', 'Service', 'Ingress'].includes(o.kind)).map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort())
      .toEqual(['cnf/upf', 'shop/backend', 'shop/backend-service', 'shop/database', 'shop/database-service', 'shop/frontend', 'shop/frontend-ingress', 'shop/frontend-service']);
    const policies = all.filter((o) => o.kind.endsWith('NetworkPolicy'));
    expect(JSON.stringify(policies)).not.toContain('cdk8s.io/metadata.addr');
    // Port.ofService(backendService, 'http'): the Service's port 80 is the pods' 8080 in the policies.
    const np = (name: string) => policies.find((o) => o.metadata.name === name);
    expect(np('frontend-to-backend').spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('the rewrite (issue 11) changed reachability only where the policies changed on purpose', () => {
    // netproof diff between dist/ as it was before the example used flows, the baseline and Services,
    // and dist/ now, each side with the model synth recorded: only the new policies' flows are gained.
    const repo = path.join(__dirname, '..', '..');
    const r = spawnSync(process.execPath, [path.join(repo, 'bin', 'netproof'), 'diff', 'test/fixtures/dist-before-issue-11', 'dist', '--format', 'json'], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const diff = JSON.parse(r.stdout);
    const ports = (c: { ports: [number, number][] }) => c.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
    const changes = [...diff.gained.map((c: any) => `+ ${c.from} -> ${c.to} ${c.protocol} ${ports(c)}`), ...diff.lost.map((c: any) => `- ${c.from} -> ${c.to} ${c.protocol} ${ports(c)}`)];
    expect(changes).toEqual([
      // NamespaceBaseline gives every namespace NodeLocal DNSCache (before, only shop had it).
      '+ cnf/upf -> node-local-dns TCP 53', '+ cnf/upf -> node-local-dns UDP 53', '+ cnf/upf#2 -> node-local-dns TCP 53', '+ cnf/upf#2 -> node-local-dns UDP 53',
      // AllowControlPlane and AllowFqdn for the backend.
      '+ shop/backend -> control-plane TCP 443', '+ shop/backend -> secret-manager TCP 443', '+ shop/backend#2 -> control-plane TCP 443', '+ shop/backend#2 -> secret-manager TCP 443',
    ]);
  });

  test('the committed dist/ matches a fresh synth', () => {
    const dist = path.join(__dirname, '..', '..', 'dist');
    const fresh = buildShopApp();
    for (const chart of fresh.charts) {
      const file = path.join(dist, `${chart.node.id}.k8s.yaml`);
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toBe(Yaml.stringify(...chart.toJson()));
    }
  });
});

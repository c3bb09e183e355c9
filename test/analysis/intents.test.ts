import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowDns, AllowFrom, AllowMetadataServer, AllowTo, ClusterProfile, DeclaredExternal, DeclaredWorkload, DefaultDeny, Endpoints,
  Externals, Inventory, modelOfApp, NetproofError, Peer, PodNetworkScoped, PolicyChart, Port, Selector,
  synthesizeAtomically, verifyApp,
} from '../../src';

const PROFILE = ClusterProfile.dataplaneV2({ gkeVersion: '1.29.1-gke.1589000', podCidrs: ['10.8.0.0/14'], podNetworks: ['blue'] });

function deployment(chart: PolicyChart, app: string, port: number): kplus.Deployment {
  const d = new kplus.Deployment(chart, app, {
    metadata: { name: app },
    select: false,
    podMetadata: { labels: { app } },
    containers: [{ name: app, image: `example/${app}:1`, ports: [{ number: port, name: 'http' }] }],
  });
  d.select(kplus.LabelSelector.of({ labels: { app } }));
  return d;
}

/** A small shop: frontend -> backend:8080, default deny, DNS; `open` adds the backend's ingress rule. */
function shop(open: boolean, app: App = Testing.app()) {
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: PROFILE });
  const frontend = deployment(chart, 'frontend', 8080);
  const backend = deployment(chart, 'backend', 8080);
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  new AllowTo(chart, 'frontend-to-backend', { pods: frontend, to: [Peer.workload(backend)], ports: [Port.tcp(8080)] });
  if (open) new AllowFrom(chart, 'backend-from-frontend', { pods: backend, from: [Peer.workload(frontend)], ports: [Port.tcp(8080)] });
  return { app, chart, frontend, backend };
}

describe('intents at synth', () => {
  test('a violated intent fails synth before any file is written, with counterexample and explanation', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-intents-'));
    const { app, chart, frontend, backend } = shop(false, new App({ outdir }));
    chart.expect(frontend).canReach(backend, Port.tcp(8080));
    expect(() => app.synth()).toThrow(/intent violated: workload shop\/frontend can reach workload shop\/backend on TCP 8080/);
    try { app.synth(); } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('shop/frontend -> shop/backend on TCP 8080 (network default, dataplane dataplane-v2): DENIED');
      expect(msg).toContain('egress of shop/frontend: isolated by shop/allow-dns, shop/default-deny, shop/frontend-to-backend; allowed by shop/frontend-to-backend egress[0]');
      expect(msg).toContain('ingress of shop/backend: isolated by shop/default-deny; no rule of those policies matches this peer and port, so denied');
    }
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('fixing the policy makes it synthesize', () => {
    const { app, chart, frontend, backend } = shop(true);
    chart.expect(frontend).canReach(backend, Port.tcp(8080));
    expect(() => app.synth()).not.toThrow();
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true]);
  });

  test('a failed synth leaves an existing output folder untouched', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-dist-'));
    fs.writeFileSync(path.join(dir, 'shop.k8s.yaml'), 'old: content\n');
    const { app, chart, frontend, backend } = shop(false);
    chart.expect(frontend).canReach(backend, Port.tcp(8080));
    expect(() => synthesizeAtomically(app, dir)).toThrow(/intent violated/);
    expect(fs.readdirSync(dir)).toEqual(['shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf8')).toBe('old: content\n');
    expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith('.synth-'))).toEqual([]);
  });

  test('every violated intent is listed, from every chart', () => {
    const { app, chart, frontend, backend } = shop(false);
    const other = new PolicyChart(app, 'other', { namespace: 'other', profile: PROFILE });
    chart.expect(frontend).canReach(backend, Port.tcp(8080));
    other.expect(Endpoints.namespace('other')).canReach(Endpoints.namespace('shop'));
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('[shop/netproof-intents] intent violated: workload shop/frontend can reach workload shop/backend');
    expect(message).toContain('[other/netproof-intents] intent violated: all pods in ns other can reach all pods in ns shop on any port');
    expect(message).toContain('matches no pod or external on network default');
  });
});

describe('intent semantics', () => {
  function results(build: (s: ReturnType<typeof shop>) => void, open = true) {
    const s = shop(open);
    build(s);
    return verifyApp(s.app).results;
  }

  test.each([
    ['canReach on the allowed port', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.tcp(8080)), true],
    ['canReach on another port', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.tcp(8081)), false],
    ['canReach on a named port the destination has', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.named('http')), true],
    ['canReach on a named port it lacks', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.named('grpc')), false],
    ['canReach on any port', (s: any) => s.chart.expect(s.frontend).canReach(s.backend), true],
    ['canReach on any UDP port', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.allUdp()), false],
    ['canReach on every TCP port, when only one is open', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.allTcp()), false],
    ['canReach on a range, when only one port of it is open', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.tcpRange(8000, 8100)), false],
    ['canReach on a one-port range', (s: any) => s.chart.expect(s.frontend).canReach(s.backend, Port.tcpRange(8080, 8080)), true],
    ['cannotReach on any port, when one port is open', (s: any) => s.chart.expect(s.frontend).cannotReach(s.backend), false],
    ['cannotReach the reverse direction', (s: any) => s.chart.expect(s.backend).cannotReach(s.frontend), true],
    ['cannotReach inside a range that covers the open port', (s: any) => s.chart.expect(s.frontend).cannotReach(s.backend, Port.tcpRange(8000, 8100)), false],
    ['cannotReach a range next to it', (s: any) => s.chart.expect(s.frontend).cannotReach(s.backend, Port.tcpRange(8081, 9000)), true],
    ['onlyReachableFrom pods labelled like the frontend', (s: any) => s.chart.expect(s.backend).onlyReachableFrom([Selector.labels({ app: 'frontend' })]), true],
    // Any pod labelled app=frontend (with another label the selectors mention) is not the frontend's, and reaches the backend.
    ['onlyReachableFrom the frontend workload', (s: any) => s.chart.expect(s.backend).onlyReachableFrom([s.frontend]), false],
    ['onlyReachableFrom nobody', (s: any) => s.chart.expect(s.backend).onlyReachableFrom([]), false],
    ['isolated for ingress', (s: any) => s.chart.expect(s.backend).isIsolated('ingress'), true],
    ['kube-dns on UDP 53', (s: any) => s.chart.expect(Selector.all()).canReach(Externals.KUBE_DNS, Port.DNS_UDP), true],
    ['internet', (s: any) => s.chart.expect(Selector.all()).cannotReach(Externals.INTERNET), true],
  ])('%s', (_name, build, expected) => {
    const r = results(build);
    expect(r).toHaveLength(1);
    expect(r[0].holds).toBe(expected);
    if (!expected) expect(r[0].counterexamples.length + (r[0].problem ? 1 : 0)).toBeGreaterThan(0);
  });

  test('a named port the destination lacks is explained', () => {
    const [r] = results((s) => s.chart.expect(s.frontend).canReach(s.backend, Port.named('grpc')));
    expect(r.problem).toBe('shop/backend has no TCP container port named grpc, so nothing can reach it on that port');
  });

  test('counterexamples are capped but counted', () => {
    const s = shop(false);
    for (let i = 0; i < 7; i++) new DeclaredWorkload(s.chart, `client-${i}`, { labels: { role: 'client' } });
    s.chart.expect(Selector.labels({ role: 'client' })).canReach(s.backend, Port.tcp(8080));
    const [r] = verifyApp(s.app).results;
    expect(r).toMatchObject({ holds: false, violations: 14, checked: 14 }); // 7 clients x 2 backend replicas
    expect(r.counterexamples).toHaveLength(5);
  });

  test('isolation is per network', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'cnf', { namespace: 'cnf', profile: PROFILE });
    new DeclaredWorkload(chart, 'upf', { labels: { app: 'upf' }, networks: ['default', 'blue'] });
    const blue = new PodNetworkScoped(chart, 'blue', { network: 'blue' });
    new DefaultDeny(blue, 'blue-deny');
    chart.expect(Selector.labels({ app: 'upf' })).isIsolated('ingress', { network: 'blue' }).isIsolated('ingress');
    expect(verifyApp(app).results.map((r) => [r.text, r.holds])).toEqual([
      ['pods app=upf in ns cnf are isolated for ingress (network blue)', true],
      ['pods app=upf in ns cnf are isolated for ingress', false],
    ]);
  });

  test('implied externals: the metadata server of the profile', () => {
    const s = shop(true);
    new AllowMetadataServer(s.chart, 'backend-metadata', { pods: s.backend });
    s.chart.expect(s.backend).canReach(Externals.METADATA_SERVER, Port.tcp(80)).cannotReach(Externals.METADATA_SERVER, Port.tcp(988));
    s.chart.expect(s.frontend).cannotReach(Externals.METADATA_SERVER);
    expect(verifyApp(s.app).results.map((r) => r.holds)).toEqual([true, true, true]);
    expect(modelOfApp(s.app).cluster.externals.find((e) => e.name === 'metadata-server')).toMatchObject({ ip: '169.254.169.254' });
  });
});

describe('the verification model of an app', () => {
  test('workloads, declared workloads and externals, kube-dns, pod IPs from the profile', () => {
    const s = shop(true);
    new DeclaredWorkload(s.chart, 'ledger', { namespace: 'payments', labels: { app: 'ledger' }, ports: [{ port: 443, name: 'https' }], namespaceLabels: { team: 'payments' } });
    new DeclaredExternal(s.chart, 'partner-api', { ip: '198.51.100.7', hostname: 'api.partner.example' });
    const m = modelOfApp(s.app);
    expect(m.dataplane).toBe('dataplane-v2');
    expect(m.cluster.pods.map((p) => `${p.namespace}/${p.name}@${p.ip}`)).toEqual([
      'kube-system/kube-dns@10.8.0.10', 'payments/ledger@10.8.0.11', 'shop/backend@10.8.0.12', 'shop/backend#2@10.8.0.13',
      'shop/frontend@10.8.0.14', 'shop/frontend#2@10.8.0.15',
    ]);
    expect(m.cluster.namespaces.payments).toEqual({ 'kubernetes.io/metadata.name': 'payments', 'team': 'payments' });
    // A GKE profile: GKE's own endpoints are always in the model.
    expect(m.cluster.externals.map((e) => e.name)).toEqual([
      'cloud-dns', 'internet', 'lb-health-check-130.211.0.0_22', 'lb-health-check-35.191.0.0_16', 'metadata-server', 'node-local-dns', 'partner-api',
    ]);
    expect(m.policies.map((p) => p.name)).toEqual(['allow-dns', 'backend-from-frontend', 'default-deny', 'frontend-to-backend']);
  });

  test('an inventory file joins the model', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-inv-')), 'inventory.yaml');
    fs.writeFileSync(file, 'namespaces:\n  payments: {team: payments}\npods:\n  - {namespace: payments, name: ledger-0, labels: {app: ledger}, ip: 10.9.0.5}\n');
    const s = shop(true);
    new Inventory(s.chart, 'prod', { file });
    s.chart.expect(Endpoints.namespace('payments')).cannotReach(Endpoints.namespace('shop'));
    expect(modelOfApp(s.app).cluster.pods.find((p) => p.name === 'ledger-0')).toMatchObject({ ip: '10.9.0.5', labels: { app: 'ledger' } });
    expect(verifyApp(s.app).results[0].holds).toBe(true);
  });

  test.each([
    ['missing inventory file', (c: PolicyChart) => new Inventory(c, 'inv', { file: '/nonexistent/inventory.yaml' }), 'Inventory shop/inv: cannot read inventory file "/nonexistent/inventory.yaml"'],
    ['declared workload without labels', (c: PolicyChart) => new DeclaredWorkload(c, 'w', { labels: {} }), 'labels is empty, so no policy can select the workload'],
    ['declared workload with port 0', (c: PolicyChart) => new DeclaredWorkload(c, 'w', { labels: { a: 'b' }, ports: [{ port: 0 }] }), 'port must be between 1 and 65535, got 0'],
    ['declared external with a bad IP', (c: PolicyChart) => new DeclaredExternal(c, 'x', { ip: '10.0.0.300' }), 'ip "10.0.0.300" is not an IP address: octet 300 is greater than 255'],
    ['external name with a slash', () => Endpoints.external('a/b'), 'external name "a/b" must be non-empty without "/" or spaces'],
    ['intent network that is not a name', (c: PolicyChart) => c.expect(Selector.all()).isIsolated('ingress', { network: 'Blue!' }), 'network "Blue!"'],
  ])('fails on %s', (_name, build, message) => {
    const { chart } = shop(true);
    let error: unknown;
    try { build(chart); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(NetproofError);
    expect((error as Error).message).toContain(message);
  });

  test('charts of one app must share the dataplane', () => {
    const s = shop(true);
    const other = new PolicyChart(s.app, 'other', { namespace: 'other', profile: ClusterProfile.calico() });
    other.expect(Selector.all()).isIsolated('ingress');
    expect(() => modelOfApp(s.app)).toThrow('its cluster profile has dataplane "calico", but PolicyChart shop has "dataplane-v2"');
  });
});

describe('explain in the API', () => {
  test('one verdict per concrete pair, with the reasons', () => {
    const s = shop(true);
    const [v] = s.chart.explain(s.frontend, s.backend, Port.tcp(8080));
    expect(v).toMatchObject({ from: 'shop/frontend', to: 'shop/backend', allowed: true, flow: { port: 8080, protocol: 'TCP', network: 'default' } });
    expect(v.ingress.allowedBy.map((r) => `${r.policy.name} ${r.direction}[${r.ruleIndex}]`)).toEqual(['backend-from-frontend ingress[0]']);
    expect(v.egress.allowedBy.map((r) => r.policy.name)).toEqual(['frontend-to-backend']);
  });

  test('a named port resolves on the destination; a denied pair says which side', () => {
    const s = shop(false);
    const [v] = s.chart.explain(s.frontend, s.backend, Port.named('http'));
    expect(v).toMatchObject({ allowed: false, flow: { port: 8080 }, egress: { allowed: true }, ingress: { allowed: false, isolated: true } });
  });

  test('fails on an endpoint set that matches nothing', () => {
    const s = shop(true);
    expect(() => s.chart.explain(Endpoints.namespace('ghost'), s.backend, Port.tcp(80))).toThrow('all pods in ns ghost matches no pod or external on network default');
  });
});

describe('verification is never stale', () => {
  test('intents stated after a verification are checked at synth', () => {
    const s = shop(true);
    s.chart.expect(s.frontend).canReach(s.backend, Port.tcp(8080));
    expect(verifyApp(s.app).results.map((r) => r.holds)).toEqual([true]);
    s.chart.expect(s.frontend).canReach(s.backend, Port.tcp(5432));
    expect(() => s.app.synth()).toThrow('intent violated: workload shop/frontend can reach workload shop/backend on TCP 5432');
  });

  test('a workload changed after a verification is seen', () => {
    const s = shop(true);
    s.chart.expect(Selector.labels({ role: 'client' })).canReach(s.backend, Port.tcp(8080));
    expect(verifyApp(s.app).results[0].problem).toContain('matches no pod');
    s.frontend.podMetadata.addLabel('role', 'client');
    expect(verifyApp(s.app).results[0]).toMatchObject({ holds: true, checked: 4 }); // 2 replicas each
  });
});

describe('cluster facts across charts', () => {
  test('Pod-networks declared by any chart\'s profile count (no false NP001)', () => {
    const app = Testing.app();
    new PolicyChart(app, 'a', { namespace: 'a', profile: ClusterProfile.dataplaneV2() });
    const b = new PolicyChart(app, 'b', { namespace: 'b', profile: ClusterProfile.dataplaneV2({ podNetworks: ['blue'] }) });
    new DeclaredWorkload(b, 'cnf', { labels: { app: 'cnf' }, networks: ['default', 'blue'] });
    new DefaultDeny(new PodNetworkScoped(b, 'blue', { network: 'blue' }), 'dd');
    expect(() => app.synth()).not.toThrow();
    expect(modelOfApp(app).profile).toEqual({ dataplane: 'dataplane-v2', podNetworks: ['blue', 'default'], podCidrs: [], serviceCidrs: [], metadataServer: { ip: '169.254.169.254', port: 80 } });
  });

  test('charts must agree on the GKE version', () => {
    const app = Testing.app();
    new PolicyChart(app, 'a', { namespace: 'a', profile: ClusterProfile.calico({ gkeVersion: '1.29.1-gke.1' }) });
    new PolicyChart(app, 'b', { namespace: 'b', profile: ClusterProfile.calico({ gkeVersion: '1.30.1-gke.1' }) });
    expect(() => modelOfApp(app)).toThrow('its cluster profile has GKE version 1.30.1-gke.1, but PolicyChart a has 1.29.1-gke.1');
  });
});

describe('scopes', () => {
  test('a peer admitting a namespace nobody declared yet breaks onlyReachableFrom, with a pod that could exist there', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'payments', { namespace: 'payments', profile: PROFILE });
    new DeclaredWorkload(chart, 'ledger', { labels: { app: 'ledger' }, ports: [{ port: 443 }] });
    new DefaultDeny(chart, 'default-deny');
    new AllowFrom(chart, 'ledger-from-team-a', { pods: Selector.labels({ app: 'ledger' }), from: [Peer.namespaces(Selector.labels({ team: 'a' }))] });
    chart.expect(Selector.labels({ app: 'ledger' })).onlyReachableFrom([Endpoints.namespace('payments')]);
    const [r] = verifyApp(app).results;
    expect(r).toMatchObject({ holds: false, scope: 'all' });
    expect(r.counterexamples[0]).toMatchObject({
      from: 'new-namespace/new-pod',
      to: 'payments/ledger',
      allowed: true,
      fromPod: { namespace: 'new-namespace', newNamespace: true, namespaceLabels: { 'kubernetes.io/metadata.name': 'new-namespace', 'team': 'a' }, labels: {} },
    });
    expect(modelOfApp(app).cluster.pods.map((p) => p.name)).not.toContain('new-pod'); // only the proof sees it
  });

  test('positive intents stay about the workloads that exist, unless scope all', () => {
    const s = shop(true);
    s.chart.expect(s.frontend).canReach(s.backend, Port.named('http'));
    s.chart.expect(s.frontend).canReach(s.backend, Port.named('http'), { scope: 'all' });
    const [existing, all] = verifyApp(s.app).results;
    expect(existing).toMatchObject({ holds: true, scope: 'existing' });
    expect(all).toMatchObject({ holds: true, scope: 'all' });
  });

  test('a bad scope is an error naming the construct', () => {
    const s = shop(true);
    expect(() => s.chart.expect(s.frontend).canReach(s.backend, undefined, { scope: 'some' as 'all' })).toThrow('shop: scope must be "all" or "existing", got "some"');
  });
});

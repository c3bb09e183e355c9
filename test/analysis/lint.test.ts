import { Testing } from 'cdk8s';
import {
  AllowFrom, AllowMetadataServer, ClusterProfile, DeclaredWorkload, DefaultDeny, Peer, PolicyChart, Port, Selector, verifyApp,
} from '../../src';
import { ClusterModel, lint, LINT_RULES, LintInput, manifestFactsFromObjects, parseCluster, parsePolicies } from '../../src/analyzer';

const CLUSTER = `
namespaces: {shop: {}, other: {}}
pods:
  - {namespace: shop, name: api, labels: {app: api}, ip: 10.8.0.10, ports: [{name: http, port: 8080}]}
  - {namespace: shop, name: web, labels: {app: web}, ip: 10.8.0.11, ports: [{name: http, port: 8080}]}
  - {namespace: other, name: tool, labels: {app: tool}, ip: 10.8.0.12}
  - {namespace: shop, name: cnf, labels: {app: cnf}, ip: 10.8.0.13, networks: [default, blue]}
`;
const cluster: ClusterModel = parseCluster(CLUSTER, 'cluster.yaml').cluster;

const policy = (name: string, spec: string, extra = '') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop${extra}}
spec:
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}
`;

const DENY_ALL = policy('default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');
const DNS = policy('dns', 'podSelector: {}\negress:\n- to:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n    podSelector: {matchLabels: {k8s-app: kube-dns}}\n  ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]');
const OTHER_DENY = DENY_ALL.replace('namespace: shop', 'namespace: other');

type Extra = Omit<Partial<LintInput>, 'manifests'> & { readonly manifests?: readonly unknown[] };

/** Lints `yaml` over the cluster; `manifests` are Kubernetes objects (their Services, Ingresses and ServiceAccounts count). */
function run(yaml: string, extra: Extra = {}) {
  const policies = parsePolicies(yaml, 'policies.yaml').policies;
  const { manifests, ...rest } = extra;
  return lint({ policies, cluster, dataplane: 'upstream', ...rest, ...(manifests ? { manifests: manifestFactsFromObjects(manifests, 'manifests') } : {}) });
}

function ids(yaml: string, extra: Extra = {}): string[] {
  return [...new Set(run(yaml, extra).map((f) => f.id))];
}

describe('lints', () => {
  test('NP001 undeclared network: triggers on an unknown network, quiet on a declared one', () => {
    const annotated = (net: string) => policy('scoped', 'podSelector: {matchLabels: {app: cnf}}\npolicyTypes: [Ingress]', `, annotations: {networking.gke.io/network: ${net}}`);
    const f = run(DENY_ALL + DNS + OTHER_DENY + annotated('red'), { dataplane: 'dataplane-v2', declaredNetworks: ['default', 'blue'] });
    expect(f.filter((x) => x.id === 'NP001')).toEqual([expect.objectContaining({
      id: 'NP001',
      name: 'undeclared-network',
      severity: 'error',
      subject: 'shop/scoped',
      message: expect.stringContaining('names a Pod-network that is not declared in the cluster profile (known: blue, default)'),
    })]);
    expect(ids(DENY_ALL + DNS + OTHER_DENY + annotated('blue'), { dataplane: 'dataplane-v2', declaredNetworks: ['default', 'blue'] })).not.toContain('NP001');
    // Without a profile: the networks pods are attached to.
    expect(run(annotated('red')).find((x) => x.id === 'NP001')?.message).toContain('no pod is attached to');
  });

  const ipBlockPolicy = (cidr: string, except = '') => policy('ipb', `podSelector: {matchLabels: {app: api}}\ningress:\n- from:\n  - ipBlock: {cidr: ${cidr}${except ? `, except: [${except}]` : ''}}`);

  test('NP002 Pod or Service range in ipBlock on Dataplane V2', () => {
    const dpv2 = { dataplane: 'dataplane-v2' as const, podCidrs: ['10.8.0.0/14'], serviceCidrs: ['10.12.0.0/20'] };
    expect(run(ipBlockPolicy('10.8.0.0/16'), dpv2).find((x) => x.id === 'NP002')?.message)
      .toBe('ingress[0].from[0].ipBlock cidr 10.8.0.0/16 is inside the Pod range 10.8.0.0/14; on Dataplane V2 ipBlock never matches pod traffic. Select the pods with podSelector/namespaceSelector instead');
    expect(run(ipBlockPolicy('10.12.1.0/24'), dpv2).find((x) => x.id === 'NP002')?.message).toContain('Service range 10.12.0.0/20');
    expect(ids(ipBlockPolicy('192.168.0.0/16'), dpv2)).not.toContain('NP002');
    expect(ids(ipBlockPolicy('10.8.0.0/16'), { ...dpv2, dataplane: 'upstream' })).not.toContain('NP002');
    // Broad blocks that merely contain the Pod range are fine: they are meant for the outside world.
    expect(ids(ipBlockPolicy('0.0.0.0/0'), dpv2)).not.toContain('NP002');
    // Without Pod ranges: a private block holding pod IPs is flagged, a broad one is not.
    expect(run(ipBlockPolicy('10.8.0.0/24'), { dataplane: 'dataplane-v2' }).find((x) => x.id === 'NP002')?.message)
      .toContain('cidr 10.8.0.0/24 is a private block holding pod IPs (e.g. other/tool at 10.8.0.12)');
    expect(ids(ipBlockPolicy('0.0.0.0/0'), { dataplane: 'dataplane-v2' })).not.toContain('NP002');
  });

  test('NP003 protocol without port on Dataplane V2', () => {
    const p = policy('all-tcp', 'podSelector: {matchLabels: {app: api}}\ningress:\n- ports: [{protocol: TCP}]');
    expect(run(p, { dataplane: 'dataplane-v2' }).find((x) => x.id === 'NP003')).toMatchObject({ severity: 'error', message: expect.stringContaining('ingress[0].ports[0] has protocol TCP and no port') });
    expect(ids(p, { dataplane: 'calico' })).not.toContain('NP003');
    expect(ids(policy('range', 'podSelector: {matchLabels: {app: api}}\ningress:\n- ports: [{protocol: TCP, port: 1, endPort: 65535}]'), { dataplane: 'dataplane-v2' })).not.toContain('NP003');
  });

  test('NP004 broad ipBlock under Calico', () => {
    const calico = { dataplane: 'calico' as const, podCidrs: ['10.8.0.0/14'] };
    expect(run(ipBlockPolicy('0.0.0.0/0'), calico).find((x) => x.id === 'NP004')?.message).toContain('contains the Pod range 10.8.0.0/14 without excepting it');
    expect(ids(ipBlockPolicy('0.0.0.0/0', '10.0.0.0/8'), calico)).not.toContain('NP004');
    expect(ids(ipBlockPolicy('0.0.0.0/0'), { ...calico, dataplane: 'upstream' })).not.toContain('NP004');
  });

  test('NP005 default-deny egress without DNS', () => {
    const f = run(DENY_ALL).filter((x) => x.id === 'NP005').map((x) => x.subject);
    expect(f).toEqual(['shop/api', 'shop/cnf', 'shop/web']);
    expect(ids(DENY_ALL + DNS)).not.toContain('NP005');
    expect(ids(policy('ingress-only', 'podSelector: {}\npolicyTypes: [Ingress]'))).not.toContain('NP005');
  });

  test('NP006 Workload Identity without metadata-server egress', () => {
    const manifests = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api-sa', namespace: 'shop', annotations: { 'iam.gke.io/gcp-service-account': 'api@p.iam.gserviceaccount.com' } } },
    ];
    // The pod runs as that ServiceAccount (as a workload manifest's serviceAccountName says).
    const withAccount: ClusterModel = { ...cluster, pods: cluster.pods.map((p) => (p.name === 'api' ? { ...p, serviceAccount: 'api-sa' } : p)) };
    const metadataServer = { ip: '169.254.169.254', port: 80 };
    expect(run(DENY_ALL + DNS, { manifests, metadataServer, cluster: withAccount }).filter((x) => x.id === 'NP006')).toEqual([expect.objectContaining({ subject: 'shop/api' })]);
    expect(ids(DENY_ALL + DNS, { manifests, metadataServer })).not.toContain('NP006'); // no pod runs as it
    const allowMeta = policy('meta', 'podSelector: {matchLabels: {app: api}}\negress:\n- to: [{ipBlock: {cidr: 169.254.169.254/32}}]\n  ports: [{port: 80}]');
    expect(ids(DENY_ALL + DNS + allowMeta, { manifests, metadataServer, cluster: withAccount })).not.toContain('NP006');
  });

  test('NP007 LoadBalancer Service without health-check allowance', () => {
    const manifests = [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] } }];
    expect(run(DENY_ALL + DNS, { manifests }).filter((x) => x.id === 'NP007').map((x) => x.message)).toEqual([
      'LoadBalancer Service shop/api sends traffic to pod shop/api on TCP 8080, but the health checks of its regional external passthrough Network Load Balancer '
      + '(35.191.0.0/16, 209.85.152.0/22, 209.85.204.0/22) cannot reach it there, so the backend is marked unhealthy. '
      + 'Add AllowLbHealthChecks for those pods and ports with loadBalancer: LoadBalancerKind.EXTERNAL_PASSTHROUGH_NLB',
    ]);
    const hc = policy('hc', 'podSelector: {matchLabels: {app: api}}\ningress:\n- from: [{ipBlock: {cidr: 35.191.0.0/16}}, {ipBlock: {cidr: 209.85.152.0/22}}, {ipBlock: {cidr: 209.85.204.0/22}}]\n  ports: [{port: 8080}]');
    expect(ids(DENY_ALL + DNS + hc, { manifests })).not.toContain('NP007');
    const ingress = [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }];
    expect(run(DENY_ALL + DNS, { manifests: ingress }).find((x) => x.id === 'NP007')?.message).toContain('Ingress backend Service shop/web');
  });

  describe('NP007 uses the ranges of the load balancer GKE builds', () => {
    const ALB_RANGES = policy('hc', 'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 35.191.0.0/16}}, {ipBlock: {cidr: 130.211.0.0/22}}]\n  ports: [{port: 8080}]');
    const NLB_RANGES = policy('hc', 'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 35.191.0.0/16}}, {ipBlock: {cidr: 209.85.152.0/22}}, {ipBlock: {cidr: 209.85.204.0/22}}]\n  ports: [{port: 8080}]');
    const service = (annotations: Record<string, string>, type = 'LoadBalancer') =>
      ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop', annotations }, spec: { type, selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const ingress = (annotations: Record<string, string>, ingressClassName?: string) => [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'shop', annotations },
        spec: { ...(ingressClassName === undefined ? {} : { ingressClassName }), defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    ];
    const np007 = (yaml: string, manifests: unknown[]) => run(DENY_ALL + DNS + yaml, { manifests }).filter((x) => x.id === 'NP007');

    test('an external passthrough NLB whose pods allow only the ALB ranges: fires, naming 209.85.152.0/22', () => {
      const found = np007(ALB_RANGES, [service({})]);
      expect(found).toEqual([expect.objectContaining({ subject: 'shop/api', severity: 'warning' })]);
      expect(found[0].message).toContain('regional external passthrough Network Load Balancer (35.191.0.0/16, 209.85.152.0/22, 209.85.204.0/22)');
      expect(np007(NLB_RANGES, [service({})])).toEqual([]);
    });

    test('an internal passthrough NLB (networking.gke.io/load-balancer-type: Internal) needs the ALB ranges, not the external NLB ones', () => {
      const internal = service({ 'networking.gke.io/load-balancer-type': 'Internal' });
      expect(np007(ALB_RANGES, [internal])).toEqual([]);
      expect(np007(NLB_RANGES, [internal]).map((f) => f.message)).toEqual([expect.stringContaining('internal passthrough Network Load Balancer (35.191.0.0/16, 130.211.0.0/22)')]);
    });

    test('an Ingress (class none, gce or gce-internal) uses the ALB ranges; another class has no Google load balancer', () => {
      for (const annotations of [{} as Record<string, string>, { 'kubernetes.io/ingress.class': 'gce' }, { 'kubernetes.io/ingress.class': 'gce-internal' }]) {
        expect(np007(ALB_RANGES, ingress(annotations))).toEqual([]);
        expect(np007(NLB_RANGES, ingress(annotations))).toHaveLength(1);
      }
      expect(np007(NLB_RANGES, ingress({ 'kubernetes.io/ingress.class': 'gce-internal' }))[0].message)
        .toContain('regional internal Application Load Balancer (35.191.0.0/16, 130.211.0.0/22)');
      expect(np007('', ingress({ 'kubernetes.io/ingress.class': 'nginx' }))).toEqual([]);
    });

    test('spec.ingressClassName names another controller unless the class annotation says gce', () => {
      expect(np007('', ingress({}, 'nginx'))).toEqual([]);
      expect(np007(NLB_RANGES, ingress({ 'kubernetes.io/ingress.class': 'gce' }, 'nginx'))).toHaveLength(1);
      expect(np007(NLB_RANGES, ingress({}, ''))).toHaveLength(1);
    });

    test('a Service of another type is not load-balanced', () => {
      expect(np007('', [service({}, 'NodePort')])).toEqual([]);
    });
  });

  test('NP008 selector matching nothing', () => {
    expect(run(policy('ghost', 'podSelector: {matchLabels: {app: ghost}}')).find((x) => x.id === 'NP008')).toMatchObject({ severity: 'warning', subject: 'shop/ghost' });
    expect(ids(policy('real', 'podSelector: {matchLabels: {app: api}}'))).not.toContain('NP008');
  });

  test('NP009 unisolated pod while another namespace denies by default', () => {
    expect(run(OTHER_DENY).filter((x) => x.id === 'NP009').map((x) => x.subject)).toEqual(['shop/api', 'shop/api', 'shop/cnf', 'shop/cnf', 'shop/web', 'shop/web']);
    expect(ids(OTHER_DENY + DENY_ALL + DNS)).not.toContain('NP009');
  });

  test('every rule has a unique, stable id', () => {
    const all = Object.values(LINT_RULES);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all.map((r) => r.id)).toEqual(['NP001', 'NP002', 'NP003', 'NP004', 'NP005', 'NP006', 'NP007', 'NP008', 'NP009', 'NP010', 'NP011', 'NP012', 'NP013', 'NP014', 'NP015', 'NP016', 'NP017', 'NP018', 'NP019', 'NP020', 'NP021']);
  });
});

describe('lints at synth', () => {
  test('a lint error about a chart\'s policy fails synth; warnings do not', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: ClusterProfile.dataplaneV2({ podCidrs: ['10.8.0.0/14'] }) });
    new AllowFrom(chart, 'from-pods-by-ip', { pods: Selector.labels({ app: 'api' }), from: [Peer.cidr('10.8.0.0/16')], ports: [Port.tcp(80)] });
    expect(() => app.synth()).toThrow('NP002 dpv2-ipblock-pod-range shop/from-pods-by-ip: ingress[0].from[0].ipBlock cidr 10.8.0.0/16 is inside the Pod range 10.8.0.0/14');
    const ok = Testing.app();
    const chart2 = new PolicyChart(ok, 'shop', { namespace: 'shop', profile: ClusterProfile.dataplaneV2({ podCidrs: ['10.8.0.0/14'] }) });
    new AllowFrom(chart2, 'from-partner', { pods: Selector.labels({ app: 'api' }), from: [Peer.cidr('198.51.100.0/24')], ports: [Port.tcp(80)] });
    expect(() => ok.synth()).not.toThrow(); // NP008 (no workload) is only a warning
  });
});

describe('lints over models that already have the built-in endpoints', () => {
  test('NP005 with the Dataplane V2 metadata server at 169.254.169.254 (where Cloud DNS also answers) reports, not crashes', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: ClusterProfile.dataplaneV2({ podCidrs: ['10.8.0.0/14'] }) });
    new DeclaredWorkload(chart, 'api', { labels: { app: 'api' } });
    new DefaultDeny(chart, 'default-deny');
    new AllowMetadataServer(chart, 'metadata');
    expect(() => app.synth()).not.toThrow();
    expect(verifyApp(app).findings.filter((f) => f.id === 'NP005').map((f) => f.subject)).toEqual(['shop/api']);
  });

  test('an external of the cluster file at the NodeLocal DNS address stands for it', () => {
    const withNodeLocal: ClusterModel = { ...cluster, externals: [{ name: 'nodelocal', ip: '169.254.20.10' }] };
    const toNodeLocal = policy('nodelocal', 'podSelector: {}\negress:\n- to: [{ipBlock: {cidr: 169.254.20.10/32}}]\n  ports: [{port: 53, protocol: UDP}]');
    const policies = parsePolicies(DENY_ALL + toNodeLocal, 'p.yaml').policies;
    expect(lint({ policies, cluster: withNodeLocal, dataplane: 'upstream' }).filter((f) => f.id === 'NP005')).toEqual([]);
    expect(lint({ policies: parsePolicies(DENY_ALL, 'p.yaml').policies, cluster: withNodeLocal, dataplane: 'upstream' }).filter((f) => f.id === 'NP005').map((f) => f.subject)).toEqual(['shop/api', 'shop/cnf', 'shop/web']);
  });
});

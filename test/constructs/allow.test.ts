import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  Allow, AllowTo, DeclaredWorkload, DefaultDeny, Endpoints, FlowSide, PolicyChart, Port, SelectedPods, Selector, verifyApp,
} from '../../src';
import { FlowMessages } from '../../src/errors';
import { errorOf, manifest, manifests, validateAll } from '../_helpers-constructs';

/** A Deployment whose pods carry `app=<id>` (selected by it), with one container port. */
function deployment(scope: Construct, id: string, port: number): kplus.Deployment {
  const d = new kplus.Deployment(scope, id, { select: false, podMetadata: { labels: { app: id } }, containers: [{ image: `example/${id}:1`, portNumber: port }] });
  d.select(kplus.LabelSelector.of({ labels: { app: id } }));
  return d;
}

function twoNamespaces() {
  const app = Testing.app();
  const web = new PolicyChart(app, 'web', { namespace: 'web' });
  const shop = new PolicyChart(app, 'shop', { namespace: 'shop' });
  const frontend = deployment(web, 'frontend', 8080);
  const backend = deployment(shop, 'backend', 8080);
  new DefaultDeny(web, 'default-deny');
  new DefaultDeny(shop, 'default-deny');
  return { app, web, shop, frontend, backend };
}

describe('Allow.from(...).to(...)', () => {
  test('across namespaces: egress in the source\'s chart, ingress in the target\'s, namespace-qualified peers', () => {
    const { app, web, shop, frontend, backend } = twoNamespaces();
    const flow = Allow.from(frontend).to(backend, [Port.tcp(8080)]);
    expect(flow.egress?.policyName).toBe('frontend-to-shop-backend');
    expect(flow.ingress?.policyName).toBe('backend-from-web-frontend');
    expect(manifest(web, 'frontend-to-shop-backend')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'frontend-to-shop-backend', namespace: 'web' },
      spec: {
        podSelector: { matchLabels: { app: 'frontend' } },
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'backend' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        }],
      },
    });
    expect(manifest(shop, 'backend-from-web-frontend')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'backend-from-web-frontend', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } }, podSelector: { matchLabels: { app: 'frontend' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        }],
      },
    });
    expect(validateAll([...manifests(web), ...manifests(shop)])).toBe(4);
    web.expect(frontend).canReach(backend, Port.tcp(8080));
    web.expect(frontend).cannotReach(backend, Port.tcp(9090));
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true, true]);
  });

  test('across namespaces: without the flow the intent fails, and with one side only it still fails', () => {
    const without = twoNamespaces();
    without.web.expect(without.frontend).canReach(without.backend, Port.tcp(8080));
    expect(verifyApp(without.app).results.map((r) => r.holds)).toEqual([false]);

    const half = twoNamespaces();
    const flow = Allow.from(half.frontend).to(half.backend, [Port.tcp(8080)], { sides: [FlowSide.EGRESS] });
    expect(flow.ingress).toBeUndefined();
    expect(manifests(half.shop).map((m) => m.metadata.name)).toEqual(['backend', 'default-deny']);
    half.web.expect(half.frontend).canReach(half.backend, Port.tcp(8080));
    expect(verifyApp(half.app).results.map((r) => r.holds)).toEqual([false]);
  });

  test('same namespace: own-namespace peers and short names', () => {
    const app = Testing.app();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop' });
    const web = deployment(shop, 'web', 8080);
    const api = deployment(shop, 'api', 9090);
    new DefaultDeny(shop, 'default-deny');
    Allow.from(web).to(api, [Port.tcp(9090), Port.tcp(9091)]);
    expect(manifest(shop, 'web-to-api').spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 9090, protocol: 'TCP' }, { port: 9091, protocol: 'TCP' }] }]);
    expect(manifest(shop, 'api-from-web').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090, protocol: 'TCP' }, { port: 9091, protocol: 'TCP' }] }]);
    shop.expect(web).canReach(api, Port.tcp(9090));
    shop.expect(api).cannotReach(web);
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true, true]);
  });

  test('a Service as the target, across namespaces: its selector\'s pods, named by its id, the port behind the Service port', () => {
    const { app, web, shop, frontend, backend } = twoNamespaces();
    const api = new kplus.Service(shop, 'api', { selector: backend, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    const flow = Allow.from(frontend).to(api, [Port.ofService(api, 'http')]);
    expect([flow.egress?.policyName, flow.ingress?.policyName]).toEqual(['frontend-to-shop-api', 'api-from-web-frontend']);
    expect(manifest(web, 'frontend-to-shop-api').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'backend' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    expect(manifest(shop, 'api-from-web-frontend').spec.podSelector).toEqual({ matchLabels: { app: 'backend' } });
    web.expect(frontend).canReach(Endpoints.service(api), Port.ofService(api, 'http'));
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true]);
    expect(errorOf(() => Allow.from(frontend).to(new Construct(shop, 'plain'), [Port.tcp(80)])).message).toContain('shop/plain is not a Service');
  });

  test('a DeclaredWorkload in a namespace without a PolicyChart: only the side netproof owns', () => {
    const app = Testing.app();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop' });
    const backend = deployment(shop, 'backend', 8080);
    const ledger = new DeclaredWorkload(shop, 'ledger', { namespace: 'payments', labels: { app: 'ledger' }, ports: [{ port: 5432 }] });
    new DefaultDeny(shop, 'default-deny');
    const flow = Allow.from(backend).to(ledger, [Port.tcp(5432)]);
    expect(flow.ingress).toBeUndefined();
    expect(flow.egress).toBeInstanceOf(AllowTo);
    expect(manifest(shop, 'backend-to-payments-ledger').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: { app: 'ledger' } } }],
      ports: [{ port: 5432, protocol: 'TCP' }],
    }]);
    shop.expect(backend).canReach(ledger, Port.tcp(5432));
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true]);
  });

  test('a DeclaredWorkload in a namespace with a PolicyChart gets its side; SelectedPods as a source', () => {
    const app = Testing.app();
    const payments = new PolicyChart(app, 'payments', { namespace: 'payments' });
    const ledger = new DeclaredWorkload(payments, 'ledger', { labels: { app: 'ledger' }, ports: [{ port: 5432 }] });
    const batch = SelectedPods.of(app, { namespace: 'jobs', name: 'batch', pods: Selector.labels({ role: 'batch' }) });
    const flow = Allow.from(batch).to(ledger, [Port.tcp(5432)], { sides: [FlowSide.INGRESS] });
    expect(flow.egress).toBeUndefined();
    expect(manifest(payments, 'ledger-from-jobs-batch').spec).toEqual({
      podSelector: { matchLabels: { app: 'ledger' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } }, podSelector: { matchLabels: { role: 'batch' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    payments.expect(Endpoints.pods(Selector.labels({ role: 'other' }), 'jobs')).cannotReach(ledger);
    payments.expect(ledger).isIsolated('ingress');
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true, true]);
  });

  test('policy names can be set', () => {
    const { web, shop, frontend, backend } = twoNamespaces();
    Allow.from(frontend).to(backend, [Port.tcp(8080)], { egressPolicyName: 'to-backend', ingressPolicyName: 'from-frontend' });
    expect(manifest(web, 'to-backend').metadata.namespace).toBe('web');
    expect(manifest(shop, 'from-frontend').metadata.namespace).toBe('shop');
  });

  test('fails when the target\'s namespace has no PolicyChart, naming the fix', () => {
    const app = Testing.app();
    const web = new PolicyChart(app, 'web', { namespace: 'web' });
    const frontend = deployment(web, 'frontend', 8080);
    const api = SelectedPods.of(app, { namespace: 'shop', name: 'api', pods: Selector.labels({ app: 'api' }) });
    expect(errorOf(() => Allow.from(frontend).to(api, [Port.tcp(80)])).message).toBe(`Allow web/frontend -> shop/api: ${FlowMessages.noChart('ingress', 'shop')}`);
    expect(FlowMessages.noChart('ingress', 'shop')).toContain('pass sides: [FlowSide.EGRESS]');
    expect(Allow.from(frontend).to(api, [Port.tcp(80)], { sides: [FlowSide.EGRESS] }).egress?.policyName).toBe('frontend-to-shop-api');
  });

  test('fails when the same flow is allowed twice', () => {
    const { frontend, backend } = twoNamespaces();
    Allow.from(frontend).to(backend, [Port.tcp(8080)]);
    expect(errorOf(() => Allow.from(frontend).to(backend, [Port.tcp(9090)])).message)
      .toBe(`Allow web/frontend -> shop/backend: ${FlowMessages.duplicate('web', 'frontend-to-shop-backend', 'egressPolicyName')}`);
  });

  test('fails when ports is empty', () => {
    const { frontend, backend } = twoNamespaces();
    expect(errorOf(() => Allow.from(frontend).to(backend, [])).message).toBe(`Allow web/frontend -> shop/backend: ${FlowMessages.noPorts}`);
  });

  test('fails when sides is empty or wrong', () => {
    const { frontend, backend } = twoNamespaces();
    expect(errorOf(() => Allow.from(frontend).to(backend, [Port.tcp(1)], { sides: [] })).message).toBe(`Allow web/frontend -> shop/backend sides: ${FlowMessages.emptySides}`);
    expect(errorOf(() => Allow.from(frontend).to(backend, [Port.tcp(1)], { sides: ['both' as FlowSide] })).message).toBe(`Allow web/frontend -> shop/backend sides: ${FlowMessages.badSide('both')}`);
  });

  test('fails when an end is a bare Selector', () => {
    const { backend } = twoNamespaces();
    expect(errorOf(() => Allow.from(Selector.labels({ app: 'x' })).to(backend, [Port.tcp(1)])).message).toBe(`Allow.from: ${FlowMessages.endWithoutNamespace('source', 'app=x')}`);
  });

  test('fails when the source is the target', () => {
    const { backend } = twoNamespaces();
    expect(errorOf(() => Allow.from(backend).to(backend, [Port.tcp(1)])).message).toBe(`Allow shop/backend -> shop/backend: ${FlowMessages.toItself('backend')}`);
  });

  test('fails when the ends are in two apps', () => {
    const a = twoNamespaces();
    const b = twoNamespaces();
    expect(errorOf(() => Allow.from(a.frontend).to(b.backend, [Port.tcp(1)])).message).toBe(`Allow web/frontend -> shop/backend: ${FlowMessages.twoApps}`);
  });

  test('fails when both ends are declared elsewhere', () => {
    const app = Testing.app();
    const shop = new PolicyChart(app, 'shop', { namespace: 'shop' });
    const a = new DeclaredWorkload(shop, 'a', { namespace: 'x', labels: { app: 'a' } });
    const b = new DeclaredWorkload(shop, 'b', { namespace: 'y', labels: { app: 'b' } });
    expect(errorOf(() => Allow.from(a).to(b, [Port.tcp(1)])).message).toBe(`Allow x/a -> y/b: ${FlowMessages.noSide({ namespace: 'x', name: 'a' }, { namespace: 'y', name: 'b' })}`);
  });

  test('SelectedPods.of fails on a bad namespace or name', () => {
    const app = Testing.app();
    expect(errorOf(() => SelectedPods.of(app, { namespace: 'Shop', name: 'web', pods: Selector.all() })).message).toMatch(/^SelectedPods.of: namespace "Shop" /);
    expect(errorOf(() => SelectedPods.of(app, { namespace: 'shop', name: 'web_1', pods: Selector.all() })).message).toMatch(/^SelectedPods.of: name "web_1" \(used in the policy names\)/);
  });
});

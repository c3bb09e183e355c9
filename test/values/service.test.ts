/**
 * A Service as a peer, a policy's pods and an intent endpoint: the pods of its selector in its namespace,
 * its ports resolved to the targetPort the pods serve (a number or a container port name).
 */
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, Endpoints, Peer, PolicyChart, Port, Selector, ServicePods, verifyApp } from '../../src';
import { ServiceMessages } from '../../src/model/service';
import { ServiceObjectMessages } from '../../src/values/_service-object';
import { manifest, validateNetworkPolicy } from '../_helpers-constructs';

/** Namespace shop: Deployment api (container port web 8080, metrics 9090), Service api (http 80 -> web, metrics 9090). */
function shop() {
  const app = Testing.app();
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });
  const api = new kplus.Deployment(chart, 'api', {
    replicas: 1,
    podMetadata: { labels: { app: 'api' } },
    select: false,
    containers: [{ image: 'api', ports: [{ number: 8080, name: 'web' }, { number: 9090, name: 'metrics' }], securityContext: { ensureNonRoot: false } }],
  });
  api.select(kplus.LabelSelector.of({ labels: { app: 'api' } }));
  const web = new kplus.Deployment(chart, 'web', {
    replicas: 1,
    podMetadata: { labels: { app: 'web' } },
    select: false,
    containers: [{ image: 'web', portNumber: 3000, securityContext: { ensureNonRoot: false } }],
  });
  web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
  const svc = new kplus.Service(chart, 'api-svc', {
    metadata: { name: 'api' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
  });
  svc.selectLabel('app', 'api');
  // cdk8s-plus types targetPort as a number; a named targetPort is a patch of its manifest (an
  // IntOrString: the patch applies before the L1 object renders its fields).
  ApiObject.of(svc).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', kplus.k8s.IntOrString.fromString('web')));
  return { app, chart, api, web, svc };
}

function kubeService(scope: PolicyChart, id: string, spec: Record<string, unknown>, namespace?: string) {
  return new kplus.k8s.KubeService(scope, id, { metadata: { name: id, ...(namespace ? { namespace } : {}) }, spec: spec as any });
}

function error(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('ServicePods', () => {
  test('a cdk8s-plus Service: its selector, namespace, ports as the pods serve them', () => {
    const { svc } = shop();
    const pods = ServicePods.of(svc);
    expect(pods.selector.model).toEqual(Selector.labels({ app: 'api' }).model);
    expect(pods.namespace).toBe('shop');
    expect(pods.serviceName).toBe('api');
    expect(String(pods)).toBe('service shop/api (pods app=api)');
    expect(pods.port('http').model).toEqual({ protocol: 'TCP', port: 'web' });
    expect(pods.port(80).model).toEqual({ protocol: 'TCP', port: 'web' });
    expect(pods.port('metrics').model).toEqual({ protocol: 'TCP', port: 9090 });
    expect(pods.ports.map(String)).toEqual(['TCP port named web', 'TCP 9090']);
  });

  test('an L1 KubeService: numeric targetPort, UDP, and an absent targetPort (= port)', () => {
    const { chart } = shop();
    const dns = kubeService(chart, 'dns', {
      selector: { app: 'dns' },
      ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: kplus.k8s.IntOrString.fromNumber(5353) }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
    }, 'infra');
    expect(Port.ofService(dns, 'dns-udp').model).toEqual({ protocol: 'UDP', port: 5353 });
    expect(Port.ofService(dns, 53, 'TCP').model).toEqual({ protocol: 'TCP', port: 53 });
    expect(ServicePods.of(dns).namespace).toBe('infra');
  });

  test('fails when the Service has no selector (ExternalName, or endpoints managed by hand)', () => {
    const { chart } = shop();
    const ext = kubeService(chart, 'ext', { type: 'ExternalName', externalName: 'db.example.com' });
    expect(error(() => Peer.service(ext))).toBe(`Peer.service shop/ext: ${String(ServiceMessages.noSelector('shop/ext', 'ExternalName'))}`);
    const manual = kubeService(chart, 'manual', { ports: [{ port: 5432 }] });
    expect(error(() => Endpoints.service(manual))).toBe(`Endpoints.service shop/manual: ${String(ServiceMessages.noSelector('shop/manual', 'ClusterIP'))}`);
    expect(String(ServiceMessages.noSelector('shop/manual', 'ClusterIP'))).toContain('its endpoints are managed by hand');
    expect(String(ServiceMessages.noSelector('shop/manual', 'ClusterIP'))).toContain('give the Service a selector');
  });

  test('fails for a port the Service does not have, listing its ports', () => {
    const { svc } = shop();
    const message = error(() => Port.ofService(svc, 'htp'));
    expect(message).toBe('Port.ofService shop/api-svc: Service shop/api has no port "htp" (did you mean http?); '
      + 'its ports: http 80/TCP -> named port web, metrics 9090/TCP -> 9090. '
      + 'Give a port of the Service by its name or its number (the Service port, which is translated to the targetPort the pods serve)');
    expect(error(() => ServicePods.of(svc).port(8080))).toContain('Service shop/api has no port 8080/TCP');
  });

  test('fails for a Service port number shared by two protocols unless the protocol is named', () => {
    const { chart } = shop();
    const dns = kubeService(chart, 'dns', { selector: { app: 'dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
    expect(error(() => Port.ofService(dns, 53))).toContain('Service shop/dns has port 53 for UDP and TCP (53/UDP -> 53, 53/TCP -> 53). Name the protocol, e.g. 53/UDP');
  });

  test('fails for an object that is not a Service', () => {
    const { api } = shop();
    expect(error(() => Peer.service(api))).toBe(`Peer.service: ${ServiceObjectMessages.notAService('shop/api (apps/v1 Deployment)')}`);
  });

  test('fails for an invalid selector or targetPort in the manifest', () => {
    const { chart } = shop();
    const bad = kubeService(chart, 'bad', { selector: { app: 'api' }, ports: [{ port: 80, targetPort: kplus.k8s.IntOrString.fromString('Not_A_Name') }] });
    expect(error(() => ServicePods.of(bad))).toMatch(/^ServicePods.of shop\/bad spec.ports\[0\].targetPort "Not_A_Name": .*Use the name of a container port/);
  });
});

describe('a Service in policies', () => {
  test('as the pods of AllowFrom and a peer of AllowTo, with its named targetPort (exact YAML)', () => {
    const { chart, web, svc } = shop();
    new AllowFrom(chart, 'api-from-web', { pods: ServicePods.of(svc), from: [Peer.workload(web)], ports: [Port.ofService(svc, 'http')] });
    new AllowTo(chart, 'web-to-api', { pods: web, to: [Peer.service(svc)], ports: [Port.ofService(svc, 'http'), Port.ofService(svc, 'metrics')] });
    const from = manifest(chart, 'api-from-web');
    validateNetworkPolicy(from);
    expect(from.spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'web', protocol: 'TCP' }] }],
    });
    const to = manifest(chart, 'web-to-api');
    validateNetworkPolicy(to);
    expect(to.spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 9090, protocol: 'TCP' }, { port: 'web', protocol: 'TCP' }] }],
    });
  });

  test('a Service of another namespace is a peer by namespace name (L1 KubeService, numeric targetPort)', () => {
    const { chart, web } = shop();
    const db = kubeService(chart, 'db', { selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: kplus.k8s.IntOrString.fromNumber(15432) }] }, 'data');
    new AllowTo(chart, 'web-to-db', { pods: web, to: [Peer.service(db)], ports: [Port.ofService(db, 'pg')] });
    expect(manifest(chart, 'web-to-db').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'db' } } }],
      ports: [{ port: 15432, protocol: 'TCP' }],
    }]);
    expect(String(Peer.service(db))).toBe('service data/db (pods app=db)');
  });
});

describe('a Service in intents', () => {
  test('as subject and target: holds on the Service port resolved to the named targetPort, fails on the Service port number', () => {
    const { app, chart, web, svc } = shop();
    new AllowFrom(chart, 'api-from-web', { pods: ServicePods.of(svc), from: [Peer.workload(web)], ports: [Port.ofService(svc, 'http')] });
    chart.expect(web).canReach(Endpoints.service(svc), Port.ofService(svc, 'http'));
    chart.expect(web).canReach(ServicePods.of(svc), Port.ofService(svc, 'http'));
    // Known pods only: a pod that could exist with app=api might name 9090 "web".
    chart.expect(web).cannotReach(Endpoints.service(svc), Port.ofService(svc, 'metrics'), { scope: 'existing' });
    chart.expect(Endpoints.service(svc)).onlyReachableFrom([web], Port.ofService(svc, 'http'));
    chart.expect(Endpoints.service(svc)).cannotReach(web, Port.tcp(3000));
    // Port 80 is the Service port; the pods serve 8080, so the policy does not allow TCP 80.
    chart.expect(web).canReach(Endpoints.service(svc), Port.tcp(80));
    const { results } = verifyApp(app);
    expect(results.map((r) => [r.text, r.holds])).toEqual([
      ['workload shop/web can reach service shop/api on TCP port named web', true],
      ['workload shop/web can reach service shop/api on TCP port named web', true],
      ['workload shop/web cannot reach service shop/api on TCP 9090', true],
      ['service shop/api is reachable on TCP port named web only from workload shop/web', true],
      ['service shop/api cannot reach workload shop/web on TCP 3000', false],
      ['workload shop/web can reach service shop/api on TCP 80', false],
    ]);
    expect(results[0].intent.target).toMatchObject({ kind: 'pods', pods: { matchLabels: { app: 'api' } }, namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } });
    expect(results[0].intent.target).not.toHaveProperty('workload');
  });
});

describe('a Service construct itself as an intent endpoint', () => {
  test('chart.expect(service) and canReach(service) take the cdk8s-plus Service and the KubeService as they are', () => {
    const { app, chart, web, svc } = shop();
    const db = kubeService(chart, 'db', { selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] });
    new AllowFrom(chart, 'api-from-web', { pods: ServicePods.of(svc), from: [Peer.workload(web)], ports: [Port.ofService(svc, 'http')] });
    chart.expect(web).canReach(svc, Port.ofService(svc, 'http'));
    chart.expect(svc).canReach(db, Port.ofService(db, 'pg'), { scope: 'existing' });
    const { results } = verifyApp(app);
    expect(results.map((r) => [r.text, r.holds, r.problem])).toEqual([
      ['workload shop/web can reach service shop/api on TCP port named web', true, undefined],
      // No workload of the app carries app=db: fail closed.
      ['service shop/api can reach service shop/db on TCP 5432', false, 'service shop/db matches no pod or external on network default, so the intent cannot be checked. Declare the workload (or fix the selector)'],
    ]);
  });

  test('a construct that is not a Service fails with what to pass', () => {
    const { chart, web } = shop();
    const config = new kplus.ConfigMap(chart, 'config');
    expect(error(() => chart.expect(web).canReach(config))).toBe(`Endpoints.service: ${ServiceObjectMessages.notAService('shop/config (v1 ConfigMap)')}`);
  });
});

describe('the README example (examples/readme/services.ts)', () => {
  test('synthesizes the policies with the pod port behind the Service port', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { yaml } = require('../../examples/readme/services') as { yaml: string };
    const docs = yaml.split('\n---\n');
    const policy = (name: string) => docs.find((d) => d.includes('kind: NetworkPolicy') && d.includes(`  name: ${name}\n`))!;
    expect(policy('web-to-api')).toMatch(/ports:\n {8}- port: 8080\n {10}protocol: TCP\n/);
    expect(policy('api-from-web')).toMatch(/ports:\n {8}- port: 8080\n {10}protocol: TCP\n/);
    // The Service selects api's pods by cdk8s-plus's hash label; the policy selects the same pods readably.
    expect(policy('api-from-web')).toMatch(/ {2}podSelector:\n {4}matchLabels:\n {6}app\.kubernetes\.io\/name: api\n/);
    expect(docs.filter((d) => d.includes('kind: NetworkPolicy') && d.includes('cdk8s.io/metadata.addr'))).toEqual([]);
  });
});

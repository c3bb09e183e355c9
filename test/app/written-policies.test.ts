/**
 * Synth verifies exactly what it writes: every object of the app that restricts traffic is parsed from
 * its synthesized manifest, as the CLI parses files (a raw ApiObject, a cdk8s-plus `connections`
 * policy, a JSON patch on a netproof construct's object). Kinds netproof cannot model, and values the
 * API server would reject, fail synth before anything is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowTo, DefaultDeny, Peer, PolicyChart, Port, synthesizeAtomically, verifyApp } from '../../src';

interface Shop { app: App; chart: PolicyChart; web: kplus.Deployment; api: kplus.Deployment }

/** DefaultDeny, web may send to api on 9090, and the intent that web cannot reach api (it holds). */
function shop(): Shop {
  const app = Testing.app();
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'example/web:1', portNumber: 8080 }] });
  const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 9090 }] });
  new DefaultDeny(chart, 'default-deny');
  new AllowTo(chart, 'web-to-api', { pods: web, to: [Peer.workload(api)], ports: [Port.tcp(9090)] });
  chart.expect(web).cannotReach(api);
  return { app, chart, web, api };
}

function synthError(app: App): string {
  try {
    app.synthYaml();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth passed');
}

const networkPolicy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec });

describe('synth verifies every policy object it writes', () => {
  test('the intent holds without foreign policies (the baseline of the cases below)', () => {
    const { app } = shop();
    expect(verifyApp(app).results.map((r) => r.holds)).toEqual([true]);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a raw ApiObject NetworkPolicy that opens ingress is verified: the intent fails, naming it', () => {
    const { app, chart } = shop();
    new ApiObject(chart, 'open-api', networkPolicy('open-api', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }));
    const message = synthError(app);
    expect(message).toContain('[shop/netproof-intents] intent violated: workload shop/web cannot reach workload shop/api on any port');
    expect(message).toContain('allowed by shop/open-api ingress[0] (any peer; all ports)');
    const policy = verifyApp(app).model.policies.find((p) => p.name === 'open-api')!;
    expect(policy.source).toEqual({ constructPath: 'shop/open-api' });
  });

  test('a raw NetworkPolicy in a plain cdk8s Chart of the same app counts too', () => {
    const { app } = shop();
    const other = new Chart(app, 'other', { namespace: 'shop' });
    new ApiObject(other, 'open-api', networkPolicy('open-api', { podSelector: {}, ingress: [{}] }));
    expect(synthError(app)).toContain('allowed by shop/open-api ingress[0] (any peer; all ports)');
  });

  test('cdk8s-plus connections policies are verified', () => {
    const { app, web, api } = shop();
    web.connections.allowTo(api, { ports: [kplus.NetworkPolicyPort.tcp(9090)] });
    const message = synthError(app);
    expect(message).toContain('intent violated: workload shop/web cannot reach workload shop/api');
    expect(message).toMatch(/ingress of shop\/api: isolated by shop\/allowingress\S+, shop\/default-deny; allowed by shop\/allowingress\S+ ingress\[0\]/);
  });

  test('a JSON patch on a netproof construct\'s object is verified as written', () => {
    const { app, chart } = shop();
    const resource = chart.node.findChild('default-deny').node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c))!;
    resource.addJsonPatch(JsonPatch.replace('/spec/policyTypes', ['Egress']));
    const policy = verifyApp(app).model.policies.find((p) => p.name === 'default-deny')!;
    expect(policy).toMatchObject({ kind: 'NetworkPolicy', policyTypes: ['Egress'], source: { constructPath: 'shop/default-deny' } });
  });

  test.each([
    ['a Calico GlobalNetworkPolicy', { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'gnp' }, spec: {} },
      'shop/foreign[object 0] kind: unsupported policy kind crd.projectcalico.org/v1 GlobalNetworkPolicy.'],
    ['a Cilium policy', { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'cnp' }, spec: {} },
      'shop/foreign[object 0] kind: unsupported policy kind cilium.io/v2 CiliumNetworkPolicy.'],
    ['a name the API server rejects', networkPolicy('Bad_Name', { podSelector: {} }),
      'shop/foreign[object 0] metadata.name: "Bad_Name": must consist of lower case alphanumeric characters'],
    ['port 0', networkPolicy('p0', { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }),
      'shop/foreign[object 0] spec.ingress[0].ports[0].port: port must be between 1 and 65535, got 0.'],
    ['protocol ICMP', networkPolicy('icmp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }),
      'shop/foreign[object 0] spec.ingress[0].ports[0].protocol: unsupported protocol "ICMP".'],
    ['an unknown field', networkPolicy('typo', { podSelector: {}, ingres: [{}] }),
      'shop/foreign[object 0] spec.ingres: unknown field "ingres".'],
  ])('%s fails synth, naming the construct, and writes nothing', (_name, manifest, message) => {
    const { app, chart } = shop();
    new ApiObject(chart, 'foreign', manifest as ConstructorParameters<typeof ApiObject>[2]);
    expect(synthError(app)).toContain(message);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-written-'));
    try {
      fs.writeFileSync(path.join(dir, 'keep.yaml'), 'kept\n');
      expect(() => synthesizeAtomically(app, dir)).toThrow(message.split(' ')[0]);
      expect(fs.readdirSync(dir)).toEqual(['keep.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

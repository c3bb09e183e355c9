import { ApiObject, App, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, DefaultDeny, Peer, PolicyChart, Port } from '../../src';
import { verifyApp } from '../../src/app/verify';

function chart(policiesOnly: boolean | undefined): PolicyChart {
  const app = new App();
  const c = new PolicyChart(app, 'shop', { namespace: 'shop', ...(policiesOnly !== undefined ? { policiesOnly } : {}) });
  const web = new kplus.Deployment(c, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1', portNumber: 8080 }] });
  const api = new kplus.Deployment(c, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1', portNumber: 8080 }] });
  api.exposeViaService({ name: 'api' });
  new ApiObject(c, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
  new DefaultDeny(c, 'deny');
  new AllowFrom(c, 'api-from-web', { pods: api, from: [Peer.workload(web)], ports: [Port.tcp(8080)] });
  // DefaultDeny closes egress too: web reaches nothing, api is reachable from web's pods only.
  c.expect(web).cannotReach(api, Port.tcp(8080));
  c.expect(api).onlyReachableFrom([web], Port.tcp(8080));
  return c;
}

const kinds = (c: PolicyChart) => Testing.synth(c).map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`).sort();

describe('PolicyChart policiesOnly', () => {
  test('writes only the policy objects', () => {
    expect(kinds(chart(true))).toEqual(['NetworkPolicy/api-from-web', 'NetworkPolicy/deny']);
  });

  test('by default writes every object of the chart', () => {
    expect(kinds(chart(undefined))).toEqual(expect.arrayContaining(['ConfigMap/config', 'Deployment/api', 'Deployment/web', 'NetworkPolicy/deny', 'Service/api']));
  });

  test('still verifies against the workloads and Services it does not write', () => {
    const c = chart(true);
    const { model, results } = verifyApp(c);
    expect(model.cluster.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(expect.arrayContaining(['shop/api', 'shop/web']));
    expect(model.manifests.services.map((s) => s.name)).toEqual(['api']);
    expect(results.map((r) => r.holds)).toEqual([true, true]);
  });
});

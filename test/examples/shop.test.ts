import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { buildShopApp, SHOP_CLUSTER } from '../../examples/shop/main';
import { impliedExternalsOf, policiesOf } from '../../src';
import { policyId } from '../../src/model/policy';
import { validateAll } from '../_helpers-constructs';

function objects(): any[] {
  return buildShopApp().charts.flatMap((c) => c.toJson());
}

describe('examples/shop', () => {
  test('builds in memory with the expected policies', () => {
    const app = buildShopApp();
    expect(policiesOf(app).map(policyId)).toEqual([
      'cnf/allow-dns', 'cnf/blue-default-deny', 'cnf/blue-upf-from-ran', 'cnf/blue-upf-from-smf', 'cnf/blue-upf-to-data-network', 'cnf/default-deny',
      'shop/allow-dns', 'shop/backend-from-frontend', 'shop/backend-to-database', 'shop/backend-workload-identity', 'shop/database-from-backend',
      'shop/default-deny', 'shop/frontend-from-load-balancer', 'shop/frontend-to-backend',
    ]);
    expect(SHOP_CLUSTER.dataplane).toBe('dataplane-v2');
  });

  test('every NetworkPolicy passes the schema check and carries its namespace', () => {
    const all = objects();
    expect(validateAll(all)).toBe(14);
    for (const o of all) expect(o.metadata.namespace).toMatch(/^(shop|cnf)$/);
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
      'lb-health-check-130.211.0.0_22', 'lb-health-check-35.191.0.0_16', 'metadata-server', 'node-local-dns',
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

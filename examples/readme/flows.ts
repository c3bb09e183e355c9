import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Allow, ClusterProfile, DeclaredWorkload, FlowSide, NamespaceBaseline, PolicyChart, Port, Selector } from '../../src';

const app = new App();
const profile = ClusterProfile.dataplaneV2({ gkeVersion: '1.29.4-gke.1043002', podCidrs: ['10.8.0.0/14'] });
const web = new PolicyChart(app, 'web', { namespace: 'web', profile });
const shop = new PolicyChart(app, 'shop', { namespace: 'shop', profile });

const metrics = { number: 9100, name: 'metrics' };
const frontend = new kplus.Deployment(web, 'frontend', { containers: [{ image: 'example/frontend:1', ports: [{ number: 8080 }, metrics] }] });
const backend = new kplus.Deployment(shop, 'backend', { containers: [{ image: 'example/backend:1', ports: [{ number: 9090 }, metrics] }] });
const prometheus = new DeclaredWorkload(web, 'prometheus', { namespace: 'monitoring', labels: { app: 'prometheus' } });
const ledger = new DeclaredWorkload(shop, 'ledger', { namespace: 'payments', labels: { app: 'ledger' }, ports: [{ port: 5432 }] });

// default-deny, allow-dns and allow-metrics-scraping in both namespaces' charts.
new NamespaceBaseline(app, 'baseline', {
  namespaces: ['web', 'shop'],
  metricsNamespace: 'monitoring',
  metricsPods: Selector.labels({ app: 'prometheus' }),
  metricsPorts: [Port.tcp(9100)],
});

// One line per connection: web/frontend-to-shop-backend (egress) and shop/backend-from-web-frontend (ingress).
Allow.from(frontend).to(backend, [Port.tcp(9090)]);
// payments has no PolicyChart here (its team owns its policies): only shop/backend-to-payments-ledger.
Allow.from(backend).to(ledger, [Port.tcp(5432)], { sides: [FlowSide.EGRESS] });

web.expect(frontend).canReach(backend, Port.tcp(9090));
web.expect(frontend).cannotReach(ledger);
web.expect(prometheus).canReach(backend, Port.tcp(9100));

export const yaml = app.synthYaml();

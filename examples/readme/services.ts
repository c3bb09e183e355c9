import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowDns, AllowFrom, AllowTo, DefaultDeny, Endpoints, Peer, PolicyChart, Port, ServicePods,
} from '../../src';

const app = new App();
const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });

const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'example/web:1', portNumber: 3000 }] });
const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', ports: [{ name: 'http', number: 8080 }] }] });
// Clients use port 80; the pods serve 8080.
const apiService = new kplus.Service(chart, 'api-service', {
  metadata: { name: 'api' }, selector: api, ports: [{ name: 'http', port: 80, targetPort: 8080 }],
});

new DefaultDeny(chart, 'default-deny');
new AllowDns(chart, 'allow-dns');
// Peer.service / ServicePods.of: the pods of the Service's selector; Port.ofService: its targetPort (TCP 8080).
new AllowTo(chart, 'web-to-api', { pods: web, to: [Peer.service(apiService)], ports: [Port.ofService(apiService, 'http')] });
new AllowFrom(chart, 'api-from-web', { pods: ServicePods.of(apiService), from: [Peer.workload(web)], ports: [Port.ofService(apiService, 'http')] });

// Intents see pod ports too: Port.tcp(80) would be a port no pod serves (lint NP018 says so).
chart.expect(web).canReach(Endpoints.service(apiService), Port.ofService(apiService, 'http'));
chart.expect(Endpoints.service(apiService)).cannotReach(web);

export const yaml = app.synthYaml();

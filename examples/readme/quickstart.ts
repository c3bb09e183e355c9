import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Allow, ClusterProfile, Externals, formatIntentResults, NamespaceBaseline, PolicyChart, Port, verifyApp } from '../../src';

const app = new App();
const chart = new PolicyChart(app, 'shop', {
  namespace: 'shop',
  profile: ClusterProfile.dataplaneV2({ gkeVersion: '1.29.4-gke.1043002', podCidrs: ['10.8.0.0/14'] }),
});

const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'example/web:1', portNumber: 8080 }] });
const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 9090 }] });

// Default deny both ways and DNS, for every namespace listed.
new NamespaceBaseline(app, 'baseline', { charts: [chart] });
// One line per connection: web's egress (web-to-api) and api's ingress (api-from-web).
Allow.from(web).to(api, [Port.tcp(9090)]);

chart.expect(web).canReach(api, Port.tcp(9090));
chart.expect(api).cannotReach(web);
chart.expect(web).cannotReach(Externals.INTERNET);

// Verifies every intent, then renders YAML (app.synth() would write it to dist/).
export const yaml = app.synthYaml();

// Run as a script, it says what was proven.
if (require.main === module) console.log(formatIntentResults(verifyApp(app).results));

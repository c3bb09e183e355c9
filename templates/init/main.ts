/**
 * The policies of this repository: a PolicyChart per namespace, made of netproof constructs, with the
 * intents they must satisfy. `npx netproof synth` runs this file; every intent is checked before any
 * YAML is written, and synth fails (writing nothing) with a counterexample when one does not hold.
 */
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  Allow, ClusterProfile, Externals, formatIntentResults, NamespaceBaseline, PolicyChart, Port, Selector, verifyApp,
} from 'netproof';

const HTTP = Port.tcp(8080);

class DemoPolicies extends PolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      namespace: 'demo',
      // The dataplane of your cluster (ClusterProfile.dataplaneV2() for GKE Dataplane V2): synth records it,
      // with the workloads and intents below, in dist/.netproof-model, and CI verifies and diffs under it.
      profile: ClusterProfile.upstream(),
      // dist/ holds only the policies: the Deployments below describe the app team's workloads so that the
      // intents are checked against them (synth records them in dist/.netproof-model), but the app's own
      // repository deploys them; an Argo CD or Flux sync of this repository must not own or prune them.
      policiesOnly: true,
    });

    // The app team's workloads, with the labels their pods carry: policies select them by these labels.
    const web = new kplus.Deployment(this, 'web', { podMetadata: { labels: { app: 'web' } }, containers: [{ image: 'nginxinc/nginx-unprivileged:1.27', portNumber: 8080 }] });
    const api = new kplus.Deployment(this, 'api', { podMetadata: { labels: { app: 'api' } }, containers: [{ image: 'hashicorp/http-echo:1.0', portNumber: 8080 }] });

    // Nothing moves unless a policy below allows it; every pod may resolve names.
    new NamespaceBaseline(this, 'baseline', { charts: [this] });
    // web -> api on TCP 8080: one line writes web's egress (web-to-api) and api's ingress (api-from-web).
    Allow.from(web).to(api, [HTTP]);

    // What the policies must mean. Add one line per promise you make to your security team.
    this.expect(web).canReach(api, HTTP);
    this.expect(api).cannotReach(web);
    // Policies select by label, so any pod labelled app=web reaches api: the promise is about the label.
    this.expect(api).onlyReachableFrom([Selector.labels({ app: 'web' })]);
    this.expect(Selector.all()).canReach(Externals.KUBE_DNS, Port.DNS_UDP).cannotReach(Externals.INTERNET);
  }
}

const app = new App(); // writes to $CDK8S_OUTDIR, which netproof synth sets
new DemoPolicies(app, 'demo');
app.synth();
console.log(formatIntentResults(verifyApp(app).results));

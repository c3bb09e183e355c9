/**
 * One pipeline: the SDK (verifyApp, synth) and `netproof verify` on the synthesized YAML give the same
 * lint findings and the same intent verdicts on the same objects.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildShopApp } from '../../examples/shop/main';
import { AllowDns, ClusterProfile, DefaultDeny, PolicyChart, Selector, verifyApp } from '../../src';
import { run } from '../cli/_run';

const INTENTS = 'intents:\n  - from: {namespace: shop, pods: {app: frontend}}\n    to: {namespace: shop, pods: {app: database}}\n    expect: deny\n';

/** Synthesizes the app's manifests into a folder and runs `netproof verify` on it with JSON output. */
async function verifyFolder(app: App, dataplane: string): Promise<{ lints: unknown[]; intents: { holds: boolean }[] }> {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-pipeline-'));
  const dir = path.join(top, 'dist');
  fs.mkdirSync(dir);
  try {
    app.charts.forEach((chart, i) => fs.writeFileSync(path.join(dir, `${i}.yaml`), Testing.synth(chart).map((o) => `---\n${JSON.stringify(o)}\n`).join('')));
    fs.writeFileSync(path.join(top, 'intents.yaml'), INTENTS);
    const r = await run(['verify', '--cluster', dir, '--policies', dir, '--intents', path.join(top, 'intents.yaml'), '--dataplane', dataplane, '--format', 'json']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(top, { recursive: true, force: true });
  }
}

/** An app with a finding of most lints: no DNS, Workload Identity without the metadata server, a LoadBalancer without health checks. */
function findingsApp(): App {
  const app = Testing.app();
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: ClusterProfile.dataplaneV2({ gkeVersion: '1.29.1-gke.1589000' }) });
  new ApiObject(chart, 'sa', {
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', annotations: { 'iam.gke.io/gcp-service-account': 'api@p.iam.gserviceaccount.com' } },
  });
  const api = new kplus.Deployment(chart, 'api', {
    metadata: { name: 'api' },
    select: false,
    podMetadata: { labels: { app: 'api' } },
    serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'api-sa', 'api'),
    containers: [{ image: 'api:1', portNumber: 8080 }],
  });
  api.select(kplus.LabelSelector.of({ labels: { app: 'api' } }));
  const lb = new kplus.Service(chart, 'lb', { metadata: { name: 'api' }, type: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 80, targetPort: 8080 }] });
  lb.selectLabel('app', 'api');
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'dns-for-nobody', { pods: Selector.labels({ app: 'ghost' }) });
  const other = new PolicyChart(app, 'other', { namespace: 'other', profile: ClusterProfile.dataplaneV2({ gkeVersion: '1.29.1-gke.1589000' }) });
  new DefaultDeny(other, 'default-deny');
  return app;
}

describe('one pipeline for the SDK and the CLI', () => {
  test('netproof verify on the synthesized objects gives the findings verifyApp gives (NP005, NP006, NP007, NP008)', async () => {
    const app = findingsApp();
    const sdk = verifyApp(app).findings;
    expect(sdk.map((f) => f.id)).toEqual(expect.arrayContaining(['NP005', 'NP006', 'NP007', 'NP008']));
    const cli = await verifyFolder(app, 'dataplane-v2');
    // The CLI checks an intents file the app does not state: its NP015 findings are about those intents.
    const aboutIntents = (f: unknown) => (f as { subject: string }).subject.startsWith('intents[');
    expect(cli.lints.filter((f) => !aboutIntents(f))).toEqual(sdk);
    expect(cli.lints.filter(aboutIntents).map((f) => (f as { id: string }).id)).toEqual(['NP015', 'NP015']);
  });

  test('on the example shop: the same findings and the same verdict', async () => {
    const app = buildShopApp();
    const cli = await verifyFolder(app, 'dataplane-v2');
    expect(cli.lints).toEqual(verifyApp(app).findings);
    expect(cli.intents.map((i) => i.holds)).toEqual([true]);
  });
});

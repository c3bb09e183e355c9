/** The verification model of a cdk8s app: workloads, declared endpoints, kube-dns, implied externals, profile and manifest facts. */
import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowDns, AllowMetadataServer, ClusterProfile, DeclaredExternal, DeclaredWorkload, DefaultDeny, Externals, modelOfApp, PolicyChart, verifyApp,
} from '../../src';

const PROFILE = ClusterProfile.dataplaneV2({ gkeVersion: '1.29.1-gke.1589000', podCidrs: ['10.8.0.0/14'], serviceCidrs: ['10.12.0.0/20'] });

function app() {
  const a = Testing.app();
  const chart = new PolicyChart(a, 'shop', { namespace: 'shop', profile: PROFILE });
  const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, select: false, podMetadata: { labels: { app: 'web' } }, containers: [{ image: 'w', portNumber: 8080 }] });
  web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
  new kplus.Service(chart, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }).selectLabel('app', 'web');
  new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
  new AllowDns(chart, 'dns', { nodeLocalDnsCache: true });
  new AllowMetadataServer(chart, 'md');
  new DeclaredWorkload(chart, 'ledger', { namespace: 'payments', labels: { app: 'ledger' }, namespaceLabels: { team: 'pay' } });
  new DeclaredExternal(chart, 'partner', { ip: '198.51.100.7', hostname: 'api.partner.example' });
  return a;
}

describe('modelOfApp', () => {
  test('pods: the app\'s workloads with IPs from the Pod range, declared workloads, and kube-dns when none is declared', () => {
    const m = modelOfApp(app());
    expect(m.cluster.pods.map((p) => [`${p.namespace}/${p.name}`, p.ip])).toEqual([
      ['kube-system/kube-dns', '10.8.0.10'], ['payments/ledger', '10.8.0.11'], ['shop/web', '10.8.0.12'], ['shop/web#2', '10.8.0.13'],
    ]);
    expect(m.cluster.pods.find((p) => p.name === 'web')).toMatchObject({ labels: { app: 'web' }, ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(m.cluster.namespaces).toEqual({
      'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
      'payments': { 'kubernetes.io/metadata.name': 'payments', 'team': 'pay' },
      'shop': { 'kubernetes.io/metadata.name': 'shop' },
    });
  });

  test('externals: implied by the constructs, declared, and the internet', () => {
    const m = modelOfApp(app());
    expect(m.cluster.externals.map((e) => [e.name, e.ip, e.hostname])).toEqual([
      ['cloud-dns', '169.254.169.254', undefined],
      ['internet', '203.0.113.10', undefined],
      ['lb-health-check-130.211.0.0_22', '130.211.0.1', undefined],
      ['lb-health-check-35.191.0.0_16', '35.191.0.1', undefined],
      ['metadata-server', '169.254.169.254', 'metadata.google.internal'],
      ['node-local-dns', '169.254.20.10', undefined],
      ['partner', '198.51.100.7', 'api.partner.example'],
    ]);
    // The ones a construct implies keep the construct as their source; GKE's own have none.
    expect(m.cluster.externals.find((e) => e.name === 'metadata-server')?.source).toEqual({ constructPath: 'shop/md' });
    expect(m.cluster.externals.find((e) => e.name === 'cloud-dns')?.source).toBeUndefined();
  });

  test('profile as data, and Services as manifest facts (not skipped); other kinds are skipped', () => {
    const m = modelOfApp(app());
    expect(m.profile).toEqual({
      dataplane: 'dataplane-v2',
      gkeVersion: '1.29.1-gke.1589000',
      podNetworks: ['default'],
      podCidrs: ['10.8.0.0/14'],
      serviceCidrs: ['10.12.0.0/20'],
      metadataServer: { ip: '169.254.169.254', port: 80 },
    });
    expect(m.manifests.services).toMatchObject([{ namespace: 'shop', name: 'web', type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }]);
    expect(m.skipped.map((s) => s.kind)).toEqual(['ConfigMap']);
  });

  test('an app without PolicyChart: upstream, no declared networks, no metadata server', () => {
    const m = modelOfApp(Testing.app());
    expect(m.profile).toEqual({ dataplane: 'upstream', podCidrs: [], serviceCidrs: [] });
    expect(m.clusterProfile).toBeUndefined();
  });

  test('a GKE profile: the metadata server, DNS and health checkers are in the model without a construct naming them', () => {
    const names = (profile: ClusterProfile) => {
      const a = Testing.app();
      new PolicyChart(a, 'shop', { namespace: 'shop', profile });
      return modelOfApp(a).cluster.externals.map((e) => `${e.name} ${e.ip}`);
    };
    const gke = ['cloud-dns 169.254.169.254', 'internet 203.0.113.10', 'lb-health-check-130.211.0.0_22 130.211.0.1', 'lb-health-check-35.191.0.0_16 35.191.0.1'];
    expect(names(PROFILE)).toEqual([...gke.slice(0, 4), 'metadata-server 169.254.169.254', 'node-local-dns 169.254.20.10']);
    expect(names(ClusterProfile.calico({ gkeVersion: '1.27.3-gke.100' }))).toEqual([...gke, 'metadata-server 169.254.169.252', 'node-local-dns 169.254.20.10']);
    expect(names(ClusterProfile.calico({ gkeVersion: '1.20.9-gke.100' }))).toEqual([...gke, 'metadata-server 127.0.0.1', 'node-local-dns 169.254.20.10']);
    expect(names(ClusterProfile.upstream())).toEqual(['internet 203.0.113.10']);
    expect(names(ClusterProfile.calico())).toEqual(['internet 203.0.113.10']);
  });

  test('a GKE profile: cannotReach(Externals.METADATA_SERVER) holds without AllowMetadataServer, and fails when egress is open', () => {
    const build = (deny: boolean) => {
      const a = Testing.app();
      const chart = new PolicyChart(a, 'shop', { namespace: 'shop', profile: PROFILE });
      const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'example/api:1', portNumber: 8080 }] });
      if (deny) {
        new DefaultDeny(chart, 'default-deny');
        new AllowDns(chart, 'allow-dns');
      }
      chart.expect(api).cannotReach(Externals.METADATA_SERVER);
      chart.expect(api).cannotReach(Externals.CLOUD_DNS);
      return verifyApp(a).results;
    };
    expect(build(true).map((r) => r.holds)).toEqual([true, true]);
    const open = build(false);
    expect(open.map((r) => r.holds)).toEqual([false, false]);
    expect(open[0].counterexamples[0]).toMatchObject({ to: 'metadata-server' });
  });
});

/** The verification model of a cdk8s app: workloads, declared endpoints, kube-dns, implied externals, profile and manifest facts. */
import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowDns, AllowMetadataServer, ClusterProfile, DeclaredExternal, DeclaredWorkload, modelOfApp, PolicyChart,
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
      ['internet', '203.0.113.10', undefined],
      ['metadata-server', '169.254.169.254', 'metadata.google.internal'],
      ['node-local-dns', '169.254.20.10', undefined],
      ['partner', '198.51.100.7', 'api.partner.example'],
    ]);
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
});

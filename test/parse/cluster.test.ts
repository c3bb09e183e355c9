import { readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { objectDocuments } from '../../src/parse/_documents';
import { clusterFromDocuments, clusterFromFiles, clusterFromManifests, HOST_NETWORK_REASON, parseCluster } from '../../src/parse/cluster';
import { ParseFix } from '../../src/parse/messages';
import { describeSkipped } from '../../src/parse/skipped';
import { errorOf } from '../_errors';

const FIXTURES = join(__dirname, '..', 'fixtures', 'cluster');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');


const MODEL = `namespaces:
  shop: {team: web}
  data: {}
pods:
  - namespace: shop
    name: frontend
    labels: {app: frontend}
    ip: 10.8.0.10
    ports: [{name: http, port: 8080, protocol: TCP}]
    networks: [default, blue-pod-network]
  - namespace: data
    name: db
    labels: {app: db}
    ports: [{port: 5432}]
  - namespace: batch
    name: job
externals:
  - {name: metadata, ip: 169.254.169.252}
  - {name: api.example.com, ip: 203.0.113.9, hostname: api.example.com}
`;

describe('parseCluster: the cluster model file', () => {
  test('namespaces get the implied name label, pods their defaults, everything sorted', () => {
    const { cluster, skipped } = parseCluster(MODEL, 'cluster.yaml');
    expect(skipped).toEqual([]);
    expect(cluster).toEqual({
      namespaces: {
        batch: { 'kubernetes.io/metadata.name': 'batch' },
        data: { 'kubernetes.io/metadata.name': 'data' },
        shop: { 'kubernetes.io/metadata.name': 'shop', 'team': 'web' },
      },
      pods: [
        { namespace: 'batch', name: 'job', labels: {}, ports: [], networks: ['default'], source: { file: 'cluster.yaml', index: 0 } },
        { namespace: 'data', name: 'db', labels: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP' }], networks: ['default'], source: { file: 'cluster.yaml', index: 0 } },
        {
          namespace: 'shop',
          name: 'frontend',
          labels: { app: 'frontend' },
          ip: '10.8.0.10',
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          networks: ['default', 'blue-pod-network'],
          source: { file: 'cluster.yaml', index: 0 },
        },
      ],
      externals: [
        { name: 'api.example.com', ip: '203.0.113.9', hostname: 'api.example.com', source: { file: 'cluster.yaml', index: 0 } },
        { name: 'metadata', ip: '169.254.169.252', source: { file: 'cluster.yaml', index: 0 } },
      ],
    });
  });

  test('JSON with the same shape gives the same model', () => {
    const fromYaml = parseCluster(MODEL, 'c').cluster;
    const json = JSON.stringify({
      namespaces: { shop: { team: 'web' }, data: {} },
      pods: [
        { namespace: 'shop', name: 'frontend', labels: { app: 'frontend' }, ip: '10.8.0.10', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], networks: ['default', 'blue-pod-network'] },
        { namespace: 'data', name: 'db', labels: { app: 'db' }, ports: [{ port: 5432 }] },
        { namespace: 'batch', name: 'job' },
      ],
      externals: [{ name: 'metadata', ip: '169.254.169.252' }, { name: 'api.example.com', ip: '203.0.113.9', hostname: 'api.example.com' }],
    });
    expect(parseCluster(json, 'c.json').cluster).toEqual(JSON.parse(JSON.stringify(fromYaml).replace(/"file":"c"/g, '"file":"c.json"')));
  });

  test('IPv6 pod IPs are canonical', () => {
    const { cluster } = parseCluster('pods: [{namespace: a, name: p, ip: "FD00:0:0::10"}]\n', 'c.yaml');
    expect(cluster.pods[0].ip).toBe('fd00::10');
  });

  const cases: [string, string, string][] = [
    ['fails on an unknown top-level key',
      'namespace: {}\n',
      `c.yaml[document 0, line 1] namespace: unknown field "namespace". ${ParseFix.unknownField(['namespaces', 'pods', 'externals', 'podCidrs', 'nodes'])}`],
    ['fails on an unknown pod field',
      'pods:\n  - {namespace: a, name: p, podIP: 10.0.0.1}\n',
      `c.yaml[document 0, line 2] pods[0].podIP: unknown field "podIP". ${ParseFix.unknownField(['namespace', 'name', 'labels', 'ip', 'ports', 'networks', 'serviceAccount', 'replicaOf'])}`],
    ['fails on a duplicate pod id',
      'pods:\n  - {namespace: a, name: p}\n  - {namespace: a, name: p}\n',
      `c.yaml[document 0, line 3] pods[1]: pod a/p is declared twice (first at c.yaml[document 0, line 2]). ${ParseFix.duplicatePod}`],
    ['fails on a bad IP',
      'pods:\n  - namespace: a\n    name: p\n    ip: 10.0.0.300\n',
      `c.yaml[document 0, line 4] pods[0].ip: invalid IP address "10.0.0.300": octet 300 is greater than 255. ${ParseFix.ip}`],
    ['fails on a CIDR given as an IP',
      'externals:\n  - {name: net, ip: 10.0.0.0/8}\n',
      `c.yaml[document 0, line 2] externals[0].ip: invalid IP address "10.0.0.0/8": octet "0/8" is not a decimal number of 1 to 3 digits. ${ParseFix.ip}`],
    ['fails on a bad label value',
      'pods:\n  - namespace: a\n    name: p\n    labels: {app: "web app"}\n',
      'c.yaml[document 0, line 4] pods[0].labels.app: "web app": a label value must be empty or consist of alphanumeric characters, "-", "_" or ".", and start and end with an alphanumeric character. Use at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric, e.g. "web"'],
    ['fails on a numeric label value',
      'namespaces:\n  a: {version: 2}\n',
      'c.yaml[document 0, line 2] namespaces.a.version: label value must be a string, got 2. Quote it: version: "2"'],
    ['fails on a bad namespace name',
      'namespaces:\n  Shop: {}\n',
      'c.yaml[document 0, line 2] namespaces.Shop: "Shop": must consist of lower case alphanumeric characters or "-", and start and end with an alphanumeric character (DNS-1123 label). Use at most 63 lower case letters, digits and "-", starting and ending with a letter or digit, e.g. "shop"'],
    ['fails on a contradicting implied label',
      'namespaces:\n  a: {kubernetes.io/metadata.name: b}\n',
      `c.yaml[document 0, line 2] namespaces.a: label kubernetes.io/metadata.name=b differs from the namespace name "a". ${ParseFix.impliedLabel('a')}`],
    ['fails on a pod without namespace',
      'pods:\n  - {name: p}\n',
      `c.yaml[document 0, line 2] pods[0].namespace: missing namespace. ${ParseFix.podNamespace}`],
    ['fails on port 0',
      'pods:\n  - {namespace: a, name: p, ports: [{port: 0}]}\n',
      'c.yaml[document 0, line 2] pods[0].ports[0].port: port must be between 1 and 65535, got 0. Use a port between 1 and 65535, e.g. 80'],
    ['fails on a bad port protocol',
      'pods:\n  - {namespace: a, name: p, ports: [{port: 80, protocol: HTTP}]}\n',
      `c.yaml[document 0, line 2] pods[0].ports[0].protocol: unsupported protocol "HTTP". ${ParseFix.protocol}`],
    ['fails on duplicate port names',
      'pods:\n  - {namespace: a, name: p, ports: [{name: web, port: 80}, {name: web, port: 81}]}\n',
      `c.yaml[document 0, line 2] pods[0].ports: port name "web" is used twice. ${ParseFix.duplicatePortName}`],
    ['fails on an empty network list',
      'pods:\n  - {namespace: a, name: p, networks: []}\n',
      `c.yaml[document 0, line 2] pods[0].networks: a pod must be attached to at least one network. ${ParseFix.networks}`],
    ['fails on a duplicate external',
      'externals:\n  - {name: x, ip: 1.1.1.1}\n  - {name: x, ip: 1.1.1.2}\n',
      `c.yaml[document 0, line 3] externals[1].name: external "x" is declared twice (first at c.yaml[document 0, line 2]). ${ParseFix.duplicateExternal}`],
    ['fails on an external name with a slash',
      'externals:\n  - {name: a/b, ip: 1.1.1.1}\n',
      `c.yaml[document 0, line 2] externals[0].name: external name "a/b" is empty or contains "/" or spaces. ${ParseFix.externalName}`],
    ['fails on an external without ip',
      'externals:\n  - {name: x}\n',
      `c.yaml[document 0, line 2] externals[0].ip: missing ip. ${ParseFix.ip}`],
    ['fails on a bad hostname',
      'externals:\n  - {name: x, ip: 1.1.1.1, hostname: "bad_host"}\n',
      'c.yaml[document 0, line 2] externals[0].hostname: "bad_host": label "bad_host" is not a DNS label (letters, digits and "-", at most 63 characters). Use a DNS name such as "api.example.com" or a pattern such as "*.example.com"'],
  ];
  test.each(cases)('%s', (_name, text, message) => {
    expect(errorOf(() => parseCluster(text, 'c.yaml')).message).toBe(message);
  });
});

describe('parseCluster: kubectl List of namespaces and pods', () => {
  test('reads labels, status.podIP, container ports and GKE pod networks', () => {
    const { cluster, skipped } = parseCluster(fixture('kubectl-list.json'), 'list.json');
    expect(skipped).toEqual([]);
    expect(cluster.namespaces).toEqual({
      'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
      'shop': { 'kubernetes.io/metadata.name': 'shop', 'team': 'web' },
    });
    expect(cluster.pods).toEqual([
      {
        namespace: 'kube-system',
        name: 'coredns-0',
        labels: { 'k8s-app': 'kube-dns' },
        ip: '10.8.1.2',
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
        networks: ['default'],
        source: { file: 'list.json', index: 0, item: 2 },
      },
      {
        namespace: 'shop',
        name: 'frontend-7d9f8b-abcde',
        labels: { 'app': 'frontend', 'pod-template-hash': '7d9f8b' },
        ip: '10.8.0.10',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 9100, protocol: 'TCP' }],
        networks: ['default', 'blue-pod-network'],
        source: { file: 'list.json', index: 0, item: 1 },
      },
      { namespace: 'shop', name: 'pending', labels: { app: 'batch' }, ports: [], networks: ['default'], source: { file: 'list.json', index: 0, item: 3 } },
    ]);
    expect(cluster.externals).toEqual([]);
  });

  test('host-network pods and finished pods are reported, not modelled', () => {
    const { cluster, skipped } = clusterFromManifests([{
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-proxy-x', namespace: 'kube-system' }, spec: { hostNetwork: true, containers: [] }, status: { podIP: '10.0.0.2' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'job-x', namespace: 'a' }, spec: { containers: [] }, status: { phase: 'Succeeded' } },
        { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'a' }, spec: { template: { spec: { hostNetwork: true, containers: [] } } } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'a' }, spec: { containers: [] }, status: { phase: 'Running' } },
      ],
    }], 'live');
    expect(cluster.pods.map((p) => p.name)).toEqual(['web']);
    expect(skipped.map(describeSkipped)).toEqual([
      `live#0 items[0] Pod/kube-system/kube-proxy-x (${HOST_NETWORK_REASON})`,
      'live#0 items[1] Pod/a/job-x (not running: phase Succeeded)',
      `live#0 items[2] DaemonSet/a/agent (${HOST_NETWORK_REASON})`,
    ]);
  });

  test('fails on a malformed interfaces annotation', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', annotations: { 'networking.gke.io/interfaces': '[{"interfaceName":"eth0"}]' } }, spec: { containers: [] } };
    expect(errorOf(() => clusterFromManifests([pod], 'live')).message)
      .toBe(`live[object 0] metadata.annotations["networking.gke.io/interfaces"]: interface {"interfaceName":"eth0"} has no valid "network". ${ParseFix.interfacesAnnotation}`);
  });

  test('fails on a Pod with a bad podIP', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [] }, status: { podIP: 'nope' } };
    expect(errorOf(() => clusterFromManifests([pod], 'live')).message)
      .toBe(`live[object 0] status.podIP: invalid IP address "nope": an IPv4 address has 4 dot-separated octets, got 1. ${ParseFix.ip}`);
  });
});

describe('parseCluster: owners (kubectl get all)', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] } };
  const owner = (kind: string, name: string, uid: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true }] });
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'd1' }, spec: { template } };
  const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d4b9', namespace: 'shop', uid: 'r1', ...owner('Deployment', 'web', 'd1') }, spec: { template } };
  const pod = (name: string, ip: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { 'app': 'web', 'pod-template-hash': '7d4b9' }, ...owner('ReplicaSet', 'web-7d4b9', 'r1') },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip },
  });

  test('a Deployment, its ReplicaSet and its Pods are the Pods only; the others are reported as skipped', () => {
    const { cluster, skipped } = clusterFromManifests([{
      apiVersion: 'v1', kind: 'List', items: [deployment, replicaSet, pod('web-7d4b9-a', '10.8.0.1'), pod('web-7d4b9-b', '10.8.0.2')],
    }], 'all');
    expect(cluster.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['shop/web-7d4b9-a', 'shop/web-7d4b9-b']);
    expect(skipped.map(describeSkipped)).toEqual([
      'all#0 items[0] Deployment/shop/web (its running Pods are in the input (shop/web-7d4b9-a, shop/web-7d4b9-b) and are modelled instead of a representative pod)',
      'all#0 items[1] ReplicaSet/shop/web-7d4b9 (controlled by Deployment shop/web of the input, which stands for its pods)',
    ]);
  });

  test('Pods find their Deployment through the ReplicaSet name <deployment>-<pod-template-hash> when the ReplicaSet is absent', () => {
    const { cluster, skipped } = clusterFromManifests([deployment, pod('web-7d4b9-a', '10.8.0.1')], 'm');
    expect(cluster.pods.map((p) => p.name)).toEqual(['web-7d4b9-a']);
    expect(skipped.map(describeSkipped)).toEqual(['m#0 Deployment/shop/web (its running Pods are in the input (shop/web-7d4b9-a) and are modelled instead of a representative pod)']);
  });

  test('a Deployment and its ReplicaSet without Pods are one representative pod, the Deployment\'s', () => {
    const { cluster, skipped } = clusterFromManifests([replicaSet, deployment], 'm');
    expect(cluster.pods.map((p) => p.name)).toEqual(['web']);
    expect(skipped.map(describeSkipped)).toEqual(['m#0 ReplicaSet/shop/web-7d4b9 (controlled by Deployment shop/web of the input, which stands for its pods)']);
  });

  test('a ReplicaSet owned by a Deployment with another uid is not skipped', () => {
    const stale = { ...replicaSet, metadata: { ...replicaSet.metadata, ...owner('Deployment', 'web', 'old') } };
    expect(clusterFromManifests([deployment, stale], 'm').cluster.pods.map((p) => p.name)).toEqual(['web', 'web-7d4b9']);
  });

  test('a Job under its CronJob is skipped; the CronJob stands for both', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'ops', uid: 'c1' }, spec: { jobTemplate: { spec: { template } } } };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report-28000000', namespace: 'ops', ...owner('CronJob', 'report', 'c1') }, spec: { template } };
    const { cluster, skipped } = clusterFromManifests([job, cron], 'm');
    expect(cluster.pods.map((p) => p.name)).toEqual(['report']);
    expect(skipped.map(describeSkipped)).toEqual(['m#0 Job/ops/report-28000000 (controlled by CronJob ops/report of the input, which stands for its pods)']);
  });
});

describe('parseCluster: duplicate IPs', () => {
  test('fails when two pods on one network have the same IP, naming both places', () => {
    const text = 'pods:\n  - {namespace: a, name: p, ip: 10.0.0.1}\n  - {namespace: b, name: q, ip: 10.0.0.1}\n';
    expect(errorOf(() => parseCluster(text, 'c.yaml')).message)
      .toBe(`c.yaml[document 0, line 3] pods[1].ip: pod b/q has IP 10.0.0.1, which pod a/p also has on network default (at c.yaml[document 0, line 2] pods[0].ip). ${ParseFix.duplicatePodIp}`);
  });

  test('fails when two Pod objects have the same status.podIP', () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' }, spec: { containers: [] }, status: { podIP: '10.0.0.7' } });
    expect(errorOf(() => clusterFromManifests([{ apiVersion: 'v1', kind: 'List', items: [pod('x'), pod('y')] }], 'live')).message)
      .toBe(`live[object 0] items[1].status.podIP: pod a/y has IP 10.0.0.7, which pod a/x also has on network default (at live[object 0] items[0].status.podIP). ${ParseFix.duplicatePodIp}`);
  });

  test('pods on different networks may share an IP', () => {
    const text = 'pods:\n  - {namespace: a, name: p, ip: 10.0.0.1, networks: [blue]}\n  - {namespace: a, name: q, ip: 10.0.0.1, networks: [red]}\n';
    expect(parseCluster(text, 'c.yaml').cluster.pods.map((p) => p.name)).toEqual(['p', 'q']);
  });

  test('fails when an external has a pod\'s IP', () => {
    const text = 'pods:\n  - {namespace: a, name: p, ip: 10.0.0.1}\nexternals:\n  - {name: db, ip: 10.0.0.1}\n';
    expect(errorOf(() => parseCluster(text, 'c.yaml')).message)
      .toBe(`c.yaml[document 0, line 4] externals[0].ip: external "db" has IP 10.0.0.1, which is pod a/p's (at c.yaml[document 0, line 2] pods[0].ip). ${ParseFix.externalPodIp}`);
  });
});

describe('parseCluster: workload manifests', () => {
  test('one representative pod per workload, named after it, and a second one for two or more replicas; other kinds skipped', () => {
    const { cluster, skipped } = parseCluster(fixture('workloads.yaml'), 'workloads.yaml');
    const backend = { labels: { app: 'backend', tier: 'api' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], networks: ['default'], ip: undefined };
    const agent = { labels: { app: 'agent' }, ports: [{ port: 9000, protocol: 'UDP' }], networks: ['default'], ip: undefined };
    expect(cluster.pods.map((p) => ({ id: `${p.namespace}/${p.name}`, labels: p.labels, ports: p.ports, networks: p.networks, ip: p.ip }))).toEqual([
      { id: 'data/db', labels: { app: 'db' }, ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }], networks: ['default', 'storage-net'], ip: undefined },
      { id: 'default/migrate', labels: { app: 'migrate' }, ports: [], networks: ['default'], ip: undefined },
      { id: 'ops/agent', ...agent }, // a DaemonSet: one per node
      { id: 'ops/agent#2', ...agent },
      { id: 'ops/report', labels: { app: 'report' }, ports: [], networks: ['default'], ip: undefined },
      { id: 'shop/backend', ...backend }, // replicas: 3
      { id: 'shop/backend#2', ...backend },
      { id: 'shop/debug', labels: { app: 'debug' }, ports: [], networks: ['default'], ip: undefined },
    ]);
    expect(cluster.pods.find((p) => p.name === 'backend#2')).toMatchObject({ replicaOf: 'backend' });
    expect(Object.keys(cluster.namespaces)).toEqual(['data', 'default', 'ops', 'shop']);
    expect(cluster.pods.find((p) => p.name === 'backend')!.source).toEqual({ file: 'workloads.yaml', index: 0 });
    expect(skipped.map(describeSkipped)).toEqual(['workloads.yaml#1 Service/shop/backend']);
  });

  test('fails on a workload without a pod template', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n';
    expect(errorOf(() => parseCluster(text, 'w.yaml')).message)
      .toBe('w.yaml[document 0, line 4] spec.template: Deployment has no pod template. Give the Deployment a spec.template with metadata.labels and containers');
  });

  test('fails on a bad container port, naming the field', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        ports:\n        - containerPort: "80"\n';
    expect(errorOf(() => parseCluster(text, 'w.yaml')).message)
      .toBe('w.yaml[document 0, line 10] spec.template.spec.containers[0].ports[0].containerPort: containerPort must be a number, got "80". Use a port between 1 and 65535, e.g. 80');
  });

  test('a workload named like a model-file pod gets the representative pod <name>.<kind>', () => {
    const files = [
      { path: 'a.yaml', text: 'pods: [{namespace: shop, name: backend}]\n' },
      { path: 'b.yaml', text: fixture('workloads.yaml') },
    ];
    const ids = clusterFromFiles(files).cluster.pods.filter((p) => p.namespace === 'shop').map((p) => p.name);
    expect(ids).toEqual(['backend', 'backend.deployment', 'backend.deployment#2', 'debug']);
  });

  test.each([
    ['Deployment first', ['Deployment', 'StatefulSet']],
    ['StatefulSet first', ['StatefulSet', 'Deployment']],
  ])('a Deployment and a StatefulSet with one name are two pods: db and db.statefulset (%s)', (_, kinds) => {
    const workloads = kinds.map((kind, i) => ({
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: 'db', namespace: 'data' },
      spec: { template: { metadata: { labels: { app: `db-${kind.toLowerCase()}` } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 5432 + i }] }] } } },
    }));
    const { cluster } = clusterFromManifests(workloads);
    expect(cluster.pods.map((p) => [p.name, p.labels])).toEqual([['db', { app: 'db-deployment' }], ['db.statefulset', { app: 'db-statefulset' }]]);
  });

  test('fails when one workload is declared twice', () => {
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [] } } } };
    expect(errorOf(() => clusterFromManifests([web, web], 'm')).message)
      .toBe(`m[object 1] metadata.name: Deployment shop/web is declared twice (first at m[object 0]). ${ParseFix.duplicatePod}`);
  });

  test('a Namespace declared after its pods gives its labels', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n';
    expect(parseCluster(text, 'c.yaml').cluster.namespaces).toEqual({ shop: { 'kubernetes.io/metadata.name': 'shop', 'team': 'a' } });
  });

  test('namespaces declared twice must agree', () => {
    const files = [
      { path: 'a.yaml', text: 'namespaces: {shop: {team: a}}\n' },
      { path: 'b.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: b}}\n' },
    ];
    expect(errorOf(() => clusterFromFiles(files)).message)
      .toBe(`b.yaml[document 0, line 1]: namespace "shop" is declared again with different labels (first at a.yaml[document 0, line 1]). ${ParseFix.duplicateNamespace}`);
  });
});

describe('parseCluster: wrong types are errors, as the API server has them', () => {
  const deploy = (spec: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec });
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] } };
  const err = (objects: unknown[]) => errorOf(() => clusterFromManifests(objects, 'm')).message;

  test.each([
    ['spec is a string', deploy('garbage'), `m[object 0] spec: expected a map, got "garbage". ${ParseFix.map}`],
    ['template is a list', deploy({ template: ['a'] }), `m[object 0] spec.template: expected a map, got a list of 1. ${ParseFix.map}`],
    ['template.spec is a number', deploy({ template: { spec: 5 } }), `m[object 0] spec.template.spec: expected a map, got 5. ${ParseFix.map}`],
    ['containers is a map', deploy({ template: { spec: { containers: { a: 1 } } } }), `m[object 0] spec.template.spec.containers: expected a list, got a map. ${ParseFix.list}`],
    ['a container is a string', deploy({ template: { spec: { containers: ['c'] } } }), `m[object 0] spec.template.spec.containers[0]: expected a map, got "c". ${ParseFix.map}`],
    ['hostNetwork is the string "true"', deploy({ template: { spec: { hostNetwork: 'true', containers: [] } } }),
      `m[object 0] spec.template.spec.hostNetwork: expected true or false, got "true". ${ParseFix.boolean}`],
    ['the template labels do not match the selector', deploy({ selector: { matchLabels: { app: 'api' } }, template }),
      `m[object 0] spec.template.metadata.labels: the template's labels (app=web) do not match the Deployment's selector (app=api). ${ParseFix.selectorMismatch}`],
    ['the selector is empty', deploy({ selector: {}, template }), `m[object 0] spec.selector: the Deployment's selector is empty. ${ParseFix.emptySelector}`],
    ['restartPolicy is not a string', deploy({ template: { spec: { containers: [{ name: 'c', restartPolicy: true }] } } }),
      `m[object 0] spec.template.spec.containers[0].restartPolicy: expected a string, got boolean true. ${ParseFix.restartPolicy}`],
  ])('fails when %s', (_, object, message) => {
    expect(err([object])).toBe(message);
  });

  test('a Pod: spec, status and ownerReferences are checked too', () => {
    const pod = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [] }, ...extra });
    expect(err([pod({ spec: 'x' })])).toBe(`m[object 0] spec: expected a map, got "x". ${ParseFix.map}`);
    expect(err([pod({ status: { phase: 3 } })])).toBe(`m[object 0] status.phase: expected a string, got 3. ${ParseFix.phase}`);
    expect(err([{ ...pod({}), metadata: { name: 'p', ownerReferences: [{ kind: 'ReplicaSet', name: 'r', controller: 'yes' }] } }]))
      .toBe(`m[object 0] metadata.ownerReferences[0].controller: expected true or false, got "yes". ${ParseFix.boolean}`);
    expect(err([{ ...pod({}), metadata: { name: 'p', ownerReferences: 'r' } }])).toBe(`m[object 0] metadata.ownerReferences: expected a list, got "r". ${ParseFix.list}`);
  });

  test('a matching selector (LabelSelector, or a plain map for a ReplicationController) is accepted', () => {
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'shop' }, spec: { selector: { app: 'web' }, template } };
    const d = deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'x'] }] }, template });
    expect(clusterFromManifests([rc, d]).cluster.pods.map((p) => p.name)).toEqual(['rc', 'web']);
  });

  test('sidecars (init containers with restartPolicy Always) serve on their ports; other init containers do not', () => {
    const spec = {
      initContainers: [
        { name: 'migrate', ports: [{ name: 'admin', containerPort: 9000 }] },
        { name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] },
      ],
      containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }],
    };
    const { cluster } = clusterFromManifests([deploy({ template: { metadata: { labels: { app: 'web' } }, spec } })]);
    expect(cluster.pods[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'proxy', port: 15001, protocol: 'TCP' }]);
    const other = { ...spec, initContainers: [{ name: 'x', restartPolicy: 'OnFailure', ports: [{ name: 'x', containerPort: 1 }] }] };
    expect(clusterFromManifests([deploy({ template: { spec: other } })]).cluster.pods[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  test('status.podIPs: the IPv6 half of a dual-stack pod is reported, and podIPs is validated', () => {
    const pod = (status: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [] }, status });
    const input = clusterFromManifests([pod({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] })]);
    expect(input.cluster.pods[0].ip).toBe('10.0.0.1');
    expect(input.dualStack).toEqual([{ id: 'a/p', modelled: '10.0.0.1', other: 'fd00::1' }]);
    expect(err([pod({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] })]))
      .toBe(`m[object 0] status.podIPs: lists two addresses of one IP family (10.0.0.1, 10.0.0.2). ${ParseFix.podIps}`);
    expect(err([pod({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.9' }] })])).toBe(`m[object 0] status.podIPs[0].ip: podIPs[0] is 10.0.0.9 but podIP is 10.0.0.1. ${ParseFix.podIps}`);
    expect(err([pod({ podIPs: [{ ip: 'x' }] })])).toMatch(/^m\[object 0\] status\.podIPs\[0\]\.ip: invalid IP address "x"/);
  });

  test('a 10 MB bad value is cut in the message', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const message = err([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, status: { podIP: huge } }]);
    expect(message.length).toBeLessThan(400);
    expect(message).toContain(`invalid IP address "${'x'.repeat(60)}…" (10485760 characters)`);
  });
});

describe('model-file pods: the quick path and the cursor path agree', () => {
  const value = fc.oneof(
    fc.constantFrom<unknown>(undefined, null, 'shop', 'Shop', '', 'a'.repeat(70), 'web-0', 'web.0', 7, true, [], {}, ['default'], ['blue', 'blue'],
      '10.0.0.1', '10.0.0.01', 'fd00::1', 'FD00::0:1', '300.1.1.1', { app: 'web' }, { 'app': 'web', 'bad key!': 'x' }, { app: 'yes' }, { app: 7 }),
    fc.array(fc.record({
      name: fc.constantFrom<unknown>(undefined, null, 'http', 'HTTP', 'http', 'a-very-long-port-name', 8),
      port: fc.constantFrom<unknown>(undefined, 80, 0, 70000, 8.5, '80'),
      protocol: fc.constantFrom<unknown>(undefined, null, 'TCP', 'UDP', 'tcp', 'ICMP'),
    }, { requiredKeys: [] }), { maxLength: 3 }),
  );
  const valid = <T>(good: T) => fc.oneof({ weight: 8, arbitrary: fc.constant<unknown>(good) }, { weight: 1, arbitrary: value });
  const pod = fc.record({
    namespace: valid('shop'),
    name: fc.oneof(fc.constantFrom('a', 'b', 'c'), value),
    labels: valid({ app: 'web' }),
    ip: fc.oneof(fc.constantFrom('10.0.0.1', '10.0.0.2', 'fd00::1'), value),
    ports: valid([{ name: 'http', port: 80 }]),
    networks: valid(['default', 'blue']),
    extra: fc.constantFrom<unknown>(undefined, undefined, undefined, 1),
  }, { requiredKeys: [] }).map((p) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>);

  const outcome = (pods: unknown[], quick: boolean) => {
    try {
      return clusterFromDocuments(objectDocuments([{ pods }], 'c.yaml'), { quick });
    } catch (e) {
      return (e as Error).message;
    }
  };

  test('on valid and invalid pods alike: the same model, or the same message', () => {
    let modelled = 0;
    fc.assert(fc.property(fc.array(pod, { minLength: 1, maxLength: 3 }), (pods) => {
      const quick = outcome(pods, true);
      expect(quick).toEqual(outcome(pods, false));
      if (typeof quick !== 'string') modelled++;
    }), { numRuns: 3000, seed: 11 });
    expect(modelled).toBeGreaterThan(100);
  });
});

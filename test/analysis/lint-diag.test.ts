/**
 * The lints for silent mistakes, NP017-NP021: each fires on its mistake with its message, and is quiet
 * on the corrected input.
 */
import { ClusterModel, lint, LintInput, manifestFactsFromObjects, parseCluster, parseIntents, parsePolicies } from '../../src/analyzer';

const cluster: ClusterModel = parseCluster(`
namespaces: {shop: {}}
pods:
  - {namespace: shop, name: frontend, labels: {app: frontend}, ip: 10.8.0.10, ports: [{name: http, port: 8080}]}
  - {namespace: shop, name: backend, labels: {app: backend}, ip: 10.8.0.11, ports: [{name: http, port: 8080}]}
  - {namespace: shop, name: tool, labels: {app: tool}, ip: 10.8.0.12}
externals:
  - {name: storage, ip: 203.0.113.9, hostname: eu.storage.company.com}
`, 'cluster.yaml').cluster;

const np = (name: string, spec: string, extra = '') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop${extra}}
spec:
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}
`;
const fqdn = (spec: string, extra = '') => `---
apiVersion: networking.gke.io/v1alpha1
kind: FQDNNetworkPolicy
metadata: {name: egress-names, namespace: shop${extra}}
spec:
  podSelector: {matchLabels: {app: frontend}}
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}
`;
const fromFrontend = (port: number | string) => np('backend-from-frontend', `podSelector: {matchLabels: {app: backend}}\ningress:\n- from: [{podSelector: {matchLabels: {app: frontend}}}]\n  ports: [{port: ${port}}]`);
const toBackend = (port: number) => np('frontend-to-backend', `podSelector: {matchLabels: {app: frontend}}\npolicyTypes: [Egress]\negress:\n- to: [{podSelector: {matchLabels: {app: backend}}}]\n  ports: [{port: ${port}}]`);
const SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'shop' }, spec: { selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 8080 }] } };

function findings(yaml: string, ids: readonly string[], extra: Omit<Partial<LintInput>, 'manifests'> & { manifests?: unknown[] } = {}) {
  const { manifests, ...rest } = extra;
  return lint({
    policies: parsePolicies(yaml, 'policies.yaml').policies,
    cluster,
    dataplane: 'dataplane-v2',
    ...rest,
    ...(manifests ? { manifests: manifestFactsFromObjects(manifests, 'manifests') } : {}),
  }).filter((f) => ids.includes(f.id)).map((f) => `${f.id} ${f.name} ${f.subject}: ${f.message}`);
}

describe('NP017 unexposed-port', () => {
  test('an ingress port no selected container exposes', () => {
    expect(findings(fromFrontend(8443), ['NP017'])).toEqual([
      'NP017 unexposed-port shop/backend-from-frontend: ingress[0].ports[0] allows TCP 8443, but no container of shop/backend exposes it (they expose TCP 8080 (http)), '
        + 'so it opens nothing they serve. Fix the port, or add it to the containers\' ports',
    ]);
  });

  test('an egress port none of the peer\'s pods exposes, and an intent about one', () => {
    expect(findings(toBackend(9090), ['NP017'])).toEqual([
      'NP017 unexposed-port shop/frontend-to-backend: egress[0].ports[0] allows TCP 9090 to egress[0].to[0], but no container of shop/backend exposes it (they expose TCP 8080 (http)), '
        + 'so it opens nothing they serve. Fix the port, or add it to the containers\' ports',
    ]);
    const intents = parseIntents('intents:\n  - from: shop/frontend\n    to: shop/backend\n    port: 9090/TCP\n    expect: allow\n', 'i.yaml').map((i) => i.intent);
    expect(findings('', ['NP017'], { intents })).toEqual([
      'NP017 unexposed-port intents[0]: intent "pod shop/frontend can reach pod shop/backend on TCP 9090" is about TCP 9090, but no container of shop/backend exposes it '
        + '(they expose TCP 8080 (http)), so nothing there answers. Fix the port, or add it to the containers\' ports',
    ]);
  });

  test('quiet on an exposed port, a named port the containers have, and pods whose ports are unknown', () => {
    expect(findings(fromFrontend(8080) + fromFrontend('http').replace('backend-from-frontend', 'by-name') + toBackend(8080), ['NP017', 'NP018'])).toEqual([]);
    expect(findings(np('tool-in', 'podSelector: {matchLabels: {app: tool}}\ningress:\n- ports: [{port: 1234}]'), ['NP017'])).toEqual([]);
  });
});

describe('NP018 service-port', () => {
  test('a Service port where the container port was meant', () => {
    expect(findings(fromFrontend(80), ['NP017', 'NP018'], { manifests: [SERVICE] })).toEqual([
      'NP018 service-port shop/backend-from-frontend: ingress[0].ports[0] allows TCP 80, which is the port of Service shop/backend, but NetworkPolicies see the pods\' port, '
        + 'its targetPort TCP 8080 (shop/backend expose TCP 8080 (http)). Use the container port (Port.tcp(8080)) instead of the Service port, '
        + 'or name the Service port so it is translated (Port.ofService(service, 80); servicePort: 80 in an intents file)',
    ]);
  });

  test('quiet on the container port; without the Service it is an unexposed port', () => {
    expect(findings(fromFrontend(8080), ['NP017', 'NP018'], { manifests: [SERVICE] })).toEqual([]);
    expect(findings(fromFrontend(80), ['NP017', 'NP018']).map((f) => f.slice(0, 5))).toEqual(['NP017']);
  });
});

describe('NP019 one-sided-flow', () => {
  const deny = np('default-deny', 'podSelector: {}\npolicyTypes: [Ingress]');
  test('egress opened, but the destination\'s ingress denies it', () => {
    expect(findings(deny + toBackend(8080), ['NP019'])).toEqual([
      'NP019 one-sided-flow shop/frontend-to-backend: egress[0].ports[0] (TCP 8080) lets shop/frontend reach shop/backend, but the ingress of shop/backend denies it '
        + '(isolated by shop/default-deny), so the flow is open on one side only and never connects. Add an ingress rule for it on shop/backend (AllowFrom), or remove the rule if the flow is not meant',
    ]);
  });

  test('ingress opened, but the source\'s egress denies it', () => {
    const egressDeny = np('egress-deny', 'podSelector: {}\npolicyTypes: [Egress]');
    expect(findings(egressDeny + fromFrontend(8080), ['NP019'])).toEqual([
      'NP019 one-sided-flow shop/backend-from-frontend: ingress[0].ports[0] (TCP 8080) lets shop/frontend reach shop/backend, but the egress of shop/frontend denies it '
        + '(isolated by shop/egress-deny), so the flow is open on one side only and never connects. Add an egress rule for it on shop/frontend (AllowTo), or remove the rule if the flow is not meant',
    ]);
  });

  test('quiet when both sides allow, or the other side is not isolated', () => {
    expect(findings(deny + toBackend(8080) + fromFrontend(8080), ['NP019'])).toEqual([]);
    expect(findings(toBackend(8080), ['NP019'])).toEqual([]);
  });
});

describe('NP020 fqdn-limits', () => {
  test('a *. pattern a known host is deeper than', () => {
    expect(findings(fqdn('egress:\n- matches: [{pattern: "*.company.com"}]\n  ports: [{protocol: TCP, port: 443}]'), ['NP020'])).toEqual([
      'NP020 fqdn-limits shop/egress-names: egress[0].matches[0] pattern *.company.com matches exactly one label before company.com, so it does not match eu.storage.company.com. '
        + 'Name that host too (name: eu.storage.company.com), or add a pattern one level deeper',
    ]);
  });

  test('more than 50 names (a network annotation is already refused by the parser)', () => {
    expect(() => findings(fqdn('egress:\n- matches: [{name: api.example.com}]', ', annotations: {networking.gke.io/network: blue}'), ['NP020']))
      .toThrow('FQDNNetworkPolicy cannot be scoped to a Pod-network on GKE');
    const many = Array.from({ length: 51 }, (_, i) => `{name: h${i}.example.com}`).join(', ');
    expect(findings(fqdn(`egress:\n- matches: [${many}]`), ['NP020'])).toEqual([
      'NP020 fqdn-limits shop/egress-names: the policy names 51 hosts, and each resolves to at least one address, but GKE programs at most 50 resolved IPv4 and IPv6 addresses '
        + 'per FQDNNetworkPolicy. Split the names over several policies',
    ]);
  });

  test('quiet on a pattern whose known hosts are one label deeper, and on 50 names', () => {
    expect(findings(fqdn('egress:\n- matches: [{pattern: "*.storage.company.com"}]'), ['NP020'])).toEqual([]);
    const fifty = Array.from({ length: 50 }, (_, i) => `{name: h${i}.example.com}`).join(', ');
    expect(findings(fqdn(`egress:\n- matches: [${fifty}]`), ['NP020'])).toEqual([]);
  });
});

describe('NP021 fqdn-service-target', () => {
  test('a known Service\'s DNS name, and any name under .svc.cluster.local', () => {
    expect(findings(fqdn('egress:\n- matches: [{name: backend.shop.svc.cluster.local}, {name: db.data.svc.cluster.local}]'), ['NP021'], { manifests: [SERVICE] })).toEqual([
      'NP021 fqdn-service-target shop/egress-names: egress[0].matches[0] name backend.shop.svc.cluster.local is the DNS name of the ClusterIP Service shop/backend, '
        + 'which GKE does not support as an FQDNNetworkPolicy destination (ClusterIP and headless Services are not). Allow its pods with a NetworkPolicy egress rule instead (AllowTo with Peer.workload or Peer.pods)',
      'NP021 fqdn-service-target shop/egress-names: egress[0].matches[1] name db.data.svc.cluster.local is a cluster Service name, '
        + 'which GKE does not support as an FQDNNetworkPolicy destination (ClusterIP and headless Services are not). Allow its pods with a NetworkPolicy egress rule instead (AllowTo with Peer.workload or Peer.pods)',
    ]);
  });

  test('quiet on names outside the cluster', () => {
    expect(findings(fqdn('egress:\n- matches: [{name: api.example.com}]'), ['NP021'], { manifests: [SERVICE] })).toEqual([]);
  });
});

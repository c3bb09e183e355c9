/**
 * A realistic GKE shop, as a platform team would keep it in its policy repository.
 *
 * Namespace `shop`: a frontend behind an external Application Load Balancer (container-native, NEGs),
 * a backend behind a Service, a PostgreSQL StatefulSet, all cdk8s-plus workloads left at their defaults;
 * one line per connection (`Allow.from(a).to(b, ports)`), Workload Identity, Secret Manager by name
 * (FQDNNetworkPolicy) and the Kubernetes API for the backend, health checks for the frontend, and GKE
 * network policy logging.
 * Namespace `cnf`: a CNF-style user-plane function attached to the `blue` Pod-network, whose policies
 * on that network are scoped with PodNetworkScoped; on the default network it accepts only its namespace.
 * Both namespaces get the same baseline (NamespaceBaseline: default deny both ways, DNS).
 * Cluster-scoped (the platform team's chart): the two namespaces as tenants `shop` and `telco`, and
 * ClusterNetworkPolicy guardrails that no namespace's NetworkPolicies can override: tenants never reach
 * each other, every pod resolves names through kube-dns, and whatever no NetworkPolicy decides is denied.
 *
 * Run: `npm run synth` (netproof synth with the app of ./cdk8s.yaml), or
 * `npx ts-node --project tsconfig.dev.json examples/shop/main.ts DIR` to write DIR directly.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  Allow, AllowControlPlane, AllowFqdn, AllowFrom, AllowLbHealthChecks, AllowMetadataServer, AllowTo, AlwaysAllow, BaselineDefaultDeny, ClusterPods,
  ClusterPolicyChart, ClusterProfile, ClusterProtocol, DeclaredExternal, DeclaredWorkload, DefaultDeny, Endpoints, Externals, formatIntentResults,
  LabelExpression, LoadBalancerKind, NamespaceBaseline, NamespaceIsolation, NetworkLogging, Peer, PodNetworkScoped, PolicyChart, PolicyLogging, Port,
  Selector, synthesizeAtomically, TenantIsolation, verifyApp,
} from '../../src';

/**
 * The production cluster: GKE Dataplane V2 with one extra Pod-network for the user plane, on a version
 * that runs ClusterNetworkPolicy (1.36.0-gke.4447000 or later).
 */
export const SHOP_CLUSTER = ClusterProfile.dataplaneV2({
  gkeVersion: '1.36.1-gke.1200000',
  podCidrs: ['10.8.0.0/14'],
  serviceCidrs: ['10.12.0.0/20'],
  nodeCidrs: ['10.128.0.0/20'],
  podNetworks: ['blue'],
  proxyOnlySubnet: '10.129.0.0/23',
  controlPlaneIp: '172.16.0.2',
});

const HTTP_APP = Port.tcp(8080);
const POSTGRES = Port.tcp(5432);
const HTTPS = Port.tcp(443);
const GTP_U = Port.udp(2152);
const PFCP = Port.udp(8805);

class ShopChart extends PolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop', profile: SHOP_CLUSTER, labels: { 'app.kubernetes.io/part-of': 'shop' } });

    // cdk8s-plus workloads as they come: named by their id, selected by the labels their pods carry.
    const frontend = new kplus.Deployment(this, 'frontend', {
      replicas: 3,
      podMetadata: { labels: { app: 'frontend' } },
      containers: [{ name: 'web', image: 'europe-docker.pkg.dev/acme/shop/frontend:1.8.2', portNumber: 8080 }],
    });
    const backend = new kplus.Deployment(this, 'backend', {
      replicas: 2,
      podMetadata: { labels: { app: 'backend' } },
      containers: [{ name: 'api', image: 'europe-docker.pkg.dev/acme/shop/backend:3.4.0', portNumber: 8080 }],
    });
    const database = new kplus.StatefulSet(this, 'database', {
      replicas: 1,
      podMetadata: { labels: { app: 'database' } },
      containers: [{ name: 'postgres', image: 'postgres:16.3', portNumber: 5432 }],
    });
    // Clients call the backend's Service on port 80; its pods serve 8080 (Port.ofService says which).
    const backendService = new kplus.Service(this, 'backend-service', { selector: backend, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    // An Ingress makes GKE create an external Application Load Balancer whose proxies (GFEs) send the
    // traffic straight to the pods through network endpoint groups (container-native load balancing).
    const ingress = new kplus.Ingress(this, 'frontend-ingress', {
      defaultBackend: kplus.IngressBackend.fromService(new kplus.Service(this, 'frontend-service', {
        selector: frontend,
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        metadata: { annotations: { 'cloud.google.com/neg': '{"ingress": true}' } },
      }), { port: 80 }),
    });

    // The load balancer's health checks and its proxies (GFEs) use the same Google ranges, so this policy
    // admits both the checks and the user traffic, and nothing else; its allowed connections are logged.
    new AllowLbHealthChecks(new PolicyLogging(this, 'logged'), 'frontend-from-load-balancer', {
      pods: frontend, ports: [HTTP_APP], loadBalancer: LoadBalancerKind.ofIngress(ingress),
    });
    // One line per connection: the sender's egress and the receiver's ingress.
    Allow.from(frontend).to(backend, [Port.ofService(backendService, 'http')]);
    Allow.from(backend).to(database, [POSTGRES]);
    // The backend reads secrets from Secret Manager through Workload Identity, and watches its
    // ConfigMaps through the Kubernetes API.
    new AllowMetadataServer(this, 'backend-workload-identity', { pods: backend });
    new AllowFqdn(this, 'backend-to-secret-manager', { pods: backend, names: ['secretmanager.googleapis.com'], ports: [HTTPS] });
    new AllowControlPlane(this, 'backend-to-control-plane', { pods: backend });
    // GKE network policy logging: denied connections always, allowed ones where a policy asks (above).
    new NetworkLogging(this, 'network-logging', { logAllowed: true, delegateAllowed: true, logDenied: true });
    // The nightly reports job is deployed by the data team's repository; the verifier knows its pods.
    const reports = new DeclaredWorkload(this, 'reports', { labels: { app: 'reports' } });
    // Secret Manager's address, as the verifier should know it (FQDN policies match it by name).
    new DeclaredExternal(this, 'secret-manager', { ip: '142.250.180.10', hostname: 'secretmanager.googleapis.com' });

    // What the policies above must mean. Synth fails, writing nothing, if any of these does not hold.
    const everyone = Selector.all();
    this.expect(frontend).canReach(Endpoints.service(backendService), Port.ofService(backendService, 'http'));
    this.expect(backend).canReach(database, POSTGRES);
    this.expect(frontend).cannotReach(database);
    // Policies select by label: any pod labelled app=backend reaches the database, not only the backend
    // Deployment's (a proof finds such a pod), so the promise is about the label.
    this.expect(database).onlyReachableFrom([Selector.labels({ app: 'backend' })]);
    this.expect(everyone).canReach(Externals.KUBE_DNS, Port.DNS_UDP).canReach(Externals.KUBE_DNS, Port.DNS_TCP);
    this.expect(everyone).canReach(Externals.NODE_LOCAL_DNS, Port.DNS_UDP);
    this.expect(backend).canReach(Externals.METADATA_SERVER, Port.tcp(80)).canReach(Endpoints.fqdn('secretmanager.googleapis.com'), HTTPS);
    this.expect(backend).canReach(Externals.CONTROL_PLANE, HTTPS);
    this.expect(frontend).cannotReach(Externals.METADATA_SERVER).cannotReach(Externals.CONTROL_PLANE);
    this.expect(Externals.HEALTH_CHECKERS).canReach(frontend, HTTP_APP);
    this.expect(Externals.HEALTH_CHECKERS).cannotReach(backend).cannotReach(database);
    this.expect(everyone).cannotReach(Externals.INTERNET);
    this.expect(everyone).isIsolated('ingress').isIsolated('egress');
    this.expect(reports).cannotReach(database).cannotReach(backend);
    this.expect(Endpoints.namespace('shop')).cannotReach(Endpoints.namespace('cnf'));
  }
}

class CnfChart extends PolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'cnf', profile: SHOP_CLUSTER, labels: { 'app.kubernetes.io/part-of': 'cnf' } });

    const upf = new kplus.Deployment(this, 'upf', {
      replicas: 2,
      podMetadata: {
        labels: { app: 'upf' },
        annotations: {
          'networking.gke.io/default-interface': 'eth0',
          'networking.gke.io/interfaces': '[{"interfaceName":"eth0","network":"default"},{"interfaceName":"eth1","network":"blue"}]',
        },
      },
      // GTP-U from the radio network, PFCP (N4) from the SMF.
      containers: [{
        name: 'upf',
        image: 'europe-docker.pkg.dev/acme/cnf/upf:2.1.0',
        ports: [{ number: 2152, protocol: kplus.Protocol.UDP }, { number: 8805, protocol: kplus.Protocol.UDP }],
      }],
    });
    // On the default network (default deny and DNS come from the baseline): pods of cnf accept only each other.
    new NamespaceIsolation(this, 'namespace-isolation');

    // The blue network carries the user plane: GTP-U from the radio network, PFCP from the SMF.
    const blue = new PodNetworkScoped(this, 'blue', { network: 'blue' });
    new DefaultDeny(blue, 'blue-default-deny');
    new AllowFrom(blue, 'blue-upf-from-ran', { pods: upf, from: [Peer.cidr('192.168.10.0/24')], ports: [GTP_U] });
    new AllowFrom(blue, 'blue-upf-from-smf', { pods: upf, from: [Peer.cidr('192.168.20.10/32')], ports: [PFCP] });
    new AllowTo(blue, 'blue-upf-to-data-network', {
      pods: upf,
      to: [Peer.cidr('0.0.0.0/0', { except: ['10.0.0.0/8', '172.16.0.0/12'] }), Peer.cidr('::/0', { except: ['fc00::/7'] })],
    });

    // The radio network's gNodeB, as the verifier should know it.
    new DeclaredExternal(this, 'ran-gnb', { ip: '192.168.10.21' });
    const ran = Endpoints.external('ran-gnb');
    const onBlue = { network: 'blue' };
    this.expect(ran).canReach(upf, GTP_U, onBlue);
    this.expect(ran).cannotReach(upf, PFCP, onBlue);
    this.expect(upf).canReach(Externals.INTERNET, undefined, onBlue);
    this.expect(upf).isIsolated('ingress', onBlue).isIsolated('egress', onBlue);
    // On the default network the user plane is dark: no data network, no radio.
    this.expect(upf).cannotReach(Externals.INTERNET);
    this.expect(ran).cannotReach(upf);
    this.expect(upf).canReach(Externals.KUBE_DNS, Port.DNS_UDP);
    this.expect(Endpoints.namespace('cnf')).cannotReach(Endpoints.namespace('shop'));
  }
}

/** The tenant of each namespace, as the platform team labels them (`tenant=<value>`). */
export const TENANTS: Readonly<Record<string, string>> = Object.freeze({ shop: 'shop', cnf: 'telco' });

/**
 * The platform team's cluster-scoped chart: the Namespaces with their tenant label, and the guardrails,
 * written once for the whole cluster (`_cluster.yaml` under `netproof synth --layout namespace`).
 */
class PlatformChart extends ClusterPolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { profile: SHOP_CLUSTER, labels: { 'app.kubernetes.io/managed-by': 'platform' } });

    for (const [name, tenant] of Object.entries(TENANTS)) new kplus.Namespace(this, `namespace-${name}`, { metadata: { name, labels: { tenant } } });

    // Admin tier, priority 10: DNS gets through whatever a namespace's NetworkPolicies (or the Baseline
    // tier) say, and before tenant isolation is looked at.
    new AlwaysAllow(this, 'kube-dns', { to: ClusterPods.KUBE_DNS, protocols: [ClusterProtocol.DNS_UDP, ClusterProtocol.DNS_TCP] });
    // Admin tier, priority 100: no pod of one tenant reaches or is reached by a pod outside it (kube-dns
    // excepted), whatever NetworkPolicies allow.
    new TenantIsolation(this, 'tenants', { tenants: Object.values(TENANTS) });
    // Baseline tier: a pod and direction no NetworkPolicy isolates (a namespace created tomorrow) is
    // denied, to pods and to every address; kube-system is left out.
    new BaselineDefaultDeny(this, 'baseline-default-deny');

    // What the guardrails must mean, for every pod and namespace that could exist.
    const tenant = (value: string) => Endpoints.namespaces(Selector.labels({ tenant: value }));
    const notSystem = LabelExpression.notIn('kubernetes.io/metadata.name', ['kube-system']);
    this.expect(tenant('shop')).cannotReach(tenant('telco'));
    this.expect(tenant('telco')).cannotReach(tenant('shop'));
    // Only the Admin Accept makes this hold in a namespace without NetworkPolicies, where the Baseline
    // tier denies everything else.
    this.expect(Endpoints.namespaces(Selector.all())).canReach(Externals.KUBE_DNS, Port.DNS_UDP, { scope: 'all' })
      .canReach(Externals.KUBE_DNS, Port.DNS_TCP, { scope: 'all' });
    // Only the Baseline tier makes this hold for a namespace nobody has written NetworkPolicies for.
    this.expect(Endpoints.namespaces(Selector.expressions(notSystem))).cannotReach(Externals.INTERNET);
  }
}

/** Builds the shop app in memory (nothing is written until `synth`). */
export function buildShopApp(outdir?: string): App {
  const app = new App(outdir === undefined ? {} : { outdir });
  new PlatformChart(app, 'cluster');
  const charts = [new ShopChart(app, 'shop'), new CnfChart(app, 'cnf')];
  // Every namespace starts the same: nothing moves unless a policy allows it, every pod resolves names.
  new NamespaceBaseline(app, 'baseline', { charts, nodeLocalDnsCache: true });
  return app;
}

if (require.main === module) {
  // Under `netproof synth` (npm run synth) the App writes into the CDK8S_OUTDIR netproof gives it, and
  // netproof swaps the result into dist/ with a kustomization.yaml. With a folder argument the script
  // writes there itself, atomically.
  const target = process.argv[2];
  const app = buildShopApp(target === undefined ? undefined : path.resolve(target));
  if (target === undefined) app.synth();
  else synthesizeAtomically(app, path.resolve(target));
  process.stdout.write(`${formatIntentResults(verifyApp(app).results)}\n`);
}

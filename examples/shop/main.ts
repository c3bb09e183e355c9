/**
 * A realistic GKE shop, as a platform team would keep it in its policy repository.
 *
 * Namespace `shop`: a frontend behind an external Application Load Balancer (container-native, NEGs),
 * a backend, a PostgreSQL StatefulSet; default deny both ways, DNS, Workload Identity for the backend,
 * health checks for the frontend, and the exact app-to-app flows.
 * Namespace `cnf`: a CNF-style user-plane function attached to the `blue` Pod-network, whose policies
 * on that network are scoped with PodNetworkScoped.
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
  AllowDns, AllowFrom, AllowLbHealthChecks, AllowMetadataServer, AllowTo, AlwaysAllow, BaselineDefaultDeny, ClusterPods, ClusterPolicyChart,
  ClusterProfile, ClusterProtocol, DeclaredExternal, DefaultDeny, Endpoints, Externals, formatIntentResults, LabelExpression, Peer,
  PodNetworkScoped, PolicyChart, Port, Selector, synthesizeAtomically, TenantIsolation, verifyApp,
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
const GTP_U = Port.udp(2152);
const PFCP = Port.udp(8805);

/** Named `<app>`, pods labelled `app=<app>` and selected by exactly that label (no generated selector). */
function appLabels(app: string): { metadata: { name: string }; select: false; podMetadata: { labels: Record<string, string> } } {
  return { metadata: { name: app }, select: false, podMetadata: { labels: { app } } };
}

/** A Service selecting `app=<app>`. */
function serviceFor(scope: Construct, app: string, props: kplus.ServiceProps): kplus.Service {
  const service = new kplus.Service(scope, `${app}-service`, { ...props, metadata: { name: app, ...props.metadata } });
  service.selectLabel('app', app);
  return service;
}

function selectApp<T extends kplus.Deployment | kplus.StatefulSet>(workload: T, app: string): T {
  workload.select(kplus.LabelSelector.of({ labels: { app } }));
  return workload;
}

class ShopChart extends PolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop', profile: SHOP_CLUSTER, labels: { 'app.kubernetes.io/part-of': 'shop' } });

    const frontend = selectApp(new kplus.Deployment(this, 'frontend', {
      ...appLabels('frontend'),
      replicas: 3,
      containers: [{ name: 'web', image: 'europe-docker.pkg.dev/acme/shop/frontend:1.8.2', portNumber: 8080 }],
    }), 'frontend');
    // An Ingress makes GKE create an external Application Load Balancer whose proxies (GFEs) send the
    // traffic straight to the pods through network endpoint groups (container-native load balancing).
    const frontendService = serviceFor(this, 'frontend', {
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      metadata: { annotations: { 'cloud.google.com/neg': '{"ingress": true}' } },
    });
    new kplus.Ingress(this, 'frontend-ingress', {
      metadata: { name: 'frontend' },
      defaultBackend: kplus.IngressBackend.fromService(frontendService, { port: 80 }),
    });
    const backend = selectApp(new kplus.Deployment(this, 'backend', {
      ...appLabels('backend'),
      replicas: 2,
      containers: [{ name: 'api', image: 'europe-docker.pkg.dev/acme/shop/backend:3.4.0', portNumber: 8080 }],
    }), 'backend');
    serviceFor(this, 'backend', { ports: [{ name: 'http', port: 8080 }] });
    const database = selectApp(new kplus.StatefulSet(this, 'database', {
      ...appLabels('database'),
      service: serviceFor(this, 'database', { clusterIP: 'None', ports: [{ name: 'postgres', port: 5432 }] }),
      replicas: 1,
      containers: [{ name: 'postgres', image: 'postgres:16.3', portNumber: 5432 }],
    }), 'database');

    // Nothing moves unless a policy below allows it.
    new DefaultDeny(this, 'default-deny');
    new AllowDns(this, 'allow-dns', { nodeLocalDnsCache: true });

    // The external Application Load Balancer: its health checks and its proxies (GFEs) use the same
    // Google ranges, so this policy admits both the checks and the user traffic, and nothing else.
    new AllowLbHealthChecks(this, 'frontend-from-load-balancer', { pods: frontend, ports: [HTTP_APP] });

    new AllowTo(this, 'frontend-to-backend', { pods: frontend, to: [Peer.workload(backend)], ports: [HTTP_APP] });
    new AllowFrom(this, 'backend-from-frontend', { pods: backend, from: [Peer.workload(frontend)], ports: [HTTP_APP] });

    new AllowTo(this, 'backend-to-database', { pods: backend, to: [Peer.workload(database)], ports: [POSTGRES] });
    new AllowFrom(this, 'database-from-backend', { pods: database, from: [Peer.workload(backend)], ports: [POSTGRES] });

    // The backend reads secrets from Secret Manager through Workload Identity.
    new AllowMetadataServer(this, 'backend-workload-identity', { pods: backend });

    // What the policies above must mean. Synth fails, writing nothing, if any of these does not hold.
    const everyone = Selector.all();
    this.expect(frontend).canReach(backend, HTTP_APP);
    this.expect(backend).canReach(database, POSTGRES);
    this.expect(frontend).cannotReach(database);
    // Policies select by label: any pod labelled app=backend reaches the database, not only the backend
    // Deployment's (a proof finds such a pod), so the promise is about the label.
    this.expect(database).onlyReachableFrom([Selector.labels({ app: 'backend' })]);
    this.expect(everyone).canReach(Externals.KUBE_DNS, Port.DNS_UDP).canReach(Externals.KUBE_DNS, Port.DNS_TCP);
    this.expect(everyone).canReach(Externals.NODE_LOCAL_DNS, Port.DNS_UDP);
    this.expect(backend).canReach(Externals.METADATA_SERVER, Port.tcp(80));
    this.expect(frontend).cannotReach(Externals.METADATA_SERVER);
    this.expect(Externals.HEALTH_CHECKERS).canReach(frontend, HTTP_APP);
    this.expect(Externals.HEALTH_CHECKERS).cannotReach(backend).cannotReach(database);
    this.expect(everyone).cannotReach(Externals.INTERNET);
    this.expect(everyone).isIsolated('ingress').isIsolated('egress');
    this.expect(Endpoints.namespace('shop')).cannotReach(Endpoints.namespace('cnf'));
  }
}

class CnfChart extends PolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'cnf', profile: SHOP_CLUSTER, labels: { 'app.kubernetes.io/part-of': 'cnf' } });

    const upf = selectApp(new kplus.Deployment(this, 'upf', {
      ...appLabels('upf'),
      replicas: 2,
      metadata: { name: 'upf' },
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
    }), 'upf');

    // Default network: only DNS out, nothing in.
    new DefaultDeny(this, 'default-deny');
    new AllowDns(this, 'allow-dns', { pods: upf });

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
  new ShopChart(app, 'shop');
  new CnfChart(app, 'cnf');
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

/**
 * Facts about GKE's own endpoints, as data, in one place: the constructs that allow traffic to them, the
 * cluster model that stands for them, the intents that name them and the lints that check them all read
 * these. Sources: GKE network policy, DNS, metadata server and load-balancing documentation (README,
 * "GKE facts").
 */
import { PodModel } from './cluster';

/** kube-dns: pods labelled `k8s-app=kube-dns` in `kube-system`, serving UDP and TCP 53. */
export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'k8s-app': 'kube-dns' });

/** The kube-dns pod assumed when an input declares none (GKE's labels and ports). */
export const KUBE_DNS_POD: PodModel = Object.freeze({
  namespace: KUBE_DNS_NAMESPACE,
  name: 'kube-dns',
  labels: KUBE_DNS_LABELS,
  ports: Object.freeze([
    Object.freeze({ name: 'dns', port: 53, protocol: 'UDP' as const }),
    Object.freeze({ name: 'dns-tcp', port: 53, protocol: 'TCP' as const }),
  ]),
  networks: Object.freeze(['default']),
});

/** Is this pod a kube-dns pod? */
export function isKubeDns(pod: PodModel): boolean {
  return pod.namespace === KUBE_DNS_NAMESPACE && pod.labels['k8s-app'] === KUBE_DNS_LABELS['k8s-app'];
}

/** NodeLocal DNSCache listens on the node at this address (host network: only an ipBlock reaches it). */
export const NODE_LOCAL_DNS_CIDR = '169.254.20.10/32';
/** Cloud DNS for GKE answers at the metadata address. */
export const CLOUD_DNS_CIDR = '169.254.169.254/32';

/**
 * Google load-balancer health-check (and Google Front End) source ranges of the global external
 * Application Load Balancer (the `global-external-alb` row of LB_HEALTH_CHECKS).
 */
export const LB_HEALTH_CHECK_CIDRS: readonly string[] = Object.freeze(['35.191.0.0/16', '130.211.0.0/22']);
export const LB_HEALTH_CHECK_CIDRS_IPV6: readonly string[] = Object.freeze(['2600:2d00:1:b029::/64', '2600:2d00:1:1::/64']);

/** The Google Cloud load balancers whose health-check probe ranges differ, by stable id. */
export type LoadBalancerKindId =
  | 'global-external-alb' | 'global-external-proxy-nlb' | 'classic-alb' | 'classic-proxy-nlb'
  | 'regional-external-alb' | 'regional-internal-alb' | 'cross-region-internal-alb'
  | 'regional-external-proxy-nlb' | 'regional-internal-proxy-nlb' | 'cross-region-internal-proxy-nlb'
  | 'internal-passthrough-nlb' | 'external-passthrough-nlb';

/** Where a load balancer's health checks (and, for proxies, its traffic) come from. */
export interface LoadBalancerFacts {
  /** Google's name of the load balancer. */
  readonly title: string;
  /** Health-check probe source ranges for IPv4 backends. */
  readonly ipv4: readonly string[];
  /** Health-check probe source ranges for IPv6 backends (none: the load balancer sends IPv4 only). */
  readonly ipv6: readonly string[];
  /** Envoy-based: traffic to the backends comes from the VPC's proxy-only subnet. */
  readonly proxyOnlySubnet: boolean;
}

const GFE_V4 = LB_HEALTH_CHECK_CIDRS;
const ENVOY_V6: readonly string[] = Object.freeze(['2600:2d00:1:b029::/64']);
const lb = (title: string, ipv4: readonly string[], ipv6: readonly string[], proxyOnlySubnet: boolean): LoadBalancerFacts =>
  Object.freeze({ title, ipv4, ipv6, proxyOnlySubnet });

/**
 * Health-check probe source ranges by load balancer (Google Cloud "Health checks overview", table of
 * health check probe source IP ranges, docs.cloud.google.com/load-balancing/docs/health-check-concepts;
 * "Firewall rules", docs.cloud.google.com/load-balancing/docs/firewall-rules, for the proxy-only subnet of
 * Envoy-based load balancers and for the classic load balancers' lack of IPv6 ranges).
 */
export const LB_HEALTH_CHECKS: Readonly<Record<LoadBalancerKindId, LoadBalancerFacts>> = Object.freeze({
  'global-external-alb': lb('global external Application Load Balancer', GFE_V4, LB_HEALTH_CHECK_CIDRS_IPV6, false),
  'global-external-proxy-nlb': lb('global external proxy Network Load Balancer', GFE_V4, LB_HEALTH_CHECK_CIDRS_IPV6, false),
  'classic-alb': lb('classic Application Load Balancer', GFE_V4, [], false),
  'classic-proxy-nlb': lb('classic proxy Network Load Balancer', GFE_V4, [], false),
  'regional-external-alb': lb('regional external Application Load Balancer', GFE_V4, ENVOY_V6, true),
  'regional-internal-alb': lb('regional internal Application Load Balancer', GFE_V4, ENVOY_V6, true),
  'cross-region-internal-alb': lb('cross-region internal Application Load Balancer', GFE_V4, ENVOY_V6, true),
  'regional-external-proxy-nlb': lb('regional external proxy Network Load Balancer', GFE_V4, ENVOY_V6, true),
  'regional-internal-proxy-nlb': lb('regional internal proxy Network Load Balancer', GFE_V4, ENVOY_V6, true),
  'cross-region-internal-proxy-nlb': lb('cross-region internal proxy Network Load Balancer', GFE_V4, ENVOY_V6, true),
  'internal-passthrough-nlb': lb('internal passthrough Network Load Balancer', GFE_V4, ENVOY_V6, false),
  'external-passthrough-nlb': lb('regional external passthrough Network Load Balancer',
    Object.freeze(['35.191.0.0/16', '209.85.152.0/22', '209.85.204.0/22']), Object.freeze(['2600:1901:8001::/48']), false),
});

/** The Ingress annotation that picks GKE's Ingress controller and its load balancer. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The Service annotation that makes GKE build an internal passthrough Network Load Balancer (value `Internal`). */
export const LOAD_BALANCER_TYPE_ANNOTATION = 'networking.gke.io/load-balancer-type';

/**
 * The load balancer GKE builds for an Ingress, by its class annotation: none or `gce` → the classic
 * Application Load Balancer ("Ingress for external Application Load Balancers deploys the classic
 * Application Load Balancer"), `gce-internal` → the regional internal Application Load Balancer;
 * undefined for another class (another controller's Ingress: no Google load balancer). Without the
 * annotation, a non-empty `spec.ingressClassName` names another controller (GKE "Use a custom Ingress
 * controller": the GKE Ingress controller processes an Ingress whose ingressClassName is empty).
 */
export function ingressLoadBalancer(annotations: Readonly<Record<string, string>>, ingressClassName?: string): LoadBalancerKindId | undefined {
  const cls = annotations[INGRESS_CLASS_ANNOTATION];
  if (cls === undefined && ingressClassName) return undefined;
  if (cls === undefined || cls === 'gce') return 'classic-alb';
  if (cls === 'gce-internal') return 'regional-internal-alb';
  return undefined;
}

/**
 * The load balancer GKE builds for a Service: type LoadBalancer with `networking.gke.io/load-balancer-type:
 * "Internal"` → the internal passthrough Network Load Balancer, without it → the (backend service-based)
 * regional external passthrough Network Load Balancer; undefined for another Service type.
 */
export function serviceLoadBalancer(type: string | undefined, annotations: Readonly<Record<string, string>>): LoadBalancerKindId | undefined {
  if (type !== 'LoadBalancer') return undefined;
  return annotations[LOAD_BALANCER_TYPE_ANNOTATION] === 'Internal' ? 'internal-passthrough-nlb' : 'external-passthrough-nlb';
}

/** The GKE metadata server (Workload Identity): where pods reach it, by dataplane and GKE version. */
export const METADATA_SERVER = Object.freeze({
  /** GKE Dataplane V2. */
  dataplaneV2: Object.freeze({ cidr: '169.254.169.254/32', port: 80 }),
  /** GKE 1.21.0-gke.1000 and later. */
  current: Object.freeze({ cidr: '169.254.169.252/32', port: 988 }),
  /** Before GKE 1.21.0-gke.1000. */
  legacy: Object.freeze({ cidr: '127.0.0.1/32', port: 988 }),
  /** The first GKE version with the `current` address. */
  currentSince: '1.21.0-gke.1000',
});

/** The metadata server's hostname (what pods resolve for it; FQDN rules match it). */
export const METADATA_SERVER_HOSTNAME = 'metadata.google.internal';

/** The annotation of a Kubernetes ServiceAccount bound to a Google service account (Workload Identity). */
export const WORKLOAD_IDENTITY_ANNOTATION = 'iam.gke.io/gcp-service-account';

/** Names the cluster model gives the externals that constructs imply (and that intents name). */
export const EXTERNAL_NAMES = Object.freeze({
  metadataServer: 'metadata-server',
  nodeLocalDns: 'node-local-dns',
  cloudDns: 'cloud-dns',
  proxyOnlySubnet: 'proxy-only-subnet',
  controlPlane: 'control-plane',
  internet: 'internet',
  /** Prefix of the health-check ranges: `lb-health-check-35.191.0.0_16`. */
  healthCheckPrefix: 'lb-health-check-',
  /** Prefix of node ranges: `nodes-10.128.0.0_20`. */
  nodesPrefix: 'nodes-',
});

/** The external name of a block: `lb-health-check-35.191.0.0_16`. */
export function blockExternalName(prefix: string, cidr: string): string {
  return `${prefix}${cidr.replace('/', '_')}`;
}

/** Where `internet` stands in the model: a public address outside every private range (TEST-NET-3). */
export const INTERNET_IP = '203.0.113.10';

/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) on GKE: a Preview, Dataplane V2 only, from
 * this version on (DESIGN "GKE facts").
 */
export const CNP_MIN_GKE_VERSION = '1.36.0-gke.4447000';

/** `MAJOR.MINOR.PATCH-gke.BUILD` (an optional leading `v`) as four numbers, or undefined. */
export function parseGkeVersion(text: string): readonly [number, number, number, number] | undefined {
  const m = typeof text === 'string' ? /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)-gke\.(0|[1-9][0-9]*)$/.exec(text.trim()) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer (both valid GKE versions). */
export function compareGkeVersions(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
}

/** GKE programs at most this many resolved IPv4 and IPv6 addresses per FQDNNetworkPolicy (GKE FQDN network policy docs). */
export const GKE_FQDN_MAX_ADDRESSES = 50;

/** GKE network policy logging (GKE "Use network policy logging"): one cluster-scoped object named `default`. */
export const NETWORK_LOGGING_API_VERSION = 'networking.gke.io/v1alpha1';
export const NETWORK_LOGGING_KIND = 'NetworkLogging';
export const NETWORK_LOGGING_NAME = 'default';
/** The NetworkPolicy annotation that opts a policy into allow logging when NetworkLogging delegates it. */
export const POLICY_LOGGING_ANNOTATION = 'policy.network.gke.io/enable-logging';

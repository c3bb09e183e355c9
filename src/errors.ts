/**
 * Every user-facing error of netproof is a NetproofError whose message says where (construct path,
 * or file, document index and field), what is wrong with which value, the expected form and the fix.
 * Message texts live here so tests import them instead of retyping them.
 */

export class NetproofError extends Error {
  /** Construct path, factory name, or `file[document N]`. */
  public readonly where: string;
  /** Field path inside the object, when there is one (e.g. `spec.ingress[0].ports[1].port`). */
  public readonly field?: string;
  /** The problem without location. */
  public readonly reason: string;

  constructor(where: string, reason: string, field?: string) {
    super(`${where}${field ? ` ${field}` : ''}: ${reason}`);
    this.name = 'NetproofError';
    this.where = where;
    this.field = field;
    this.reason = reason;
  }
}

/** Throws a NetproofError when `reason` is defined. */
export function check(reason: string | undefined, where: string, fix: string, field?: string): void {
  if (reason !== undefined) throw new NetproofError(where, `${reason}. ${fix}`, field);
}

export const Fix = {
  port: 'Use a port between 1 and 65535, e.g. 80',
  portRange: 'Give the range as (first, last) with first <= last, both between 1 and 65535',
  portName: 'Use the name of a container port: 1-15 lower case letters, digits and "-", with at least one letter, e.g. "http"',
  cidr: 'Write an address and a prefix length, e.g. "10.0.0.0/8" or "2600:2d00:1:1::/64"',
  cidrHostBits: (canonical: string) => `Clear the host bits: write "${canonical}"`,
  except: 'Each except must be a strictly smaller CIDR of the same family inside the cidr',
  labelKey: 'Use [prefix/]name where name is at most 63 alphanumerics, "-", "_" or ".", e.g. "app" or "example.com/tier"',
  labelValue: 'Use at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric, e.g. "web"',
  dns1123Label: 'Use at most 63 lower case letters, digits and "-", starting and ending with a letter or digit, e.g. "shop"',
  dns1123Subdomain: 'Use lower case letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. "allow-frontend"',
  fqdn: 'Use a DNS name such as "api.example.com" or a pattern such as "*.example.com"',
} as const;

/**
 * Reasons raised by the construct library (src/constructs). Each is a function of the bad value so that
 * tests build the expected text instead of retyping it; the NetproofError adds `<Construct> <path>: `.
 */
export const ConstructMessages = {
  namespace: (ns: string, reason: string) => `namespace "${ns}" ${reason}. ${Fix.dns1123Label}`,
  policyName: (name: string, reason: string) => `policy name "${name}" (from the construct id) ${reason}. Give the construct a shorter id of lower case letters, digits and "-", or set policyName`,
  duplicatePolicy: (kind: string, ns: string, name: string, other: string) =>
    `a ${kind} named "${name}" already exists in namespace "${ns}" (created by ${other}). Give one of the constructs another id or policyName`,
  notInPolicyChart: 'netproof policies must be created inside a PolicyChart (directly or under a scope such as PodNetworkScoped). Create a PolicyChart for the namespace and use it as the scope',
  noPeers: (direction: 'from' | 'to') => `"${direction}" is empty, which would allow nothing. List at least one peer, e.g. Peer.pods(Selector.labels({ app: 'web' })), or use Peer.anyone()`,
  emptyPorts: 'ports is an empty list. Leave ports out to allow every port, or list at least one Port',
  denyNothing: 'ingress and egress are both false, so the policy would deny nothing. Set at least one of them to true',
  gkeVersion: (text: string) => `GKE version "${text}" is not of the form MAJOR.MINOR.PATCH-gke.BUILD. Write it as GKE reports it, e.g. "1.27.3-gke.100"`,
  podNetworkName: (name: string, reason: string) => `Pod-network name "${name}" ${reason}. ${Fix.dns1123Subdomain}`,
  controlPlaneIp: (ip: string, reason: string) => `control-plane IP "${ip}" is not an IP address: ${reason}. Write one address, e.g. "172.16.0.2"`,
  loggingNotForFqdn: 'GKE network policy logging (policy.network.gke.io/enable-logging) is for NetworkPolicies, and this is an FQDNNetworkPolicy. Create it outside the PolicyLogging scope',
  delegateWithoutLog: (delegate: string, log: string) =>
    `${delegate} is true but ${log} is not, which GKE rejects (delegate needs log). Set ${log}: true, or leave ${delegate} out`,
  secondNetworkLogging: (first: string) =>
    `a second NetworkLogging in the app; GKE has one, named "default", so this one would replace the one at ${first}. Keep one NetworkLogging`,
  needsDataplaneV2: (what: string, dataplane: string) =>
    `${what} requires GKE Dataplane V2, but the chart's cluster profile has dataplane "${dataplane}". Use ClusterProfile.dataplaneV2(...) for this chart, or remove the construct`,
  undeclaredNetwork: (network: string, declared: readonly string[]) =>
    `Pod-network "${network}" is not declared in the cluster profile (declared: ${declared.length ? declared.join(', ') : 'none'}); GKE would silently apply the policies to nothing. Add "${network}" to podNetworks of the ClusterProfile, or fix the name`,
  fqdnUnderNetwork: (network: string) =>
    `FQDN network policies cannot be scoped to a Pod-network, but this one is under PodNetworkScoped "${network}". Create the AllowFqdn outside the PodNetworkScoped scope`,
  fqdnNoMatches: 'neither names nor patterns is given, so the policy would allow no destination. List at least one name (e.g. "api.example.com") or pattern (e.g. "*.example.com")',
  fqdnNamedPort: (name: string) => `port named "${name}" cannot be used for an FQDN destination (named ports resolve on pods). Use a port number, e.g. Port.tcp(443)`,
  metadataNeedsVersion: 'the cluster profile has no GKE version, and the metadata server address depends on it (169.254.169.252:988 from 1.21.0-gke.1000, 127.0.0.1:988 before). Set gkeVersion in the ClusterProfile, e.g. "1.27.3-gke.100", or use a Dataplane V2 profile',
  healthCheckPorts: 'ports is empty or missing; health checks are allowed only on the serving ports. List them, e.g. [Port.tcp(8080)]',
  needsProxyOnlySubnet: (lb: string) => `the ${lb} is Envoy-based and sends traffic to the pods from the proxy-only subnet, but the cluster profile has no proxyOnlySubnet. Set proxyOnlySubnet in the ClusterProfile, e.g. "10.129.0.0/23"`,
  loadBalancerKind: (got: string) => `loadBalancer must be a LoadBalancerKind, got ${got}. Use one of its constants, e.g. LoadBalancerKind.CLASSIC_ALB, or LoadBalancerKind.ofService(service) / LoadBalancerKind.ofIngress(ingress)`,
  internalAlbConflict: (lb: string) => `internalAlb is true but loadBalancer is the ${lb}, which is not an internal Application Load Balancer. Leave internalAlb out (LoadBalancerKind.REGIONAL_INTERNAL_ALB implies it), or fix loadBalancer`,
  noIpv6HealthChecks: (lb: string) => `ipv6 is true, but the ${lb} sends only IPv4 to its backends (Google lists no IPv6 health-check ranges for it). Leave ipv6 out, or use a load balancer with IPv6 backends, e.g. LoadBalancerKind.GLOBAL_EXTERNAL_ALB`,
  notLoadBalancerService: (path: string, type: string) => `Service ${path} has type ${type}, so GKE builds no load balancer for it. Set its type to LoadBalancer, pass the Ingress that routes to it (LoadBalancerKind.ofIngress), or name the kind, e.g. LoadBalancerKind.CLASSIC_ALB`,
  notGkeIngress: (path: string, cls: string, field = 'kubernetes.io/ingress.class') => `Ingress ${path} has ${field} "${cls}", which GKE's Ingress controller does not serve (it serves "gce", the default, and "gce-internal"), so no Google load balancer checks its backends. Allow that controller's pods instead, or name the kind, e.g. LoadBalancerKind.CLASSIC_ALB`,
  notKubeObject: (what: string, got: string) => `expected a ${what} (cdk8s-plus or an L1 ApiObject, with metadata), got ${got}. Pass the ${what} construct itself`,
  needsNodeCidrs: 'without container-native load balancing and with externalTrafficPolicy Cluster, traffic arrives from node IPs, but the cluster profile has no nodeCidrs. Set nodeCidrs in the ClusterProfile, or enable containerNativeLoadBalancing',
  needsControlPlaneIp: 'the cluster profile has no controlPlaneIp. Set controlPlaneIp in the ClusterProfile to the control plane\'s internal IP, e.g. "172.16.0.2"',
  dnsNothing: 'kubeDns is false and neither nodeLocalDnsCache nor cloudDns is set, so nothing would be allowed. Enable at least one resolver',
  port: (reason: string) => `${reason}. ${Fix.port}`,
  portRange: (first: number, last: number) => `endPort must be greater than or equal to port, got ${first}-${last}. ${Fix.portRange}`,
} as const;

/** Reasons raised by two-sided flows (`Allow.from(a).to(b, ports)`) and `SelectedPods`. */
export const FlowMessages = {
  badNamespace: (ns: string, reason: string) => `namespace "${ns}" ${reason}. ${Fix.dns1123Label}`,
  badEndName: (name: string, reason: string) =>
    `name "${name}" (used in the policy names) ${reason}. Give the workload a construct id (or SelectedPods a name) of lower case letters, digits and "-", e.g. "frontend"`,
  podsNotSelector: (value: string) => `pods must be a Selector, got ${value}. Use Selector.labels({ app: 'web' })`,
  badEnd: (role: string, value: string) =>
    `the ${role} ${value} is not a workload. Pass a cdk8s-plus workload, a DeclaredWorkload, or SelectedPods.of(scope, { namespace, name, pods })`,
  endWithoutNamespace: (role: string, value: string) =>
    `the ${role} ${value} has no namespace, name or app, so the flow cannot find its PolicyChart. Pass a cdk8s-plus workload or a DeclaredWorkload, or wrap the selector: SelectedPods.of(scope, { namespace: 'shop', name: 'web', pods })`,
  workloadWithoutNamespace: (role: string) =>
    `the ${role} workload has no namespace. Create it in a chart with a namespace (a PolicyChart), or set metadata.namespace`,
  twoApps: 'the source and the target belong to different cdk8s apps. Create both (and their PolicyCharts) in one App',
  noPorts: 'ports is empty or missing; a flow allows named ports only. List them, e.g. [Port.tcp(8080)], or use [Port.allTcp()] for every TCP port',
  notAPort: (value: string) => `${value} is not a Port. Use Port.tcp(8080), Port.named('http'), ...`,
  emptySides: 'sides is an empty list, so the flow would write nothing. List FlowSide.EGRESS and/or FlowSide.INGRESS, or leave sides out for both',
  badSide: (value: string) => `"${value}" is not a FlowSide. Use FlowSide.EGRESS or FlowSide.INGRESS`,
  toItself: (name: string) => `the source and the target are both ${name}; a pod always reaches itself. Use two different workloads`,
  noSide: (src: { namespace: string; name: string }, dst: { namespace: string; name: string }) =>
    `both ends are DeclaredWorkloads in namespaces without a PolicyChart (${src.namespace}/${src.name}, ${dst.namespace}/${dst.name}), so netproof owns neither side. Create a PolicyChart for one of the namespaces, or state the flow where those policies are managed`,
  noChart: (side: string, ns: string) =>
    `no PolicyChart in the app has namespace "${ns}", where the ${side} policy belongs. Create one (new PolicyChart(app, '${ns}', { namespace: '${ns}' })), or, when ${ns}'s policies are managed elsewhere, pass sides: [FlowSide.${side === 'egress' ? 'INGRESS' : 'EGRESS'}]`,
  badPolicyName: (name: string, reason: string, field: string) =>
    `policy name "${name}" ${reason}. Shorten the workload names, or set ${field} to a DNS-1123 subdomain, e.g. "web-to-api"`,
  duplicate: (chart: string, name: string, field: string) =>
    `${chart} already has a construct named "${name}" (the same flow twice, or another policy of that name). Allow the flow once with all its ports, or set ${field}`,
} as const;

/** Reasons raised by NamespaceBaseline. */
export const BaselineMessages = {
  nothing: 'neither namespaces nor charts is given, so the baseline would apply to nothing. List the namespaces (each with a PolicyChart) or pass the charts',
  notAChart: (value: string) => `${value} is not a PolicyChart. Pass the PolicyCharts of the namespaces (a ClusterPolicyChart has no namespace)`,
  otherApp: (path: string) => `PolicyChart ${path} belongs to another cdk8s app. Create the baseline in the app of its charts`,
  badNamespace: (ns: string, reason: string) => `namespace "${ns}" ${reason}. ${Fix.dns1123Label}`,
  noChart: (ns: string) => `no PolicyChart in the app has namespace "${ns}". Create one first (new PolicyChart(app, '${ns}', { namespace: '${ns}' })), or pass the charts`,
  twice: (ns: string) => `namespace "${ns}" is listed twice (in namespaces or charts). List each namespace once`,
  taken: (chart: string, name: string) =>
    `${chart} already has a construct named "${name}", which the baseline creates. Remove that construct (the baseline includes it), or leave the namespace out of the baseline`,
  metricsWithoutNamespace: 'metricsPods or metricsPorts is set without metricsNamespace. Set metricsNamespace to the scraper\'s namespace, e.g. "monitoring"',
  metricsPorts: 'metricsNamespace is set but metricsPorts is empty or missing; scraping is allowed only on the metrics ports. List them, e.g. [Port.named(\'metrics\')] or [Port.tcp(9090)]',
} as const;

/**
 * Fixes for the ClusterNetworkPolicy problems of `model/validate-cnp.ts`, one per problem code, in the
 * words of the value classes and constructs (`ClusterRule`, `ClusterPods`, `ClusterPeer`, `ClusterProtocol`).
 */
export const ClusterFix = {
  name: 'Give the construct an id (or policyName) of lower case letters, digits, "-" and ".", e.g. "tenant-isolation"',
  tier: 'Use ClusterTier.ADMIN (before NetworkPolicies, which cannot override it) or ClusterTier.BASELINE (after them)',
  priority: 'Use a whole number from 0 to 1000; lower goes first within the tier, e.g. 10',
  selector: 'Build selectors with Selector.labels(...) or LabelExpression, which check label keys and values',
  rules: 'A ClusterNetworkPolicy has at most 25 rules per direction; split it into two policies with different priorities',
  ruleName: 'Use a rule name of at most 100 characters, or leave name out',
  action: 'Make rules with ClusterRule.accept, ClusterRule.deny or ClusterRule.pass',
  peers: 'List 1 to 25 peers, e.g. [ClusterPods.allNamespaces()]; split a longer list into rules of their own',
  peer: 'Make peers with the ClusterPods and ClusterPeer factories',
  ingressPeer: 'Ingress peers are ClusterPods (namespaces and pods); ClusterPeer.networks, nodes and domainNames are egress peers. Move the rule to egress, or use ClusterPods',
  networks: 'List 1 to 25 CIDRs, e.g. ClusterPeer.networks(\'10.0.0.0/8\', \'fd00::/8\'); split a longer list into peers of their own',
  cidr: Fix.cidr,
  domainNames: 'List 1 to 25 names such as "api.example.com" or "*.example.com"; split a longer list into peers of their own',
  domainName: 'Use a domain name of at least two labels of letters, digits, "-" and "_", e.g. "api.example.com"; "*." only as a prefix ("*.example.com" matches one or more labels)',
  domainAccept: 'domainNames peers work only in ClusterRule.accept; allow the domains with an Accept rule and add a later ClusterRule.deny for the rest',
  protocols: 'List 1 to 25 ClusterProtocols, or leave protocols out for every port and protocol',
  protocol: 'Make entries with ClusterProtocol.tcp, udp or sctp (or their range and all forms), or ClusterProtocol.namedPort',
  port: Fix.port,
  range: 'Give the range as (first, last) with first <= last, both between 1 and 65535',
  namedPort: Fix.portName,
  namedPortPeer: 'networks, nodes and domainNames peers have no named ports: use a port number, or move those peers into a rule of their own',
} as const;

/** Reasons raised by the ClusterNetworkPolicy values and constructs (beyond the CRD's rules, see ClusterFix). */
export const ClusterMessages = {
  notInClusterChart: 'ClusterNetworkPolicies are cluster-scoped and must be created inside a ClusterPolicyChart. Create one, e.g. new ClusterPolicyChart(app, \'cluster\', { profile }), and use it as the scope',
  inPolicyChart: (chart: string, namespace: string) =>
    `a ClusterNetworkPolicy is cluster-scoped, but this construct is in PolicyChart ${chart}, whose objects all carry namespace "${namespace}". Create it in a ClusterPolicyChart, e.g. new ClusterPolicyChart(app, 'cluster', { profile })`,
  inClusterChart: (chart: string) =>
    `NetworkPolicies live in a namespace, but this construct is in ClusterPolicyChart ${chart}, which is cluster-scoped. Create it in a PolicyChart for its namespace`,
  gkeVersion: (version: string, min: string) =>
    `ClusterNetworkPolicy on GKE needs GKE ${min} or later (a Preview on Dataplane V2), but the chart's cluster profile has GKE ${version}. Upgrade the cluster and set gkeVersion to its version, or remove the construct`,
  subject: (got: string) => `the subject must be a ClusterPods, got ${got}. Use a ClusterPods factory, e.g. ClusterPods.namespaces(Selector.labels({ tenant: 'a' }))`,
  rule: (got: string) => `a rule must be a ClusterRule, got ${got}. Use ClusterRule.accept, ClusterRule.deny or ClusterRule.pass`,
  nothing: 'ingress and egress are both empty, so the policy would do nothing. Give at least one ClusterRule',
  allowNothing: 'ingress and egress are both false, so nothing would be allowed. Set at least one of them to true',
  noPeers: (factory: string) => `peers is an empty list, so the rule would match nothing. List at least one peer, e.g. ${factory}([ClusterPods.allNamespaces()])`,
  emptyProtocols: 'protocols is an empty list. Leave protocols out for every port and protocol, or list at least one ClusterProtocol',
  noNamespace: (workload: string) =>
    `workload ${workload} has no namespace, and a ClusterNetworkPolicy has none to default to. Give the workload a namespace, or use ClusterPods.namespace(name, selector)`,
  emptyNamespaces: 'namespaces is an empty list, which would select nothing. Name at least one namespace, or leave it out',
  allowEveryone: 'from and to are both every pod, which would accept all traffic between pods and override every NetworkPolicy. Give from or to, e.g. to: ClusterPods.KUBE_DNS',
  noTenants: 'tenants is empty, so no tenant would be isolated. List the values of the tenant label, e.g. [\'team-a\', \'team-b\']',
  tenantPolicyName: (tenant: string, name: string, reason: string) =>
    `tenant "${tenant}" makes the policy name "${name}", which ${reason}. Use tenant values of lower case letters, digits and "-", or a shorter policyName`,
} as const;

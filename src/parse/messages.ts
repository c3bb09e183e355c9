/**
 * Message texts of the input parsers (policy files, cluster model files), kept in one module so tests
 * import them instead of retyping them. Each is the fix or expected form that follows a reason.
 */

export const ParseFix = {
  yamlSyntax: 'Fix the YAML syntax at that position',
  duplicateKey: 'Give each key once (JSON readers keep only the last one, so the file does not mean what it says)',
  yamlTag: 'Remove the tag and write the value as plain YAML (a map, a list, a string, a number or a boolean): Kubernetes does not read it as the '
    + 'value it looks like. Only !!str, !!int, !!float, !!bool, !!null, !!map, !!seq and ! may stay',
  alias: 'Put the anchor (&name) before the alias (*name), or write the value out',
  aliasBomb: 'Write the values out, or use fewer aliases',
  merge: 'Merge a map (<<: {key: value}) or an alias of one (<<: *defaults), or write the keys out',
  nesting: 'Kubernetes objects need far less nesting; check that this is the intended file',
  jsonSyntax: 'Fix the JSON syntax, or give the file a .yaml extension if it is YAML',
  object: 'Each document must be a Kubernetes object (a map with apiVersion, kind, metadata and spec)',
  kind: 'Every Kubernetes object needs a "kind" string, e.g. "kind: NetworkPolicy"',
  apiVersion: 'Every Kubernetes object needs an "apiVersion" string, e.g. "apiVersion: networking.k8s.io/v1"',
  unknownField: (allowed: readonly string[]) => `Allowed fields here: ${allowed.join(', ')}. Remove or rename the field (netproof fails closed on fields it cannot model)`,
  map: 'Write a map (key: value pairs)',
  list: 'Write a list ("- item" entries, or [a, b])',
  string: 'Write a string (quote it if YAML reads it as a number or boolean)',
  name: 'Give the object a metadata.name: lower case letters, digits, "-" and ".", e.g. "allow-frontend"',
  podSelectorRequired: 'Add spec.podSelector; write "podSelector: {}" to select every pod of the namespace',
  peerEmpty: 'A peer needs podSelector, namespaceSelector (or both), or ipBlock; to allow every peer, omit from/to or leave it empty',
  peerIpBlockAndSelector: 'Split it into two peers: one with only ipBlock, one with the selectors',
  ruleNull: 'Write {} for a rule that allows everything, or remove the empty list entry',
  policyTypes: 'Use "Ingress" and/or "Egress" (at most two entries), e.g. policyTypes: [Ingress, Egress]',
  protocol: 'Use TCP, UDP or SCTP (upper case); omit protocol for TCP',
  quotedPort: (n: string) => `Write the number without quotes: port: ${n}`,
  endPortNeedsPort: 'Give a numeric "port" as the first port of the range, e.g. port: 32000, endPort: 32768',
  endPortNamed: 'Ranges need numeric ports; use a numeric port, or remove endPort',
  endPortOrder: 'endPort must be equal to or greater than port, e.g. port: 8000, endPort: 8100',
  exceptInside: 'Each except entry must be a strictly smaller block inside the cidr, of the same IP family',
  operator: 'Use In, NotIn, Exists or DoesNotExist',
  valuesNeeded: 'List at least one value for In and NotIn, or use Exists / DoesNotExist',
  valuesForbidden: 'Remove "values": Exists and DoesNotExist take none',
  unsupportedPolicy: 'netproof models networking.k8s.io/v1 NetworkPolicy, policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy and GKE networking.gke.io/v1alpha1 FQDNNetworkPolicy only; it fails on other kinds that restrict traffic rather than leave them out. Remove this object from the policy input, or convert it',
  kindTypo: (meant: string) => `Kinds are case-sensitive: write kind: ${meant}. netproof fails rather than skip what looks like a policy, so that no policy is left out unnoticed`,
  fqdnMatchOne: 'Give exactly one of "name" (e.g. api.example.com) or "pattern" (e.g. "*.example.com")',
  fqdnMatchesRequired: 'List at least one entry under matches, e.g. matches: [{name: api.example.com}]',
  fqdnNetwork: 'FQDNNetworkPolicy cannot be scoped to a Pod-network on GKE; remove the networking.gke.io/network annotation',
  fqdnPortNumber: 'FQDN destinations are outside the cluster and have no named ports; use a port number',
  fqdnAddonSchema: 'This looks like the open-source add-on schema (egress[].to[].fqdns); the GKE built-in FQDNNetworkPolicy uses egress[].matches[] with name or pattern',
  duplicatePolicy: 'Each policy is identified by kind, namespace and name; rename one, or remove the duplicate',
  network: 'Use a Pod-network name: lower case letters, digits, "-" and ".", e.g. "blue-pod-network"',
  annotationValue: 'Annotation values are strings; quote the value',
  clusterFileAsPolicies: 'Pass cluster model files with --cluster, and only NetworkPolicy / ClusterNetworkPolicy / FQDNNetworkPolicy manifests with --policies',
  // ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2)
  cnpTier: 'Use tier: Admin (before NetworkPolicies, which cannot override it) or tier: Baseline (after them)',
  cnpPriority: 'Use a whole number from 0 to 1000; lower goes first within the tier, e.g. priority: 10',
  cnpSubject: 'Give exactly one of subject.namespaces (a label selector) or subject.pods {namespaceSelector, podSelector}, e.g. subject: {namespaces: {}}',
  cnpPods: 'Write pods: {namespaceSelector: {...}, podSelector: {...}}; podSelector is required ({} selects every pod)',
  cnpRules: 'At most 25 rules per direction; split the policy into two with different priorities',
  cnpRuleName: 'Use a rule name of at most 100 characters, or leave name out',
  cnpAction: 'Use action: Accept, Deny or Pass',
  cnpPeers: (key: string) => `List 1 to 25 peers under ${key}, e.g. ${key}: [{namespaces: {}}]`,
  cnpPeerOne: (direction: string) => `Give exactly one field per peer: ${direction === 'ingress' ? 'namespaces or pods' : 'namespaces, pods, networks, nodes or domainNames'}; split the others into peers of their own`,
  cnpIngressPeer: 'Ingress peers are namespaces or pods; networks, nodes and domainNames are egress peers only',
  cnpNetworks: 'List 1 to 25 CIDRs, e.g. networks: ["10.0.0.0/8", "fd00::/8"]',
  cnpDomainNames: 'List 1 to 25 domain names such as "api.example.com" or "*.example.com" ("*." only as a prefix)',
  cnpDomainAccept: 'domainNames peers work only in Accept rules; allow the domains with Accept and add a lower-precedence Deny for the rest',
  cnpProtocols: 'List 1 to 25 entries, each exactly one of tcp, udp, sctp (with destinationPort: {number: N} or {range: {start, end}}) or destinationNamedPort',
  cnpProtocolOne: 'Give exactly one of tcp, udp, sctp or destinationNamedPort per entry; split the others into entries of their own',
  cnpDestinationPort: 'Give destinationPort with exactly one of number (1-65535) or range {start, end}, e.g. tcp: {destinationPort: {number: 443}}',
  cnpRange: 'Give range.start and range.end from 1 to 65535 with start < end, e.g. range: {start: 8000, end: 8100}',
  cnpNamedPortPeer: 'networks, nodes and domainNames peers have no named ports: use a port number, or move those peers into a rule of their own',
  cnpNamespaced: 'ClusterNetworkPolicy is cluster-scoped: remove metadata.namespace',
  // cluster model
  clusterKeys: 'A cluster model file has only "namespaces", "pods", "externals", "podCidrs" and "nodes" at the top level (or is a Kubernetes List / object)',
  nodeName: 'Give the node a name: lower case letters, digits, "-" and ".", e.g. "gke-pool-1-abcd"',
  nodeIps: 'List the node\'s addresses, e.g. ips: [10.128.0.5]',
  duplicateNode: 'Node names must be unique; remove the duplicate',
  podNamespace: 'Give the pod a namespace, e.g. namespace: shop',
  podName: 'Give the pod a name: lower case letters, digits, "-" and ".", e.g. "frontend-0"',
  ip: 'Write a single IPv4 or IPv6 address, e.g. 10.8.0.10 or fd00::10',
  duplicatePod: 'Pod ids (namespace/name) must be unique; rename one of the pods, or remove the duplicate',
  duplicateExternal: 'External names must be unique; rename one of them',
  duplicatePodIp: 'Pods on one network have distinct IPs (an ipBlock could not tell them apart): correct one of the IPs, or remove the stale pod (e.g. a finished Pod of an older listing)',
  externalPodIp: 'An external is a non-pod endpoint: give it an address no pod has, or remove it and refer to the pod',
  duplicateNamespace: 'Declare each namespace once, or give both declarations the same labels',
  externalName: 'Use a name without "/" or spaces, e.g. "metadata" or "api.example.com"',
  impliedLabel: (ns: string) => `Remove the label, or set it to "${ns}": Kubernetes sets kubernetes.io/metadata.name to the namespace's name`,
  networks: 'List the Pod-networks the pod is attached to, e.g. networks: [default, blue-pod-network]',
  duplicatePortName: 'Container port names must be unique within a pod; rename one of the ports',
  phase: 'status.phase is a string such as Running, Succeeded or Failed',
  uid: 'metadata.uid is a string, as kubectl prints it',
  ownerReference: 'Each ownerReferences entry is a map with apiVersion, kind, name and uid strings (as kubectl prints them)',
  boolean: 'Write true or false without quotes',
  oneController: 'An object has at most one controller: set controller: true on one ownerReferences entry only',
  restartPolicy: 'restartPolicy is a string such as Always (on an init container: a sidecar)',
  emptySelector: 'Select the template\'s pods, e.g. selector: {matchLabels: {app: web}} with the same labels under template.metadata.labels',
  selectorMismatch: 'Give the pod template the labels the selector asks for (the API server rejects this workload), or fix the selector',
  podIps: 'status.podIPs lists at most two addresses, one IPv4 and one IPv6, the first equal to status.podIP, e.g. [{ip: 10.8.0.10}, {ip: fd00::10}]',
  interfacesAnnotation: 'The networking.gke.io/interfaces annotation is a JSON list such as [{"interfaceName":"eth0","network":"default"},{"interfaceName":"eth1","network":"blue"}]',
} as const;

/** Sizes past which input is refused with a message (the README's "Limits"). */
export const ParseLimits = {
  /** Nesting of a YAML document: indentation columns, list dashes and open brackets of a line. */
  nesting: 1000,
  /** Copies that YAML aliases may expand to in one document. */
  aliases: 1000,
} as const;

/** The longest string a message quotes whole; a longer one is cut, with its length. */
export const MAX_QUOTED = 80;

/** `text` as it is, cut after MAX_QUOTED characters: `aaaa… (10485760 characters)`. */
export function cutText(text: string): string {
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED - 20)}… (${text.length} characters)`;
}

/** `text` in JSON quotes, cut after MAX_QUOTED characters: `"aaaa…" (10485760 characters)`. */
export function quoteShort(text: string): string {
  if (text.length <= MAX_QUOTED) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED - 20)).slice(0, -1)}…" (${text.length} characters)`;
}

/** The way a bad value is quoted in messages: strings in JSON quotes (cut when long), other scalars as written, containers by type. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (typeof value === 'string') return quoteShort(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a map';
  return String(value);
}

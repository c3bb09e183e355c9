/**
 * Lints: what GKE (or Kubernetes) would do differently from what the author most likely meant. Each
 * finding has a stable id (NP0xx) that scripts and suppressions can rely on; errors are what GKE would
 * reject or silently ignore, warnings are likely mistakes. Pure: no I/O.
 */
import { CnpLint, cnpLints } from './lint-cnp';
import { flowLints } from './lint-flows';
import { FqdnLint, fqdnLints } from './lint-fqdn';
import { NameLint, nameLints } from './lint-names';
import { PortLint, portLints } from './lint-ports';
import { cidrContains, cidrContainsIp, IpFamily, parseCidr, ParsedCidr, parseIp, representativeAddress } from '../model/cidr';
import { ClusterModel, Dataplane, DEFAULT_NETWORK, ExternalModel, ManifestFacts, PodModel, ServiceModel } from '../model/cluster';
import {
  blockExternalName, CLOUD_DNS_CIDR, EXTERNAL_NAMES, ingressLoadBalancer, isKubeDns, KUBE_DNS_NAMESPACE, KUBE_DNS_POD,
  LB_HEALTH_CHECKS, LoadBalancerKindId, NODE_LOCAL_DNS_CIDR, serviceLoadBalancer, WORKLOAD_IDENTITY_ANNOTATION,
} from '../model/gke';
import { objectId } from '../model/ids';
import { IntentModel } from '../model/intent';
import { isNamespaced, NAMESPACE_NAME_LABEL, NetworkPolicyModel, PolicyModel } from '../model/policy';
import { compareStrings, makeSelector, matchesLabels } from '../model/selector';
import { Verifier } from '../verify/verifier';

export type LintSeverity = 'error' | 'warning';

export interface LintRule {
  readonly id: string;
  readonly name: string;
  readonly severity: LintSeverity;
  readonly summary: string;
}

/** Every lint, by stable id. Ids are never reused or renumbered. */
export const LINT_RULES = {
  undeclaredNetwork: { id: 'NP001', name: 'undeclared-network', severity: 'error', summary: 'a networking.gke.io/network annotation names a Pod-network that is not declared (GKE silently applies the policy to nothing)' },
  dpv2IpBlockPodRange: { id: 'NP002', name: 'dpv2-ipblock-pod-range', severity: 'error', summary: 'on Dataplane V2, an ipBlock.cidr inside the Pod or Service range never matches (ipBlock never matches pod traffic there)' },
  dpv2ProtocolWithoutPort: { id: 'NP003', name: 'dpv2-protocol-without-port', severity: 'error', summary: 'Dataplane V2 rejects a port entry with a protocol and no port' },
  calicoBroadIpBlock: { id: 'NP004', name: 'calico-broad-ipblock', severity: 'warning', summary: 'under Calico, an ipBlock that contains the Pod range also matches pods unless the Pod range is excepted' },
  egressDenyWithoutDns: { id: 'NP005', name: 'egress-deny-without-dns', severity: 'warning', summary: 'a pod is egress-isolated but cannot reach DNS (kube-dns, NodeLocal DNSCache or Cloud DNS) on UDP 53' },
  workloadIdentityWithoutMetadata: { id: 'NP006', name: 'workload-identity-without-metadata', severity: 'warning', summary: 'a pod uses Workload Identity and is egress-isolated, but cannot reach the GKE metadata server' },
  loadBalancerWithoutHealthChecks: { id: 'NP007', name: 'lb-without-health-checks', severity: 'warning', summary: 'a LoadBalancer Service or Ingress backend selects pods that Google health checks cannot reach' },
  selectorMatchesNothing: { id: 'NP008', name: 'selector-matches-nothing', severity: 'warning', summary: 'a policy selects no known workload' },
  unisolatedPod: { id: 'NP009', name: 'unisolated-pod', severity: 'warning', summary: 'a pod is not isolated by any policy, while other namespaces have a default deny' },
  cnpEqualPriority: { id: 'NP010', name: 'cnp-equal-priority', severity: 'error', summary: 'two ClusterNetworkPolicies of one tier share a priority and can match the same traffic of a pod that could exist (their order is undefined)' },
  cnpShadowedRule: { id: 'NP011', name: 'cnp-shadowed-rule', severity: 'warning', summary: 'a ClusterNetworkPolicy rule never matches: an earlier rule of the policy matches all of its traffic first' },
  cnpUnsupportedProfile: { id: 'NP012', name: 'cnp-unsupported-profile', severity: 'error', summary: 'a ClusterNetworkPolicy on a GKE profile that does not run it (not Dataplane V2, or older than 1.36.0-gke.4447000)' },
  cnpExperimentalPeer: { id: 'NP013', name: 'cnp-experimental-peer', severity: 'warning', summary: 'a nodes or domainNames peer, which only the experimental ClusterNetworkPolicy CRD has' },
  cnpAcceptOverridesDeny: { id: 'NP014', name: 'cnp-accept-overrides-deny', severity: 'warning', summary: 'an Admin tier Accept overrides the default deny of namespaces (their NetworkPolicies are not read for that traffic)' },
  unknownName: { id: 'NP015', name: 'unknown-name', severity: 'warning', summary: 'a peer or an intent names a namespace, pod or external that nothing declares (the message lists the closest known names)' },
  peerMatchesNothing: { id: 'NP016', name: 'peer-matches-nothing', severity: 'warning', summary: 'a NetworkPolicy peer selects no known pod, so its rule allows nothing for the known workloads (the message lists the closest label values)' },
  unexposedPort: { id: 'NP017', name: 'unexposed-port', severity: 'warning', summary: 'a rule allows, or an intent is about, a port that no container of the pods it is for exposes (where their ports are known)' },
  servicePort: { id: 'NP018', name: 'service-port', severity: 'warning', summary: 'a rule or an intent uses a Service\'s port where the pods\' port (the Service\'s targetPort) was meant; NetworkPolicies see the pod\'s port' },
  oneSidedFlow: { id: 'NP019', name: 'one-sided-flow', severity: 'warning', summary: 'a rule opens a flow between known pods on its side, but the other side is isolated and denies it, so the connection never happens' },
  fqdnLimits: { id: 'NP020', name: 'fqdn-limits', severity: 'warning', summary: 'an FQDNNetworkPolicy beyond what GKE supports, where that can be checked offline: a *. pattern a known host is deeper than (* matches one label), more than 50 names' },
  fqdnServiceTarget: { id: 'NP021', name: 'fqdn-service-target', severity: 'warning', summary: 'an FQDNNetworkPolicy names a cluster Service (ClusterIP or headless), which GKE does not support as a destination' },
} as const satisfies Record<string, LintRule>;

const NAME_RULES: Record<NameLint, LintRule> = {
  unknownName: LINT_RULES.unknownName,
  peerMatchesNothing: LINT_RULES.peerMatchesNothing,
};

const PORT_RULES: Record<PortLint, LintRule> = {
  unexposedPort: LINT_RULES.unexposedPort,
  servicePort: LINT_RULES.servicePort,
};

const FQDN_RULES: Record<FqdnLint, LintRule> = {
  fqdnLimits: LINT_RULES.fqdnLimits,
  fqdnServiceTarget: LINT_RULES.fqdnServiceTarget,
};

const CNP_RULES: Record<CnpLint, LintRule> = {
  equalPriority: LINT_RULES.cnpEqualPriority,
  shadowedRule: LINT_RULES.cnpShadowedRule,
  unsupportedProfile: LINT_RULES.cnpUnsupportedProfile,
  experimentalPeer: LINT_RULES.cnpExperimentalPeer,
  acceptOverridesDeny: LINT_RULES.cnpAcceptOverridesDeny,
};

export interface LintFinding {
  readonly id: string;
  readonly name: string;
  readonly severity: LintSeverity;
  /** What the finding is about: `namespace/name` of a policy, pod or Service. */
  readonly subject: string;
  readonly message: string;
}

export interface LintInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  /** Pod-networks declared for the cluster; when absent, the networks pods are attached to. */
  readonly declaredNetworks?: readonly string[];
  /** Pod and Service ranges (CIDR text) of the cluster, when known. */
  readonly podCidrs?: readonly string[];
  readonly serviceCidrs?: readonly string[];
  /** Where pods reach the GKE metadata server, when known. */
  readonly metadataServer?: { readonly ip: string; readonly port: number };
  /** Services, Ingresses and ServiceAccounts of the input, for NP006 and NP007. */
  readonly manifests?: ManifestFacts;
  /** The GKE version of a GKE cluster, for NP012. */
  readonly gkeVersion?: string;
  /** Whether the experimental ClusterNetworkPolicy CRD is installed, for NP013. @default false */
  readonly cnpExperimental?: boolean;
  /** The intents checked with the policies, for NP015 (names nobody declares). @default - none */
  readonly intents?: readonly IntentModel[];
}

/** The representative host of a block, as the constructs imply it. */
function hostOf(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`internal: bad built-in CIDR ${cidr}`);
  return representativeAddress(parsed.value);
}
/** The health checkers of a load balancer kind (IPv4: the pods' addresses the model knows are IPv4 or unknown). */
const healthCheckers = (kind: LoadBalancerKindId): ExternalModel[] => LB_HEALTH_CHECKS[kind].ipv4
  .map((c) => ({ name: blockExternalName(EXTERNAL_NAMES.healthCheckPrefix, c), ip: hostOf(c) }));
const DNS_EXTERNALS: readonly ExternalModel[] = [
  { name: EXTERNAL_NAMES.nodeLocalDns, ip: hostOf(NODE_LOCAL_DNS_CIDR) },
  { name: EXTERNAL_NAMES.cloudDns, ip: hostOf(CLOUD_DNS_CIDR) },
];
/** Where pod IPs live when the Pod ranges are not known (RFC 1918, shared address space, IPv6 ULA). */
const PRIVATE_RANGES: readonly ParsedCidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']
  .map((c) => parseCidr(c)).flatMap((r) => (r.ok ? [r.value] : []));

/** Runs every lint; findings sorted by id, then subject, then message. */
export function lint(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (rule: LintRule, subject: string, message: string) =>
    findings.push({ id: rule.id, name: rule.name, severity: rule.severity, subject, message });
  const ctx = new LintContext(input);
  const targets = input.manifests ? loadBalancedTargets(input.manifests) : [];
  const reach = withExternals(input.cluster, input.metadataServer, [...new Set(targets.map((t) => t.kind))].sort().flatMap(healthCheckers));
  const verifier = new Verifier({ policies: input.policies, cluster: reach.cluster, dataplane: input.dataplane });

  staticLints(input, ctx, verifier, add);
  reachabilityLints(input, targets, reach, verifier, add);
  cnpLints(input, (which, subject, message) => add(CNP_RULES[which], subject, message));
  nameLints(input, (which, subject, message) => add(NAME_RULES[which], subject, message));
  portLints(input, (which, subject, message) => add(PORT_RULES[which], subject, message));
  flowLints(input, (subject, message) => add(LINT_RULES.oneSidedFlow, subject, message));
  fqdnLints(input, (which, subject, message) => add(FQDN_RULES[which], subject, message));

  return findings.sort((a, b) => compareStrings(a.id, b.id) || compareStrings(a.subject, b.subject) || compareStrings(a.message, b.message));
}

type Add = (rule: LintRule, subject: string, message: string) => void;

class LintContext {
  public readonly podRanges: ParsedCidr[];
  public readonly serviceRanges: ParsedCidr[];
  constructor(input: LintInput) {
    const parse = (list: readonly string[] | undefined) => (list ?? []).map((c) => parseCidr(c)).flatMap((r) => (r.ok ? [r.value] : []));
    this.podRanges = parse(input.podCidrs);
    this.serviceRanges = parse(input.serviceCidrs);
  }
}


function staticLints(input: LintInput, ctx: LintContext, verifier: Verifier, add: Add): void {
  const declared = new Set(input.declaredNetworks);
  if (input.declaredNetworks === undefined) for (const p of input.cluster.pods) for (const n of p.networks) declared.add(n);
  declared.add(DEFAULT_NETWORK);
  let ips: { pod: PodModel; ip: { family: IpFamily; value: bigint } }[] | undefined;
  /** Parsed pod IPs, for the Dataplane V2 ipBlock check only. */
  const podIps = () => ips ??= input.cluster.pods.flatMap((p) => {
    const ip = p.ip === undefined ? undefined : parseIp(p.ip);
    return ip && ip.ok ? [{ pod: p, ip: ip.value }] : [];
  });

  const namespaced = input.policies.filter(isNamespaced);
  for (const p of namespaced) {
    const id = objectId(p);
    if (p.kind === 'NetworkPolicy' && p.network !== undefined && !declared.has(p.network)) {
      add(LINT_RULES.undeclaredNetwork, id, `annotation networking.gke.io/network: ${p.network} names a Pod-network that ${input.declaredNetworks ? 'is not declared in the cluster profile' : 'no pod is attached to'} (known: ${[...declared].sort().join(', ')}); GKE silently applies the policy to nothing. Fix the name, or declare the network`);
    }
    const rules = p.kind === 'NetworkPolicy'
      ? [...p.ingress.map((r, i) => ({ r, where: `ingress[${i}]` })), ...p.egress.map((r, i) => ({ r, where: `egress[${i}]` }))]
      : p.egress.map((r, i) => ({ r: { peers: 'all' as const, ports: r.ports }, where: `egress[${i}]` }));
    for (const { r, where } of rules) {
      // Policies are modelled as written (constructs render "all ports" as 1-65535 on Dataplane V2), so
      // a protocol without a port here is what GKE would receive, and reject.
      if (input.dataplane === 'dataplane-v2' && r.ports !== 'all') {
        r.ports.forEach((port, j) => {
          if (port.port === undefined) {
            add(LINT_RULES.dpv2ProtocolWithoutPort, id, `${where}.ports[${j}] has protocol ${port.protocol} and no port, which Dataplane V2 rejects. Write port: 1 and endPort: 65535 for every ${port.protocol} port`);
          }
        });
      }
      if (r.peers === 'all') continue;
      r.peers.forEach((peer, j) => {
        if (peer.kind !== 'ipBlock') return;
        const parsed = parseCidr(peer.cidr);
        if (!parsed.ok) return;
        const block = parsed.value;
        const excepts = peer.except.map((e) => parseCidr(e)).flatMap((x) => (x.ok ? [x.value] : []));
        const at = `${where}.${p.kind === 'NetworkPolicy' && where.startsWith('ingress') ? 'from' : 'to'}[${j}].ipBlock`;
        if (input.dataplane === 'dataplane-v2') {
          const inside = [...ctx.podRanges.map((c) => ({ c, what: 'Pod range' })), ...ctx.serviceRanges.map((c) => ({ c, what: 'Service range' }))]
            .find(({ c }) => cidrContains(c, block));
          // Without known Pod ranges: a private block that holds pod IPs is almost surely meant for pods;
          // a broad block (0.0.0.0/0, a public range) that happens to contain them is not.
          const pods = ctx.podRanges.length > 0 || !PRIVATE_RANGES.some((range) => cidrContains(range, block))
            ? [] : podIps().filter(({ ip }) => cidrContainsIp(block, ip.family, ip.value));
          if (inside || pods.length > 0) {
            const what = inside ? `inside the ${inside.what} ${inside.c.canonical}` : `a private block holding pod IPs (e.g. ${pods[0].pod.namespace}/${pods[0].pod.name} at ${pods[0].pod.ip})`;
            add(LINT_RULES.dpv2IpBlockPodRange, id, `${at} cidr ${peer.cidr} is ${what}; on Dataplane V2 ipBlock never matches pod traffic. Select the pods with podSelector/namespaceSelector instead`);
          }
        }
        if (input.dataplane === 'calico') {
          for (const range of ctx.podRanges) {
            if (!cidrContains(block, range)) continue;
            if (excepts.some((e) => cidrContains(e, range))) continue;
            add(LINT_RULES.calicoBroadIpBlock, id, `${at} cidr ${peer.cidr} contains the Pod range ${range.canonical} without excepting it, so under Calico it also ${where.startsWith('ingress') ? 'admits every pod' : 'lets the pods reach every pod'}. Add except: [${range.canonical}] if only non-pod addresses are meant`);
          }
        }
      });
    }
  }

  // NP008: a policy that selects nothing known. By pod classes: a class is in the policy's namespace, and
  // matches its selector and network, for all of its pods or for none (the kube-dns pod the reachability
  // lints add, when the input has none, is not a known pod).
  const classes = verifier.podClasses();
  const added = input.cluster.pods.some(isKubeDns) ? undefined : objectId(KUBE_DNS_POD);
  input.policies.forEach((p, i) => {
    if (!isNamespaced(p)) return;
    const network = p.kind === 'NetworkPolicy' ? p.network : undefined;
    const matches = verifier.selectedClasses(i).some((c) => (network === undefined || classes[c].networks.has(network))
      && classes[c].members.some((m) => m !== added));
    if (!matches) {
      add(LINT_RULES.selectorMatchesNothing, objectId(p), `spec.podSelector selects no known pod in namespace ${p.namespace}${p.kind === 'NetworkPolicy' && p.network ? ` on network ${p.network}` : ''}; the policy has no effect on the workloads netproof knows. Fix the selector, or declare the workload`);
    }
  });
}

function reachabilityLints(input: LintInput, targets: readonly LbTarget[], { cluster, ids }: LintCluster, verifier: Verifier, add: Add): void {
  const ext = (name: string) => ids.get(name)!;
  const pods = cluster.pods.filter((p) => p !== KUBE_DNS_POD);
  const id = objectId;
  const side = (p: PodModel) => verifier.explain(id(p), id(p), { port: 1, protocol: 'TCP' });
  // Whether a pod on the default network is isolated for a direction: the same for every pod of its class.
  const isolation = new Map<number, boolean>();
  const isolated = (p: PodModel, direction: 'ingress' | 'egress') => {
    const cls = verifier.targetOf(id(p))!;
    const key = direction === 'ingress' ? cls : -1 - cls;
    let yes = isolation.get(key);
    if (yes === undefined) isolation.set(key, yes = verifier.isolatedClass(direction, cls));
    return yes;
  };

  // NP005: egress isolation without DNS (the same for every pod of a class, but a kube-dns pod itself).
  const dnsPods = cluster.pods.filter(isKubeDns);
  const dnsIds = new Set(dnsPods.map(id));
  const reachesDns = new Map<number, boolean>();
  for (const p of pods) {
    if (!p.networks.includes(DEFAULT_NETWORK) || !isolated(p, 'egress')) continue;
    const cls = verifier.targetOf(id(p))!;
    let reaches = dnsIds.has(id(p)) ? undefined : reachesDns.get(cls);
    if (reaches === undefined) {
      reaches = dnsPods.some((d) => verifier.explain(id(p), id(d), { port: 53, protocol: 'UDP' }).allowed)
        || DNS_EXTERNALS.some((e) => verifier.explain(id(p), ext(e.name), { port: 53, protocol: 'UDP' }).allowed);
      if (!dnsIds.has(id(p))) reachesDns.set(cls, reaches);
    }
    if (!reaches) add(LINT_RULES.egressDenyWithoutDns, id(p), `pod ${id(p)} is egress-isolated but cannot reach kube-dns, NodeLocal DNSCache or Cloud DNS on UDP 53, so name resolution fails. Add AllowDns (or an egress rule to k8s-app=kube-dns in kube-system on UDP and TCP 53)`);
  }

  // NP006: Workload Identity without the metadata server.
  if (input.metadataServer && input.manifests) {
    for (const p of workloadIdentityPods(pods, input.manifests)) {
      const podId = id(p);
      if (!side(p).egress.isolated) continue;
      if (!verifier.explain(podId, ext(EXTERNAL_NAMES.metadataServer), { port: input.metadataServer.port, protocol: 'TCP' }).allowed) {
        add(LINT_RULES.workloadIdentityWithoutMetadata, podId, `pod ${podId} runs as a Workload Identity service account and is egress-isolated, but cannot reach the metadata server at ${input.metadataServer.ip}:${input.metadataServer.port}, so Google credentials fail. Add AllowMetadataServer for it`);
      }
    }
  }

  // NP007: load-balanced pods that the health checks of their load balancer cannot reach.
  for (const target of targets) {
    const selector = makeSelector(target.selector);
    const lb = LB_HEALTH_CHECKS[target.kind];
    const checkers = healthCheckers(target.kind);
    for (const p of pods.filter((x) => x.namespace === target.namespace && matchesLabels(selector, x.labels))) {
      const port = typeof target.targetPort === 'number' ? target.targetPort : p.ports.find((cp) => cp.name === target.targetPort)?.port;
      if (port === undefined) continue;
      const ok = checkers.every((h) => verifier.explain(ext(h.name), id(p), { port, protocol: target.protocol }).allowed);
      if (ok) continue;
      const service = `${target.namespace}/${target.service}`;
      add(LINT_RULES.loadBalancerWithoutHealthChecks, service, `${target.what} ${service} sends traffic to pod ${id(p)} on ${target.protocol} ${port}, `
        + `but the health checks of its ${lb.title} (${lb.ipv4.join(', ')}) cannot reach it there, so the backend is marked unhealthy. `
        + `Add AllowLbHealthChecks for those pods and ports with loadBalancer: LoadBalancerKind.${constantName(target.kind)}`);
    }
  }

  // NP009: unisolated pods while other namespaces deny by default.
  for (const direction of ['ingress', 'egress'] as const) {
    const denying = [...new Set(input.policies.filter((p): p is NetworkPolicyModel => p.kind === 'NetworkPolicy' && isDefaultDeny(p, direction)).map((p) => p.namespace))].sort();
    if (denying.length === 0) continue;
    for (const p of pods) {
      if (p.namespace === KUBE_DNS_NAMESPACE || !p.networks.includes(DEFAULT_NETWORK)) continue;
      if (isolated(p, direction)) continue;
      add(LINT_RULES.unisolatedPod, id(p), `pod ${id(p)} is not isolated for ${direction} by any policy, while namespace${denying.length > 1 ? 's' : ''} ${denying.join(', ')} ${denying.length > 1 ? 'have' : 'has'} a default deny for ${direction}. Add a DefaultDeny to namespace ${p.namespace}, or a policy selecting the pod`);
    }
  }
}

function isDefaultDeny(p: PolicyModel, direction: 'ingress' | 'egress'): boolean {
  if (p.kind !== 'NetworkPolicy' || p.network !== undefined) return false;
  const empty = Object.keys(p.podSelector.matchLabels).length === 0 && p.podSelector.matchExpressions.length === 0;
  return empty && p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && p[direction].length === 0;
}

/** The cluster the reachability lints evaluate, and the external ids that stand for each built-in endpoint. */
interface LintCluster {
  readonly cluster: ClusterModel;
  /** Built-in endpoint name → the id of the external at that address (an existing one when the model has it). */
  readonly ids: ReadonlyMap<string, string>;
}

/**
 * Adds the endpoints the lints ask about (health checkers, NodeLocal DNS, Cloud DNS, the metadata server,
 * kube-dns) when the model lacks them. An external already at the same address stands for it under its
 * own name (e.g. the Dataplane V2 metadata server at 169.254.169.254 is also where Cloud DNS answers).
 */
function withExternals(cluster: ClusterModel, metadata: LintInput['metadataServer'], checkers: readonly ExternalModel[]): LintCluster {
  const byIp = new Map(cluster.externals.map((e) => [e.ip, e.name]));
  const names = new Set(cluster.externals.map((e) => e.name));
  const wanted: ExternalModel[] = [...checkers, ...DNS_EXTERNALS];
  if (metadata) wanted.push({ name: EXTERNAL_NAMES.metadataServer, ip: metadata.ip });
  const extra: ExternalModel[] = [];
  const ids = new Map<string, string>();
  for (const e of wanted) {
    const existing = byIp.get(e.ip) ?? (names.has(e.name) ? e.name : undefined);
    if (existing !== undefined) {
      ids.set(e.name, existing);
      continue;
    }
    byIp.set(e.ip, e.name);
    names.add(e.name);
    extra.push(e);
    ids.set(e.name, e.name);
  }
  const hasDns = cluster.pods.some(isKubeDns);
  return {
    cluster: {
      namespaces: hasDns ? cluster.namespaces : {
        ...cluster.namespaces,
        [KUBE_DNS_NAMESPACE]: { [NAMESPACE_NAME_LABEL]: KUBE_DNS_NAMESPACE, ...(cluster.namespaces[KUBE_DNS_NAMESPACE] ?? {}) },
      },
      pods: hasDns ? cluster.pods : [...cluster.pods, KUBE_DNS_POD],
      externals: [...cluster.externals, ...extra],
    },
    ids,
  };
}

/** Pods whose ServiceAccount is bound to a Google service account (Workload Identity). */
function workloadIdentityPods(pods: readonly PodModel[], facts: ManifestFacts): PodModel[] {
  const accounts = new Set(facts.serviceAccounts.filter((a) => a.annotations[WORKLOAD_IDENTITY_ANNOTATION]).map(objectId));
  return pods.filter((p) => p.serviceAccount !== undefined && accounts.has(`${p.namespace}/${p.serviceAccount}`))
    .sort((a, b) => compareStrings(objectId(a), objectId(b)));
}

interface LbTarget {
  readonly what: 'LoadBalancer Service' | 'Ingress backend Service';
  /** The load balancer GKE builds for the Service or Ingress. */
  readonly kind: LoadBalancerKindId;
  readonly namespace: string;
  readonly service: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly targetPort: number | string;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * Ports of LoadBalancer Services and of Services that GKE Ingresses route to, with their pod selectors and
 * the load balancer GKE builds for them (an Ingress of another controller's class has none).
 */
function loadBalancedTargets(facts: ManifestFacts): LbTarget[] {
  const services = new Map<string, ServiceModel>(facts.services.map((s) => [objectId(s), s]));
  const targets: LbTarget[] = [];
  const addService = (s: ServiceModel | undefined, what: LbTarget['what'], kind: LoadBalancerKindId, onlyPort?: number | string) => {
    if (!s || !s.selector) return;
    for (const p of s.ports) {
      if (onlyPort !== undefined && p.port !== onlyPort && p.name !== onlyPort) continue;
      targets.push({ what, kind, namespace: s.namespace, service: s.name, selector: s.selector, targetPort: p.targetPort, protocol: p.protocol });
    }
  };
  for (const s of facts.services) {
    const kind = serviceLoadBalancer(s.type, s.annotations);
    if (kind) addService(s, 'LoadBalancer Service', kind);
  }
  for (const ingress of facts.ingresses) {
    const kind = ingressLoadBalancer(ingress.annotations, ingress.ingressClassName);
    if (!kind) continue;
    for (const b of ingress.backends) addService(services.get(`${ingress.namespace}/${b.service}`), 'Ingress backend Service', kind, b.port);
  }
  return targets;
}

/** The LoadBalancerKind constant of a kind id: `external-passthrough-nlb` → `EXTERNAL_PASSTHROUGH_NLB`. */
function constantName(kind: LoadBalancerKindId): string {
  return kind.toUpperCase().replace(/-/g, '_');
}

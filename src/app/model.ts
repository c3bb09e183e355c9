/**
 * Assembles the model that a cdk8s app's intents are checked against: the workloads of the app
 * (cdk8s-plus and L1 objects, by their synthesized manifests), workloads declared for things deployed
 * elsewhere, inventory files, the namespaces of the charts, kube-dns, and the externals that constructs
 * imply; its Services, Ingresses and ServiceAccounts; and the cluster profile of its charts.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { impliedExternalsOf, PolicyChartBase, policiesOf } from '../constructs/_policy-chart-base';
import { DeclaredExternal } from '../constructs/declared-external';
import { DeclaredWorkload } from '../constructs/declared-workload';
import { Inventory } from '../constructs/inventory';
import { NetproofError } from '../errors';
import { formatIp, parseCidr, representativeAddress } from '../model/cidr';
import { ClusterModel, Dataplane, DEFAULT_NETWORK, ExternalModel, ManifestFacts, ProfileModel } from '../model/cluster';
import {
  blockExternalName, CLOUD_DNS_CIDR, EXTERNAL_NAMES, INTERNET_IP, isKubeDns, KUBE_DNS_NAMESPACE, KUBE_DNS_POD, LB_HEALTH_CHECK_CIDRS,
  METADATA_SERVER_HOSTNAME, NODE_LOCAL_DNS_CIDR,
} from '../model/gke';
import { comparePolicies, NAMESPACE_NAME_LABEL, policyId, PolicyModel } from '../model/policy';
import { compareStrings, Labels } from '../model/selector';
import { clusterFromManifests } from '../parse/cluster';
import { isManifestFactKind, manifestFactsFromObjects } from '../parse/manifests';
import { mergeClusters } from '../parse/merge';
import { AppObject, policiesFromAppObjects } from '../parse/policies';
import { SkippedObject } from '../parse/skipped';
import { ClusterProfile } from '../values/cluster-profile';
import { metadataServerEndpoint } from '../values/metadata-endpoint';

const POLICY_KINDS = new Set(['NetworkPolicy', 'FQDNNetworkPolicy', 'ClusterNetworkPolicy']);

/** Where `internet` stands in the model: a public address outside every private range. */
export const INTERNET_EXTERNAL: ExternalModel = Object.freeze({ name: EXTERNAL_NAMES.internet, ip: INTERNET_IP });

export interface AppModel {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  /** The cluster facts as plain data, merged over every PolicyChart's profile (charts may each declare only part of them). */
  readonly profile: ProfileModel;
  /**
   * The cluster profile of the app: the first PolicyChart's (undefined when there is none). Every chart
   * must agree on the dataplane and the GKE version; `profile` has what is merged across charts.
   */
  readonly clusterProfile?: ClusterProfile;
  /** Services, Ingresses and ServiceAccounts of the app, for lints. */
  readonly manifests: ManifestFacts;
  /** Objects of the app that are neither policies, workloads, namespaces nor manifest facts. */
  readonly skipped: readonly SkippedObject[];
}

/** Builds the verification model of the app that contains `scope`. */
export function modelOfApp(scope: IConstruct): AppModel {
  const root = scope.node.root;
  const all = root.node.findAll();
  const charts = all.filter((c): c is Chart => Chart.isChart(c));
  // PolicyCharts and ClusterPolicyCharts alike: one app, one cluster profile.
  const policyCharts = charts.filter((c): c is PolicyChartBase => PolicyChartBase._isPolicyChartBase(c));
  const clusterProfile = sharedProfile(policyCharts);

  // Object by object: Chart.toJson() would run the app's validations, which is where we are called from.
  const apiObjects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const objects: unknown[] = apiObjects.map((o) => o.toJson());
  const label = `app ${root.node.path || 'app'}`;
  const fromApp = clusterFromManifests(objects, label);

  const parts: ClusterModel[] = [fromApp.cluster];
  for (const c of all) {
    if (c instanceof DeclaredWorkload || c instanceof DeclaredExternal) parts.push(c._cluster());
    if (c instanceof Inventory) parts.push(c.cluster);
  }
  const namespaces: Record<string, Labels> = {};
  for (const chart of policyCharts) if (chart.namespace !== undefined) namespaces[chart.namespace] = { [NAMESPACE_NAME_LABEL]: chart.namespace };
  const externals = impliedExternalsOf(root).map((e): ExternalModel => ({ name: e.name, ip: e.ip, hostname: e.hostname, source: e.source }));
  const implied = new Set(externals.map((e) => e.name));
  for (const e of clusterProfile ? gkeExternals(clusterProfile) : []) if (!implied.has(e.name)) externals.push(e);
  externals.push(INTERNET_EXTERNAL);
  parts.push({ namespaces, pods: [], externals });
  let cluster = mergeClusters(parts).cluster;
  if (!cluster.pods.some(isKubeDns)) {
    const kubeDns = { namespaces: { [KUBE_DNS_NAMESPACE]: { [NAMESPACE_NAME_LABEL]: KUBE_DNS_NAMESPACE } }, pods: [KUBE_DNS_POD], externals: [] };
    cluster = mergeClusters([cluster, kubeDns]).cluster;
  }
  cluster = assignPodIps(cluster, clusterProfile);
  const union = (f: (p: ClusterProfile) => readonly unknown[]) =>
    [...new Set(policyCharts.flatMap((c) => f(c.profile).map(String)))].sort(compareStrings);
  const dataplane = clusterProfile?.dataplane ?? 'upstream';
  const profile: ProfileModel = {
    dataplane,
    ...(clusterProfile ? { podNetworks: [...new Set([DEFAULT_NETWORK, ...union((p) => p.podNetworks)])].sort(compareStrings) } : {}),
    podCidrs: union((p) => p.podCidrs),
    serviceCidrs: union((p) => p.serviceCidrs),
    ...(clusterProfile ? metadataOf(clusterProfile) : {}),
    ...(clusterProfile?.gkeVersion ? { gkeVersion: clusterProfile.gkeVersion.toString() } : {}),
  };
  return {
    policies: writtenPolicies(root, apiObjects.map((o, i) => ({ path: o.node.path, manifest: objects[i] }))),
    cluster,
    dataplane,
    profile,
    ...(clusterProfile ? { clusterProfile } : {}),
    manifests: manifestFactsFromObjects(objects, label),
    skipped: fromApp.skipped.filter((s) => !isManifestFactKind(s.apiVersion, s.kind) && !POLICY_KINDS.has(s.kind)),
  };
}

/**
 * The policies the app writes, parsed from its synthesized objects as the CLI parses files: what synth
 * verifies is exactly what it writes (a raw ApiObject, a cdk8s-plus `connections` policy, a JSON
 * patch). A kind that restricts traffic but is not modelled, or a value the API server would reject,
 * is an error. A netproof construct's policy keeps the construct as its source.
 */
function writtenPolicies(root: IConstruct, objects: readonly AppObject[]): PolicyModel[] {
  const key = (p: PolicyModel) => `${p.kind} ${policyId(p)}`;
  const constructs = new Map(policiesOf(root).map((p) => [key(p), p]));
  const written = policiesFromAppObjects(objects).policies;
  const seen = new Set(written.map(key));
  for (const [k, p] of constructs) {
    if (!seen.has(k)) throw new NetproofError(p.source?.constructPath ?? k, `internal: the construct's ${k} is not among the objects the app synthesizes, so it cannot be verified`);
  }
  return written
    .map((p) => {
      const own = constructs.get(key(p));
      return own?.source ? { ...p, source: own.source } : p;
    })
    .sort(comparePolicies);
}

/**
 * The endpoints every GKE cluster has (a GKE profile: Dataplane V2 or a GKE version), by the names and
 * addresses the constructs that allow them imply: the metadata server (where the profile says; unknown
 * without Dataplane V2 and a GKE version), NodeLocal DNSCache, Cloud DNS and the IPv4 load-balancer
 * health-check ranges. kube-dns is added as a pod when the app declares none. Intents about them
 * (`cannotReach(Externals.METADATA_SERVER)`) hold or fail on the policies, not on whether a construct
 * happened to name them.
 */
export function gkeExternals(profile: ClusterProfile): ExternalModel[] {
  if (!profile.isGke) return [];
  const at = (name: string, cidr: string, hostname?: string): ExternalModel => {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new NetproofError('gkeExternals', `internal: bad GKE CIDR "${cidr}"`);
    return { name, ip: representativeAddress(parsed.value), ...(hostname === undefined ? {} : { hostname }) };
  };
  const out: ExternalModel[] = [];
  try {
    out.push(at(EXTERNAL_NAMES.metadataServer, metadataServerEndpoint(profile).cidr, METADATA_SERVER_HOSTNAME));
  } catch {
    // no GKE version on a non-Dataplane-V2 profile: where pods reach the metadata server is unknown
  }
  out.push(at(EXTERNAL_NAMES.nodeLocalDns, NODE_LOCAL_DNS_CIDR), at(EXTERNAL_NAMES.cloudDns, CLOUD_DNS_CIDR));
  for (const c of LB_HEALTH_CHECK_CIDRS) out.push(at(blockExternalName(EXTERNAL_NAMES.healthCheckPrefix, c), c));
  return out;
}

function metadataOf(profile: ClusterProfile): { metadataServer?: { ip: string; port: number } } {
  try {
    const e = metadataServerEndpoint(profile);
    return { metadataServer: { ip: e.cidr.replace(/\/\d+$/, ''), port: e.port.model.port as number } };
  } catch {
    return {}; // no GKE version on a non-Dataplane-V2 profile: the endpoint is unknown, NP006 is skipped
  }
}

function sharedProfile(charts: readonly PolicyChartBase[]): ClusterProfile | undefined {
  const first = charts[0]?.profile;
  for (const chart of charts) {
    if (chart.profile.dataplane !== first!.dataplane) {
      throw new NetproofError(chart._title, `its cluster profile has dataplane "${chart.profile.dataplane}", but ${charts[0]._title} has "${first!.dataplane}"; one app describes one cluster. Give every PolicyChart of the app the same ClusterProfile`);
    }
    const [a, b] = [String(chart.profile.gkeVersion ?? ''), String(first!.gkeVersion ?? '')];
    if (a && b && a !== b) {
      throw new NetproofError(chart._title, `its cluster profile has GKE version ${a}, but ${charts[0]._title} has ${b}; one app describes one cluster. Give every PolicyChart of the app the same ClusterProfile`);
    }
  }
  return first;
}

/**
 * Pods without an IP get one from the profile's first Pod CIDR (in pod id order), so that ipBlock rules
 * that cover the Pod range (which match pods under upstream and Calico semantics) are modelled.
 */
function assignPodIps(cluster: ClusterModel, profile: ClusterProfile | undefined): ClusterModel {
  const range = profile?.podCidrs[0];
  if (!range) return cluster;
  const taken = new Set(cluster.pods.map((p) => p.ip).filter((ip): ip is string => ip !== undefined));
  let next = range.parsed.network + 10n;
  const size = 1n << BigInt((range.family === 4 ? 32 : 128) - range.parsed.prefix);
  const pods = cluster.pods.map((pod) => {
    if (pod.ip !== undefined) return pod;
    let ip = formatIp(range.family, next);
    while (taken.has(ip)) { next++; ip = formatIp(range.family, next); }
    if (next - range.parsed.network >= size) return pod; // range exhausted: leave the pod without an IP
    taken.add(ip);
    next++;
    return { ...pod, ip };
  });
  return { ...cluster, pods };
}

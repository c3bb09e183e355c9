/**
 * Assembles the cluster model that a cdk8s app's intents are checked against: the workloads of the app
 * (cdk8s-plus and L1 objects, by their synthesized manifests), workloads declared for things deployed
 * elsewhere, inventory files, the namespaces of the charts, kube-dns, and the externals that constructs
 * imply. The dataplane comes from the charts' cluster profile.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ClusterProfile } from '../constructs/cluster-profile';
import { impliedExternalsOf, PolicyChart, policiesOf } from '../constructs/policy-chart';
import { NetproofError } from '../errors';
import { DeclaredExternal } from './declared-external';
import { DeclaredWorkload } from './declared-workload';
import { Inventory } from './inventory';
import { formatIp } from '../model/cidr';
import { ClusterModel, Dataplane, DEFAULT_NETWORK, ExternalModel, PodModel } from '../model/cluster';
import { NAMESPACE_NAME_LABEL, PolicyModel } from '../model/policy';
import { compareStrings, Labels } from '../model/selector';
import { clusterFromManifests } from '../parse/cluster';
import { SkippedObject } from '../parse/skipped';

/** Where `internet` stands in the model: a public address outside every private range. */
export const INTERNET_EXTERNAL: ExternalModel = Object.freeze({ name: 'internet', ip: '203.0.113.10' });

/** The kube-dns pod assumed when the app and inventories have none (GKE's labels and ports). */
export const KUBE_DNS_POD: PodModel = Object.freeze({
  namespace: 'kube-system',
  name: 'kube-dns',
  labels: Object.freeze({ 'k8s-app': 'kube-dns' }),
  ports: Object.freeze([
    Object.freeze({ name: 'dns', port: 53, protocol: 'UDP' as const }),
    Object.freeze({ name: 'dns-tcp', port: 53, protocol: 'TCP' as const }),
  ]),
  networks: Object.freeze(['default']),
});

export interface ClusterFacts {
  /** `default` and every Pod-network some chart's profile declares, sorted. */
  readonly podNetworks: readonly string[];
  /** Pod and Service ranges of every chart's profile, canonical, sorted, de-duplicated. */
  readonly podCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
}

export interface AppModel {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  /**
   * The cluster profile of the app: the first PolicyChart's (undefined when there is none). Every chart
   * must agree on the dataplane and the GKE version; see `facts` for what is merged across charts.
   */
  readonly profile?: ClusterProfile;
  /** Cluster facts merged over every PolicyChart's profile (charts may each declare only part of them). */
  readonly facts: ClusterFacts;
  /** Objects of the app that are neither workloads nor namespaces (Services, ...), for lints. */
  readonly skipped: readonly SkippedObject[];
  /** The synthesized manifests of every chart, in chart order (for lints that read Services and Ingresses). */
  readonly manifests: readonly unknown[];
}

/** Builds the verification model of the app that contains `scope`. */
export function modelOfApp(scope: IConstruct): AppModel {
  const root = scope.node.root;
  const all = root.node.findAll();
  const charts = all.filter((c): c is Chart => Chart.isChart(c));
  const policyCharts = charts.filter(PolicyChart.isPolicyChart) as PolicyChart[];
  const profile = sharedProfile(policyCharts);

  // Object by object: Chart.toJson() would run the app's validations, which is where we are called from.
  const manifests: unknown[] = all.filter((c): c is ApiObject => ApiObject.isApiObject(c)).map((o) => o.toJson());
  const fromApp = clusterFromManifests(manifests, `app ${root.node.path || 'app'}`);

  const parts: ClusterModel[] = [fromApp.cluster];
  for (const c of all) {
    if (c instanceof DeclaredWorkload || c instanceof DeclaredExternal) parts.push(c._cluster());
    if (c instanceof Inventory) parts.push(c.cluster);
  }
  const namespaces: Record<string, Labels> = {};
  for (const chart of policyCharts) namespaces[chart.namespace] = { [NAMESPACE_NAME_LABEL]: chart.namespace };
  const externals = impliedExternalsOf(root).map((e): ExternalModel => ({ name: e.name, ip: e.ip, hostname: e.hostname, source: e.source }));
  externals.push(INTERNET_EXTERNAL);
  parts.push({ namespaces, pods: [], externals });
  let cluster = mergeClusters(parts);
  if (!cluster.pods.some((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns')) {
    cluster = mergeClusters([cluster, { namespaces: { 'kube-system': { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, pods: [KUBE_DNS_POD], externals: [] }]);
  }
  cluster = assignPodIps(cluster, profile);
  const union = (f: (p: ClusterProfile) => readonly unknown[]) =>
    [...new Set(policyCharts.flatMap((c) => f(c.profile).map(String)))].sort(compareStrings);
  const facts: ClusterFacts = {
    podNetworks: [...new Set([DEFAULT_NETWORK, ...union((p) => p.podNetworks)])].sort(compareStrings),
    podCidrs: union((p) => p.podCidrs),
    serviceCidrs: union((p) => p.serviceCidrs),
  };
  return { policies: policiesOf(root), cluster, dataplane: profile?.dataplane ?? 'upstream', profile, facts, skipped: fromApp.skipped, manifests };
}

function sharedProfile(charts: readonly PolicyChart[]): ClusterProfile | undefined {
  const first = charts[0]?.profile;
  for (const chart of charts) {
    if (chart.profile.dataplane !== first!.dataplane) {
      throw new NetproofError(`PolicyChart ${chart.node.path}`, `its cluster profile has dataplane "${chart.profile.dataplane}", but PolicyChart ${charts[0].node.path} has "${first!.dataplane}"; one app describes one cluster. Give every PolicyChart of the app the same ClusterProfile`);
    }
    const [a, b] = [String(chart.profile.gkeVersion ?? ''), String(first!.gkeVersion ?? '')];
    if (a && b && a !== b) {
      throw new NetproofError(`PolicyChart ${chart.node.path}`, `its cluster profile has GKE version ${a}, but PolicyChart ${charts[0].node.path} has ${b}; one app describes one cluster. Give every PolicyChart of the app the same ClusterProfile`);
    }
  }
  return first;
}

/** Merges cluster models: namespaces' labels must agree, pod ids and external names must be unique unless identical. */
export function mergeClusters(parts: readonly ClusterModel[]): ClusterModel {
  const namespaces = new Map<string, Labels>();
  const pods = new Map<string, PodModel>();
  const externals = new Map<string, ExternalModel>();
  for (const part of parts) {
    for (const [name, labels] of Object.entries(part.namespaces)) {
      const had = namespaces.get(name);
      namespaces.set(name, had ? mergeLabels(name, had, labels) : labels);
    }
    for (const pod of part.pods) {
      const id = `${pod.namespace}/${pod.name}`;
      const had = pods.get(id);
      if (had && JSON.stringify(strip(had)) !== JSON.stringify(strip(pod))) {
        throw new NetproofError('cluster model', `pod ${id} is described twice, differently (${where(had)} and ${where(pod)}). Keep one description, or rename one workload`);
      }
      pods.set(id, had ?? pod);
      if (!namespaces.has(pod.namespace)) namespaces.set(pod.namespace, { [NAMESPACE_NAME_LABEL]: pod.namespace });
    }
    for (const e of part.externals) {
      const had = externals.get(e.name);
      if (had && (had.ip !== e.ip || had.hostname !== e.hostname)) {
        throw new NetproofError('cluster model', `external ${e.name} is described twice, with ${had.ip} and ${e.ip}. Give the externals different names`);
      }
      externals.set(e.name, had ?? e);
    }
  }
  const nsOut: Record<string, Labels> = {};
  for (const k of [...namespaces.keys()].sort(compareStrings)) nsOut[k] = namespaces.get(k)!;
  return {
    namespaces: nsOut,
    pods: [...pods.keys()].sort(compareStrings).map((k) => pods.get(k)!),
    externals: [...externals.keys()].sort(compareStrings).map((k) => externals.get(k)!),
  };
}

function mergeLabels(ns: string, a: Labels, b: Labels): Labels {
  for (const k of Object.keys(b)) {
    if (a[k] !== undefined && a[k] !== b[k]) {
      throw new NetproofError('cluster model', `namespace ${ns} has label ${k}="${a[k]}" in one input and "${b[k]}" in another. Make the inputs agree`);
    }
  }
  return { ...a, ...b };
}

function strip(p: PodModel): unknown {
  return { labels: p.labels, ports: p.ports, networks: p.networks, ip: p.ip };
}

function where(p: PodModel): string {
  const s = p.source;
  if (!s) return 'the app';
  return s.constructPath ?? `${s.file ?? ''}${s.index !== undefined ? `#${s.index}` : ''}`;
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

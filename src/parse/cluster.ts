/**
 * Cluster input: the cluster model file of DESIGN.md (YAML or JSON), Kubernetes `List`s of Namespace
 * and Pod objects (`kubectl get namespaces,pods -A -o json`), and workload manifests (one representative
 * pod per Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, named after
 * the workload). Documents of one input are merged; output order is deterministic (namespaces, pods by id,
 * externals by name). Other kinds are returned as skipped objects.
 *
 * `kubectl get all -o json` holds a Deployment, its ReplicaSets and their Pods: each workload whose controller
 * (the `ownerReferences` entry with `controller: true`) is a workload of the input is skipped (a ReplicaSet
 * under its Deployment, a Job under its CronJob), and a workload whose running Pods are in the input (directly
 * or through its ReplicaSet, also when only the ReplicaSet's name `<deployment>-<pod-template-hash>` says so)
 * gets no representative pod: the Pods stand for it. Both are reported as skipped.
 *
 * A workload's representative pod is named after it. When that id is taken (a Pod, or a workload of another
 * kind with the same name: valid Kubernetes), it is named `<name>.<kind>` (`db.statefulset`); the first
 * workload kind of WORKLOAD_TEMPLATES keeps the plain name, so the result does not depend on input order.
 *
 * Two pods sharing a network with the same IP, or an external with a pod's IP, are an error: an ipBlock
 * could not tell them apart, so any answer about either would be wrong for the other.
 */
import { Fix } from '../errors';
import { Cursor, isPlainObject, ManifestDocument, objectDocuments, parseManifestText } from './_documents';
import { KubeObject, kubeObjects, parseLabels, skippedOf } from './_objects';
import { FileText } from './files';
import { cutText, describeValue, ParseFix } from './messages';
import { parseSelector } from './policies';
import { SkippedObject } from './skipped';
import { formatIp, isCanonicalIpv4, parseCidr, parseIp } from '../model/cidr';
import { ClusterModel, ContainerPortModel, DEFAULT_NETWORK, ExternalModel, NodeModel, PodModel, SECOND_REPLICA_SUFFIX } from '../model/cluster';
import { NAMESPACE_NAME_LABEL, SourceRef } from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings, describeSelector, Labels, LabelSelectorModel, makeSelector, matchesLabels } from '../model/selector';
import {
  checkDns1123Label, checkDns1123Subdomain, checkFqdnName, checkLabelKey, checkLabelValue, checkPortName, checkPortNumber,
} from '../model/validate';

/** A cluster model and the objects of the input that were not modelled (Services, ConfigMaps, ...). */
export interface ClusterInput {
  readonly cluster: ClusterModel;
  readonly skipped: readonly SkippedObject[];
  /**
   * Pods whose `status.podIPs` also lists an address of the other IP family. The model knows a pod by one
   * address (`status.podIP`), so an ipBlock of the other family is taken not to match it; the CLI notes it.
   */
  readonly dualStack: readonly DualStackPod[];
}

/** A dual-stack pod: its id, the address modelled (podIP) and the one left out. */
export interface DualStackPod {
  readonly id: string;
  readonly modelled: string;
  readonly other: string;
}

/** GKE multi-network: the Pod annotation listing the pod's interfaces and their Pod-networks. */
export const INTERFACES_ANNOTATION = 'networking.gke.io/interfaces';

/**
 * Host-network pods use the node's network namespace: NetworkPolicies do not select them, and their traffic
 * is node traffic, so they are not modelled as pods.
 */
export const HOST_NETWORK_REASON = 'host network: NetworkPolicies do not apply to it; its traffic is node traffic';

/** Workload kinds read as one representative pod each, and where their pod template is. */
/** Workload kinds in naming priority order (see the module comment). */
const WORKLOAD_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  'apps/v1 Deployment': ['spec', 'template'],
  'apps/v1 StatefulSet': ['spec', 'template'],
  'apps/v1 DaemonSet': ['spec', 'template'],
  'apps/v1 ReplicaSet': ['spec', 'template'],
  'v1 ReplicationController': ['spec', 'template'],
  'batch/v1 Job': ['spec', 'template'],
  'batch/v1 CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** `replicaOf` of a model-file pod: the first replica's name, when the pod is named `<it>#2`. */
function modelReplicaOf(at: Cursor, name: string): string | undefined {
  if (at.isAbsent) return undefined;
  const first = at.string(ParseFix.podName);
  if (name !== `${first}${SECOND_REPLICA_SUFFIX}`) {
    throw at.error(`replicaOf ${describeValue(first)} does not go with name ${describeValue(name)}`, `Name the second replica of pod "${first}" "${first}${SECOND_REPLICA_SUFFIX}", or remove replicaOf`);
  }
  return first;
}

/** Parses one cluster file's text (model file, List, or workload manifests). */
export function parseCluster(text: string, file: string): ClusterInput {
  return clusterFromDocuments(parseManifestText(text, file));
}

/** Parses and merges several files (e.g. a directory's, sorted). */
export function clusterFromFiles(files: readonly FileText[]): ClusterInput {
  return clusterFromDocuments(files.flatMap((f) => parseManifestText(f.text, f.path)));
}

/** Parses in-memory objects: cluster model maps, Lists, Namespaces, Pods, workloads. */
export function clusterFromManifests(objects: readonly unknown[], label = 'manifests'): ClusterInput {
  return clusterFromDocuments(objectDocuments(objects, label));
}

/**
 * Parses located documents. `quick: false` (tests) reads every model-file pod through the cursor path, which the
 * quick path must agree with.
 */
export function clusterFromDocuments(docs: readonly ManifestDocument[], options: { readonly quick?: boolean } = {}): ClusterInput {
  const builder = new ClusterBuilder(options.quick ?? true);
  const skipped: { seq: number; object: SkippedObject }[] = [];
  let seq = 0;
  for (const doc of docs) {
    if (isPlainObject(doc.value) && !('kind' in doc.value) && !('apiVersion' in doc.value)) {
      builder.modelFile(Cursor.root(doc));
      continue;
    }
    for (const obj of kubeObjects(doc)) {
      const skip = builder.kubeObject(obj, seq);
      if (skip) skipped.push({ seq, object: skippedOf(obj, skip.reason) });
      seq++;
    }
  }
  const built = builder.build();
  for (const s of built.skipped) skipped.push(s);
  // Input order: the objects the build leaves out take their place among the others.
  return { cluster: built.cluster, skipped: skipped.sort((a, b) => a.seq - b.seq).map((s) => s.object), dualStack: builder.dualStack };
}

/** An `ownerReferences` entry with `controller: true`. */
interface ControllerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
}

/** A pod before names and owners are resolved: a model-file pod, a Pod object, or a workload's representative. */
interface PendingPod {
  readonly pod: PodModel;
  /** Where duplicate-id errors point (the name, or the model-file entry). */
  readonly at: Cursor;
  /** The IP field, when the pod has an IP. */
  readonly ipAt?: Cursor;
  /** The Kubernetes object: absent for model-file pods. */
  readonly object?: PendingObject;
  /** How many pods of a workload run at once (2 stands for 2 or more). */
  readonly replicas?: number;
}

/** The Kubernetes object behind a pending pod: its input position, kind, uid and controller. */
interface PendingObject {
  readonly obj: KubeObject;
  readonly seq: number;
  readonly kind: string;
  readonly uid?: string;
  readonly controller?: ControllerRef;
}

class ClusterBuilder {
  private readonly namespaces = new Map<string, { labels: Labels; at?: Cursor }>();
  private readonly pods = new Map<string, { pod: PodModel; at: Cursor }>();
  /** Model-file pods and Pod objects, in input order. */
  private readonly realPods: PendingPod[] = [];
  /** Workloads' representative pods, in input order. */
  private readonly workloads: (PendingPod & { readonly replicas: number })[] = [];
  private readonly externals = new Map<string, { external: ExternalModel; at: Cursor }>();
  private readonly podCidrs = new Set<string>();
  private readonly nodes = new Map<string, { node: NodeModel; at: Cursor }>();
  /** Pods with a second address (dual-stack), in input order. */
  public readonly dualStack: DualStackPod[] = [];
  private readonly quick: QuickPods | undefined;

  constructor(quick: boolean) {
    this.quick = quick ? new QuickPods() : undefined;
  }

  public modelFile(root: Cursor): void {
    root.map(['namespaces', 'pods', 'externals', 'podCidrs', 'nodes']);
    for (const c of root.child('podCidrs').list()) {
      const text = c.string(Fix.cidr);
      const parsed = parseCidr(text);
      if (!parsed.ok) throw c.error(`invalid CIDR ${describeValue(text)}: ${parsed.reason}`, Fix.cidr);
      if (parsed.value.hostBitsSet) throw c.error(`CIDR ${describeValue(text)} has host bits set`, Fix.cidrHostBits(parsed.value.canonical));
      this.podCidrs.add(parsed.value.canonical);
    }
    const nsAt = root.child('namespaces');
    for (const name of Object.keys(nsAt.optionalMap()).sort(compareStrings)) {
      const at = nsAt.child(name);
      at.check(name, checkDns1123Label(name), Fix.dns1123Label);
      this.addNamespace(at, name, parseLabels(at));
    }
    for (const p of root.child('pods').list()) this.modelPod(p);
    for (const e of root.child('externals').list()) this.modelExternal(e);
    for (const n of root.child('nodes').list()) this.modelNode(n);
  }

  /** A model-file node: `{name, labels?, ips}` (the addresses ClusterNetworkPolicy `nodes` peers match). */
  private modelNode(at: Cursor): void {
    at.map(['name', 'labels', 'ips']);
    const nameAt = at.child('name');
    if (nameAt.isAbsent) throw nameAt.error('missing name', ParseFix.nodeName);
    const name = nameAt.string(ParseFix.nodeName);
    nameAt.check(name, checkDns1123Subdomain(name), Fix.dns1123Subdomain);
    const ipsAt = at.child('ips');
    const ips = ipsAt.list().map((c) => parseIpField(c)!);
    if (ips.length === 0) throw ipsAt.error('a node needs at least one address', ParseFix.nodeIps);
    this.addNode(nameAt, { name, labels: parseLabels(at.child('labels')), ips, source: sourceOf(at, undefined) });
  }

  private addNode(at: Cursor, node: NodeModel): void {
    const prev = this.nodes.get(node.name);
    if (prev) throw at.error(`node "${node.name}" is declared twice (first at ${prev.at.where})`, ParseFix.duplicateNode);
    this.nodes.set(node.name, { node, at });
  }

  /** Adds the object to the model, or says why not (no reason: a kind the cluster model does not use). */
  public kubeObject(obj: KubeObject, seq: number): { reason?: string } | undefined {
    const { cursor, apiVersion, kind } = obj;
    if (apiVersion === 'v1' && kind === 'Node') {
      // What `kubectl get nodes -o json` prints: labels, and status.addresses (InternalIP, ExternalIP).
      const meta = cursor.child('metadata');
      const nameAt = meta.child('name');
      if (nameAt.isAbsent) throw nameAt.error('missing metadata.name', ParseFix.nodeName);
      const name = nameAt.string(ParseFix.nodeName);
      nameAt.check(name, checkDns1123Subdomain(name), Fix.dns1123Subdomain);
      const ips: string[] = [];
      for (const a of cursor.child('status').child('addresses').list()) {
        a.map();
        const type = a.child('type').optionalString(ParseFix.string);
        if (type === 'InternalIP' || type === 'ExternalIP') ips.push(parseIpField(a.child('address'))!);
      }
      this.addNode(nameAt, { name, labels: parseLabels(meta.child('labels')), ips, source: sourceOf(cursor, obj.item) });
      return undefined;
    }
    if (apiVersion === 'v1' && kind === 'Namespace') {
      const meta = cursor.child('metadata');
      const nameAt = meta.child('name');
      if (nameAt.isAbsent) throw nameAt.error('missing metadata.name', Fix.dns1123Label);
      const name = nameAt.string(Fix.dns1123Label);
      nameAt.check(name, checkDns1123Label(name), Fix.dns1123Label);
      this.addNamespace(cursor, name, parseLabels(meta.child('labels')));
      return undefined;
    }
    if (apiVersion === 'v1' && kind === 'Pod') {
      const status = cursor.child('status');
      status.optionalMap();
      const phase = status.child('phase').optionalString(ParseFix.phase);
      if (phase === 'Succeeded' || phase === 'Failed') return { reason: `not running: phase ${phase}` };
      cursor.child('spec').optionalMap();
      if (hostNetwork(cursor.child('spec'))) return { reason: HOST_NETWORK_REASON };
      this.realPods.push(this.kubePod(cursor, cursor, { obj, seq, kind }));
      return undefined;
    }
    const templatePath = WORKLOAD_TEMPLATES[`${apiVersion} ${kind}`];
    if (templatePath) {
      let template = cursor;
      for (const seg of templatePath) {
        // Every step to the template is a map, as the API server decodes it (`spec: "garbage"` is no workload).
        if (!template.isAbsent) template.map();
        template = template.child(seg);
      }
      if (template.isAbsent) throw template.error(`${kind} has no pod template`, `Give the ${kind} a ${templatePath.join('.')} with metadata.labels and containers`);
      template.map();
      template.child('spec').optionalMap();
      checkTemplateSelector(cursor, template, kind, templatePath);
      if (hostNetwork(template.child('spec'))) return { reason: HOST_NETWORK_REASON };
      this.workloads.push({ ...this.kubePod(cursor, template, { obj, seq, kind }), replicas: replicasOf(cursor, kind) });
      return undefined;
    }
    return {};
  }

  private addNamespace(at: Cursor, name: string, labels: Labels): void {
    const implied = labels[NAMESPACE_NAME_LABEL];
    if (implied !== undefined && implied !== name) {
      throw at.error(`label ${NAMESPACE_NAME_LABEL}=${implied} differs from the namespace name "${name}"`, ParseFix.impliedLabel(name));
    }
    const full = sortLabels({ ...labels, [NAMESPACE_NAME_LABEL]: name });
    const prev = this.namespaces.get(name);
    if (prev?.at && JSON.stringify(prev.labels) !== JSON.stringify(full)) {
      throw at.error(`namespace "${name}" is declared again with different labels (first at ${prev.at.where})`, ParseFix.duplicateNamespace);
    }
    // A namespace only implied by an earlier pod takes the declaration's labels.
    if (!prev?.at) this.namespaces.set(name, { labels: full, at });
  }

  private ensureNamespace(name: string): void {
    if (!this.namespaces.has(name)) this.namespaces.set(name, { labels: { [NAMESPACE_NAME_LABEL]: name } });
  }

  private modelPod(at: Cursor): void {
    // The quick path reads the common fields; a pod with serviceAccount or replicaOf takes the cursor path.
    const quick = this.quick?.modelPod(at.value, at.doc);
    if (quick !== undefined) {
      this.realPods.push(quick.ip !== undefined ? { pod: quick, at, ipAt: at.child('ip') } : { pod: quick, at });
      return;
    }
    at.map([...MODEL_POD_FIELDS, 'serviceAccount', 'replicaOf']);
    const nsAt = at.child('namespace');
    if (nsAt.isAbsent) throw nsAt.error('missing namespace', ParseFix.podNamespace);
    const namespace = nsAt.string(ParseFix.podNamespace);
    nsAt.check(namespace, checkDns1123Label(namespace), Fix.dns1123Label);
    const nameAt = at.child('name');
    if (nameAt.isAbsent) throw nameAt.error('missing name', ParseFix.podName);
    const name = nameAt.string(ParseFix.podName);
    // A workload's second replica (what netproof synth records): `web#2` with replicaOf `web`.
    const replicaOf = modelReplicaOf(at.child('replicaOf'), name);
    nameAt.check(name, checkDns1123Subdomain(replicaOf ?? name), Fix.dns1123Subdomain);
    const accountAt = at.child('serviceAccount');
    const serviceAccount = accountAt.optionalString(ParseFix.name);
    if (serviceAccount !== undefined) accountAt.check(serviceAccount, checkDns1123Subdomain(serviceAccount), Fix.dns1123Subdomain);
    const labels = parseLabels(at.child('labels'));
    const ip = parseIpField(at.child('ip'));
    const ports = at.child('ports').list().map((p) => {
      p.map(['name', 'port', 'protocol']);
      return containerPort(p, 'port');
    });
    checkPortNames(at.child('ports'), ports);
    const networksAt = at.child('networks');
    let networks: string[] = [DEFAULT_NETWORK];
    if (!networksAt.isAbsent) {
      const seen = new Set<string>();
      networks = networksAt.list().map((n) => {
        const v = n.string(ParseFix.network);
        n.check(v, checkDns1123Subdomain(v), ParseFix.network);
        if (seen.has(v)) throw n.error(`network "${v}" is listed twice`, ParseFix.networks);
        seen.add(v);
        return v;
      });
      if (networks.length === 0) throw networksAt.error('a pod must be attached to at least one network', ParseFix.networks);
    }
    const pod: PodModel = {
      namespace,
      name,
      labels,
      ...(ip !== undefined ? { ip } : {}),
      ports,
      networks,
      ...(serviceAccount !== undefined ? { serviceAccount } : {}),
      ...(replicaOf !== undefined ? { replicaOf } : {}),
      source: sourceOf(at, undefined),
    };
    this.realPods.push({ pod, at, ...(ip !== undefined ? { ipAt: at.child('ip') } : {}) });
  }

  private modelExternal(at: Cursor): void {
    at.map(['name', 'ip', 'hostname']);
    const nameAt = at.child('name');
    if (nameAt.isAbsent) throw nameAt.error('missing name', ParseFix.externalName);
    const name = nameAt.string(ParseFix.externalName);
    if (name.length === 0 || /[/\s]/.test(name)) throw nameAt.error(`external name ${describeValue(name)} is empty or contains "/" or spaces`, ParseFix.externalName);
    const ipAt = at.child('ip');
    if (ipAt.isAbsent) throw ipAt.error('missing ip', ParseFix.ip);
    const ip = parseIpField(ipAt)!;
    const hostAt = at.child('hostname');
    const hostname = hostAt.optionalString(Fix.fqdn);
    if (hostname !== undefined) hostAt.check(hostname, checkFqdnName(hostname), Fix.fqdn);
    const prev = this.externals.get(name);
    if (prev) throw nameAt.error(`external "${name}" is declared twice (first at ${prev.at.where})`, ParseFix.duplicateExternal);
    this.externals.set(name, {
      external: { name, ip, ...(hostname !== undefined ? { hostname } : {}), source: sourceOf(at, undefined) },
      at,
    });
  }

  /** A Pod object, or a workload's pod template (`object` = the Pod or the workload, `template` = its pod spec holder). */
  private kubePod(object: Cursor, template: Cursor, origin: { obj: KubeObject; seq: number; kind: string }): PendingPod {
    const meta = object.child('metadata');
    const nameAt = meta.child('name');
    if (nameAt.isAbsent) throw nameAt.error('missing metadata.name', ParseFix.podName);
    const name = nameAt.string(ParseFix.podName);
    nameAt.check(name, checkDns1123Subdomain(name), Fix.dns1123Subdomain);
    const nsAt = meta.child('namespace');
    const namespace = nsAt.optionalString(Fix.dns1123Label) ?? 'default';
    nsAt.check(namespace, checkDns1123Label(namespace), Fix.dns1123Label);
    const tmeta = template.child('metadata');
    tmeta.optionalMap();
    const labels = parseLabels(tmeta.child('labels'));
    tmeta.child('annotations').optionalMap();
    const networks = podNetworks(tmeta.child('annotations').child(INTERFACES_ANNOTATION));
    const spec = template.child('spec');
    spec.optionalMap();
    const ports = containerPorts(spec);
    const ipAt = object.child('status').child('podIP');
    const ip = object === template ? parseIpField(ipAt) : undefined;
    if (object === template) this.checkPodIps(object, ip, `${namespace}/${name}`);
    const uidAt = meta.child('uid');
    const uid = uidAt.optionalString(ParseFix.uid);
    const controller = controllerOf(meta.child('ownerReferences'));
    const accountAt = spec.child('serviceAccountName').isAbsent ? spec.child('serviceAccount') : spec.child('serviceAccountName');
    const serviceAccount = accountAt.optionalString(ParseFix.name);
    return {
      pod: {
        namespace,
        name,
        labels,
        ...(ip !== undefined ? { ip } : {}),
        ports,
        networks,
        ...(serviceAccount !== undefined ? { serviceAccount } : {}),
        source: sourceOf(object, origin.obj.item),
      },
      at: nameAt,
      ...(ip !== undefined ? { ipAt } : {}),
      object: { ...origin, ...(uid !== undefined ? { uid } : {}), ...(controller ? { controller } : {}) },
    };
  }

  /**
   * `status.podIPs` as the API server validates it: at most two valid IPs, one per family, the first equal
   * to `status.podIP`. The pod is modelled by one address (podIP); a second one is remembered for a note.
   */
  private checkPodIps(object: Cursor, ip: string | undefined, id: string): void {
    const at = object.child('status').child('podIPs');
    const entries = at.list();
    if (entries.length > 2) throw at.error(`lists ${entries.length} addresses`, ParseFix.podIps);
    const ips = entries.map((e) => {
      e.map();
      const v = parseIpField(e.child('ip'));
      if (v === undefined) throw e.child('ip').error('missing ip', ParseFix.podIps);
      return v;
    });
    if (ips.length === 2 && ips[0].includes(':') === ips[1].includes(':')) throw at.error(`lists two addresses of one IP family (${ips.join(', ')})`, ParseFix.podIps);
    if (ips.length > 0 && ip !== undefined && ips[0] !== ip) throw at.child(0).child('ip').error(`podIPs[0] is ${ips[0]} but podIP is ${ip}`, ParseFix.podIps);
    if (ips.length === 2) this.dualStack.push({ id, modelled: ips[0], other: ips[1] });
  }

  private addPod(at: Cursor, pod: PodModel): void {
    const id = `${pod.namespace}/${pod.name}`;
    const prev = this.pods.get(id);
    if (prev) throw at.error(`pod ${id} is declared twice (first at ${prev.at.where})`, ParseFix.duplicatePod);
    this.pods.set(id, { pod, at });
    this.ensureNamespace(pod.namespace);
  }

  public build(): { cluster: ClusterModel; skipped: { seq: number; object: SkippedObject }[] } {
    const skipped: { seq: number; object: SkippedObject }[] = [];
    for (const p of this.realPods) this.addPod(p.at, p.pod);
    const kept = this.resolveOwners(skipped);
    const rank = (p: PendingPod) => Object.keys(WORKLOAD_TEMPLATES).findIndex((k) => k.endsWith(` ${p.object!.kind}`));
    const byPriority = kept.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
    for (const w of byPriority) {
      const { namespace, name } = w.pod;
      const free = !this.pods.has(`${namespace}/${name}`);
      const pod = free ? w.pod : { ...w.pod, name: `${name}.${w.object!.kind.toLowerCase()}` };
      this.addPod(w.at, pod);
      // Two replicas are two pods: what one may send the other is a connection like any other.
      if ((w.replicas ?? 1) >= 2) this.addPod(w.at, { ...pod, name: `${pod.name}${SECOND_REPLICA_SUFFIX}`, replicaOf: pod.name });
    }
    this.checkIps([...this.realPods, ...kept]);
    const namespaces: Record<string, Labels> = {};
    for (const name of [...this.namespaces.keys()].sort(compareStrings)) namespaces[name] = this.namespaces.get(name)!.labels;
    const pods: PodModel[] = [];
    for (const v of this.pods.values()) pods.push(v.pod);
    const order = (a: PodModel, b: PodModel) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
    let sorted = true;
    for (let i = 1; i < pods.length && sorted; i++) sorted = order(pods[i - 1], pods[i]) < 0;
    if (!sorted) pods.sort(order);
    const externals = [...this.externals.keys()].sort(compareStrings).map((k) => this.externals.get(k)!.external);
    const podCidrs = [...this.podCidrs].sort(compareStrings);
    const nodes = [...this.nodes.keys()].sort(compareStrings).map((k) => this.nodes.get(k)!.node);
    return { cluster: { namespaces, pods, externals, ...(podCidrs.length ? { podCidrs } : {}), ...(nodes.length ? { nodes } : {}) }, skipped };
  }

  /**
   * The workloads that get a representative pod: not those controlled by another workload of the input,
   * nor those whose running Pods are in the input (directly, or through a workload they control).
   */
  private resolveOwners(skipped: { seq: number; object: SkippedObject }[]): PendingPod[] {
    const key = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;
    const byKey = new Map<string, PendingPod>();
    for (const w of this.workloads) {
      const k = key(w.pod.namespace, w.object!.kind, w.pod.name);
      const prev = byKey.get(k);
      if (prev) throw w.at.error(`${w.object!.kind} ${w.pod.namespace}/${w.pod.name} is declared twice (first at ${prev.at.where})`, ParseFix.duplicatePod);
      byKey.set(k, w);
    }
    const controllerIn = (p: PendingPod): PendingPod | undefined => {
      const c = p.object?.controller;
      if (!c) return undefined;
      const owner = byKey.get(key(p.pod.namespace, c.kind, c.name));
      // With both uids known they must agree (a same-named object from another cluster or an older generation is not the owner).
      if (!owner || (c.uid !== undefined && owner.object!.uid !== undefined && c.uid !== owner.object!.uid)) return undefined;
      return owner;
    };
    // A Deployment's ReplicaSet is named <deployment>-<pod-template-hash>: Pods find their Deployment even
    // when the ReplicaSet is not in the input (`kubectl get deployments,pods`).
    const viaReplicaSet = (p: PendingPod): PendingPod | undefined => {
      const c = p.object?.controller;
      const hash = p.pod.labels['pod-template-hash'];
      if (c?.kind !== 'ReplicaSet' || hash === undefined || !c.name.endsWith(`-${hash}`)) return undefined;
      return byKey.get(key(p.pod.namespace, 'Deployment', c.name.slice(0, -hash.length - 1)));
    };
    const withPods = new Map<PendingPod, string[]>();
    for (const pod of this.realPods) {
      const first = controllerIn(pod) ?? viaReplicaSet(pod);
      for (let owner = first, depth = 0; owner && depth < 8; owner = controllerIn(owner), depth++) {
        const ids = withPods.get(owner);
        if (ids === undefined) withPods.set(owner, [`${pod.pod.namespace}/${pod.pod.name}`]); else ids.push(`${pod.pod.namespace}/${pod.pod.name}`);
      }
    }
    const kept: PendingPod[] = [];
    for (const w of this.workloads) {
      const o = w.object!;
      const owner = controllerIn(w);
      const pods = withPods.get(w);
      let reason: string | undefined;
      if (owner) {
        reason = `controlled by ${owner.object!.kind} ${owner.pod.namespace}/${owner.pod.name} of the input, which stands for its pods`;
      } else if (pods) {
        const shown = pods.slice(0, 3).join(', ');
        reason = `its running Pods are in the input (${shown}${pods.length > 3 ? ` and ${pods.length - 3} more` : ''}) and are modelled instead of a representative pod`;
      }
      if (reason === undefined) kept.push(w);
      else skipped.push({ seq: o.seq, object: skippedOf(o.obj, reason) });
    }
    return kept;
  }

  /** Fails when two pods sharing a network, or an external and a pod, have the same IP. */
  private checkIps(pending: readonly PendingPod[]): void {
    // The first pod per IP, and the list only for IPs that more than one pod has (on different networks).
    const first = new Map<string, PendingPod>();
    const more = new Map<string, PendingPod[]>();
    for (const p of pending) {
      if (p.pod.ip === undefined) continue;
      const one = first.get(p.pod.ip);
      if (one === undefined) {
        first.set(p.pod.ip, p);
        continue;
      }
      const same = more.get(p.pod.ip) ?? [one];
      const clash = same.find((q) => q.pod.networks.some((n) => p.pod.networks.includes(n)));
      if (clash) {
        const network = clash.pod.networks.find((n) => p.pod.networks.includes(n))!;
        throw p.ipAt!.error(
          `pod ${p.pod.namespace}/${p.pod.name} has IP ${p.pod.ip}, which pod ${clash.pod.namespace}/${clash.pod.name} also has on network ${network} (at ${clash.ipAt!.where} ${clash.ipAt!.field})`,
          ParseFix.duplicatePodIp);
      }
      same.push(p);
      more.set(p.pod.ip, same);
    }
    for (const { external, at } of this.externals.values()) {
      const pod = first.get(external.ip);
      if (pod) {
        throw at.child('ip').error(
          `external "${external.name}" has IP ${external.ip}, which is pod ${pod.pod.namespace}/${pod.pod.name}'s (at ${pod.ipAt!.where} ${pod.ipAt!.field})`,
          ParseFix.externalPodIp);
      }
    }
  }
}

/**
 * How many pods of a workload run at the same time: `spec.replicas` (default 1) of Deployments,
 * StatefulSets, ReplicaSets and ReplicationControllers; `parallelism` (default 1) of Jobs and of a
 * CronJob's job template; a DaemonSet runs one per node, so at least two.
 */
function replicasOf(object: Cursor, kind: string): number {
  const count = (at: Cursor, fallback: number): number => {
    const v = at.value;
    if (at.isAbsent) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw at.error(`expected a whole number of pods, got ${at.described}`, 'Write a number such as 3');
    return v;
  };
  switch (kind) {
    case 'DaemonSet': return 2;
    case 'Job': return count(object.child('spec').child('parallelism'), 1);
    case 'CronJob': return count(object.child('spec').child('jobTemplate').child('spec').child('parallelism'), 1);
    default: return count(object.child('spec').child('replicas'), 1);
  }
}

/** The `ownerReferences` entry with `controller: true` (Kubernetes allows at most one); each entry is checked. */
function controllerOf(at: Cursor): ControllerRef | undefined {
  let found: ControllerRef | undefined;
  for (const ref of at.list()) {
    ref.map();
    const kind = ref.child('kind').string(ParseFix.ownerReference);
    const name = ref.child('name').string(ParseFix.ownerReference);
    const uid = ref.child('uid').optionalString(ParseFix.ownerReference);
    const controllerAt = ref.child('controller');
    if (!controllerAt.isAbsent && typeof controllerAt.value !== 'boolean') throw controllerAt.error(`expected true or false, got ${controllerAt.described}`, ParseFix.boolean);
    if (controllerAt.value !== true) continue;
    if (found) throw controllerAt.error('a second ownerReference has controller: true', ParseFix.oneController);
    found = { kind, name, ...(uid !== undefined ? { uid } : {}) };
  }
  return found;
}

/** `spec.hostNetwork`, which must be a boolean when given (the API server rejects "true"). */
function hostNetwork(spec: Cursor): boolean {
  const at = spec.child('hostNetwork');
  if (at.isAbsent) return false;
  if (typeof at.value !== 'boolean') throw at.error(`expected true or false, got ${at.described}`, ParseFix.boolean);
  return at.value;
}

/**
 * The container ports of a pod spec: of `containers`, and of the sidecars among `initContainers`
 * (`restartPolicy: Always`: they run beside the containers and serve on their ports). Other init
 * containers have finished before traffic flows. Names must be unique.
 */
function containerPorts(spec: Cursor): ContainerPortModel[] {
  const ports: ContainerPortModel[] = [];
  const read = (list: Cursor, sidecarsOnly: boolean) => {
    for (const c of list.list()) {
      c.map();
      // Newer Kubernetes versions take more restart policies per container; only an init container's Always makes a sidecar.
      const restart = c.child('restartPolicy').optionalString(ParseFix.restartPolicy);
      if (sidecarsOnly && restart !== 'Always') {
        c.child('ports').list().forEach((p) => containerPort(p, 'containerPort')); // validated, not modelled
        continue;
      }
      for (const p of c.child('ports').list()) ports.push(containerPort(p, 'containerPort'));
    }
  };
  read(spec.child('containers'), false);
  read(spec.child('initContainers'), true);
  checkPortNames(spec.child('containers'), ports);
  return ports;
}

/**
 * A workload's selector (`spec.selector`, a LabelSelector; a plain label map for a ReplicationController;
 * the job template's for a CronJob) must select its template's labels, as the API server requires.
 */
function checkTemplateSelector(object: Cursor, template: Cursor, kind: string, templatePath: readonly string[]): void {
  let holder = object;
  for (const seg of templatePath.slice(0, -1)) holder = holder.child(seg);
  const at = holder.child('selector');
  if (at.isAbsent) return;
  let selector: LabelSelectorModel;
  if (kind === 'ReplicationController') {
    selector = makeSelector(parseLabels(at));
  } else {
    selector = parseSelector(at);
    if (selector.matchExpressions.length === 0 && Object.keys(selector.matchLabels).length === 0 && kind !== 'Job' && kind !== 'CronJob') {
      throw at.error(`the ${kind}'s selector is empty`, ParseFix.emptySelector);
    }
  }
  const labelsAt = template.child('metadata').child('labels');
  const labels = parseLabels(labelsAt);
  if (!matchesLabels(selector, labels)) {
    const shown = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';
    throw labelsAt.error(`the template's labels (${shown}) do not match the ${kind}'s selector (${describeSelector(selector)})`, ParseFix.selectorMismatch);
  }
}

function sortLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort(compareStrings)) out[k] = labels[k];
  return out;
}

function sourceOf(at: Cursor, item: number | undefined): SourceRef {
  return item !== undefined ? { file: at.doc.file, index: at.doc.index, item } : { file: at.doc.file, index: at.doc.index };
}

const MODEL_POD_FIELDS = ['namespace', 'name', 'labels', 'ip', 'ports', 'networks'];
const MODEL_POD_PORT_FIELDS = ['name', 'port', 'protocol'];

/**
 * Model-file pods read without cursors: the common, valid case of a large cluster file at the speed of the
 * plain data. Anything unusual (a wrong type, an invalid value, an unknown field) returns undefined, and the
 * cursor path reads the pod again and reports exactly what is wrong; so both give one result, and every
 * message comes from one place. Validations are remembered per distinct string.
 */
class QuickPods {
  private readonly labelKeys = new Map<string, boolean>();
  private readonly labelValues = new Map<string, boolean>();
  private readonly dnsLabels = new Map<string, boolean>();
  private readonly subdomains = new Map<string, boolean>();
  private readonly portNames = new Map<string, boolean>();
  private readonly sources = new Map<ManifestDocument, SourceRef>();
  private readonly shared = new Map<string, object>();
  /** One `[default]` for every pod without networks (models are read-only). */
  private readonly defaultNetworks: readonly string[] = [DEFAULT_NETWORK];

  // Plain loops and literals, no object spread, destructuring or for-in: several times faster on large inputs.
  public modelPod(v: unknown, doc: ManifestDocument): PodModel | undefined {
    if (!isPlainObject(v) || !onlyFields(v, MODEL_POD_FIELDS)) return undefined;
    const namespace = v.namespace;
    const name = v.name;
    if (typeof namespace !== 'string' || !valid(this.dnsLabels, namespace, checkDns1123Label)) return undefined;
    if (typeof name !== 'string' || checkDns1123Subdomain(name) !== undefined) return undefined;
    const labels = this.labels(v.labels);
    if (labels === undefined) return undefined;
    const rawIp = v.ip;
    let ip: string | undefined;
    if (rawIp !== undefined && rawIp !== null) {
      if (typeof rawIp !== 'string') return undefined;
      if (isCanonicalIpv4(rawIp)) {
        ip = rawIp;
      } else {
        const parsed = parseIp(rawIp);
        if (!parsed.ok) return undefined;
        ip = formatIp(parsed.value.family, parsed.value.value);
      }
    }
    const rawPorts = v.ports;
    let ports: ContainerPortModel[] = [];
    if (rawPorts !== undefined && rawPorts !== null) {
      if (!Array.isArray(rawPorts)) return undefined;
      let text = '\u0002';
      for (let i = 0; i < rawPorts.length; i++) {
        const port = this.port(rawPorts[i]);
        if (port === undefined) return undefined;
        if (port.name !== undefined) for (let j = 0; j < i; j++) if (ports[j].name === port.name) return undefined;
        ports.push(port);
        text += `${port.name ?? ''}\u0000${port.port}\u0000${port.protocol}\u0001`;
      }
      const fresh = ports;
      ports = this.interned(text, () => fresh);
    } else {
      ports = this.interned('\u0002', () => []);
    }
    const rawNetworks = v.networks;
    let networks = this.defaultNetworks as string[];
    if (rawNetworks !== undefined && rawNetworks !== null) {
      if (!Array.isArray(rawNetworks) || rawNetworks.length === 0) return undefined;
      networks = [];
      for (const n of rawNetworks) {
        if (typeof n !== 'string' || !valid(this.subdomains, n, checkDns1123Subdomain) || networks.includes(n)) return undefined;
        networks.push(n);
      }
    }
    let source = this.sources.get(doc);
    if (source === undefined) {
      source = { file: doc.file, index: doc.index };
      this.sources.set(doc, source);
    }
    return ip !== undefined ? { namespace, name, labels, ip, ports, networks, source } : { namespace, name, labels, ports, networks, source };
  }

  private labels(raw: unknown): Labels | undefined {
    if (raw === undefined || raw === null) return this.interned('', () => ({}));
    if (!isPlainObject(raw)) return undefined;
    const keys = Object.keys(raw);
    if (keys.length > 1) keys.sort();
    let text = '';
    for (const key of keys) {
      const value = raw[key];
      if (typeof value !== 'string' || !valid(this.labelKeys, key, checkLabelKey) || !valid(this.labelValues, value, checkLabelValue)) return undefined;
      text += `${key}\u0000${value}\u0001`;
    }
    return this.interned(text, () => {
      const out: Record<string, string> = {};
      for (const key of keys) out[key] = raw[key] as string;
      return out;
    });
  }

  /**
   * One shared object per distinct label set (and port list): the replicas of a workload carry equal ones,
   * and a model is read-only, so 100,000 pods need a few thousand of these instead of 100,000 (memory, and
   * the engine, which projects each object once).
   */
  private interned<T extends object>(text: string, make: () => T): T {
    let found = this.shared.get(text) as T | undefined;
    if (found === undefined) {
      found = make();
      this.shared.set(text, found);
    }
    return found;
  }

  private port(raw: unknown): ContainerPortModel | undefined {
    if (!isPlainObject(raw) || !onlyFields(raw, MODEL_POD_PORT_FIELDS)) return undefined;
    const name = raw.name;
    const port = raw.port;
    const protocol = raw.protocol;
    if (typeof port !== 'number' || checkPortNumber(port) !== undefined) return undefined;
    let proto: Protocol = 'TCP';
    if (protocol !== undefined && protocol !== null) {
      if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) return undefined;
      proto = protocol as Protocol;
    }
    if (name === undefined || name === null) return { port, protocol: proto };
    if (typeof name !== 'string' || !valid(this.portNames, name, checkPortName)) return undefined;
    return { name, port, protocol: proto };
  }
}

/** Are all keys of `v` among `fields`? */
function onlyFields(v: Record<string, unknown>, fields: readonly string[]): boolean {
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) if (!fields.includes(keys[i])) return false;
  return true;
}

/** `check(value)` passes, remembered in `cache`. */
function valid(cache: Map<string, boolean>, value: string, check: (v: string) => string | undefined): boolean {
  let ok = cache.get(value);
  if (ok === undefined) {
    ok = check(value) === undefined;
    cache.set(value, ok);
  }
  return ok;
}

function parseIpField(at: Cursor): string | undefined {
  if (at.isAbsent) return undefined;
  const text = at.string(ParseFix.ip);
  const ip = parseIp(text);
  if (!ip.ok) throw at.error(`invalid IP address ${describeValue(text)}: ${ip.reason}`, ParseFix.ip);
  return formatIp(ip.value.family, ip.value.value);
}

/** A container port: `{name?, <portKey>, protocol = TCP}`. */
function containerPort(at: Cursor, portKey: 'port' | 'containerPort'): ContainerPortModel {
  at.map();
  const portAt = at.child(portKey);
  if (portAt.isAbsent) throw portAt.error(`missing ${portKey}`, Fix.port);
  const port = portAt.value;
  if (typeof port !== 'number') throw portAt.error(`${portKey} must be a number, got ${describeValue(port)}`, Fix.port);
  const bad = checkPortNumber(port);
  if (bad) throw portAt.error(bad, Fix.port);
  const protoAt = at.child('protocol');
  let protocol: Protocol = 'TCP';
  if (!protoAt.isAbsent) {
    const v = protoAt.value;
    if (typeof v !== 'string' || !(PROTOCOLS as readonly string[]).includes(v)) throw protoAt.error(`unsupported protocol ${describeValue(v)}`, ParseFix.protocol);
    protocol = v as Protocol;
  }
  const nameAt = at.child('name');
  const name = nameAt.optionalString(Fix.portName);
  if (name !== undefined) nameAt.check(name, checkPortName(name), Fix.portName);
  return name !== undefined ? { name, port, protocol } : { port, protocol };
}

function checkPortNames(at: Cursor, ports: readonly ContainerPortModel[]): void {
  const seen = new Set<string>();
  for (const p of ports) {
    if (p.name === undefined) continue;
    if (seen.has(p.name)) throw at.error(`port name "${p.name}" is used twice`, ParseFix.duplicatePortName);
    seen.add(p.name);
  }
}

/** Pod-networks from the GKE `networking.gke.io/interfaces` annotation; `['default']` without it. */
function podNetworks(at: Cursor): string[] {
  if (at.isAbsent) return [DEFAULT_NETWORK];
  const text = at.string(ParseFix.interfacesAnnotation);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw at.error(`annotation is not JSON: ${cutText((e as Error).message)}`, ParseFix.interfacesAnnotation);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw at.error(`annotation is not a non-empty JSON list: ${cutText(text.trim())}`, ParseFix.interfacesAnnotation);
  const networks: string[] = [];
  for (const entry of parsed) {
    const network = isPlainObject(entry) ? entry.network : undefined;
    if (typeof network !== 'string' || checkDns1123Subdomain(network) !== undefined) {
      throw at.error(`interface ${cutText(JSON.stringify(entry) ?? String(entry))} has no valid "network"`, ParseFix.interfacesAnnotation);
    }
    if (!networks.includes(network)) networks.push(network);
  }
  return networks;
}

/**
 * Cluster input: the cluster model file of DESIGN.md (YAML or JSON), Kubernetes `List`s of Namespace
 * and Pod objects (`kubectl get namespaces,pods -A -o json`), and workload manifests (one representative
 * pod per Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, named after
 * the workload). Documents of one input are merged; output order is deterministic (namespaces, pods by id,
 * externals by name). Other kinds are returned as skipped objects.
 */
import { Fix } from '../errors';
import { Cursor, isPlainObject, ManifestDocument, objectDocuments, parseManifestText } from './_documents';
import { KubeObject, kubeObjects, parseLabels, skippedOf } from './_objects';
import { FileText } from './files';
import { describeValue, ParseFix } from './messages';
import { SkippedObject } from './skipped';
import { formatIp, parseIp } from '../model/cidr';
import { ClusterModel, ContainerPortModel, DEFAULT_NETWORK, ExternalModel, PodModel } from '../model/cluster';
import { NAMESPACE_NAME_LABEL, SourceRef } from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings, Labels } from '../model/selector';
import { checkDns1123Label, checkDns1123Subdomain, checkFqdnName, checkPortName, checkPortNumber } from '../model/validate';

/** A cluster model and the objects of the input that were not modelled (Services, ConfigMaps, ...). */
export interface ClusterInput {
  readonly cluster: ClusterModel;
  readonly skipped: readonly SkippedObject[];
}

/** GKE multi-network: the Pod annotation listing the pod's interfaces and their Pod-networks. */
export const INTERFACES_ANNOTATION = 'networking.gke.io/interfaces';

/**
 * Host-network pods use the node's network namespace: NetworkPolicies do not select them, and their traffic
 * is node traffic, so they are not modelled as pods.
 */
export const HOST_NETWORK_REASON = 'host network: NetworkPolicies do not apply to it; its traffic is node traffic';

/** Workload kinds read as one representative pod each, and where their pod template is. */
const WORKLOAD_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  'apps/v1 Deployment': ['spec', 'template'],
  'apps/v1 StatefulSet': ['spec', 'template'],
  'apps/v1 DaemonSet': ['spec', 'template'],
  'apps/v1 ReplicaSet': ['spec', 'template'],
  'v1 ReplicationController': ['spec', 'template'],
  'batch/v1 Job': ['spec', 'template'],
  'batch/v1 CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

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

export function clusterFromDocuments(docs: readonly ManifestDocument[]): ClusterInput {
  const builder = new ClusterBuilder();
  const skipped: SkippedObject[] = [];
  for (const doc of docs) {
    if (isPlainObject(doc.value) && !('kind' in doc.value) && !('apiVersion' in doc.value)) {
      builder.modelFile(Cursor.root(doc));
      continue;
    }
    for (const obj of kubeObjects(doc)) {
      const skip = builder.kubeObject(obj);
      if (skip) skipped.push(skippedOf(obj, skip.reason));
    }
  }
  return { cluster: builder.build(), skipped };
}

class ClusterBuilder {
  private readonly namespaces = new Map<string, { labels: Labels; at?: Cursor }>();
  private readonly pods = new Map<string, { pod: PodModel; at: Cursor }>();
  private readonly externals = new Map<string, { external: ExternalModel; at: Cursor }>();

  public modelFile(root: Cursor): void {
    root.map(['namespaces', 'pods', 'externals']);
    const nsAt = root.child('namespaces');
    for (const name of Object.keys(nsAt.optionalMap()).sort(compareStrings)) {
      const at = nsAt.child(name);
      at.check(name, checkDns1123Label(name), Fix.dns1123Label);
      this.addNamespace(at, name, parseLabels(at));
    }
    for (const p of root.child('pods').list()) this.modelPod(p);
    for (const e of root.child('externals').list()) this.modelExternal(e);
  }

  /** Adds the object to the model, or says why not (no reason: a kind the cluster model does not use). */
  public kubeObject(obj: KubeObject): { reason?: string } | undefined {
    const { cursor, apiVersion, kind } = obj;
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
      const phase = cursor.child('status').child('phase').value;
      if (phase === 'Succeeded' || phase === 'Failed') return { reason: `not running: phase ${phase}` };
      if (cursor.child('spec').child('hostNetwork').value === true) return { reason: HOST_NETWORK_REASON };
      this.kubePod(cursor, cursor, obj.item);
      return undefined;
    }
    const templatePath = WORKLOAD_TEMPLATES[`${apiVersion} ${kind}`];
    if (templatePath) {
      let template = cursor;
      for (const seg of templatePath) template = template.child(seg);
      if (template.isAbsent) throw template.error(`${kind} has no pod template`, `Give the ${kind} a ${templatePath.join('.')} with metadata.labels and containers`);
      if (template.child('spec').child('hostNetwork').value === true) return { reason: HOST_NETWORK_REASON };
      this.kubePod(cursor, template, obj.item);
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
    at.map(['namespace', 'name', 'labels', 'ip', 'ports', 'networks']);
    const nsAt = at.child('namespace');
    if (nsAt.isAbsent) throw nsAt.error('missing namespace', ParseFix.podNamespace);
    const namespace = nsAt.string(ParseFix.podNamespace);
    nsAt.check(namespace, checkDns1123Label(namespace), Fix.dns1123Label);
    const nameAt = at.child('name');
    if (nameAt.isAbsent) throw nameAt.error('missing name', ParseFix.podName);
    const name = nameAt.string(ParseFix.podName);
    nameAt.check(name, checkDns1123Subdomain(name), Fix.dns1123Subdomain);
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
    this.addPod(at, { namespace, name, labels, ...(ip !== undefined ? { ip } : {}), ports, networks, source: sourceOf(at, undefined) });
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
  private kubePod(object: Cursor, template: Cursor, item: number | undefined): void {
    const meta = object.child('metadata');
    const nameAt = meta.child('name');
    if (nameAt.isAbsent) throw nameAt.error('missing metadata.name', ParseFix.podName);
    const name = nameAt.string(ParseFix.podName);
    nameAt.check(name, checkDns1123Subdomain(name), Fix.dns1123Subdomain);
    const nsAt = meta.child('namespace');
    const namespace = nsAt.optionalString(Fix.dns1123Label) ?? 'default';
    nsAt.check(namespace, checkDns1123Label(namespace), Fix.dns1123Label);
    const tmeta = template.child('metadata');
    const labels = parseLabels(tmeta.child('labels'));
    const networks = podNetworks(tmeta.child('annotations').child(INTERFACES_ANNOTATION));
    const spec = template.child('spec');
    const ports: ContainerPortModel[] = [];
    for (const c of spec.child('containers').list()) {
      for (const p of c.child('ports').list()) ports.push(containerPort(p, 'containerPort'));
    }
    checkPortNames(spec.child('containers'), ports);
    const ip = object === template ? parseIpField(object.child('status').child('podIP')) : undefined;
    this.addPod(nameAt, { namespace, name, labels, ...(ip !== undefined ? { ip } : {}), ports, networks, source: sourceOf(object, item) });
  }

  private addPod(at: Cursor, pod: PodModel): void {
    const id = `${pod.namespace}/${pod.name}`;
    const prev = this.pods.get(id);
    if (prev) throw at.error(`pod ${id} is declared twice (first at ${prev.at.where})`, ParseFix.duplicatePod);
    this.pods.set(id, { pod, at });
    this.ensureNamespace(pod.namespace);
  }

  public build(): ClusterModel {
    const namespaces: Record<string, Labels> = {};
    for (const name of [...this.namespaces.keys()].sort(compareStrings)) namespaces[name] = this.namespaces.get(name)!.labels;
    const pods = [...this.pods.values()].map((v) => v.pod).sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
    const externals = [...this.externals.keys()].sort(compareStrings).map((k) => this.externals.get(k)!.external);
    return { namespaces, pods, externals };
  }
}

function sortLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort(compareStrings)) out[k] = labels[k];
  return out;
}

function sourceOf(at: Cursor, item: number | undefined): SourceRef {
  return { file: at.doc.file, index: at.doc.index, ...(item !== undefined ? { item } : {}) };
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
  return { ...(name !== undefined ? { name } : {}), port, protocol };
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
    throw at.error(`annotation is not JSON: ${(e as Error).message}`, ParseFix.interfacesAnnotation);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw at.error(`annotation is not a non-empty JSON list: ${text.trim()}`, ParseFix.interfacesAnnotation);
  const networks: string[] = [];
  for (const entry of parsed) {
    const network = isPlainObject(entry) ? entry.network : undefined;
    if (typeof network !== 'string' || checkDns1123Subdomain(network) !== undefined) {
      throw at.error(`interface ${JSON.stringify(entry)} has no valid "network"`, ParseFix.interfacesAnnotation);
    }
    if (!networks.includes(network)) networks.push(network);
  }
  return networks;
}

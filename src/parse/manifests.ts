/**
 * Manifest facts: the Services, Ingresses and ServiceAccounts of an input, which the checks need beside
 * policies and pods (load-balanced pods and their health checks, Workload Identity). Read from the same
 * documents as policies and workloads; objects of other kinds are left to the other parsers.
 */
import { Cursor, ManifestDocument, objectDocuments, sourceOf } from './_documents';
import { KubeObject, kubeObjects, parseAnnotations, parseLabels } from './_objects';
import { describeValue, ParseFix } from './messages';
import { Fix } from '../errors';
import {
  IngressBackendModel, IngressModel, ManifestFacts, ServiceAccountModel, ServiceModel, ServicePortModel, ServiceType,
} from '../model/cluster';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings } from '../model/selector';
import { checkDns1123Label, checkPortName, checkPortNumber } from '../model/validate';

/** `apiVersion kind` of the objects read here. */
const KINDS = new Set(['v1 Service', 'networking.k8s.io/v1 Ingress', 'v1 ServiceAccount']);

/** Is this object one that manifest facts model (so it is not "skipped")? */
export function isManifestFactKind(apiVersion: string, kind: string): boolean {
  return KINDS.has(`${apiVersion} ${kind}`);
}

const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** The manifest facts of located documents (objects without a namespace are in `defaultNamespace`). */
export function manifestFactsFromDocuments(docs: readonly ManifestDocument[], defaultNamespace = 'default'): ManifestFacts {
  const services: ServiceModel[] = [];
  const ingresses: IngressModel[] = [];
  const serviceAccounts: ServiceAccountModel[] = [];
  for (const doc of docs) {
    if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value) || !('kind' in doc.value)) continue;
    for (const obj of kubeObjects(doc)) {
      if (!isManifestFactKind(obj.apiVersion, obj.kind)) continue;
      if (obj.kind === 'Service') services.push(service(obj, defaultNamespace));
      else if (obj.kind === 'Ingress') ingresses.push(ingress(obj, defaultNamespace));
      else serviceAccounts.push({ ...meta(obj, defaultNamespace), source: sourceOf(obj.cursor.doc, obj.item) });
    }
  }
  const order = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
    compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
  return { services: services.sort(order), ingresses: ingresses.sort(order), serviceAccounts: serviceAccounts.sort(order) };
}

/** The manifest facts of in-memory objects (a cdk8s app's manifests). */
export function manifestFactsFromObjects(objects: readonly unknown[], label: string): ManifestFacts {
  return manifestFactsFromDocuments(objectDocuments(objects, label));
}

function meta(obj: KubeObject, defaultNamespace: string): { namespace: string; name: string; annotations: Record<string, string> } {
  const m = obj.cursor.child('metadata');
  const nameAt = m.child('name');
  if (nameAt.isAbsent) throw nameAt.error(`missing metadata.name of ${obj.kind}`, ParseFix.name);
  const name = nameAt.string(ParseFix.name);
  const nsAt = m.child('namespace');
  const namespace = nsAt.optionalString(Fix.dns1123Label) ?? defaultNamespace;
  nsAt.check(namespace, checkDns1123Label(namespace), Fix.dns1123Label);
  return { namespace, name, annotations: parseAnnotations(m.child('annotations')) };
}

function service(obj: KubeObject, defaultNamespace: string): ServiceModel {
  const spec = obj.cursor.child('spec');
  spec.optionalMap();
  const typeAt = spec.child('type');
  const type = (typeAt.optionalString(`Use one of ${SERVICE_TYPES.join(', ')}`) ?? 'ClusterIP') as ServiceType;
  if (!SERVICE_TYPES.includes(type)) throw typeAt.error(`unknown Service type ${describeValue(type)}`, `Use one of ${SERVICE_TYPES.join(', ')}`);
  const selectorAt = spec.child('selector');
  const ports = spec.child('ports').list().map((p) => servicePort(p));
  return {
    ...meta(obj, defaultNamespace),
    type,
    ...(selectorAt.isAbsent ? {} : { selector: parseLabels(selectorAt) }),
    ports,
    source: sourceOf(obj.cursor.doc, obj.item),
  };
}

function servicePort(at: Cursor): ServicePortModel {
  at.map();
  const portAt = at.child('port');
  if (typeof portAt.value !== 'number') throw portAt.error(`Service port must be a number, got ${portAt.described}`, Fix.port);
  const port = portAt.check(portAt.value, checkPortNumber(portAt.value), Fix.port);
  const protocolAt = at.child('protocol');
  const protocol = (protocolAt.optionalString(ParseFix.protocol) ?? 'TCP') as Protocol;
  if (!PROTOCOLS.includes(protocol)) throw protocolAt.error(`unsupported protocol ${protocolAt.described}`, ParseFix.protocol);
  const targetAt = at.child('targetPort');
  let targetPort: number | string = port;
  if (typeof targetAt.value === 'number') targetPort = targetAt.check(targetAt.value, checkPortNumber(targetAt.value), Fix.port);
  else if (typeof targetAt.value === 'string') targetPort = targetAt.check(targetAt.value, checkPortName(targetAt.value), Fix.portName);
  else if (!targetAt.isAbsent) throw targetAt.error(`targetPort must be a number or a port name, got ${targetAt.described}`, Fix.port);
  const name = at.child('name').optionalString(Fix.portName);
  return { ...(name !== undefined ? { name } : {}), port, targetPort, protocol };
}

function ingress(obj: KubeObject, defaultNamespace: string): IngressModel {
  const spec = obj.cursor.child('spec');
  spec.optionalMap();
  const backends: IngressBackendModel[] = [];
  const add = (backend: Cursor) => {
    backend.map();
    const svc = backend.child('service');
    if (svc.isAbsent) return; // a resource backend (e.g. a storage bucket): no pods
    svc.map();
    const name = svc.child('name').string(ParseFix.name);
    const port = svc.child('port');
    port.optionalMap();
    const numberAt = port.child('number');
    const number = numberAt.value;
    if (!numberAt.isAbsent && typeof number !== 'number') throw numberAt.error(`port number must be a number, got ${numberAt.described}`, Fix.port);
    const portName = port.child('name').optionalString(Fix.portName);
    backends.push({ service: name, ...(typeof number === 'number' ? { port: number } : portName !== undefined ? { port: portName } : {}) });
  };
  if (!spec.child('defaultBackend').isAbsent) add(spec.child('defaultBackend'));
  for (const rule of spec.child('rules').list()) {
    rule.map();
    const http = rule.child('http');
    http.optionalMap();
    for (const p of http.child('paths').list()) {
      p.map();
      add(p.child('backend'));
    }
  }
  const className = spec.child('ingressClassName').optionalString('Give the name of an IngressClass, e.g. "nginx"');
  const classField = className ? { ingressClassName: className } : {};
  return { ...meta(obj, defaultNamespace), backends, ...classField, source: sourceOf(obj.cursor.doc, obj.item) };
}

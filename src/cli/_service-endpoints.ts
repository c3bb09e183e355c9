/**
 * `netproof explain --from/--to service:ns/name`: a Service of the inputs stands for one of its pods (the
 * first its selector matches, in pod id order), and with `--to service:...` the `--port` is a port of the
 * Service, translated to its targetPort (what the NetworkPolicies see).
 */
import { note } from './_notes';
import { CliIo } from './io';
import { NetproofError } from '../errors';
import { didYouMean } from '../model/closest';
import { ClusterModel, ServiceModel } from '../model/cluster';
import { idOf, objectId } from '../model/ids';
import { PortModel, Protocol } from '../model/port';
import { compareStrings, describeSelector, makeSelector } from '../model/selector';
import { ServiceProblem, serviceSelector, serviceTargetPort } from '../model/service';

/** The prefix of a Service endpoint: `service:shop/api`. */
export const SERVICE_ENDPOINT_PREFIX = 'service:';

export const ServiceEndpointMessages = {
  form: (value: string) => `${JSON.stringify(value)} is not of the form service:namespace/name. Write the Service as service:shop/api`,
  unknown: (id: string, known: readonly string[]) =>
    `no Service ${id} in the inputs${didYouMean(id, known, 'Service')}. Name a Service of the --cluster or --policies inputs, or give a pod as namespace/name`,
  noPods: (id: string, selector: string) =>
    `Service ${id} selects no pod of the cluster model (pods ${selector} in ns ${id.split('/')[0]}). Add its workloads to --cluster, or give a pod as namespace/name`,
  chosen: (flag: string, id: string, pod: string, count: number) =>
    `${flag} service:${id} selects ${count} pods; explaining ${pod}, the first. Give ${flag} with a pod (namespace/name) for another`,
} as const;

/** Whether a --from/--to value names a Service. */
export function isServiceEndpoint(value: string): boolean {
  return value.startsWith(SERVICE_ENDPOINT_PREFIX);
}

/** The Service a `service:ns/name` flag value names, or an error at the flag. */
export function serviceOfFlag(flag: string, value: string, services: readonly ServiceModel[], command: string): ServiceModel {
  const id = value.slice(SERVICE_ENDPOINT_PREFIX.length);
  const [namespace, name, ...rest] = id.split('/');
  if (rest.length > 0 || !namespace || !name) throw new NetproofError(`netproof ${command}`, ServiceEndpointMessages.form(value), flag);
  const found = services.find((s) => s.namespace === namespace && s.name === name);
  if (found === undefined) throw new NetproofError(`netproof ${command}`, ServiceEndpointMessages.unknown(id, services.map((s) => idOf(s.namespace, s.name))), flag);
  return found;
}

/** The pod a Service stands for in one connection: the first of its pods; a note when it has more. */
export function podOfService(flag: string, service: ServiceModel, cluster: ClusterModel, io: CliIo, command: string): string {
  const id = idOf(service.namespace, service.name);
  const labels = serviceSelector(service);
  if (labels instanceof ServiceProblem) throw new NetproofError(`netproof ${command}`, String(labels), flag);
  const pods = cluster.pods
    .filter((p) => p.namespace === service.namespace && Object.entries(labels).every(([k, v]) => p.labels[k] === v))
    .map(objectId)
    .sort(compareStrings);
  if (pods.length === 0) throw new NetproofError(`netproof ${command}`, ServiceEndpointMessages.noPods(id, describeSelector(makeSelector(labels))), flag);
  if (pods.length > 1) note(io, ServiceEndpointMessages.chosen(flag, id, pods[0], pods.length));
  return pods[0];
}

/** `--port` as a port of the Service (`http`, `80`, `53/UDP`): its targetPort, with its protocol. */
export function servicePortOfFlag(service: ServiceModel, text: string, command: string): PortModel {
  const [spec, proto, ...rest] = text.trim().split('/');
  const protocol = proto === undefined ? undefined : proto.toUpperCase() as Protocol;
  const port: number | string = /^\d+$/.test(spec) ? Number(spec) : spec;
  const resolved = rest.length > 0 ? new ServiceProblem(`port "${text}" has more than one "/"`, 'Give a port of the Service, e.g. --port http or --port 80/TCP')
    : serviceTargetPort(service, port, protocol);
  if (resolved instanceof ServiceProblem) throw new NetproofError(`netproof ${command}`, String(resolved), '--port');
  return resolved;
}

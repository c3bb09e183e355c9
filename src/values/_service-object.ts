/**
 * Reads a Service construct (cdk8s-plus `Service`, L1 `KubeService`, or any ApiObject of kind Service)
 * into the model, from its manifest as cdk8s synthesizes it: so JSON patches and overrides (e.g. a named
 * `targetPort`, which cdk8s-plus's props cannot express) are seen. Internal to the values layer.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check, Fix, NetproofError } from '../errors';
import { ServiceModel, ServicePortModel, ServiceType } from '../model/cluster';
import { Protocol, PROTOCOLS } from '../model/port';
import { checkDns1123Label, checkLabelKey, checkLabelValue, checkPortName, checkPortNumber } from '../model/validate';

const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export const ServiceObjectMessages = {
  notAService: (what: string) =>
    `${what} is not a Service. Pass a cdk8s-plus Service, a KubeService, or an ApiObject of kind Service`,
} as const;

/** A Service construct and what it reads as: the model, and the construct path for messages. */
export interface ServiceObject {
  readonly model: ServiceModel;
  /** The construct path, for messages. */
  readonly path: string;
  /** Whether the manifest names its namespace (otherwise `model.namespace` is the placeholder `default`). */
  readonly hasNamespace: boolean;
}

/** The Service a construct stands for, validated as the API server would (`where` prefixes errors). */
export function readServiceObject(service: IConstruct, where: string): ServiceObject {
  const api = apiObjectOf(service);
  const path = service?.node?.path ?? String(service);
  if (api === undefined || api.kind !== 'Service' || api.apiVersion !== 'v1') {
    const what = api === undefined ? path : `${path} (${api.apiVersion} ${api.kind})`;
    throw new NetproofError(where, ServiceObjectMessages.notAService(what));
  }
  const at = `${where} ${path}`;
  const json = api.toJson() as { metadata?: any; spec?: any };
  const spec = json.spec ?? {};
  const namespace: string | undefined = json.metadata?.namespace;
  if (namespace !== undefined) check(checkDns1123Label(namespace), at, Fix.dns1123Label, `metadata.namespace "${namespace}"`);
  const type = (spec.type ?? 'ClusterIP') as ServiceType;
  if (!SERVICE_TYPES.includes(type)) throw new NetproofError(at, `unknown Service type "${String(type)}". Use one of ${SERVICE_TYPES.join(', ')}`, 'spec.type');
  const selector = spec.selector as Record<string, string> | undefined;
  for (const [k, v] of Object.entries(selector ?? {})) {
    check(checkLabelKey(k), at, Fix.labelKey, `spec.selector key "${k}"`);
    check(checkLabelValue(String(v)), at, Fix.labelValue, `spec.selector value "${String(v)}" of key "${k}"`);
  }
  const ports = ((spec.ports ?? []) as any[]).map((p, i) => servicePort(p, at, `spec.ports[${i}]`));
  return {
    model: {
      namespace: namespace ?? 'default',
      name: api.name,
      type,
      ...(selector !== undefined ? { selector: { ...selector } } : {}),
      ports,
      annotations: { ...(json.metadata?.annotations ?? {}) },
    },
    path,
    hasNamespace: namespace !== undefined,
  };
}

function apiObjectOf(c: IConstruct): ApiObject | undefined {
  if (c instanceof ApiObject) return c;
  try {
    return ApiObject.of(c);
  } catch {
    return undefined;
  }
}

function servicePort(p: any, where: string, field: string): ServicePortModel {
  const port = p?.port;
  if (typeof port !== 'number') throw new NetproofError(where, `Service port must be a number, got ${JSON.stringify(port)}. ${Fix.port}`, `${field}.port`);
  check(checkPortNumber(port), where, Fix.port, `${field}.port`);
  const protocol = (p.protocol ?? 'TCP') as Protocol;
  if (!PROTOCOLS.includes(protocol)) throw new NetproofError(where, `protocol must be one of TCP, UDP, SCTP, got "${String(protocol)}". Use the upper-case protocol name`, `${field}.protocol`);
  const target = p.targetPort;
  let targetPort: number | string = port;
  if (typeof target === 'number') check(checkPortNumber(target), where, Fix.port, `${field}.targetPort`);
  else if (typeof target === 'string') check(checkPortName(target), where, Fix.portName, `${field}.targetPort "${target}"`);
  else if (target !== undefined) throw new NetproofError(where, `targetPort must be a number or a container port name, got ${JSON.stringify(target)}. ${Fix.port}`, `${field}.targetPort`);
  if (target !== undefined) targetPort = target;
  const name = typeof p.name === 'string' ? p.name : undefined;
  return { ...(name !== undefined ? { name } : {}), port, targetPort, protocol };
}

/**
 * Services in the intents file: an endpoint `{service: ns/name}` (the pods the Service's selector matches
 * in its namespace) and an intent's `servicePort: http` (a port of the `to` Service, by name or number,
 * checked as the pod port it sends to: its targetPort). Resolved against the Services of the inputs.
 */
import { Cursor } from './_documents';
import { didYouMean } from '../model/closest';
import { ServiceModel } from '../model/cluster';
import { idOf } from '../model/ids';
import { EndpointSetModel } from '../model/intent';
import { NAMESPACE_NAME_LABEL } from '../model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../model/port';
import { makeSelector } from '../model/selector';
import { ServiceProblem, serviceSelector, serviceTargetPort } from '../model/service';
import { checkDns1123Label, checkDns1123Subdomain, checkPortName, checkPortNumber } from '../model/validate';

export const IntentServiceFix = {
  service: 'Write the Service as "namespace/name", e.g. {service: shop/api}',
  unknown: 'Name a Service of the inputs (--cluster or --policies) as namespace/name, or select its pods with namespace and pods',
  noServices: 'Service endpoints are resolved against the Services the inputs hold; give the Services\' manifests in --cluster or --policies',
  servicePort: 'Write servicePort as a port of the "to" Service: its name ("http"), its number (80), or number/protocol ("53/UDP")',
  servicePortTarget: 'servicePort is a port of the "to" endpoint\'s Service: give "to" as {service: namespace/name}, or use port (a pod port)',
  bothPorts: 'Give either port (the pod port) or servicePort (a port of the "to" Service, translated to its targetPort), not both',
} as const;

/** The pods of the Service a `service: ns/name` field names. */
export function serviceEndpoint(at: Cursor, services: readonly ServiceModel[] | undefined): EndpointSetModel {
  const service = serviceAt(at, services);
  const labels = serviceSelector(service);
  if (labels instanceof ServiceProblem) throw at.error(labels.reason, labels.fix);
  return {
    kind: 'pods',
    namespaces: makeSelector({ [NAMESPACE_NAME_LABEL]: service.namespace }),
    pods: makeSelector(labels),
    text: `service ${idOf(service.namespace, service.name)}`,
  };
}

/**
 * The pod port behind `servicePort` (at `at`) of the Service named at `serviceAt` (the intent's `to`
 * endpoint's `service` field; absent when `to` is not a Service).
 */
export function servicePortOf(at: Cursor, service: Cursor | undefined, services: readonly ServiceModel[] | undefined): PortModel {
  if (service === undefined || service.isAbsent) throw at.error('servicePort is given but "to" is not a Service', IntentServiceFix.servicePortTarget);
  const v = at.value;
  if (typeof v !== 'number' && typeof v !== 'string') throw at.error(`servicePort is ${at.described}`, IntentServiceFix.servicePort);
  const [spec, proto, ...rest] = String(v).trim().split('/');
  const protocol = proto === undefined ? undefined : proto.toUpperCase() as Protocol;
  if (rest.length > 0 || (protocol !== undefined && !PROTOCOLS.includes(protocol))) throw at.error(`servicePort ${at.described} is not a port name or number with an optional protocol`, IntentServiceFix.servicePort);
  const port: number | string = /^\d+$/.test(spec) ? Number(spec) : spec;
  const bad = typeof port === 'number' ? checkPortNumber(port) : checkPortName(port);
  if (bad !== undefined) throw at.error(`servicePort ${at.described}: ${bad}`, IntentServiceFix.servicePort);
  const resolved = serviceTargetPort(serviceAt(service, services), port, protocol);
  if (resolved instanceof ServiceProblem) throw at.error(resolved.reason, resolved.fix);
  return resolved;
}

function serviceAt(at: Cursor, services: readonly ServiceModel[] | undefined): ServiceModel {
  const text = at.string(IntentServiceFix.service);
  const [namespace, name, ...rest] = text.split('/');
  if (rest.length > 0 || checkDns1123Label(namespace ?? '') !== undefined || checkDns1123Subdomain(name ?? '') !== undefined) {
    throw at.error(`service ${at.described} is not of the form namespace/name`, IntentServiceFix.service);
  }
  if (services === undefined) throw at.error(`service ${at.described} cannot be resolved here`, IntentServiceFix.noServices);
  const found = services.find((s) => s.namespace === namespace && s.name === name);
  if (found === undefined) {
    const known = services.map((s) => idOf(s.namespace, s.name));
    throw at.error(`no Service ${text} in the inputs${didYouMean(text, known, 'Service')}`, IntentServiceFix.unknown);
  }
  return found;
}

/**
 * A Service as an endpoint: its pods (the pods its selector matches in its namespace) and its ports
 * translated to the pod ports a NetworkPolicy sees (`targetPort`). One home for the translation, used by
 * the constructs (`Peer.service`, `Port.ofService`, `Endpoints.service`), the intents file
 * (`service: ns/name`, `servicePort`) and the CLI (`--to service:ns/name`).
 */
import { closestNames } from './closest';
import { ServiceModel, ServicePortModel } from './cluster';
import { idOf } from './ids';
import { PortModel, Protocol } from './port';
import { describeSelector, Labels, makeSelector } from './selector';

/** Why a Service cannot stand for pods or a port: the reason and the fix (the caller adds where). */
export class ServiceProblem {
  constructor(public readonly reason: string, public readonly fix: string) {}

  public toString(): string { return `${this.reason}. ${this.fix}`; }
}

/** The problems of a Service used as an endpoint. */
export const ServiceMessages = {
  noSelector: (id: string, type: string) => new ServiceProblem(
    `Service ${id} has no selector${type === 'ExternalName' ? ' (type ExternalName: a DNS alias, no pods)' : ' (its endpoints are managed by hand)'}, `
    + 'so no pod selector stands for its pods',
    'Select the backing pods themselves (Peer.pods / Peer.workload / Peer.cidr, or pods: / workload: in the intents file), or give the Service a selector'),
  noPort: (id: string, port: number | string, protocol: Protocol | undefined, service: ServiceModel) => {
    const close = typeof port === 'string' ? closestNames(port, service.ports.flatMap((p) => (p.name === undefined ? [] : [p.name]))) : [];
    return new ServiceProblem(
      `Service ${id} has no port ${describeServiceRef(port, protocol)}${close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : ''}; `
      + `${service.ports.length === 0 ? 'it has no ports' : `its ports: ${service.ports.map(describeServicePort).join(', ')}`}`,
      'Give a port of the Service by its name or its number (the Service port, which is translated to the targetPort the pods serve)');
  },
  ambiguousPort: (id: string, port: number, matches: readonly ServicePortModel[]) => new ServiceProblem(
    `Service ${id} has port ${port} for ${matches.map((p) => p.protocol).join(' and ')} (${matches.map(describeServicePort).join(', ')})`,
    `Name the protocol, e.g. ${port}/${matches[0].protocol}, or the port by its name`),
} as const;

/** `80/TCP` or `http`, as a reference to a Service port. */
function describeServiceRef(port: number | string, protocol: Protocol | undefined): string {
  return typeof port === 'number' || protocol !== undefined ? `${JSON.stringify(port).replace(/"/g, '')}/${protocol ?? 'TCP'}` : `"${port}"`;
}

/** `http 80/TCP -> 8080`, `web 80/TCP -> named port web`, `53/UDP -> 53`. */
export function describeServicePort(p: ServicePortModel): string {
  const target = typeof p.targetPort === 'string' ? `named port ${p.targetPort}` : String(p.targetPort);
  return `${p.name !== undefined ? `${p.name} ` : ''}${p.port}/${p.protocol} -> ${target}`;
}

/** The Service's pod labels, or the reason it has none (no selector, or an empty one: Kubernetes selects no pods). */
export function serviceSelector(service: ServiceModel): Labels | ServiceProblem {
  const selector = service.selector;
  const none = selector === undefined || Object.keys(selector).length === 0;
  return none ? ServiceMessages.noSelector(idOf(service.namespace, service.name), service.type) : selector;
}

/** `service shop/api (pods app=api)`. */
export function describeService(service: ServiceModel): string {
  const selector = serviceSelector(service);
  const pods = selector instanceof ServiceProblem ? '' : ` (pods ${describeSelector(makeSelector(selector))})`;
  return `service ${idOf(service.namespace, service.name)}${pods}`;
}

/**
 * The port the Service's pods serve for one of its ports, as a NetworkPolicy (and an intent) sees it:
 * the `targetPort` (a number, or a container port name resolved on each pod), with the Service port's
 * protocol. `port` is the Service port by name, or by number (`protocol` picks among equal numbers).
 * Returns the problem when the Service has no such port (or two of that number).
 */
export function serviceTargetPort(service: ServiceModel, port: number | string, protocol?: Protocol): PortModel | ServiceProblem {
  const id = idOf(service.namespace, service.name);
  const matches = service.ports.filter((p) => (typeof port === 'number' ? p.port === port : p.name === port)
    && (protocol === undefined || p.protocol === protocol));
  if (matches.length === 0) return ServiceMessages.noPort(id, port, protocol, service);
  if (matches.length > 1) return ServiceMessages.ambiguousPort(id, port as number, matches);
  return { protocol: matches[0].protocol, port: matches[0].targetPort };
}

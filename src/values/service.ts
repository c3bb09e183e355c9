import { IConstruct } from 'constructs';
import { NetproofError } from '../errors';
import { readServiceObject } from './_service-object';
import { Port } from './port';
import { ADDRESS_LABEL, PodSelectorConfig, podTemplatesOf, Selector, workloadPodLabels } from './selector';
import { ServiceModel } from '../model/cluster';
import { idOf } from '../model/ids';
import { Protocol } from '../model/port';
import { ServiceProblem, serviceSelector, serviceTargetPort } from '../model/service';

/**
 * The pods behind a Kubernetes Service — the pods its selector matches in its namespace — and its ports
 * as those pods serve them. Made from a cdk8s-plus `Service`, an L1 `KubeService` or any ApiObject of kind
 * Service, as it reads when this is called. It is an `IPodSelector`, so it goes wherever pods are taken
 * (`AllowFrom`/`AllowTo` `pods`, `Peer.workload`, `chart.expect(...)`); `Peer.service`, `Port.ofService`
 * and `Endpoints.service` are the short forms.
 *
 * NetworkPolicies see pod ports, not Service ports: `port('http')` is the Service port's `targetPort`
 * (a number, or a container port name resolved on each pod) with the Service port's protocol.
 */
export class ServicePods {
  /**
   * The pods of a Service. Fails when the Service has no selector (type ExternalName, or endpoints
   * managed by hand), since no pod selector then stands for its pods.
   */
  public static of(service: IConstruct, where = 'ServicePods.of'): ServicePods {
    const { model, path, hasNamespace } = readServiceObject(service, where);
    const labels = serviceSelector(model);
    if (labels instanceof ServiceProblem) throw new NetproofError(`${where} ${path}`, String(labels));
    return new ServicePods(model, path, hasNamespace, workloadBehind(service, labels) ?? Selector.labels(labels, `${where} ${path}`), service);
  }

  private constructor(
    /** The Service as read. @internal */
    public readonly _model: ServiceModel,
    /** The construct path of the Service. */
    public readonly path: string,
    private readonly hasNamespace: boolean,
    /** The pods' selector: the Service's `spec.selector`. */
    public readonly selector: Selector,
    /** The Service construct. @internal */
    public readonly _service: IConstruct,
  ) {}

  /** metadata.name of the Service. */
  public get serviceName(): string { return this._model.name; }

  /** The Service's namespace, when its manifest names one (otherwise: the chart's or policy's). */
  public get namespace(): string | undefined { return this.hasNamespace ? this._model.namespace : undefined; }

  /**
   * The pod port behind one of the Service's ports, by the Service port's name or number: its
   * `targetPort` (`Port.tcp(8080)`-like for a number, `Port.named('web')`-like for a name; the port itself
   * when targetPort is absent), with the Service port's protocol. `protocol` picks among Service ports
   * that share a number (DNS on 53/UDP and 53/TCP).
   */
  public port(port: number | string, protocol?: Protocol): Port {
    const resolved = serviceTargetPort(this._model, port, protocol);
    if (resolved instanceof ServiceProblem) throw new NetproofError(`Service ${this.path}`, String(resolved));
    return Port.fromModel(resolved);
  }

  /** Every pod port the Service sends to (one per Service port). */
  public get ports(): Port[] {
    return this._model.ports.map((p) => Port.fromModel({ protocol: p.protocol, port: p.targetPort }));
  }

  /** The pods, as an IPodSelector: the Service's selector, limited to its namespace when it names one. */
  public toPodSelectorConfig(): PodSelectorConfig {
    const ns = this.namespace;
    return { labelSelector: this.selector, ...(ns !== undefined ? { namespaces: { names: [ns] } } : {}) };
  }

  /** `service shop/api (pods app=api)`. */
  public toString(): string {
    return `service ${this.hasNamespace ? idOf(this._model.namespace, this._model.name) : this._model.name} (pods ${this.selector})`;
  }
}

/**
 * A Service made with cdk8s-plus's `selector: workload` (or `workload.exposeViaService()`) selects the
 * workload's pods by the cdk8s hash label alone; its pods are then the workload's, selected readably as
 * `Selector.workload` selects them (its own template labels, or app.kubernetes.io/name). Undefined for any
 * other selector, or when no workload of the app carries that hash.
 */
function workloadBehind(service: IConstruct, labels: Record<string, string>): Selector | undefined {
  const keys = Object.keys(labels);
  if (keys.length !== 1 || keys[0] !== ADDRESS_LABEL) return undefined;
  const workload = podTemplatesOf(service).find((w) => workloadPodLabels(w)[ADDRESS_LABEL] === labels[ADDRESS_LABEL]);
  return workload === undefined ? undefined : Selector.workload(workload);
}

import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { check, Fix, NetproofError } from '../errors';
import { ClusterModel, ContainerPortModel, DEFAULT_NETWORK, PodModel } from '../model/cluster';
import { NAMESPACE_NAME_LABEL } from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { checkDns1123Label, checkDns1123Subdomain, checkPortName, checkPortNumber } from '../model/validate';
import { IPodSelector, PodSelectorConfig, Selector } from '../values/selector';

export interface DeclaredPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
  /**
   * The container port's name, for named-port rules.
   * @default - unnamed
   */
  readonly name?: string;
}

export interface DeclaredWorkloadProps {
  /**
   * The namespace the workload runs in.
   * @default - the namespace of the enclosing chart
   */
  readonly namespace?: string;
  /** The pod labels. */
  readonly labels: { [key: string]: string };
  /**
   * Container ports.
   * @default - none
   */
  readonly ports?: DeclaredPort[];
  /**
   * Pod-networks the pods are attached to.
   * @default ['default']
   */
  readonly networks?: string[];
  /**
   * Labels of its namespace (besides kubernetes.io/metadata.name), when the namespace is not in the app.
   * @default - none
   */
  readonly namespaceLabels?: { [key: string]: string };
}

/**
 * A workload deployed elsewhere (another repository, a Helm chart) that intents and the verifier must
 * know about. It synthesizes nothing; it only adds a pod to the verification model.
 */
export class DeclaredWorkload extends Construct implements IPodSelector {
  public readonly namespace: string;
  /** The workload's name (the construct id), which names its pod in the verification model. */
  public readonly name: string;
  public readonly pod: PodModel;
  private readonly namespaceLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: DeclaredWorkloadProps) {
    super(scope, id);
    const where = `DeclaredWorkload ${this.node.path}`;
    const namespace = props.namespace ?? findNamespace(this);
    if (namespace === undefined) throw new NetproofError(where, 'no namespace: it is not inside a chart with a namespace. Set namespace, e.g. "payments"');
    check(checkDns1123Label(namespace), where, Fix.dns1123Label, `namespace "${namespace}"`);
    check(checkDns1123Subdomain(id), where, Fix.dns1123Subdomain, `id "${id}" (the pod name)`);
    Selector.labels(props.labels, where);
    if (Object.keys(props.labels).length === 0) throw new NetproofError(where, 'labels is empty, so no policy can select the workload. Give it the labels its pods carry, e.g. { app: "ledger" }');
    Selector.labels(props.namespaceLabels ?? {}, `${where} namespaceLabels`);
    const ports: ContainerPortModel[] = (props.ports ?? []).map((p, i) => {
      check(checkPortNumber(p.port), where, Fix.port, `ports[${i}].port`);
      const protocol = p.protocol ?? 'TCP';
      if (!PROTOCOLS.includes(protocol)) throw new NetproofError(where, `protocol must be TCP, UDP or SCTP, got "${protocol}". Use the upper-case protocol name`, `ports[${i}].protocol`);
      if (p.name !== undefined) check(checkPortName(p.name), where, Fix.portName, `ports[${i}].name`);
      return p.name === undefined ? { port: p.port, protocol } : { name: p.name, port: p.port, protocol };
    });
    const networks = [...new Set(props.networks ?? [DEFAULT_NETWORK])].sort();
    for (const n of networks) check(checkDns1123Subdomain(n), where, Fix.dns1123Subdomain, `network "${n}"`);
    this.namespace = namespace;
    this.name = id;
    this.namespaceLabels = { ...(props.namespaceLabels ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
    this.pod = Object.freeze({ namespace, name: id, labels: { ...props.labels }, ports, networks, source: { constructPath: this.node.path } });
  }

  /** Its pods, by their labels, in its namespace: `Peer.workload(declared)`, `chart.expect(declared)`. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return { labelSelector: Selector.labels(this.pod.labels), namespaces: { names: [this.namespace] } };
  }

  /** @internal */
  public _cluster(): ClusterModel {
    return { namespaces: { [this.namespace]: this.namespaceLabels }, pods: [this.pod], externals: [] };
  }
}

function findNamespace(c: Construct): string | undefined {
  for (const s of [...c.node.scopes].reverse()) {
    if (Chart.isChart(s) && (s as Chart).namespace) return (s as Chart).namespace;
  }
  return undefined;
}

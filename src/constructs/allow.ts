/**
 * Two-sided flows: `Allow.from(frontend).to(backend, [Port.tcp(8080)])` emits the egress policy in the
 * source's namespace and the ingress policy in the target's, each in the PolicyChart of its namespace.
 */
import { IConstruct } from 'constructs';
import { FlowMessages, NetproofError } from '../errors';
import { kebabCase } from './_base';
import { policyChartsOf } from './_policy-chart-base';
import { AllowFrom } from './allow-from';
import { AllowTo } from './allow-to';
import { DeclaredWorkload } from './declared-workload';
import { PolicyChart } from './policy-chart';
import { checkDns1123Label, checkDns1123Subdomain } from '../model/validate';
import { Peer } from '../values/peer';
import { Port } from '../values/port';
import { IPodSelector, podSelectionOf, PodSelectorConfig, Selector } from '../values/selector';
import { ServicePods } from '../values/service';

/** A side of a flow: the egress policy (source's namespace) or the ingress policy (target's namespace). */
export enum FlowSide {
  EGRESS = 'egress',
  INGRESS = 'ingress',
}

export interface SelectedPodsProps {
  /** The namespace the pods run in (DNS-1123 label). */
  readonly namespace: string;
  /** A short name for the pods, used in the policy names (`frontend-to-backend`); a DNS-1123 label. */
  readonly name: string;
  /** The pods, by labels. */
  readonly pods: Selector;
}

/**
 * Pods of a namespace by selector, with a name for policy names, for flows whose end is not a
 * cdk8s-plus workload or a DeclaredWorkload: `SelectedPods.of(app, { namespace: 'shop', name: 'web', pods })`.
 * `scope` is any construct of the app: the flow looks up the PolicyChart of `namespace` in it.
 */
export class SelectedPods implements IPodSelector {
  public static of(scope: IConstruct, props: SelectedPodsProps): SelectedPods {
    const where = 'SelectedPods.of';
    const ns = props.namespace;
    const badNs = checkDns1123Label(String(ns));
    if (badNs !== undefined) throw new NetproofError(where, FlowMessages.badNamespace(String(ns), badNs));
    const badName = checkDns1123Label(String(props.name));
    if (badName !== undefined) throw new NetproofError(where, FlowMessages.badEndName(String(props.name), badName));
    if (!(props.pods instanceof Selector)) throw new NetproofError(where, FlowMessages.podsNotSelector(String(props.pods)));
    return new SelectedPods(scope, ns, props.name, props.pods);
  }

  private constructor(
    /** A construct of the app the pods' namespace is in. */
    public readonly scope: IConstruct,
    public readonly namespace: string,
    public readonly name: string,
    public readonly pods: Selector,
  ) {}

  public toPodSelectorConfig(): PodSelectorConfig {
    return { labelSelector: this.pods, namespaces: { names: [this.namespace] } };
  }

  /** `pods app=web in ns shop (web)`. */
  public toString(): string { return `pods ${this.pods} in ns ${this.namespace} (${this.name})`; }
}

export interface FlowOptions {
  /**
   * Which policies netproof writes. Leave one out when the other namespace's policies are managed
   * elsewhere (another repository, another team), or the target is outside the app.
   * @default - both; a side whose end is a DeclaredWorkload in a namespace without a PolicyChart in the
   * app (deployed and policed elsewhere) is left out
   */
  readonly sides?: FlowSide[];
  /**
   * metadata.name (and construct id) of the egress policy.
   * @default - `<source>-to-<target>`, or `<source>-to-<target namespace>-<target>` across namespaces
   */
  readonly egressPolicyName?: string;
  /**
   * metadata.name (and construct id) of the ingress policy.
   * @default - `<target>-from-<source>`, or `<target>-from-<source namespace>-<source>` across namespaces
   */
  readonly ingressPolicyName?: string;
}

/** One end of a flow, resolved: its pods, namespace, name and (when netproof owns it) its PolicyChart. */
interface FlowEnd {
  readonly pods: IPodSelector;
  readonly namespace: string;
  readonly name: string;
  readonly chart?: PolicyChart;
  /** Its namespace has no PolicyChart, and it is a DeclaredWorkload (deployed and policed elsewhere). */
  readonly elsewhere: boolean;
  /** A construct of its app. */
  readonly scope: IConstruct;
}

/** The policies of one connection; a side is undefined when netproof does not write it. */
export class Flow {
  /** @internal */
  constructor(
    /** The egress policy, in the source's namespace. */
    public readonly egress: AllowTo | undefined,
    /** The ingress policy, in the target's namespace. */
    public readonly ingress: AllowFrom | undefined,
  ) {}
}

/**
 * The start of a flow: `Allow.from(frontend)`. Sources and targets are cdk8s-plus workloads (in any chart
 * of the app), DeclaredWorkloads, Services (the pods of their selector; see ServicePods), or SelectedPods.
 */
export class Allow {
  /** The pods that open the connections. */
  public static from(source: IPodSelector | IConstruct): Allow {
    return new Allow(asPods(source));
  }

  private constructor(private readonly source: IPodSelector) {}

  /**
   * Allows connections from the source to `target` on `ports`: an AllowTo in the source's namespace
   * (`frontend-to-backend`) and an AllowFrom in the target's (`backend-from-frontend`), each in the
   * PolicyChart of its namespace. Peers are namespace-qualified across namespaces.
   */
  public to(target: IPodSelector | IConstruct, ports: Port[], options: FlowOptions = {}): Flow {
    const src = flowEnd(this.source, 'source');
    const dst = flowEnd(asPods(target), 'target');
    const where = `Allow ${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name}`;
    if (src.scope.node.root !== dst.scope.node.root) throw new NetproofError(where, FlowMessages.twoApps);
    if (!Array.isArray(ports) || ports.length === 0) throw new NetproofError(where, FlowMessages.noPorts);
    ports.forEach((p, i) => { if (!(p instanceof Port)) throw new NetproofError(where, FlowMessages.notAPort(String(p)), `ports[${i}]`); });
    const sides = sidesOf(options.sides, where);
    const same = src.namespace === dst.namespace;
    if (same && src.name === dst.name) throw new NetproofError(where, FlowMessages.toItself(src.name));
    const egressName = options.egressPolicyName ?? `${src.name}-to-${same ? '' : `${dst.namespace}-`}${dst.name}`;
    const ingressName = options.ingressPolicyName ?? `${dst.name}-from-${same ? '' : `${src.namespace}-`}${src.name}`;
    const wantEgress = sides.explicit ? sides.egress : !src.elsewhere;
    const wantIngress = sides.explicit ? sides.ingress : !dst.elsewhere;
    if (!wantEgress && !wantIngress) throw new NetproofError(where, FlowMessages.noSide(src, dst));
    const egressChart = wantEgress ? chartOf(src, 'egress', where) : undefined;
    const ingressChart = wantIngress ? chartOf(dst, 'ingress', where) : undefined;
    if (egressChart) checkName(egressChart, egressName, 'egressPolicyName', where);
    if (ingressChart) checkName(ingressChart, ingressName, 'ingressPolicyName', where);
    const egress = egressChart
      ? new AllowTo(egressChart, egressName, { pods: src.pods, to: [Peer.workload(dst.pods)], ports })
      : undefined;
    const ingress = ingressChart
      ? new AllowFrom(ingressChart, ingressName, { pods: dst.pods, from: [Peer.workload(src.pods)], ports })
      : undefined;
    return new Flow(egress, ingress);
  }
}

function sidesOf(sides: FlowSide[] | undefined, where: string): { explicit: boolean; egress: boolean; ingress: boolean } {
  if (sides === undefined) return { explicit: false, egress: true, ingress: true };
  if (!Array.isArray(sides) || sides.length === 0) throw new NetproofError(where, FlowMessages.emptySides, 'sides');
  for (const s of sides) {
    if (s !== FlowSide.EGRESS && s !== FlowSide.INGRESS) throw new NetproofError(where, FlowMessages.badSide(String(s)), 'sides');
  }
  return { explicit: true, egress: sides.includes(FlowSide.EGRESS), ingress: sides.includes(FlowSide.INGRESS) };
}

function flowEnd(end: IPodSelector, role: 'source' | 'target'): FlowEnd {
  const where = `Allow.${role === 'source' ? 'from' : 'to'}`;
  if (end === undefined || end === null || typeof (end as Partial<IPodSelector>).toPodSelectorConfig !== 'function') {
    throw new NetproofError(where, FlowMessages.badEnd(role, String(end)));
  }
  if (end instanceof SelectedPods) {
    const chart = chartForNamespace(end.scope, end.namespace);
    return { pods: end, namespace: end.namespace, name: end.name, chart, elsewhere: false, scope: end.scope };
  }
  if (end instanceof ServicePods) {
    // A Service: its selector's pods in its namespace, named by the Service's construct id.
    const service = end._service;
    const namespace = end.namespace ?? PolicyChart.of(service).namespace;
    const name = kebabCase(service.node.id);
    const bad = checkDns1123Label(name);
    if (bad !== undefined) throw new NetproofError(`${where} ${service.node.path}`, FlowMessages.badEndName(name, bad));
    return { pods: end, namespace, name, chart: chartForNamespace(service, namespace), elsewhere: false, scope: service };
  }
  if (end instanceof Selector || !isConstruct(end)) throw new NetproofError(where, FlowMessages.endWithoutNamespace(role, String(end)));
  const selection = podSelectionOf(end);
  const namespace = end instanceof DeclaredWorkload ? end.namespace : selection.namespace;
  if (namespace === undefined) throw new NetproofError(`${where} ${end.node.path}`, FlowMessages.workloadWithoutNamespace(role));
  const name = kebabCase(end.node.id);
  const bad = checkDns1123Label(name);
  if (bad !== undefined) throw new NetproofError(`${where} ${end.node.path}`, FlowMessages.badEndName(name, bad));
  const chart = chartForNamespace(end, namespace);
  return { pods: end, namespace, name, chart, elsewhere: chart === undefined && end instanceof DeclaredWorkload, scope: end };
}

/**
 * A flow end as pods: an IPodSelector as it is; a Service construct (cdk8s-plus `Service`, `KubeService`,
 * an ApiObject of kind Service) as the pods of its selector (`ServicePods.of`).
 */
function asPods(end: IPodSelector | IConstruct): IPodSelector {
  if (end !== null && typeof end === 'object' && typeof (end as Partial<IPodSelector>).toPodSelectorConfig === 'function') return end as IPodSelector;
  if (isConstruct(end)) return ServicePods.of(end, 'Allow');
  return end as IPodSelector;
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === 'object' && x !== null && typeof (x as Partial<IConstruct>).node?.path === 'string';
}

/** The PolicyChart for `namespace`: the one containing `scope` when it has that namespace, else the app's first. */
function chartForNamespace(scope: IConstruct, namespace: string): PolicyChart | undefined {
  const charts = policyChartsOf(scope).filter((c): c is PolicyChart => PolicyChart.isPolicyChart(c) && c.namespace === namespace);
  const own = scope.node.scopes.find((s) => charts.includes(s as PolicyChart)) as PolicyChart | undefined;
  return own ?? charts[0];
}

function chartOf(end: FlowEnd, side: 'egress' | 'ingress', where: string): PolicyChart {
  if (end.chart === undefined) throw new NetproofError(where, FlowMessages.noChart(side, end.namespace));
  return end.chart;
}

function checkName(chart: PolicyChart, name: string, field: string, where: string): void {
  const bad = checkDns1123Subdomain(name);
  if (bad !== undefined) throw new NetproofError(where, FlowMessages.badPolicyName(name, bad, field));
  const existing = chart.node.tryFindChild(name);
  if (existing !== undefined) throw new NetproofError(where, FlowMessages.duplicate(chart.node.path, name, field));
}

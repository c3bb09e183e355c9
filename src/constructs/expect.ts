import type { IConstruct } from 'constructs';
import { check, Fix, NetproofError } from '../errors';
import { EndpointSetModel, IntentModel } from '../model/intent';
import { Direction } from '../model/policy';
import { checkDns1123Subdomain } from '../model/validate';
import { Endpoints } from '../values/endpoints';
import { Port } from '../values/port';
import { IPodSelector, Selector } from '../values/selector';
import { ServicePods } from '../values/service';

export interface IntentOptions {
  /**
   * The Pod-network the intent is about (GKE multi-network).
   * @default 'default'
   */
  readonly network?: string;
  /**
   * What the intent quantifies over: `all` proves it for every pod and namespace that could exist (any
   * labels, ports and IP in the Pod ranges), `existing` checks the known workloads.
   * @default - `all` for cannotReach, onlyReachableFrom and isIsolated; `existing` for canReach (a pod
   * that could exist may lack a named port)
   */
  readonly scope?: 'all' | 'existing';
}

export interface ExplainOptions {
  /**
   * The Pod-network of the connection (GKE multi-network).
   * @default 'default'
   */
  readonly network?: string;
}

/**
 * Anything an intent can name: Endpoints, a pod Selector (in the chart's namespace), a cdk8s-plus workload,
 * or a Service (cdk8s-plus `Service`, `KubeService`: its pods, as `Endpoints.service`).
 */
export type EndpointsLike = Endpoints | IPodSelector | IConstruct;

export function toEndpointSet(target: EndpointsLike, defaultNamespace?: string): EndpointSetModel {
  if (target instanceof Endpoints) return target._resolve(defaultNamespace);
  if (target instanceof Selector) return Endpoints.pods(target)._resolve(defaultNamespace);
  if (target instanceof ServicePods) return Endpoints.servicePods(target)._resolve(defaultNamespace);
  if (typeof (target as Partial<IPodSelector>).toPodSelectorConfig === 'function') return Endpoints.workload(target as IPodSelector)._resolve(defaultNamespace);
  return Endpoints.service(target as IConstruct)._resolve(defaultNamespace);
}

/**
 * `chart.expect(frontend).canReach(backend, Port.tcp(80))`: states intents about a subject. Every call
 * records one intent, which the chart checks before synth writes any YAML.
 */
export class Expectation {
  /** @internal */
  constructor(
    private readonly record: (intent: IntentModel) => void,
    private readonly subject: EndpointsLike,
    private readonly defaultNamespace: string | undefined,
    private readonly where: string,
  ) {}

  /** Every subject endpoint reaches every target endpoint (on `port`, or on some port when omitted). */
  public canReach(target: EndpointsLike, port?: Port, options: IntentOptions = {}): Expectation {
    return this.add({ kind: 'canReach', target: toEndpointSet(target, this.defaultNamespace), port: port?.model }, options);
  }

  /** No subject endpoint reaches any target endpoint (on `port`, or on any port when omitted). */
  public cannotReach(target: EndpointsLike, port?: Port, options: IntentOptions = {}): Expectation {
    return this.add({ kind: 'cannotReach', target: toEndpointSet(target, this.defaultNamespace), port: port?.model }, options);
  }

  /** Every subject pod is isolated for `direction` (some policy selects it for that direction). */
  public isIsolated(direction: Direction, options: IntentOptions = {}): Expectation {
    return this.add({ kind: 'isolated', direction }, options);
  }

  /** Nothing but `sources` reaches the subject (on `port`, or on any port when omitted). */
  public onlyReachableFrom(sources: EndpointsLike[], port?: Port, options: IntentOptions = {}): Expectation {
    const allowedSources = sources.map((s) => toEndpointSet(s, this.defaultNamespace));
    return this.add({ kind: 'onlyReachableFrom', allowedSources, port: port?.model }, options);
  }

  private add(partial: Omit<IntentModel, 'subject' | 'network' | 'source' | 'scope'>, options: IntentOptions): Expectation {
    if (options.network !== undefined) check(checkDns1123Subdomain(options.network), this.where, Fix.dns1123Subdomain, `network "${options.network}"`);
    if (options.scope !== undefined && options.scope !== 'all' && options.scope !== 'existing') {
      throw new NetproofError(this.where, `scope must be "all" or "existing", got ${JSON.stringify(options.scope)}. Use scope: 'all' to prove the intent for every pod that could exist, or 'existing' for the known workloads`);
    }
    const subject = toEndpointSet(this.subject, this.defaultNamespace);
    const scope = options.scope !== undefined ? { scope: options.scope } : {};
    this.record({ ...partial, subject, network: options.network, ...scope, source: { constructPath: this.where } });
    return this;
  }
}

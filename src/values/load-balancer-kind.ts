/**
 * The Google Cloud load balancer in front of some pods: it decides where health checks (and, for the
 * Envoy-based ones, the proxied traffic) come from. Facts in model/gke.ts (LB_HEALTH_CHECKS), sources in
 * the README ("GKE facts").
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { ingressLoadBalancer, INGRESS_CLASS_ANNOTATION, LB_HEALTH_CHECKS, LoadBalancerKindId, serviceLoadBalancer } from '../model/gke';

/** A Kubernetes object construct whose metadata netproof reads: a cdk8s-plus resource or an L1 ApiObject. */
export interface ILoadBalancedObject {
  readonly node: { readonly path: string };
  readonly metadata: { toJson(): any };
}

/** A Service: a cdk8s-plus `Service` (its `type`) or an L1 ApiObject of kind Service (its manifest's spec.type). */
export interface ILoadBalancedService extends ILoadBalancedObject {
  /** spec.type, as a cdk8s-plus Service has it. */
  readonly type?: string;
  /** The manifest, as an L1 ApiObject has it. */
  toJson?(): any;
}

/** Describes a value in an error message (its type, not its full content). */
function described(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return value.constructor?.name ? `a ${value.constructor.name}` : 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** spec.ingressClassName of an Ingress construct (cdk8s-plus or L1), as its manifest has it. */
function ingressClassNameOf(ingress: ILoadBalancedObject): string | undefined {
  let manifest: any;
  try {
    manifest = ApiObject.of(ingress as unknown as IConstruct).toJson();
  } catch {
    return undefined; // not a construct with a manifest: annotationsOf says what is wrong
  }
  const name = manifest?.spec?.ingressClassName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function annotationsOf(obj: ILoadBalancedObject, what: string, where: string): Record<string, string> {
  if (obj === null || typeof obj !== 'object' || typeof obj.metadata?.toJson !== 'function' || typeof obj.node?.path !== 'string') {
    throw new NetproofError(where, ConstructMessages.notKubeObject(what, described(obj)));
  }
  const annotations = obj.metadata.toJson()?.annotations;
  return annotations && typeof annotations === 'object' ? annotations : {};
}

/**
 * The kind of Google Cloud load balancer that sends traffic and health checks to pods. Constants follow
 * the rows of Google's "Health checks overview"; `ofService` and `ofIngress` read what GKE builds from a
 * Service or Ingress and its GKE annotations.
 */
export class LoadBalancerKind {
  /** Global external Application Load Balancer. */
  public static readonly GLOBAL_EXTERNAL_ALB = new LoadBalancerKind('global-external-alb');
  /** Global external proxy Network Load Balancer. */
  public static readonly GLOBAL_EXTERNAL_PROXY_NLB = new LoadBalancerKind('global-external-proxy-nlb');
  /** Classic Application Load Balancer: what GKE Ingress builds for class `gce` (the default). IPv4 backends only. */
  public static readonly CLASSIC_ALB = new LoadBalancerKind('classic-alb');
  /** Classic proxy Network Load Balancer. IPv4 backends only. */
  public static readonly CLASSIC_PROXY_NLB = new LoadBalancerKind('classic-proxy-nlb');
  /** Regional external Application Load Balancer (Envoy-based: also the proxy-only subnet). */
  public static readonly REGIONAL_EXTERNAL_ALB = new LoadBalancerKind('regional-external-alb');
  /** Regional internal Application Load Balancer: GKE Ingress class `gce-internal` (Envoy-based: also the proxy-only subnet). */
  public static readonly REGIONAL_INTERNAL_ALB = new LoadBalancerKind('regional-internal-alb');
  /** Cross-region internal Application Load Balancer (Envoy-based: also the proxy-only subnet). */
  public static readonly CROSS_REGION_INTERNAL_ALB = new LoadBalancerKind('cross-region-internal-alb');
  /** Regional external proxy Network Load Balancer (Envoy-based: also the proxy-only subnet). */
  public static readonly REGIONAL_EXTERNAL_PROXY_NLB = new LoadBalancerKind('regional-external-proxy-nlb');
  /** Regional internal proxy Network Load Balancer (Envoy-based: also the proxy-only subnet). */
  public static readonly REGIONAL_INTERNAL_PROXY_NLB = new LoadBalancerKind('regional-internal-proxy-nlb');
  /** Cross-region internal proxy Network Load Balancer (Envoy-based: also the proxy-only subnet). */
  public static readonly CROSS_REGION_INTERNAL_PROXY_NLB = new LoadBalancerKind('cross-region-internal-proxy-nlb');
  /** Internal passthrough Network Load Balancer: a LoadBalancer Service with `networking.gke.io/load-balancer-type: "Internal"`. */
  public static readonly INTERNAL_PASSTHROUGH_NLB = new LoadBalancerKind('internal-passthrough-nlb');
  /** Regional external passthrough Network Load Balancer: GKE's default for a LoadBalancer Service. */
  public static readonly EXTERNAL_PASSTHROUGH_NLB = new LoadBalancerKind('external-passthrough-nlb');

  /**
   * What GKE builds for a Service of type LoadBalancer: the internal passthrough Network Load Balancer with
   * `networking.gke.io/load-balancer-type: "Internal"`, else the regional external passthrough Network Load
   * Balancer. Reads the Service as it is when called. Throws for another Service type.
   */
  public static ofService(service: ILoadBalancedService): LoadBalancerKind {
    const where = 'LoadBalancerKind.ofService';
    const annotations = annotationsOf(service, 'Service', where);
    const type = service.type ?? (typeof service.toJson === 'function' ? service.toJson()?.spec?.type : undefined) ?? 'ClusterIP';
    const id = serviceLoadBalancer(String(type), annotations);
    if (id === undefined) throw new NetproofError(where, ConstructMessages.notLoadBalancerService(service.node.path, String(type)));
    return LoadBalancerKind.byId(id);
  }

  /**
   * What GKE Ingress builds for an Ingress, by its `kubernetes.io/ingress.class` annotation: none or `gce`
   * → the classic Application Load Balancer, `gce-internal` → the regional internal Application Load
   * Balancer. Reads the Ingress as it is when called. Throws for another class.
   */
  public static ofIngress(ingress: ILoadBalancedObject): LoadBalancerKind {
    const where = 'LoadBalancerKind.ofIngress';
    const annotations = annotationsOf(ingress, 'Ingress', where);
    const className = ingressClassNameOf(ingress);
    const id = ingressLoadBalancer(annotations, className);
    if (id === undefined) throw new NetproofError(where, ConstructMessages.notGkeIngress(ingress.node.path, annotations[INGRESS_CLASS_ANNOTATION] ?? className!, annotations[INGRESS_CLASS_ANNOTATION] === undefined ? 'spec.ingressClassName' : undefined));
    return LoadBalancerKind.byId(id);
  }

  private static byId(id: LoadBalancerKindId): LoadBalancerKind {
    const kind = ALL.find((k) => k.id === id);
    if (!kind) throw new Error(`internal: unknown load balancer kind ${id}`);
    return kind;
  }

  private constructor(
    /** Stable id, e.g. `external-passthrough-nlb`. */
    public readonly id: LoadBalancerKindId,
  ) {}

  /** Google's name of the load balancer. */
  public get title(): string { return LB_HEALTH_CHECKS[this.id].title; }
  /** Health-check probe source ranges for IPv4 backends. */
  public get ipv4Ranges(): readonly string[] { return LB_HEALTH_CHECKS[this.id].ipv4; }
  /** Health-check probe source ranges for IPv6 backends (empty: IPv4 backends only). */
  public get ipv6Ranges(): readonly string[] { return LB_HEALTH_CHECKS[this.id].ipv6; }
  /** Envoy-based: its proxies send the traffic from the VPC's proxy-only subnet. */
  public get usesProxyOnlySubnet(): boolean { return LB_HEALTH_CHECKS[this.id].proxyOnlySubnet; }

  public toString(): string { return this.title; }
}

const ALL: readonly LoadBalancerKind[] = [
  LoadBalancerKind.GLOBAL_EXTERNAL_ALB, LoadBalancerKind.GLOBAL_EXTERNAL_PROXY_NLB, LoadBalancerKind.CLASSIC_ALB,
  LoadBalancerKind.CLASSIC_PROXY_NLB, LoadBalancerKind.REGIONAL_EXTERNAL_ALB, LoadBalancerKind.REGIONAL_INTERNAL_ALB,
  LoadBalancerKind.CROSS_REGION_INTERNAL_ALB, LoadBalancerKind.REGIONAL_EXTERNAL_PROXY_NLB, LoadBalancerKind.REGIONAL_INTERNAL_PROXY_NLB,
  LoadBalancerKind.CROSS_REGION_INTERNAL_PROXY_NLB, LoadBalancerKind.INTERNAL_PASSTHROUGH_NLB, LoadBalancerKind.EXTERNAL_PASSTHROUGH_NLB,
];

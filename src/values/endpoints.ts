import type { IConstruct } from 'constructs';
import { check, Fix, NetproofError } from '../errors';
import { IPodSelector, podSelectionOf, Selector, toSelector } from './selector';
import { ServicePods } from './service';
import { EXTERNAL_NAMES, KUBE_DNS_LABELS, KUBE_DNS_NAMESPACE } from '../model/gke';
import { describePodSet, EndpointSetModel } from '../model/intent';
import { NAMESPACE_NAME_LABEL } from '../model/policy';
import { makeSelector, SELECT_ALL } from '../model/selector';
import { checkDns1123Label, checkDns1123Subdomain, checkFqdnName } from '../model/validate';

/**
 * What an intent talks about: pods (by selector, workload, namespace or name) or an external endpoint.
 * `Endpoints.workload(frontend)`, `Endpoints.namespace('payments')`, `Externals.INTERNET`.
 */
export class Endpoints {
  /** Pods matching `pods` in namespace `namespace` (in the chart's namespace when used with `chart.expect` and omitted). */
  public static pods(pods: IPodSelector, namespace?: string): Endpoints {
    const selector = toSelector(pods);
    if (namespace !== undefined) check(checkDns1123Label(namespace), 'Endpoints.pods', Fix.dns1123Label, `namespace "${namespace}"`);
    return new Endpoints((defaultNs) => {
      const ns = namespace ?? defaultNs;
      if (ns === undefined) throw new NetproofError('Endpoints.pods', `no namespace for pods ${selector}. Pass the namespace, e.g. Endpoints.pods(selector, 'shop')`);
      return podSet(makeSelector({ [NAMESPACE_NAME_LABEL]: ns }), selector.model);
    });
  }

  /** The pods of a workload (cdk8s-plus, or DeclaredWorkload), in its namespace (or the chart's). */
  public static workload(workload: IPodSelector): Endpoints {
    const { selector, namespace: ns, name } = podSelectionOf(workload);
    return new Endpoints((defaultNs) => {
      const namespace = ns ?? defaultNs;
      if (namespace === undefined) throw new NetproofError('Endpoints.workload', `workload ${name ?? selector} has no namespace. Give it one (metadata.namespace), or state the intent on a PolicyChart`);
      const text = `workload ${namespace}/${name ?? selector}`;
      const named = name !== undefined ? { workload: { namespace, name } } : {};
      return { ...podSet(makeSelector({ [NAMESPACE_NAME_LABEL]: namespace }), selector.model), text, ...named };
    });
  }

  /**
   * The pods behind a Service (cdk8s-plus `Service`, `KubeService`, or an ApiObject of kind Service): the
   * pods its selector matches in its namespace (or the chart's). Intents see pod ports: give the port as
   * `Port.ofService(service, 'http')` (the targetPort), not as the Service port number.
   */
  public static service(service: IConstruct): Endpoints {
    return Endpoints.servicePods(ServicePods.of(service, 'Endpoints.service'));
  }

  /** The pods of a ServicePods (what `Endpoints.service` makes). */
  public static servicePods(pods: ServicePods): Endpoints {
    return new Endpoints((defaultNs) => {
      const namespace = pods.namespace ?? defaultNs;
      if (namespace === undefined) throw new NetproofError('Endpoints.service', `Service ${pods.path} has no namespace. Give it one (metadata.namespace), or state the intent on a PolicyChart`);
      const set = podSet(makeSelector({ [NAMESPACE_NAME_LABEL]: namespace }), pods.selector.model);
      return { ...set, text: `service ${namespace}/${pods.serviceName}` };
    });
  }

  /** Every pod of one namespace. */
  public static namespace(name: string): Endpoints {
    check(checkDns1123Label(name), 'Endpoints.namespace', Fix.dns1123Label, `namespace "${name}"`);
    return new Endpoints(() => podSet(makeSelector({ [NAMESPACE_NAME_LABEL]: name }), SELECT_ALL));
  }

  /** Pods (all by default) of every namespace whose labels match. */
  public static namespaces(selector: Selector, pods?: IPodSelector): Endpoints {
    const p = pods === undefined ? SELECT_ALL : toSelector(pods).model;
    return new Endpoints(() => podSet(selector.model, p));
  }

  /** One pod by namespace and name (for cluster inventories). */
  public static pod(namespace: string, name: string): Endpoints {
    check(checkDns1123Label(namespace), 'Endpoints.pod', Fix.dns1123Label, `namespace "${namespace}"`);
    check(checkDns1123Subdomain(name), 'Endpoints.pod', Fix.dns1123Subdomain, `name "${name}"`);
    return new Endpoints(() => ({ kind: 'pod', namespace, name, text: `pod ${namespace}/${name}` }));
  }

  /** The external endpoint of that name (see `Externals` for the ones constructs imply). */
  public static external(name: string): Endpoints {
    if (!name || name.includes('/') || /\s/.test(name)) {
      throw new NetproofError('Endpoints.external', `external name "${name}" must be non-empty without "/" or spaces. Use the name of an external of the cluster model, e.g. "internet"`);
    }
    return new Endpoints(() => ({ kind: 'external', name, text: `external ${name}` }));
  }

  /** Every public address (see `Externals.INTERNET`). */
  public static internet(): Endpoints {
    return new Endpoints(() => ({ kind: 'internet', text: 'the internet' }));
  }

  /** Every external whose name starts with `prefix`. */
  public static externalGroup(prefix: string, description?: string): Endpoints {
    if (!prefix || prefix.includes('/')) throw new NetproofError('Endpoints.externalGroup', `prefix "${prefix}" must be non-empty without "/". Use the common start of the externals' names`);
    return new Endpoints(() => ({ kind: 'externalGroup', prefix, text: description ?? `externals ${prefix}*` }));
  }

  /** Externals with this hostname (what `AllowFqdn` allows). */
  public static fqdn(hostname: string): Endpoints {
    check(checkFqdnName(hostname), 'Endpoints.fqdn', Fix.fqdn, `hostname "${hostname}"`);
    return new Endpoints(() => ({ kind: 'hostname', hostname, text: `host ${hostname}` }));
  }

  private constructor(private readonly resolver: (defaultNamespace?: string) => EndpointSetModel) {}

  /** The model set; pods without a namespace are taken from `defaultNamespace`. @internal */
  public _resolve(defaultNamespace?: string): EndpointSetModel {
    return this.resolver(defaultNamespace);
  }

  public toString(): string {
    try { return this.resolver('<chart namespace>').text; } catch { return 'endpoints'; }
  }
}

function podSet(namespaces: ReturnType<typeof makeSelector>, pods: ReturnType<typeof makeSelector>): EndpointSetModel {
  return { kind: 'pods', namespaces, pods, text: describePodSet(namespaces, pods) };
}

/** The external endpoints that netproof's constructs imply, by the names the cluster model gives them. */
export class Externals {
  /**
   * The internet: every public address, by one representative per interval of the address space that
   * the policies' ipBlocks split (so "cannot reach the internet" holds for every public address).
   */
  public static readonly INTERNET = Endpoints.internet();
  public static readonly METADATA_SERVER = Endpoints.external(EXTERNAL_NAMES.metadataServer);
  /** Every Google health-check range that AllowLbHealthChecks admits (IPv4 and, when asked, IPv6). */
  public static readonly HEALTH_CHECKERS = Endpoints.externalGroup(EXTERNAL_NAMES.healthCheckPrefix, 'Google load-balancer health checkers');
  public static readonly PROXY_ONLY_SUBNET = Endpoints.external(EXTERNAL_NAMES.proxyOnlySubnet);
  public static readonly CONTROL_PLANE = Endpoints.external(EXTERNAL_NAMES.controlPlane);
  public static readonly NODE_LOCAL_DNS = Endpoints.external(EXTERNAL_NAMES.nodeLocalDns);
  public static readonly CLOUD_DNS = Endpoints.external(EXTERNAL_NAMES.cloudDns);
  /** kube-dns pods (`k8s-app=kube-dns` in kube-system); assumed present when the app does not declare them. */
  public static readonly KUBE_DNS = Endpoints.pods(Selector.labels({ ...KUBE_DNS_LABELS }), KUBE_DNS_NAMESPACE);
  private constructor() {}
}

import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyChart } from './policy-chart';
import { NETWORK_LOGGING_API_VERSION, NETWORK_LOGGING_KIND, NETWORK_LOGGING_NAME } from '../model/gke';

export interface NetworkLoggingProps {
  /**
   * Log connections that policies allow.
   * @default false
   */
  readonly logAllowed?: boolean;
  /**
   * Log allowed connections only for NetworkPolicies that ask for it (created under a PolicyLogging
   * scope: annotation `policy.network.gke.io/enable-logging: "true"`). Needs `logAllowed`.
   * @default false - every allowed connection is logged when `logAllowed` is true
   */
  readonly delegateAllowed?: boolean;
  /**
   * Log connections that policies deny.
   * @default false
   */
  readonly logDenied?: boolean;
  /**
   * Log denied connections only for pods of namespaces that ask for it (the namespace annotation
   * `policy.network.gke.io/enable-deny-logging: "true"`). Needs `logDenied`.
   * @default false - every denied connection is logged when `logDenied` is true
   */
  readonly delegateDenied?: boolean;
}

const NETWORK_LOGGING = Symbol.for('netproof.NetworkLogging');

/** One direction of `spec.cluster`: whether to log, and whether policies (allow) or namespaces (deny) decide. */
export interface NetworkLoggingAction {
  readonly log: boolean;
  readonly delegate: boolean;
}

/**
 * GKE network policy logging for the whole cluster: the cluster-scoped `NetworkLogging` object
 * (`networking.gke.io/v1alpha1`, always named `default`, so one per app) with `spec.cluster.allow` and
 * `spec.cluster.deny` (`log`, `delegate`). Needs Dataplane V2. Logging changes no verdict.
 */
export class NetworkLogging extends Construct {
  /** The `spec` as emitted. */
  public readonly spec: { readonly cluster: { readonly allow: NetworkLoggingAction; readonly deny: NetworkLoggingAction } };

  constructor(scope: Construct, id: string, props: NetworkLoggingProps = {}) {
    super(scope, id);
    const where = `NetworkLogging ${this.node.path}`;
    const profile = PolicyChart.of(this).profile;
    if (!profile.isDataplaneV2) throw new NetproofError(where, ConstructMessages.needsDataplaneV2('network policy logging (NetworkLogging)', profile.dataplane));
    const allow = { log: props.logAllowed ?? false, delegate: props.delegateAllowed ?? false };
    const deny = { log: props.logDenied ?? false, delegate: props.delegateDenied ?? false };
    if (allow.delegate && !allow.log) throw new NetproofError(where, ConstructMessages.delegateWithoutLog('delegateAllowed', 'logAllowed'));
    if (deny.delegate && !deny.log) throw new NetproofError(where, ConstructMessages.delegateWithoutLog('delegateDenied', 'logDenied'));
    Object.defineProperty(this, NETWORK_LOGGING, { value: true });
    this.spec = Object.freeze({ cluster: Object.freeze({ allow: Object.freeze(allow), deny: Object.freeze(deny) }) });
    const object = new ApiObject(this, 'Resource', {
      apiVersion: NETWORK_LOGGING_API_VERSION,
      kind: NETWORK_LOGGING_KIND,
      metadata: { name: NETWORK_LOGGING_NAME },
      spec: { cluster: { allow: { ...allow }, deny: { ...deny } } },
    });
    // Cluster-scoped: not in the chart's namespace.
    object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.node.addValidation({ validate: () => onlyOne(this) });
  }
}

/** The object is always named `default`: a second one in the app would replace the first. */
function onlyOne(self: NetworkLogging): string[] {
  const all = self.node.root.node.findAll().filter((c: IConstruct) => (c as any)[NETWORK_LOGGING] === true);
  return all[0] === self || all.length < 2 ? [] : [ConstructMessages.secondNetworkLogging(all[0].node.path)];
}

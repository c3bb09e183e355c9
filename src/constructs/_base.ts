/**
 * Internal base of the netproof policy constructs: finds the PolicyChart and the Pod-network scope,
 * names the policy from the construct id, validates ports and peers with the construct path in the
 * message, and registers the canonical model before rendering the manifest from it.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { canonicalFqdnRules, canonicalRules, renderFqdnPolicy, renderNetworkPolicy, toKubeNetworkPolicyProps } from '../emit/render';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyChart } from './policy-chart';
import { parseCidr, representativeAddress } from '../model/cidr';
import { POLICY_LOGGING_ANNOTATION } from '../model/gke';
import { FqdnPolicyModel, FqdnRuleModel, NETWORK_ANNOTATION, NetworkPolicyModel, PeerModel, PolicyType, RuleModel } from '../model/policy';
import { PortModel } from '../model/port';
import { LabelSelectorModel, SELECT_ALL } from '../model/selector';
import { checkDns1123Subdomain, checkPortName, checkPortNumber } from '../model/validate';
import { Peer } from '../values/peer';
import { Port } from '../values/port';
import { IPodSelector, toSelector } from '../values/selector';

/** Marks a PodNetworkScoped scope; its value is the network name. */
export const NETWORK_SCOPE = Symbol.for('netproof.PodNetworkScoped');
/** Marks a PolicyLogging scope. */
export const LOGGING_SCOPE = Symbol.for('netproof.PolicyLogging');

/** Is `construct` under a PolicyLogging scope? */
export function loggingScopeOf(construct: Construct): boolean {
  return construct.node.scopes.slice(0, -1).some((s) => (s as any)[LOGGING_SCOPE] === true);
}

/** Kebab-cases a construct id: `BackendFromFrontend` and `backend_from frontend` -> `backend-from-frontend`. */
export function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[\s_]+/g, '-')
    .toLowerCase();
}

/** The nearest PodNetworkScoped network above `construct`, if any. */
export function networkScopeOf(construct: Construct): string | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 2; i >= 0; i--) {
    const network = (scopes[i] as any)[NETWORK_SCOPE];
    if (typeof network === 'string') return network;
  }
  return undefined;
}

export abstract class PolicyConstructBase extends Construct {
  /** An ipBlock peer of one host or block, from trusted constants or validated profile values. */
  protected static ipBlock(cidr: string): PeerModel {
    return Peer.cidr(cidr)._resolve('') as PeerModel;
  }

  /** The chart (namespace and cluster profile) this policy belongs to. */
  public readonly chart: PolicyChart;
  /** The metadata.name of the emitted object. */
  public readonly policyName: string;
  /** The Pod-network this policy is scoped to (from an enclosing PodNetworkScoped). */
  public readonly network?: string;
  /** `<Construct> <path>`, the prefix of every error message. @internal */
  protected readonly where: string;

  protected constructor(scope: Construct, id: string, constructName: string, policyName: string | undefined) {
    super(scope, id);
    this.where = `${constructName} ${this.node.path}`;
    this.chart = PolicyChart.of(this);
    this.network = networkScopeOf(this);
    const name = policyName ?? kebabCase(id);
    const bad = checkDns1123Subdomain(name);
    if (bad !== undefined) throw new NetproofError(this.where, ConstructMessages.policyName(name, bad));
    this.policyName = name;
  }

  /** The selected pods; all pods of the namespace when not given. */
  protected podSelectorOf(pods: IPodSelector | undefined): LabelSelectorModel {
    return pods === undefined ? SELECT_ALL : toSelector(pods).model;
  }

  /** Validated port models; `all` when `ports` is undefined. */
  protected portsOf(ports: readonly Port[] | undefined, field = 'ports'): 'all' | PortModel[] {
    if (ports === undefined) return 'all';
    if (ports.length === 0) throw new NetproofError(this.where, ConstructMessages.emptyPorts, field);
    return ports.map((p, i) => this.checkPort(p.model, `${field}[${i}]`));
  }

  private checkPort(p: PortModel, field: string): PortModel {
    if (typeof p.port === 'string') {
      const bad = checkPortName(p.port);
      if (bad !== undefined) throw new NetproofError(this.where, `${bad}. Use the name of a container port, e.g. "http"`, field);
    } else if (p.port !== undefined) {
      const bad = checkPortNumber(p.port);
      if (bad !== undefined) throw new NetproofError(this.where, ConstructMessages.port(bad));
      if (p.endPort !== undefined) {
        const badEnd = checkPortNumber(p.endPort);
        if (badEnd !== undefined) throw new NetproofError(this.where, ConstructMessages.port(badEnd.replace(/^port/, 'endPort')));
        if (p.endPort < p.port) throw new NetproofError(this.where, ConstructMessages.portRange(p.port, p.endPort));
      }
    }
    return p;
  }

  /** Model peers as seen from this chart's namespace; `all` when any peer is Peer.anyone(). */
  protected peersOf(peers: readonly Peer[] | undefined, field: 'from' | 'to'): 'all' | PeerModel[] {
    if (peers === undefined || peers.length === 0) throw new NetproofError(this.where, ConstructMessages.noPeers(field));
    const resolved = peers.map((p) => p._resolve(this.chart.namespace));
    return resolved.some((p) => p === 'all') ? 'all' : (resolved as PeerModel[]);
  }

  private metadataOf(kind: 'NetworkPolicy' | 'FQDNNetworkPolicy'): { labels: Record<string, string>; annotations: Record<string, string> } {
    const logging = loggingScopeOf(this);
    if (logging && kind !== 'NetworkPolicy') throw new NetproofError(this.where, ConstructMessages.loggingNotForFqdn);
    return {
      labels: { ...this.chart.policyLabels },
      annotations: {
        ...(this.network === undefined ? {} : { [NETWORK_ANNOTATION]: this.network }),
        ...(logging ? { [POLICY_LOGGING_ANNOTATION]: 'true' } : {}),
      },
    };
  }

  /** Registers the canonical NetworkPolicy model and emits the manifest rendered from it. */
  protected emitNetworkPolicy(spec: {
    podSelector: LabelSelectorModel;
    policyTypes: readonly PolicyType[];
    ingress?: readonly RuleModel[];
    egress?: readonly RuleModel[];
  }): NetworkPolicyModel {
    const model: NetworkPolicyModel = deepFreeze({
      kind: 'NetworkPolicy',
      name: this.policyName,
      namespace: this.chart.namespace,
      ...(this.network === undefined ? {} : { network: this.network }),
      ...this.metadataOf('NetworkPolicy'),
      podSelector: spec.podSelector,
      policyTypes: (['Ingress', 'Egress'] as const).filter((t) => spec.policyTypes.includes(t)),
      ingress: canonicalRules(spec.ingress ?? []),
      egress: canonicalRules(spec.egress ?? []),
      source: { constructPath: this.node.path },
    });
    this.chart._registerPolicy(model, this.where);
    new k8s.KubeNetworkPolicy(this, 'Resource', toKubeNetworkPolicyProps(renderNetworkPolicy(model, { dataplane: this.chart.profile.dataplane })));
    return model;
  }

  /** Registers the canonical FQDNNetworkPolicy model and emits the GKE custom resource. */
  protected emitFqdnPolicy(spec: { podSelector: LabelSelectorModel; egress: readonly FqdnRuleModel[] }): FqdnPolicyModel {
    const model: FqdnPolicyModel = deepFreeze({
      kind: 'FQDNNetworkPolicy',
      name: this.policyName,
      namespace: this.chart.namespace,
      ...this.metadataOf('FQDNNetworkPolicy'),
      podSelector: spec.podSelector,
      egress: canonicalFqdnRules(spec.egress),
      source: { constructPath: this.node.path },
    });
    this.chart._registerPolicy(model, this.where);
    const manifest = renderFqdnPolicy(model) as any;
    new ApiObject(this, 'Resource', manifest);
    return model;
  }

  /** Records an external endpoint these rules imply (a host or a block), for the verifier. */
  protected addExternal(name: string, cidr: string, hostname?: string): void {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new NetproofError(this.where, `internal: bad implied external CIDR "${cidr}"`);
    const ip = representativeAddress(parsed.value);
    this.chart._addExternal({
      name,
      ip,
      cidr: parsed.value.canonical,
      ...(hostname === undefined ? {} : { hostname }),
      source: { constructPath: this.node.path },
    });
  }
}

/** Freezes a model and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

import { check, ClusterFix, ClusterMessages, Fix, NetproofError } from '../errors';
import { Cidr } from './cidr';
import { PodsInOptions } from './peer';
import { IPodSelector, LabelExpression, podSelectionOf, Selector, toSelector } from './selector';
import { KUBE_DNS_LABELS, KUBE_DNS_NAMESPACE } from '../model/gke';
import { describePodSet } from '../model/intent';
import { CnpPeerModel, CnpPodsModel, NAMESPACE_NAME_LABEL } from '../model/policy';
import { describeSelector, isSelectAll, SELECT_ALL } from '../model/selector';
import { checkDns1123Label } from '../model/validate';
import { cnpPeerProblems } from '../model/validate-cnp';

/**
 * Anything a ClusterNetworkPolicy rule takes as a peer: `ClusterPods` (namespaces and pods, ingress and
 * egress) and `ClusterPeer` (networks, nodes and domain names, egress only).
 */
export interface IClusterPeer {
  /** The peer this stands for. */
  toClusterPeer(): ClusterPeer;
}

/**
 * Pods chosen cluster-wide, by namespace labels AND pod labels: the subject of a ClusterNetworkPolicy, or
 * a peer of its rules. `ClusterPods.namespaces(Selector.labels({ tenant: 'a' }))`,
 * `ClusterPods.namespace('kube-system', Selector.labels({ 'k8s-app': 'kube-dns' }))`, `ClusterPods.workload(api)`.
 */
export class ClusterPods implements IClusterPeer {
  /** kube-dns: pods `k8s-app=kube-dns` in `kube-system`. */
  public static readonly KUBE_DNS = ClusterPods.namespace(KUBE_DNS_NAMESPACE, Selector.labels({ ...KUBE_DNS_LABELS }));

  /** Every pod of every namespace (or the pods that match `pods`). */
  public static allNamespaces(pods?: IPodSelector): ClusterPods {
    return ClusterPods.podsIn({ pods }, 'ClusterPods.allNamespaces');
  }

  /** Every pod (or the pods that match `pods`) of one namespace, by name. */
  public static namespace(name: string, pods?: IPodSelector): ClusterPods {
    return ClusterPods.podsIn({ namespaces: [name], pods }, 'ClusterPods.namespace');
  }

  /** Every pod (or the pods that match `pods`) of every namespace whose labels match `selector`. */
  public static namespaces(selector: Selector, pods?: IPodSelector): ClusterPods {
    return ClusterPods.podsIn({ namespaceSelector: selector, pods }, 'ClusterPods.namespaces');
  }

  /**
   * The pods of a cdk8s-plus workload or Pod, or a DeclaredWorkload, in the workload's namespace (it
   * needs one: a ClusterNetworkPolicy has no namespace to default to).
   */
  public static workload(workload: IPodSelector): ClusterPods {
    const { selector, namespace, name } = podSelectionOf(workload);
    if (namespace === undefined) throw new NetproofError('ClusterPods.workload', ClusterMessages.noNamespace(name ?? String(selector)));
    return ClusterPods.podsIn({ namespaces: [namespace], pods: selector }, 'ClusterPods.workload');
  }

  /**
   * Pods chosen by namespace names and/or namespace labels (AND), and pod labels. Without `pods` (or with
   * a selector of every pod) it is the `namespaces` form of the API, else the `pods` form.
   */
  public static podsIn(options: PodsInOptions, where = 'ClusterPods.podsIn'): ClusterPods {
    const names = options.namespaces ?? [];
    for (const n of names) check(checkDns1123Label(n), where, Fix.dns1123Label, `namespace "${n}"`);
    if (options.namespaces !== undefined && names.length === 0) throw new NetproofError(where, ClusterMessages.emptyNamespaces);
    let ns = options.namespaceSelector ?? Selector.all();
    const unique = [...new Set(names)];
    if (unique.length === 1) ns = ns.withLabels({ [NAMESPACE_NAME_LABEL]: unique[0] });
    else if (unique.length > 1) ns = ns.withExpressions(LabelExpression.in(NAMESPACE_NAME_LABEL, unique));
    const pods = options.pods === undefined ? SELECT_ALL : toSelector(options.pods).model;
    return new ClusterPods(isSelectAll(pods) ? { namespaces: ns.model } : { namespaces: ns.model, pods });
  }

  private constructor(
    /** The model form: `pods` absent for the `namespaces` form (every pod of those namespaces). */
    public readonly model: CnpPodsModel,
  ) {
    Object.freeze(model);
  }

  /** This selection as a rule peer. */
  public toClusterPeer(): ClusterPeer {
    return ClusterPeer._of({ kind: 'pods', ...this.model }, this.toString());
  }

  /** "all pods in ns shop", "pods app=web in namespaces tenant=a". */
  public toString(): string {
    return describePodSet(this.model.namespaces, this.model.pods ?? SELECT_ALL);
  }
}

/**
 * A peer of a ClusterNetworkPolicy egress rule that is not a pod selection: `ClusterPeer.networks('10.0.0.0/8')`
 * (CIDRs, which match pod IPs too, on every dataplane), `ClusterPeer.nodes(selector)` (node IPs),
 * `ClusterPeer.domainNames('*.googleapis.com')` (Accept rules only). Pods and namespaces are `ClusterPods`.
 */
export class ClusterPeer implements IClusterPeer {
  /**
   * IPv4 and IPv6 CIDR blocks (1 to 25). They also match pod and node IPs inside them: `0.0.0.0/0` is all
   * IPv4 traffic, pods included.
   */
  public static networks(...cidrs: string[]): ClusterPeer {
    const where = 'ClusterPeer.networks';
    const canonical = [...new Set(cidrs.map((c, i) => String(Cidr.of(c, `${where} cidrs[${i}]`))))].sort();
    return ClusterPeer.checked({ kind: 'networks', cidrs: canonical }, `networks ${canonical.join(',')}`, where);
  }

  /** The IPs of the nodes whose labels match `selector` (`Selector.all()`: every node). */
  public static nodes(selector: Selector): ClusterPeer {
    return ClusterPeer.checked({ kind: 'nodes', selector: selector.model }, `nodes ${describeSelector(selector.model)}`, 'ClusterPeer.nodes');
  }

  /**
   * Domain names (1 to 25): `api.example.com` exactly, or `*.example.com` for one or more labels before
   * `example.com`. Only in Accept rules.
   */
  public static domainNames(...names: string[]): ClusterPeer {
    const unique = [...new Set(names)].sort();
    return ClusterPeer.checked({ kind: 'domainNames', names: unique }, `domain names ${unique.join(',')}`, 'ClusterPeer.domainNames');
  }

  /** A peer from a validated model. @internal */
  public static _of(model: CnpPeerModel, text: string): ClusterPeer {
    return new ClusterPeer(model, text);
  }

  private static checked(model: CnpPeerModel, text: string, where: string): ClusterPeer {
    const problem = cnpPeerProblems(model, 'peer')[0];
    if (problem !== undefined) throw new NetproofError(where, `${problem.reason}. ${ClusterFix[problem.code]}`);
    return new ClusterPeer(model, text);
  }

  private constructor(
    /** The model form. */
    public readonly model: CnpPeerModel,
    private readonly text: string,
  ) {
    Object.freeze(model);
  }

  public toClusterPeer(): ClusterPeer { return this; }

  /** May this peer be in an ingress rule (namespaces and pods only)? */
  public get isIngressPeer(): boolean { return this.model.kind === 'pods'; }

  public toString(): string { return this.text; }
}

import type { IConstruct } from 'constructs';
import { check, Fix, NetproofError } from '../errors';

import { Cidr } from './cidr';
import { IPodSelector, LabelExpression, podSelectionOf, Selector, toSelector } from './selector';
import { ServicePods } from './service';
import { NAMESPACE_NAME_LABEL, PeerModel } from '../model/policy';
import { describeSelector, makeSelector, SELECT_ALL } from '../model/selector';
import { checkDns1123Label } from '../model/validate';

export interface CidrPeerOptions {
  /**
   * Blocks inside the CIDR that are not matched. Each must be strictly inside it and of the same family.
   * @default - no exceptions
   */
  readonly except?: string[];
}

export interface PodsInOptions {
  /**
   * Namespaces by name (`kubernetes.io/metadata.name`). With `namespaceSelector`, both must hold (AND).
   * @default - no constraint on the name
   */
  readonly namespaces?: string[];
  /**
   * Namespaces by labels. With `namespaces`, both must hold (AND).
   * @default - no constraint on namespace labels
   */
  readonly namespaceSelector?: Selector;
  /**
   * Pods within those namespaces.
   * @default - all pods of the selected namespaces
   */
  readonly pods?: IPodSelector;
}

/**
 * The other end of a rule: pods (in the policy's namespace or chosen namespaces), an IP block, or anyone.
 * `Peer.pods(Selector.labels({ app: 'web' }))`, `Peer.namespace('monitoring')`, `Peer.cidr('10.0.0.0/8', { except })`.
 */
export class Peer {
  /** Every source or destination, pod or not (a rule without from/to). */
  public static anyone(): Peer {
    return new Peer('anyone', () => 'all');
  }

  /** Pods of the policy's own namespace. */
  public static pods(pods: IPodSelector): Peer {
    const selector = toSelector(pods);
    return new Peer(`pods ${selector} in the policy's namespace`, () => ({ kind: 'pods', namespaces: { kind: 'own' }, pods: selector.model }));
  }

  /**
   * The pods of a workload (cdk8s-plus, or DeclaredWorkload), in the workload's namespace (or the
   * policy's when it has none).
   */
  public static workload(workload: IPodSelector): Peer {
    const { selector, namespace: ns, name } = podSelectionOf(workload);
    return new Peer(`workload ${name ?? selector}${ns ? ` in ns ${ns}` : ''}`, (policyNamespace) =>
      ns === undefined || ns === policyNamespace
        ? { kind: 'pods', namespaces: { kind: 'own' }, pods: selector.model }
        : { kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ [NAMESPACE_NAME_LABEL]: ns }) }, pods: selector.model });
  }

  /**
   * The pods behind a Service (cdk8s-plus `Service`, `KubeService`, or an ApiObject of kind Service): the
   * pods its selector matches, in its namespace (or the policy's when it names none). Pair it with
   * `Port.ofService(service, 'http')`: a rule allows pod ports (the targetPort), not Service ports.
   */
  public static service(service: IConstruct): Peer {
    const pods = ServicePods.of(service, 'Peer.service');
    const ns = pods.namespace;
    const selector = pods.selector.model;
    return new Peer(String(pods), (policyNamespace) =>
      ns === undefined || ns === policyNamespace
        ? { kind: 'pods', namespaces: { kind: 'own' }, pods: selector }
        : { kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ [NAMESPACE_NAME_LABEL]: ns }) }, pods: selector });
  }

  /** Pods (all by default) of one namespace, by name. */
  public static namespace(name: string, pods?: IPodSelector): Peer {
    return Peer.podsIn({ namespaces: [name], pods }, 'Peer.namespace');
  }

  /** Pods (all by default) of every namespace whose labels match. */
  public static namespaces(selector: Selector, pods?: IPodSelector): Peer {
    return Peer.podsIn({ namespaceSelector: selector, pods }, 'Peer.namespaces');
  }

  /** Pods (all by default) of every namespace. */
  public static allNamespaces(pods?: IPodSelector): Peer {
    return Peer.podsIn({ namespaceSelector: Selector.all(), pods }, 'Peer.allNamespaces');
  }

  /** Pods chosen by namespace names and/or namespace labels (AND), and pod labels. */
  public static podsIn(options: PodsInOptions, where = 'Peer.podsIn'): Peer {
    const names = options.namespaces ?? [];
    for (const n of names) check(checkDns1123Label(n), where, Fix.dns1123Label, `namespace "${n}"`);
    if (options.namespaces !== undefined && names.length === 0) {
      throw new NetproofError(where, 'namespaces is an empty list, which would select nothing. Name at least one namespace, or leave it out');
    }
    let ns = options.namespaceSelector ?? Selector.all();
    if (names.length === 1) ns = ns.withLabels({ [NAMESPACE_NAME_LABEL]: names[0] });
    else if (names.length > 1) ns = ns.withExpressions(LabelExpression.in(NAMESPACE_NAME_LABEL, names));
    const pods = options.pods === undefined ? SELECT_ALL : toSelector(options.pods).model;
    const text = `pods ${describeSelector(pods)} in ${names.length ? `ns ${names.join(',')}` : ''}${names.length && options.namespaceSelector ? ' and ' : ''}${options.namespaceSelector || !names.length ? `namespaces ${ns}` : ''}`;
    return new Peer(text, () => ({ kind: 'pods', namespaces: { kind: 'selector', selector: ns.model }, pods }));
  }

  /** An IP block (IPv4 or IPv6), minus `except`. */
  public static cidr(cidr: string, options: CidrPeerOptions = {}): Peer {
    const block = Cidr.of(cidr, 'Peer.cidr');
    const except = (options.except ?? []).map((e) => Cidr.of(e, 'Peer.cidr except'));
    for (const e of except) {
      if (e.family !== block.family || !block.contains(e) || e.parsed.prefix === block.parsed.prefix) {
        throw new NetproofError('Peer.cidr', `except "${e}" is not strictly inside cidr "${block}". ${Fix.except}`);
      }
    }
    const exceptText = [...new Set(except.map(String))].sort();
    return new Peer(`cidr ${block}${exceptText.length ? ` except ${exceptText.join(',')}` : ''}`,
      () => ({ kind: 'ipBlock', cidr: String(block), except: exceptText }), block);
  }

  private constructor(
    private readonly text: string,
    private readonly resolver: (policyNamespace: string) => PeerModel | 'all',
    /** The block, for ipBlock peers (constructs use it for profile lints). @internal */
    public readonly _cidr?: Cidr,
  ) {}

  /** The model peer as seen from a policy in `policyNamespace`; `all` for anyone. @internal */
  public _resolve(policyNamespace: string): PeerModel | 'all' {
    return this.resolver(policyNamespace);
  }

  public toString(): string { return this.text; }
}


import { ClusterFix, ClusterMessages, NetproofError } from '../errors';
import { ClusterPeer, IClusterPeer } from './cluster-peer';
import { ClusterProtocol } from './cluster-protocol';
import { CnpAction, CnpPeerModel, CnpRuleModel } from '../model/policy';
import { PROTOCOLS } from '../model/port';
import { compareStrings } from '../model/selector';
import { cnpRuleProblems } from '../model/validate-cnp';

export interface ClusterRuleOptions {
  /**
   * The ports and protocols the rule matches.
   * @default - every port of every protocol
   */
  readonly protocols?: ClusterProtocol[];
  /**
   * The rule's name (at most 100 characters); implementations show it in logs, `netproof explain` in its
   * verdicts.
   * @default - no name
   */
  readonly name?: string;
}

/**
 * One ingress or egress rule of a ClusterNetworkPolicy: an action for traffic from (ingress) or to
 * (egress) the peers, on the protocols. Rules are checked in order and the first that matches decides:
 * `ClusterRule.accept(...)` allows that direction with no NetworkPolicy processing, `ClusterRule.deny(...)`
 * drops, `ClusterRule.pass(...)` hands the traffic to the next tier (NetworkPolicies after the Admin
 * tier, the Baseline tier after NetworkPolicies).
 */
export class ClusterRule {
  public static accept(peers: IClusterPeer[], options: ClusterRuleOptions = {}): ClusterRule {
    return ClusterRule.make('Accept', peers, options, 'ClusterRule.accept');
  }

  public static deny(peers: IClusterPeer[], options: ClusterRuleOptions = {}): ClusterRule {
    return ClusterRule.make('Deny', peers, options, 'ClusterRule.deny');
  }

  public static pass(peers: IClusterPeer[], options: ClusterRuleOptions = {}): ClusterRule {
    return ClusterRule.make('Pass', peers, options, 'ClusterRule.pass');
  }

  private static make(action: CnpAction, peers: IClusterPeer[], options: ClusterRuleOptions, where: string): ClusterRule {
    if (peers.length === 0) throw new NetproofError(where, ClusterMessages.noPeers(where));
    if (options.protocols !== undefined && options.protocols.length === 0) throw new NetproofError(where, ClusterMessages.emptyProtocols);
    // A rule's peers and protocols entries are unions: written sorted (pods, networks, nodes, domain names;
    // protocols by protocol and port, names last), each once, so their order in the code never shows.
    const uniquePeers = canonical(peers.map((p) => p.toClusterPeer()), peerKey);
    const protocols = options.protocols === undefined ? undefined : canonical(options.protocols, protocolKey);
    const model: CnpRuleModel = {
      name: options.name ?? '',
      action,
      peers: uniquePeers.map((p) => p.model),
      protocols: protocols === undefined ? 'all' : protocols.map((p) => p.model),
    };
    const problem = cnpRuleProblems(model, 'rule')[0];
    if (problem !== undefined) throw new NetproofError(where, `${problem.reason}. ${ClusterFix[problem.code]}`);
    return new ClusterRule(Object.freeze(model), uniquePeers, protocols ?? []);
  }

  private constructor(
    /** The model form. */
    public readonly model: CnpRuleModel,
    private readonly peers: readonly ClusterPeer[],
    private readonly protocols: readonly ClusterProtocol[],
  ) {}

  public get action(): CnpAction { return this.model.action; }

  /** "Deny namespaces tenant notin (a) on every port", "Accept pods k8s-app=kube-dns in ns kube-system on UDP 53, TCP 53". */
  public toString(): string {
    const name = this.model.name ? ` "${this.model.name}"` : '';
    const protocols = this.protocols.length === 0 ? 'every port' : this.protocols.map(String).join(', ');
    return `${this.model.action}${name} ${this.peers.map(String).join('; ')} on ${protocols}`;
  }
}

const PEER_ORDER: readonly CnpPeerModel['kind'][] = ['pods', 'networks', 'nodes', 'domainNames', 'unknown'];

function peerKey(p: ClusterPeer): string {
  return `${PEER_ORDER.indexOf(p.model.kind)}${JSON.stringify(p.model)}`;
}

function protocolKey(p: ClusterProtocol): string {
  const m = p.model;
  if ('namedPort' in m) return `9${m.namedPort}`;
  return `${PROTOCOLS.indexOf(m.protocol)}${String(m.port).padStart(5, '0')}${String(m.endPort ?? 0).padStart(5, '0')}`;
}

/** Sorted by `key`, each key once. */
function canonical<T>(items: readonly T[], key: (t: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const t of items) if (!byKey.has(key(t))) byKey.set(key(t), t);
  return [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k)!);
}

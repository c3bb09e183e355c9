import { Construct } from 'constructs';
import { PolicyConstructBase } from './_base';
import { NetworkPolicyModel, PeerModel } from '../model/policy';
import { SELECT_ALL } from '../model/selector';
import { Peer } from '../values/peer';

export interface NamespaceIsolationProps {
  /**
   * Peers outside the namespace that may still connect (e.g. `Peer.namespace('monitoring')`).
   * @default - none: only pods of the same namespace
   */
  readonly exceptions?: Peer[];
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** Tenant-per-namespace: pods of the namespace accept ingress only from pods of the same namespace and the exceptions. */
export class NamespaceIsolation extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: NamespaceIsolationProps = {}) {
    super(scope, id, 'NamespaceIsolation', props.policyName);
    const own: PeerModel = { kind: 'pods', namespaces: { kind: 'own' }, pods: SELECT_ALL };
    const exceptions = props.exceptions === undefined || props.exceptions.length === 0 ? [] : this.peersOf(props.exceptions, 'from');
    const peers = exceptions === 'all' ? 'all' : [own, ...exceptions];
    this.model = this.emitNetworkPolicy({ podSelector: SELECT_ALL, policyTypes: ['Ingress'], ingress: [{ peers, ports: 'all' }] });
  }
}

import { Construct } from 'constructs';
import { PolicyConstructBase } from './_base';
import { NetworkPolicyModel } from '../model/policy';
import { Peer } from '../values/peer';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';

export interface AllowFromProps {
  /**
   * The pods that receive the traffic.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /** Who may connect. At least one; `Peer.anyone()` for every source. */
  readonly from: Peer[];
  /**
   * Destination ports on the selected pods.
   * @default - every port of every protocol
   */
  readonly ports?: Port[];
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** Allows ingress to the selected pods from the peers on the ports (policyTypes: Ingress). */
export class AllowFrom extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowFromProps) {
    super(scope, id, 'AllowFrom', props.policyName);
    const podSelector = this.podSelectorOf(props.pods);
    const peers = this.peersOf(props.from, 'from');
    const ports = this.portsOf(props.ports);
    this.model = this.emitNetworkPolicy({ podSelector, policyTypes: ['Ingress'], ingress: [{ peers, ports }] });
  }
}

import { Construct } from 'constructs';
import { PolicyConstructBase } from './_base';
import { NetworkPolicyModel } from '../model/policy';
import { Peer } from '../values/peer';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';

export interface AllowToProps {
  /**
   * The pods that open the connections.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /** Where they may connect. At least one; `Peer.anyone()` for every destination. */
  readonly to: Peer[];
  /**
   * Destination ports.
   * @default - every port of every protocol
   */
  readonly ports?: Port[];
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** Allows egress from the selected pods to the peers on the ports (policyTypes: Egress). */
export class AllowTo extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowToProps) {
    super(scope, id, 'AllowTo', props.policyName);
    const podSelector = this.podSelectorOf(props.pods);
    const peers = this.peersOf(props.to, 'to');
    const ports = this.portsOf(props.ports);
    this.model = this.emitNetworkPolicy({ podSelector, policyTypes: ['Egress'], egress: [{ peers, ports }] });
  }
}

import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { NETWORK_SCOPE } from './_base';
import { PolicyChart } from './policy-chart';

export interface PodNetworkScopedProps {
  /** The GKE Pod-network; must be declared in the chart's cluster profile (`podNetworks`). */
  readonly network: string;
}

/**
 * A scope: every netproof NetworkPolicy created under it carries `networking.gke.io/network: <network>`
 * and applies only to traffic on that Pod-network. Needs Dataplane V2; FQDN policies cannot be scoped.
 */
export class PodNetworkScoped extends Construct {
  public readonly network: string;

  constructor(scope: Construct, id: string, props: PodNetworkScopedProps) {
    super(scope, id);
    const where = `PodNetworkScoped ${this.node.path}`;
    const chart = PolicyChart.of(this);
    const profile = chart.profile;
    if (!profile.isDataplaneV2) {
      throw new NetproofError(where, ConstructMessages.needsDataplaneV2('a Pod-network scope (networking.gke.io/network)', profile.dataplane));
    }
    if (!profile.hasPodNetwork(props.network)) {
      throw new NetproofError(where, ConstructMessages.undeclaredNetwork(props.network, profile.podNetworks));
    }
    this.network = props.network;
    Object.defineProperty(this, NETWORK_SCOPE, { value: props.network });
  }
}

import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { LOGGING_SCOPE } from './_base';
import { PolicyChart } from './policy-chart';

/** PolicyLogging has no options yet; its presence is the choice. */
export interface PolicyLoggingProps {}

/**
 * A scope: every netproof NetworkPolicy created under it carries the GKE annotation
 * `policy.network.gke.io/enable-logging: "true"`, so the connections it allows are logged when the
 * cluster's `NetworkLogging` delegates allow logging to policies (`logAllowed` and `delegateAllowed`).
 * Needs Dataplane V2 (GKE network policy logging).
 */
export class PolicyLogging extends Construct {
  constructor(scope: Construct, id: string, _props: PolicyLoggingProps = {}) {
    super(scope, id);
    const profile = PolicyChart.of(this).profile;
    if (!profile.isDataplaneV2) {
      throw new NetproofError(`PolicyLogging ${this.node.path}`, ConstructMessages.needsDataplaneV2('network policy logging (policy.network.gke.io/enable-logging)', profile.dataplane));
    }
    Object.defineProperty(this, LOGGING_SCOPE, { value: true });
  }
}

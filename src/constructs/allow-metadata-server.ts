import { Construct } from 'constructs';
import { PolicyConstructBase } from './_base';
import { EXTERNAL_NAMES, METADATA_SERVER_HOSTNAME } from '../model/gke';
import { NetworkPolicyModel } from '../model/policy';
import { metadataServerEndpoint } from '../values/metadata-endpoint';
import { IPodSelector } from '../values/selector';


export interface AllowMetadataServerProps {
  /**
   * The pods that use Workload Identity.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/**
 * Allows egress to the GKE metadata server (Workload Identity), chosen from the cluster profile:
 * Dataplane V2 169.254.169.254/32 TCP 80; GKE >= 1.21.0-gke.1000 169.254.169.252/32 TCP 988;
 * earlier 127.0.0.1/32 TCP 988.
 */
export class AllowMetadataServer extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowMetadataServerProps = {}) {
    super(scope, id, 'AllowMetadataServer', props.policyName);
    const endpoint = metadataServerEndpoint(this.chart.profile, this.where);
    this.addExternal(EXTERNAL_NAMES.metadataServer, endpoint.cidr, METADATA_SERVER_HOSTNAME);
    this.model = this.emitNetworkPolicy({
      podSelector: this.podSelectorOf(props.pods),
      policyTypes: ['Egress'],
      egress: [{ peers: [PolicyConstructBase.ipBlock(endpoint.cidr)], ports: [endpoint.port.model] }],
    });
  }
}

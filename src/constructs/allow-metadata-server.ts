import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { ClusterProfile } from './cluster-profile';
import { GkeVersion } from './gke-version';
import { NetworkPolicyModel } from '../model/policy';
import { Port } from '../values/port';
import { IWorkloadLike, Selector } from '../values/selector';

/** From this GKE version on (without Dataplane V2), the GKE metadata server listens on 169.254.169.252:988. */
export const METADATA_SERVER_NEW_ADDRESS_SINCE = GkeVersion.parse('1.21.0-gke.1000');

/** Where the GKE metadata server (Workload Identity) is reached from pods, for a cluster profile. */
export interface MetadataServerEndpoint {
  readonly cidr: string;
  readonly port: Port;
}

/** The metadata server endpoint the profile implies; throws (with `where`) when it cannot be known. */
export function metadataServerEndpoint(profile: ClusterProfile, where = 'metadataServerEndpoint'): MetadataServerEndpoint {
  if (profile.isDataplaneV2) return { cidr: '169.254.169.254/32', port: Port.tcp(80) };
  if (profile.gkeVersion === undefined) throw new NetproofError(where, ConstructMessages.metadataNeedsVersion);
  return profile.gkeVersion.isAtLeast(METADATA_SERVER_NEW_ADDRESS_SINCE)
    ? { cidr: '169.254.169.252/32', port: Port.tcp(988) }
    : { cidr: '127.0.0.1/32', port: Port.tcp(988) };
}

export interface AllowMetadataServerProps {
  /**
   * The pods that use Workload Identity.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: Selector | IWorkloadLike;
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
    this.addExternal('metadata-server', endpoint.cidr, 'metadata.google.internal');
    this.model = this.emitNetworkPolicy({
      podSelector: this.podSelectorOf(props.pods),
      policyTypes: ['Egress'],
      egress: [{ peers: [PolicyConstructBase.ipBlock(endpoint.cidr)], ports: [endpoint.port.model] }],
    });
  }
}

/** Where pods reach the GKE metadata server, by cluster profile (no construct classes here: lints use it too). */
import { ConstructMessages, NetproofError } from '../errors';
import { ClusterProfile } from './cluster-profile';
import { GkeVersion } from './gke-version';
import { Port } from './port';
import { METADATA_SERVER } from '../model/gke';

/** From this GKE version on (without Dataplane V2), the GKE metadata server listens on 169.254.169.252:988. */
export const METADATA_SERVER_NEW_ADDRESS_SINCE = GkeVersion.parse(METADATA_SERVER.currentSince);

/** Where the GKE metadata server (Workload Identity) is reached from pods, for a cluster profile. */
export interface MetadataServerEndpoint {
  readonly cidr: string;
  readonly port: Port;
}

/** The metadata server endpoint the profile implies; throws (with `where`) when it cannot be known. */
export function metadataServerEndpoint(profile: ClusterProfile, where = 'metadataServerEndpoint'): MetadataServerEndpoint {
  const at = (e: { readonly cidr: string; readonly port: number }): MetadataServerEndpoint => ({ cidr: e.cidr, port: Port.tcp(e.port) });
  if (profile.isDataplaneV2) return at(METADATA_SERVER.dataplaneV2);
  if (profile.gkeVersion === undefined) throw new NetproofError(where, ConstructMessages.metadataNeedsVersion);
  return profile.gkeVersion.isAtLeast(METADATA_SERVER_NEW_ADDRESS_SINCE)
    ? at(METADATA_SERVER.current)
    : at(METADATA_SERVER.legacy);
}


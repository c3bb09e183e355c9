/** What the verifier evaluates policies against: namespaces, pods, non-pod endpoints, and the dataplane. */
import { SourceRef } from './policy';
import { Protocol } from './port';
import { Labels } from './selector';

export type Dataplane = 'upstream' | 'calico' | 'dataplane-v2';
export const DATAPLANES: readonly Dataplane[] = ['upstream', 'calico', 'dataplane-v2'];
export const DEFAULT_NETWORK = 'default';

export interface ContainerPortModel {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface PodModel {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** Pod IP (IPv4 or IPv6), when known. */
  readonly ip?: string;
  readonly ports: readonly ContainerPortModel[];
  /** Pod-networks the pod is attached to; `['default']` unless stated. */
  readonly networks: readonly string[];
  readonly source?: SourceRef;
}

/** A named non-pod endpoint: metadata server, health checkers, internet, control plane, ... */
export interface ExternalModel {
  readonly name: string;
  readonly ip: string;
  /** For FQDNNetworkPolicy matching. */
  readonly hostname?: string;
  readonly source?: SourceRef;
}

export interface ClusterModel {
  /** Namespace name -> labels; `kubernetes.io/metadata.name` is always present (implied). */
  readonly namespaces: Readonly<Record<string, Labels>>;
  readonly pods: readonly PodModel[];
  readonly externals: readonly ExternalModel[];
}

/** What the verifier evaluates policies against: namespaces, pods, non-pod endpoints, and the dataplane. */
import { SourceRef } from './policy';
import { Protocol } from './port';
import { Labels } from './selector';

export type Dataplane = 'upstream' | 'calico' | 'dataplane-v2';
export const DATAPLANES: readonly Dataplane[] = ['upstream', 'calico', 'dataplane-v2'];
export const DEFAULT_NETWORK = 'default';

/** Labels a controller gives each pod that differ between the pods of one workload. */
export const PER_POD_LABEL_KEYS: readonly string[] = Object.freeze([
  'pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'pod-template-generation',
]);

/** Every label a controller adds to the pods it makes from a template (any value): per pod, and per Job. */
export const CONTROLLER_LABEL_KEYS: readonly string[] = Object.freeze([
  ...PER_POD_LABEL_KEYS, 'batch.kubernetes.io/job-name', 'job-name', 'batch.kubernetes.io/controller-uid', 'controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

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
  /**
   * The Kubernetes ServiceAccount the pod runs as (`spec.serviceAccountName`), when the input says.
   * @default - not stated
   */
  readonly serviceAccount?: string;
  /**
   * Set on the second pod of a workload with two or more replicas: the name of the first (`web` for
   * `web#2`). Replicas are distinct pods (only a pod and its own IP are loopback); an intent or flag
   * naming the workload's pod (`shop/web`) means both.
   */
  readonly replicaOf?: string;
  readonly source?: SourceRef;
}

/** The id suffix of a workload's second replica: `shop/web#2`. */
export const SECOND_REPLICA_SUFFIX = '#2';

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
  /**
   * The Pod ranges (canonical CIDRs), when the input states them: the IPs of pods that could exist, and
   * addresses that are not hosts.
   * @default - unknown
   */
  readonly podCidrs?: readonly string[];
  /**
   * Nodes, for ClusterNetworkPolicy `nodes` peers. Nodes are not endpoints: an external declared at one
   * of a node's IPs stands for that node.
   * @default - none
   */
  readonly nodes?: readonly NodeModel[];
}

/** A cluster node: its labels and its addresses (`status.addresses`). */
export interface NodeModel {
  readonly name: string;
  readonly labels: Labels;
  /** Canonical IP addresses. */
  readonly ips: readonly string[];
  readonly source?: SourceRef;
}

/** One port of a Service: `port` as clients use it, `targetPort` (a number or a container port name) on the pods. */
export interface ServicePortModel {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: Protocol;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** A Kubernetes Service: its pods (by selector) and ports. */
export interface ServiceModel {
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /** Pod labels the Service selects; undefined for a Service without a selector. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePortModel[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly source?: SourceRef;
}

/** A Service an Ingress sends traffic to, on a Service port (number or name). */
export interface IngressBackendModel {
  readonly service: string;
  /** The Service port by number or name; undefined when the backend names none. */
  readonly port?: number | string;
}

export interface IngressModel {
  readonly namespace: string;
  readonly name: string;
  readonly backends: readonly IngressBackendModel[];
  readonly annotations: Readonly<Record<string, string>>;
  /** spec.ingressClassName, when set. */
  readonly ingressClassName?: string;
  readonly source?: SourceRef;
}

export interface ServiceAccountModel {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly source?: SourceRef;
}

/**
 * What an input says besides policies and pods that checks need: Services and Ingresses (load-balanced
 * pods, health checks), ServiceAccounts (Workload Identity).
 */
export interface ManifestFacts {
  readonly services: readonly ServiceModel[];
  readonly ingresses: readonly IngressModel[];
  readonly serviceAccounts: readonly ServiceAccountModel[];
}

export const NO_MANIFEST_FACTS: ManifestFacts = Object.freeze({ services: [], ingresses: [], serviceAccounts: [] });

/**
 * The cluster facts verification needs beyond pods and policies: the dataplane, the declared Pod-networks
 * and ranges, and where pods reach the GKE metadata server. Plain data (the app layer derives it from a
 * ClusterProfile; the CLI from its flags).
 */
export interface ProfileModel {
  readonly dataplane: Dataplane;
  /**
   * Pod-networks declared for the cluster (`default` included).
   * @default - the networks pods are attached to
   */
  readonly podNetworks?: readonly string[];
  /** Pod IP ranges (canonical CIDR text). */
  readonly podCidrs: readonly string[];
  /** Service (ClusterIP) ranges (canonical CIDR text). */
  readonly serviceCidrs: readonly string[];
  /**
   * Where pods reach the GKE metadata server.
   * @default - unknown (the Workload Identity check is skipped)
   */
  readonly metadataServer?: { readonly ip: string; readonly port: number };
  /**
   * The GKE version, for GKE clusters (`MAJOR.MINOR.PATCH-gke.BUILD`).
   * @default - not GKE, or unknown
   */
  readonly gkeVersion?: string;
  /**
   * Whether the cluster runs the experimental channel of the ClusterNetworkPolicy CRD (`nodes` and
   * `domainNames` peers).
   * @default false
   */
  readonly cnpExperimental?: boolean;
}

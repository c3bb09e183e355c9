import { ConstructMessages, NetproofError } from '../errors';
import { Cidr } from './cidr';
import { GkeVersion } from './gke-version';
import { familyBits, parseIp } from '../model/cidr';
import { Dataplane, DATAPLANES, DEFAULT_NETWORK } from '../model/cluster';
import { checkDns1123Subdomain } from '../model/validate';

/** Facts about the cluster, given once per chart so that constructs never ask for them twice. */
export interface ClusterProfileOptions {
  /**
   * GKE version, e.g. `1.27.3-gke.100`. AllowMetadataServer needs it on a non-Dataplane-V2 cluster.
   * @default - unknown
   */
  readonly gkeVersion?: string;
  /**
   * Pod IP ranges (cluster and additional Pod ranges).
   * @default - none declared
   */
  readonly podCidrs?: string[];
  /**
   * Service (ClusterIP) ranges.
   * @default - none declared
   */
  readonly serviceCidrs?: string[];
  /**
   * Node IP ranges (the subnet's primary range). AllowLbHealthChecks needs them without container-native
   * load balancing.
   * @default - none declared
   */
  readonly nodeCidrs?: string[];
  /**
   * Names of the GKE Pod-networks (multi-network) besides `default`. PodNetworkScoped refuses others.
   * @default - only the default network
   */
  readonly podNetworks?: string[];
  /**
   * The proxy-only subnet of the region, for internal Application Load Balancers.
   * @default - none
   */
  readonly proxyOnlySubnet?: string;
  /**
   * The control plane's internal IP (Private Service Connect clusters), for AllowControlPlane.
   * @default - unknown
   */
  readonly controlPlaneIp?: string;
}

/**
 * The dataplane and the facts of one cluster, validated:
 * `ClusterProfile.dataplaneV2({ gkeVersion: '1.29.1-gke.1589000', podNetworks: ['blue'] })`.
 */
export class ClusterProfile {
  /** Upstream Kubernetes NetworkPolicy semantics (ipBlock also matches pod IPs). */
  public static upstream(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile('upstream', options, 'ClusterProfile.upstream');
  }

  /** Calico (GKE's legacy network policy enforcement). */
  public static calico(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile('calico', options, 'ClusterProfile.calico');
  }

  /** GKE Dataplane V2 (Cilium): ipBlock never matches pod traffic; needed for Pod-networks and FQDN policies. */
  public static dataplaneV2(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile('dataplane-v2', options, 'ClusterProfile.dataplaneV2');
  }

  /** A profile for a dataplane given by name (e.g. read from a file). */
  public static of(dataplane: Dataplane, options: ClusterProfileOptions = {}): ClusterProfile {
    if (!(DATAPLANES as readonly string[]).includes(dataplane)) {
      throw new NetproofError('ClusterProfile.of', `dataplane must be one of ${DATAPLANES.join(', ')}, got "${String(dataplane)}". Use one of those names`);
    }
    return new ClusterProfile(dataplane, options, 'ClusterProfile.of');
  }

  public readonly dataplane: Dataplane;
  public readonly gkeVersion?: GkeVersion;
  public readonly podCidrs: readonly Cidr[];
  public readonly serviceCidrs: readonly Cidr[];
  public readonly nodeCidrs: readonly Cidr[];
  /** Declared Pod-networks, sorted; `default` is always available and not listed. */
  public readonly podNetworks: readonly string[];
  public readonly proxyOnlySubnet?: Cidr;
  /** Canonical text of the control-plane IP. */
  public readonly controlPlaneIp?: string;

  private constructor(dataplane: Dataplane, options: ClusterProfileOptions, where: string) {
    this.dataplane = dataplane;
    if (options.gkeVersion !== undefined) this.gkeVersion = GkeVersion.parse(options.gkeVersion, `${where} gkeVersion`);
    const cidrs = (field: string, list: string[] | undefined) =>
      Object.freeze((list ?? []).map((c, i) => Cidr.of(c, `${where} ${field}[${i}]`)));
    this.podCidrs = cidrs('podCidrs', options.podCidrs);
    this.serviceCidrs = cidrs('serviceCidrs', options.serviceCidrs);
    this.nodeCidrs = cidrs('nodeCidrs', options.nodeCidrs);
    for (const n of options.podNetworks ?? []) {
      const bad = checkDns1123Subdomain(n);
      if (bad !== undefined) throw new NetproofError(`${where} podNetworks`, ConstructMessages.podNetworkName(n, bad));
    }
    this.podNetworks = Object.freeze([...new Set(options.podNetworks ?? [])].filter((n) => n !== DEFAULT_NETWORK).sort());
    if (options.proxyOnlySubnet !== undefined) this.proxyOnlySubnet = Cidr.of(options.proxyOnlySubnet, `${where} proxyOnlySubnet`);
    if (options.controlPlaneIp !== undefined) {
      const ip = parseIp(options.controlPlaneIp);
      if (!ip.ok) throw new NetproofError(`${where} controlPlaneIp`, ConstructMessages.controlPlaneIp(options.controlPlaneIp, ip.reason));
      this.controlPlaneIp = Cidr.of(`${options.controlPlaneIp}/${familyBits(ip.value.family)}`, `${where} controlPlaneIp`).toString().replace(/\/\d+$/, '');
    }
    Object.freeze(this);
  }

  /** Is the Pod-network `default` or declared? */
  public hasPodNetwork(name: string): boolean {
    return name === DEFAULT_NETWORK || this.podNetworks.includes(name);
  }

  public get isDataplaneV2(): boolean { return this.dataplane === 'dataplane-v2'; }

  /**
   * Is this a GKE cluster: Dataplane V2 (GKE's), or a GKE version is given? On GKE the metadata server,
   * kube-dns, NodeLocal DNSCache, Cloud DNS and the load-balancer health checkers always exist, so the
   * verification model holds them whether or not a construct allows traffic to them.
   */
  public get isGke(): boolean { return this.isDataplaneV2 || this.gkeVersion !== undefined; }

  /** "dataplane-v2, GKE 1.27.3-gke.100, networks blue". */
  public toString(): string {
    const parts: string[] = [this.dataplane];
    if (this.gkeVersion) parts.push(`GKE ${this.gkeVersion}`);
    if (this.podNetworks.length) parts.push(`networks ${this.podNetworks.join(',')}`);
    return parts.join(', ');
  }
}

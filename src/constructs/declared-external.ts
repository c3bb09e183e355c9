import { Construct } from 'constructs';
import { check, Fix, NetproofError } from '../errors';
import { formatIp, parseIp } from '../model/cidr';
import { ClusterModel, ExternalModel } from '../model/cluster';
import { checkFqdnName } from '../model/validate';

export interface DeclaredExternalProps {
  /** One representative address of the endpoint (IPv4 or IPv6). */
  readonly ip: string;
  /**
   * Its DNS name, for FQDN policies and intents.
   * @default - none
   */
  readonly hostname?: string;
}

/**
 * A non-pod endpoint that intents talk about (a radio network, a partner API, an on-premises range),
 * named by the construct id. It synthesizes nothing; it only adds an external to the verification model.
 */
export class DeclaredExternal extends Construct {
  public readonly external: ExternalModel;

  constructor(scope: Construct, id: string, props: DeclaredExternalProps) {
    super(scope, id);
    const where = `DeclaredExternal ${this.node.path}`;
    if (id.includes('/') || /\s/.test(id)) throw new NetproofError(where, `id "${id}" names the external and must not contain "/" or spaces. Use a name such as "partner-api"`);
    const ip = parseIp(props.ip);
    if (!ip.ok) throw new NetproofError(where, `ip "${props.ip}" is not an IP address: ${ip.reason}. Write one address, e.g. "192.168.10.5"`);
    if (props.hostname !== undefined) check(checkFqdnName(props.hostname), where, Fix.fqdn, `hostname "${props.hostname}"`);
    this.external = Object.freeze({
      name: id,
      ip: formatIp(ip.value.family, ip.value.value),
      ...(props.hostname === undefined ? {} : { hostname: props.hostname }),
      source: { constructPath: this.node.path },
    });
  }

  /** @internal */
  public _cluster(): ClusterModel {
    return { namespaces: {}, pods: [], externals: [this.external] };
  }
}

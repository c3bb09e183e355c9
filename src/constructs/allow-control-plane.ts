import { Construct } from 'constructs';
import { ConstructMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { EXTERNAL_NAMES } from '../model/gke';
import { NetworkPolicyModel } from '../model/policy';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';

export interface AllowControlPlaneProps {
  /**
   * The pods that call the Kubernetes API (operators, controllers).
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /**
   * Ports on the control plane.
   * @default [Port.HTTPS] - TCP 443
   */
  readonly ports?: Port[];
  /**
   * metadata.name of the NetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/** Allows egress to the control plane's internal IP from the cluster profile (Private Service Connect clusters). */
export class AllowControlPlane extends PolicyConstructBase {
  public readonly model: NetworkPolicyModel;

  constructor(scope: Construct, id: string, props: AllowControlPlaneProps = {}) {
    super(scope, id, 'AllowControlPlane', props.policyName);
    const ip = this.chart.profile.controlPlaneIp;
    if (ip === undefined) throw new NetproofError(this.where, ConstructMessages.needsControlPlaneIp);
    const cidr = `${ip}/${ip.includes(':') ? 128 : 32}`;
    const ports = this.portsOf(props.ports ?? [Port.HTTPS]);
    this.addExternal(EXTERNAL_NAMES.controlPlane, cidr);
    this.model = this.emitNetworkPolicy({
      podSelector: this.podSelectorOf(props.pods),
      policyTypes: ['Egress'],
      egress: [{ peers: [PolicyConstructBase.ipBlock(cidr)], ports }],
    });
  }
}

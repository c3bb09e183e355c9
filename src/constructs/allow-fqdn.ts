import { Construct } from 'constructs';
import { ConstructMessages, Fix, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { FqdnMatchModel, FqdnPolicyModel } from '../model/policy';
import { checkFqdnName, checkFqdnPattern } from '../model/validate';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';

export interface AllowFqdnProps {
  /**
   * The pods whose egress is isolated and allowed to the names.
   * @default - every pod of the chart's namespace
   */
  readonly pods?: IPodSelector;
  /**
   * Exact DNS names, e.g. `api.example.com`.
   * @default - none (give names, patterns or both)
   */
  readonly names?: string[];
  /**
   * Wildcard patterns, e.g. `*.googleapis.com`.
   * @default - none (give names, patterns or both)
   */
  readonly patterns?: string[];
  /**
   * Destination ports (numbers or ranges; named ports cannot apply to non-pod destinations).
   * @default - every port of every protocol
   */
  readonly ports?: Port[];
  /**
   * metadata.name of the FQDNNetworkPolicy.
   * @default - the construct id, kebab-cased
   */
  readonly policyName?: string;
}

/**
 * GKE `FQDNNetworkPolicy` (`networking.gke.io/v1alpha1`): egress of the selected pods to DNS names and
 * patterns. Requires Dataplane V2; cannot be scoped to a Pod-network.
 */
export class AllowFqdn extends PolicyConstructBase {
  public readonly model: FqdnPolicyModel;

  constructor(scope: Construct, id: string, props: AllowFqdnProps) {
    super(scope, id, 'AllowFqdn', props.policyName);
    const profile = this.chart.profile;
    if (!profile.isDataplaneV2) throw new NetproofError(this.where, ConstructMessages.needsDataplaneV2('FQDNNetworkPolicy', profile.dataplane));
    if (this.network !== undefined) throw new NetproofError(this.where, ConstructMessages.fqdnUnderNetwork(this.network));
    const matches: FqdnMatchModel[] = [];
    for (const name of props.names ?? []) {
      const bad = checkFqdnName(name);
      if (bad !== undefined) throw new NetproofError(this.where, `${bad}. ${Fix.fqdn}`, `names "${name}"`);
      matches.push({ name });
    }
    for (const pattern of props.patterns ?? []) {
      const bad = checkFqdnPattern(pattern);
      if (bad !== undefined) throw new NetproofError(this.where, `${bad}. ${Fix.fqdn}`, `patterns "${pattern}"`);
      matches.push({ pattern });
    }
    if (matches.length === 0) throw new NetproofError(this.where, ConstructMessages.fqdnNoMatches);
    const ports = this.portsOf(props.ports);
    if (ports !== 'all') {
      for (const p of ports) if (typeof p.port === 'string') throw new NetproofError(this.where, ConstructMessages.fqdnNamedPort(p.port));
    }
    this.model = this.emitFqdnPolicy({ podSelector: this.podSelectorOf(props.pods), egress: [{ matches, ports }] });
  }
}

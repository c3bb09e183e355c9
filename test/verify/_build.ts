/** Small builders for verifier tests: model objects with every default explicit, written tersely. */
import { ClusterModel, ContainerPortModel, ExternalModel, PodModel } from '../../src/model/cluster';
import {
  FqdnMatchModel, FqdnPolicyModel, FqdnRuleModel, IpBlockPeerModel, NetworkPolicyModel, PeerModel, PodPeerModel, PolicyType, RuleModel,
} from '../../src/model/policy';
import { PortModel, Protocol } from '../../src/model/port';
import { LabelRequirementModel, LabelSelectorModel, Labels, makeSelector } from '../../src/model/selector';

export const sel = (labels: Labels = {}, exprs: LabelRequirementModel[] = []): LabelSelectorModel => makeSelector(labels, exprs);
export const expr = (key: string, operator: LabelRequirementModel['operator'], values: string[] = []): LabelRequirementModel => ({ key, operator, values });

export function pod(id: string, labels: Labels, opts: { ip?: string; ports?: ContainerPortModel[]; networks?: string[] } = {}): PodModel {
  const [namespace, name] = id.split('/');
  return { namespace, name, labels, ip: opts.ip, ports: opts.ports ?? [], networks: opts.networks ?? ['default'] };
}

export function ext(name: string, ip: string, hostname?: string): ExternalModel {
  return hostname === undefined ? { name, ip } : { name, ip, hostname };
}

export function cluster(namespaces: Record<string, Labels>, pods: PodModel[], externals: ExternalModel[] = []): ClusterModel {
  return { namespaces, pods, externals };
}

/** Pods in the policy's own namespace. */
export const own = (pods: LabelSelectorModel = sel()): PodPeerModel => ({ kind: 'pods', namespaces: { kind: 'own' }, pods });
/** Pods of namespaces matching `ns` (AND pod selector). */
export const inNs = (ns: LabelSelectorModel, pods: LabelSelectorModel = sel()): PodPeerModel => ({ kind: 'pods', namespaces: { kind: 'selector', selector: ns }, pods });
export const ipb = (cidr: string, except: string[] = []): IpBlockPeerModel => ({ kind: 'ipBlock', cidr, except: [...except].sort() });

export const tcp = (port?: number | string, endPort?: number): PortModel => port === undefined ? { protocol: 'TCP' } : endPort === undefined ? { protocol: 'TCP', port } : { protocol: 'TCP', port, endPort };
export const udp = (port?: number | string, endPort?: number): PortModel => ({ ...tcp(port, endPort), protocol: 'UDP' });
export const sctp = (port?: number | string, endPort?: number): PortModel => ({ ...tcp(port, endPort), protocol: 'SCTP' });
export const cport = (port: number, protocol: Protocol = 'TCP', name?: string): ContainerPortModel => name === undefined ? { port, protocol } : { name, port, protocol };

export const rule = (peers: 'all' | PeerModel[], ports: 'all' | PortModel[] = 'all'): RuleModel => ({ peers, ports });

export function np(id: string, opts: {
  select?: LabelSelectorModel;
  ingress?: RuleModel[];
  egress?: RuleModel[];
  types?: PolicyType[];
  network?: string;
} = {}): NetworkPolicyModel {
  const [namespace, name] = id.split('/');
  const egress = opts.egress ?? [];
  return {
    kind: 'NetworkPolicy',
    namespace,
    name,
    ...(opts.network !== undefined ? { network: opts.network } : {}),
    labels: {},
    annotations: opts.network !== undefined ? { 'networking.gke.io/network': opts.network } : {},
    podSelector: opts.select ?? sel(),
    policyTypes: opts.types ?? (egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']),
    ingress: opts.ingress ?? [],
    egress,
  };
}

export const fqdnName = (name: string): FqdnMatchModel => ({ name });
export const fqdnPattern = (pattern: string): FqdnMatchModel => ({ pattern });

export function fqdn(id: string, select: LabelSelectorModel, egress: FqdnRuleModel[]): FqdnPolicyModel {
  const [namespace, name] = id.split('/');
  return { kind: 'FQDNNetworkPolicy', namespace, name, labels: {}, annotations: {}, podSelector: select, egress };
}

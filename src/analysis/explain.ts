/**
 * Why (or why not) each endpoint of one set reaches each endpoint of another on a port: one verdict per
 * concrete pair of the cluster model (a named port is resolved on each destination pod).
 */
import { endpointInSet } from './intents';
import { withNearMisses } from './near-miss';
import { NetproofError } from '../errors';
import { ClusterModel, Dataplane } from '../model/cluster';
import { objectId } from '../model/ids';
import { EndpointSetModel } from '../model/intent';
import { PolicyModel } from '../model/policy';
import { PortModel } from '../model/port';
import { Endpoint, Verdict } from '../verify/api';
import { Verifier } from '../verify/verifier';

export interface ExplainInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
}

export const ExplainSetMessages = {
  noEndpoints: (set: string, network: string) => `${set} matches no pod or external on network ${network}. Declare the workload, or fix the selector`,
  notOnePort: (port: string, to: string) => `${port} is not one concrete port for ${to}. Give a port number, or a container port name the destination has`,
} as const;

/** Verdicts for every (source, destination) of the two sets; throws when a set matches nothing. */
export function explainSets(
  input: ExplainInput, from: EndpointSetModel, to: EndpointSetModel, port: PortModel, portText: string, network: string,
): Verdict[] {
  const verifier = new Verifier({ policies: input.policies, cluster: input.cluster, dataplane: input.dataplane });
  const endpoints = (set: EndpointSetModel): Endpoint[] => [
    ...input.cluster.pods.filter((p) => p.networks.includes(network)).map((pod): Endpoint => ({ kind: 'pod', id: objectId(pod), pod })),
    ...input.cluster.externals.map((external): Endpoint => ({ kind: 'external', id: external.name, external })),
  ].filter((e) => endpointInSet(e, set, input.cluster));
  const sources = endpoints(from);
  const targets = endpoints(to);
  if (sources.length === 0 || targets.length === 0) {
    throw new NetproofError('explain', ExplainSetMessages.noEndpoints((sources.length === 0 ? from : to).text, network));
  }
  const verdicts: Verdict[] = [];
  for (const s of sources) {
    for (const t of targets) {
      if (s.kind === 'external' && t.kind === 'external') continue;
      let number: number | undefined;
      if (typeof port.port === 'number') number = port.port;
      else if (typeof port.port === 'string' && t.kind === 'pod') number = t.pod.ports.find((cp) => cp.name === port.port && cp.protocol === port.protocol)?.port;
      if (number === undefined) throw new NetproofError('explain', ExplainSetMessages.notOnePort(portText, t.id));
      verdicts.push(withNearMisses(input, verifier.explain(s.id, t.id, { port: number, protocol: port.protocol, network })));
    }
  }
  return verdicts;
}

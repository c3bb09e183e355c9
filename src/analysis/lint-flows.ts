/**
 * One-sided flows (NP019): a NetworkPolicy rule opens a flow between known pods on its side (egress of
 * the source, or ingress of the destination), but the other side is isolated and denies it, so the
 * connection never happens. The verdict comes from the verifier; this file only picks the pairs to ask
 * about: the pods a rule's pods peers select, on the rule's numbered ports. Rules and ids live in `lint.ts`.
 */
import { ClusterModel, Dataplane, DEFAULT_NETWORK, PodModel } from '../model/cluster';
import { objectId } from '../model/ids';
import { NAMESPACE_NAME_LABEL, PeerModel, PolicyModel } from '../model/policy';
import { describePort } from '../model/port';
import { compareStrings, matchesLabels } from '../model/selector';
import { Verifier } from '../verify/verifier';

export interface FlowLintInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
}

/** Pairs asked about per rule and port entry at most (the lint stays cheap on large clusters). */
const MAX_PAIRS = 200;

export function flowLints(input: FlowLintInput, add: (subject: string, message: string) => void): void {
  const nps = input.policies.filter((p) => p.kind === 'NetworkPolicy');
  if (nps.length === 0) return;
  const pods = input.cluster.pods.filter((p) => p.replicaOf === undefined).sort((a, b) => compareStrings(objectId(a), objectId(b)));
  const nsLabels = (ns: string) => ({ ...(input.cluster.namespaces[ns] ?? {}), [NAMESPACE_NAME_LABEL]: ns });
  let verifier: Verifier | undefined;
  const explain = (from: PodModel, to: PodModel, port: number, protocol: 'TCP' | 'UDP' | 'SCTP', network: string) => {
    verifier ??= new Verifier({ policies: input.policies, cluster: input.cluster, dataplane: input.dataplane });
    return verifier.explain(objectId(from), objectId(to), { port, protocol, network });
  };

  for (const p of nps) {
    if (p.kind !== 'NetworkPolicy') continue;
    const network = p.network ?? DEFAULT_NETWORK;
    const selected = pods.filter((pod) => pod.namespace === p.namespace && matchesLabels(p.podSelector, pod.labels)
      && pod.networks.includes(network));
    for (const direction of ['egress', 'ingress'] as const) {
      p[direction].forEach((rule, i) => {
        const { peers } = rule;
        if (peers === 'all' || rule.ports === 'all') return;
        const peered = pods.filter((pod) => pod.networks.includes(network) && peers.some((peer) => selects(peer, p.namespace, pod, nsLabels)));
        const [sources, targets] = direction === 'egress' ? [selected, peered] : [peered, selected];
        rule.ports.forEach((port, j) => {
          if (typeof port.port !== 'number') return;
          let asked = 0;
          for (const from of sources) {
            for (const to of targets) {
              if (from === to || asked >= MAX_PAIRS) continue;
              asked++;
              const v = explain(from, to, port.port, port.protocol, network);
              const mine = direction === 'egress' ? v.egress : v.ingress;
              const other = direction === 'egress' ? v.ingress : v.egress;
              if (!mine.allowed || other.allowed || !other.isolated) continue;
              const flow = `${objectId(from)} reach ${objectId(to)}${network !== DEFAULT_NETWORK ? ` on network ${network}` : ''}`;
              const otherEnd = direction === 'egress' ? `the ingress of ${objectId(to)}` : `the egress of ${objectId(from)}`;
              const by = other.isolatedBy.map((r) => `${r.namespace}/${r.name}`).join(', ');
              const fix = direction === 'egress' ? `an ingress rule for it on ${objectId(to)} (AllowFrom)` : `an egress rule for it on ${objectId(from)} (AllowTo)`;
              add(objectId(p), `${direction}[${i}].ports[${j}] (${describePort(port)}) lets ${flow}, but ${otherEnd} denies it (isolated by ${by}${other.tiers ? `, decided by ${other.decidedBy}` : ''}), `
                + `so the flow is open on one side only and never connects. Add ${fix}, or remove the rule if the flow is not meant`);
              asked = MAX_PAIRS; // one finding per rule and port entry
            }
          }
        });
      });
    }
  }
}

/** Does a pods peer of a policy in `own` select the pod (an ipBlock peer: no, its pods are not its subject here)? */
function selects(peer: PeerModel, own: string, pod: PodModel, nsLabels: (ns: string) => Record<string, string>): boolean {
  if (peer.kind !== 'pods') return false;
  const inNamespace = peer.namespaces.kind === 'own' ? pod.namespace === own : matchesLabels(peer.namespaces.selector, nsLabels(pod.namespace));
  return inNamespace && matchesLabels(peer.pods, pod.labels);
}

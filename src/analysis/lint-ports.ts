/**
 * Ports nobody listens on: a port that a rule allows or an intent is about which no container of the
 * pods it is for exposes (NP017), and its most common cause, a Service's port written where the pods'
 * port was meant (NP019: NetworkPolicies see the pod's port, the Service's targetPort). Only where every
 * pod concerned has known container ports. Rules and ids live with the others in `lint.ts`.
 */
import { ClusterModel, ContainerPortModel, ManifestFacts, PodModel } from '../model/cluster';
import { objectId } from '../model/ids';
import { describeIntent, EndpointSetModel, IntentModel } from '../model/intent';
import { isNamespaced, NAMESPACE_NAME_LABEL, PeerModel, PolicyModel } from '../model/policy';
import { describePort, PortModel } from '../model/port';
import { compareStrings, makeSelector, matchesLabels } from '../model/selector';

export interface PortLintInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly manifests?: ManifestFacts;
  readonly intents?: readonly IntentModel[];
}

export type PortLint = 'unexposedPort' | 'servicePort';

/** At most this many pods are named in a message. */
const NAMED_PODS = 3;

export function portLints(input: PortLintInput, add: (lint: PortLint, subject: string, message: string) => void): void {
  const services = input.manifests?.services ?? [];
  const namespaceLabels = (ns: string) => ({ ...(input.cluster.namespaces[ns] ?? {}), [NAMESPACE_NAME_LABEL]: ns });
  const pods = input.cluster.pods.filter((p) => p.replicaOf === undefined);

  /** The finding for `port` toward `targets`, when none of them exposes it; undefined otherwise. */
  const check = (port: PortModel, targets: readonly PodModel[], toward = ''): { lint: PortLint; text: string } | undefined => {
    if (targets.length === 0 || targets.some((t) => t.ports.length === 0) || port.port === undefined) return undefined;
    if (targets.some((t) => t.ports.some((cp) => exposes(cp, port)))) return undefined;
    const names = targets.map(objectId).sort(compareStrings);
    const who = names.length <= NAMED_PODS ? names.join(', ') : `${names.slice(0, NAMED_PODS).join(', ')} and ${names.length - NAMED_PODS} more`;
    const exposed = [...new Set(targets.flatMap((t) => t.ports.map(describeContainerPort)))].sort(compareStrings).join(', ');
    if (typeof port.port === 'number') {
      const number = port.port;
      for (const s of services) {
        const selector = s.selector === undefined ? undefined : makeSelector(s.selector);
        if (!selector || !targets.some((t) => t.namespace === s.namespace && matchesLabels(selector, t.labels))) continue;
        const sp = s.ports.find((x) => x.port === number && x.protocol === port.protocol && port.endPort === undefined);
        if (!sp || sp.targetPort === number) continue;
        const target = typeof sp.targetPort === 'number' ? `${sp.protocol} ${sp.targetPort}` : `the container port named ${sp.targetPort}`;
        return {
          lint: 'servicePort',
          text: `${describePort(port)}${toward}, which is the port of Service ${s.namespace}/${s.name}, but NetworkPolicies see the pods' port, its targetPort ${target} `
            + `(${who} expose ${exposed}). Use the container port (${typeof sp.targetPort === 'number' ? `Port.${sp.protocol.toLowerCase()}(${sp.targetPort})` : `Port.named('${sp.targetPort}')`}) instead of the Service port, `
            + `or name the Service port so it is translated (Port.ofService(service, ${sp.name !== undefined ? `'${sp.name}'` : sp.port}); servicePort: ${sp.name ?? sp.port} in an intents file)`,
        };
      }
    }
    return {
      lint: 'unexposedPort',
      text: `${describePort(port)}${toward}, but no container of ${who} exposes it (they expose ${exposed}), so it opens nothing they serve. `
        + 'Fix the port, or add it to the containers\' ports',
    };
  };

  for (const p of input.policies.filter(isNamespaced)) {
    if (p.kind !== 'NetworkPolicy') continue; // FQDN policies open ports on externals, whose ports netproof does not know
    const selected = pods.filter((pod) => pod.namespace === p.namespace && matchesLabels(p.podSelector, pod.labels)
      && (p.network === undefined || pod.networks.includes(p.network)));
    p.ingress.forEach((rule, i) => {
      if (rule.ports === 'all') return;
      rule.ports.forEach((port, j) => {
        const f = check(port, selected);
        if (f) add(f.lint, objectId(p), `ingress[${i}].ports[${j}] allows ${f.text}`);
      });
    });
    p.egress.forEach((rule, i) => {
      if (rule.ports === 'all' || rule.peers === 'all') return;
      const ports = rule.ports;
      rule.peers.forEach((peer, k) => {
        const targets = peerPods(peer, p.namespace, pods, namespaceLabels);
        ports.forEach((port, j) => {
          const f = check(port, targets, ` to egress[${i}].to[${k}]`);
          if (f) add(f.lint, objectId(p), `egress[${i}].ports[${j}] allows ${f.text}`);
        });
      });
    });
  }

  (input.intents ?? []).forEach((intent, i) => {
    // Only what must be reachable: a cannotReach on a port nobody serves is merely cautious.
    if (intent.kind !== 'canReach' || intent.port === undefined || intent.target === undefined) return;
    const f = check(intent.port, setPods(intent.target, pods, namespaceLabels));
    if (f) add(f.lint, `intents[${i}]`, `intent "${describeIntent(intent)}" is about ${f.text.replace(', so it opens nothing they serve', ', so nothing there answers')}`);
  });
}

function exposes(cp: ContainerPortModel, port: PortModel): boolean {
  if (cp.protocol !== port.protocol) return false;
  if (typeof port.port === 'string') return cp.name === port.port;
  return port.port !== undefined && cp.port >= port.port && cp.port <= (port.endPort ?? port.port);
}

function describeContainerPort(cp: ContainerPortModel): string {
  return `${cp.protocol} ${cp.port}${cp.name ? ` (${cp.name})` : ''}`;
}

/** The known pods a NetworkPolicy peer selects (none for an ipBlock). */
function peerPods(peer: PeerModel, own: string, pods: readonly PodModel[], nsLabels: (ns: string) => Record<string, string>): PodModel[] {
  if (peer.kind !== 'pods') return [];
  return pods.filter((pod) => (peer.namespaces.kind === 'own' ? pod.namespace === own : matchesLabels(peer.namespaces.selector, nsLabels(pod.namespace)))
    && matchesLabels(peer.pods, pod.labels));
}

/** The known pods of an intent's endpoint set (none for externals). */
function setPods(set: EndpointSetModel, pods: readonly PodModel[], nsLabels: (ns: string) => Record<string, string>): PodModel[] {
  if (set.kind === 'pod') return pods.filter((p) => p.namespace === set.namespace && p.name === set.name);
  if (set.kind !== 'pods') return [];
  return pods.filter((p) => matchesLabels(set.namespaces, nsLabels(p.namespace)) && matchesLabels(set.pods, p.labels));
}

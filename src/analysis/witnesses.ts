/**
 * Pods that could exist. "Nothing outside payments reaches the ledger" must also hold for a pod deployed
 * tomorrow into a namespace labelled the way some policy's peer admits. For every pod peer of every
 * policy, one witness pod (in a witness namespace when the peer selects namespaces by labels) satisfies
 * its selectors; one unlabelled witness pod stands in every known namespace, and one in an unlabelled new
 * namespace. Checks of negative intents (cannotReach, onlyReachableFrom) see them beside the known pods,
 * so a peer that admits more than intended shows up as a counterexample naming the witness; positive
 * intents (canReach, isolated) stay about the workloads that exist.
 */
import { ClusterModel, DEFAULT_NETWORK, PodModel } from '../model/cluster';
import { NAMESPACE_NAME_LABEL, PolicyModel } from '../model/policy';
import { compareStrings, LabelSelectorModel, Labels, matchesLabels } from '../model/selector';

export const WITNESS_PREFIX = 'witness-';

/** Labels that satisfy `selector` (the first value of each In, "x" for Exists), or undefined when none can. */
export function labelsSatisfying(selector: LabelSelectorModel, base: Labels = {}): Labels | undefined {
  const labels: Record<string, string> = { ...base, ...selector.matchLabels };
  for (const e of selector.matchExpressions) {
    if (e.operator === 'In' && labels[e.key] === undefined) labels[e.key] = e.values[0];
    if (e.operator === 'Exists' && labels[e.key] === undefined) labels[e.key] = 'x';
  }
  return matchesLabels(selector, labels) ? labels : undefined;
}

export interface WitnessedCluster {
  readonly cluster: ClusterModel;
  /** Ids (`namespace/name`) of the witness pods. */
  readonly witnesses: ReadonlySet<string>;
}

/** The cluster plus witness namespaces and pods (deterministic names: witness-ns-N, witness-N). */
export function withWitnessPods(cluster: ClusterModel, policies: readonly PolicyModel[]): WitnessedCluster {
  const namespaces: Record<string, Labels> = { ...cluster.namespaces };
  const networks = [...new Set([DEFAULT_NETWORK, ...cluster.pods.flatMap((p) => p.networks)])].sort(compareStrings);
  const pods: PodModel[] = [];
  const seen = new Set<string>();
  let nsCount = 0;
  const addPod = (namespace: string, labels: Labels) => {
    const key = JSON.stringify([namespace, Object.entries(labels).sort()]);
    if (seen.has(key)) return;
    seen.add(key);
    pods.push({ namespace, name: `${WITNESS_PREFIX}${pods.length}`, labels, ports: [], networks });
  };
  const newNamespace = (labels: Labels): string => {
    const name = `${WITNESS_PREFIX}ns-${nsCount++}`;
    namespaces[name] = { ...labels, [NAMESPACE_NAME_LABEL]: name };
    return name;
  };
  const namespaceFor = (selector: LabelSelectorModel): string | undefined => {
    // A namespace that exists and matches: a new pod there is the likeliest newcomer.
    const existing = Object.keys(cluster.namespaces).sort(compareStrings)
      .find((n) => matchesLabels(selector, { ...cluster.namespaces[n], [NAMESPACE_NAME_LABEL]: n }));
    const pinned = selector.matchLabels[NAMESPACE_NAME_LABEL];
    if (pinned !== undefined) {
      if (existing !== undefined) return existing;
      const pinnedLabels = labelsSatisfying(selector);
      if (pinnedLabels === undefined) return undefined;
      namespaces[pinned] = pinnedLabels;
      return pinned;
    }
    const labels = labelsSatisfying(selector);
    if (labels === undefined) return existing;
    // Also a namespace that does not exist yet, labelled only as the selector needs.
    const name = newNamespace(labels);
    if (!matchesLabels(selector, namespaces[name])) {
      delete namespaces[name];
      return existing;
    }
    return name;
  };

  for (const p of policies) {
    if (p.kind !== 'NetworkPolicy') continue;
    for (const rule of [...p.ingress, ...p.egress]) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) {
        if (peer.kind !== 'pods') continue;
        const podLabels = labelsSatisfying(peer.pods);
        if (podLabels === undefined) continue;
        const ns = peer.namespaces.kind === 'own' ? p.namespace : namespaceFor(peer.namespaces.selector);
        if (ns === undefined) continue;
        if (namespaces[ns] === undefined) namespaces[ns] = { [NAMESPACE_NAME_LABEL]: ns };
        addPod(ns, podLabels);
      }
    }
  }
  for (const ns of Object.keys(cluster.namespaces).sort(compareStrings)) addPod(ns, {});
  addPod(newNamespace({}), {});
  return {
    cluster: { namespaces, pods: [...cluster.pods, ...pods], externals: cluster.externals },
    witnesses: new Set(pods.map((p) => `${p.namespace}/${p.name}`)),
  };
}

/**
 * One cluster model from several inputs (an app's workloads, declared workloads, inventory files; or the
 * two sides of a diff). Namespaces merge their labels (a namespace only implied by a pod never overrides
 * declared labels); a pod or external described twice must be described alike, or, with `conflicts:
 * 'last'`, the last description wins and is listed in `differ`. Output order is deterministic.
 */
import { NetproofError } from '../errors';
import { ClusterModel, ExternalModel, NodeModel, PodModel } from '../model/cluster';
import { objectId } from '../model/ids';
import { NAMESPACE_NAME_LABEL } from '../model/policy';
import { compareStrings, Labels } from '../model/selector';

export interface MergeOptions {
  /**
   * `error`: a pod, external or namespace label described differently by two parts is an error.
   * `last`: the last part's description wins, and the merge lists what differed.
   * @default 'error'
   */
  readonly conflicts?: 'error' | 'last';
}

export interface MergedCluster {
  readonly cluster: ClusterModel;
  /** What two parts described differently (`conflicts: 'last'`): pod ids, external names, `namespace NAME`; sorted. */
  readonly differ: readonly string[];
}

export const MergeMessages = {
  podTwice: (id: string, a: string, b: string) =>
    `pod ${id} is described twice, differently (${a} and ${b}). Keep one description, or rename one workload`,
  externalTwice: (name: string, a: string, b: string) =>
    `external ${name} is described twice, with ${a} and ${b}. Give the externals different names`,
  namespaceLabel: (ns: string, key: string, a: string, b: string) =>
    `namespace ${ns} has label ${key}="${a}" in one input and "${b}" in another. Make the inputs agree`,
} as const;

/** Merges cluster models (see the module comment). */
export function mergeClusters(parts: readonly ClusterModel[], options: MergeOptions = {}): MergedCluster {
  const last = options.conflicts === 'last';
  const differ = new Set<string>();
  const namespaces = new Map<string, Labels>();
  const pods = new Map<string, PodModel>();
  const externals = new Map<string, ExternalModel>();
  for (const part of parts) {
    for (const [name, labels] of Object.entries(part.namespaces)) {
      const had = namespaces.get(name);
      namespaces.set(name, had === undefined ? labels : mergeNamespace(name, had, labels, last, differ));
    }
    for (const pod of part.pods) {
      const id = objectId(pod);
      const had = pods.get(id);
      if (had !== undefined && podKey(had) !== podKey(pod)) {
        if (!last) throw new NetproofError('cluster model', MergeMessages.podTwice(id, where(had), where(pod)));
        differ.add(id);
      }
      pods.set(id, had !== undefined && !last ? had : pod);
      if (!namespaces.has(pod.namespace)) namespaces.set(pod.namespace, { [NAMESPACE_NAME_LABEL]: pod.namespace });
    }
    for (const e of part.externals) {
      const had = externals.get(e.name);
      if (had !== undefined && (had.ip !== e.ip || had.hostname !== e.hostname)) {
        if (!last) throw new NetproofError('cluster model', MergeMessages.externalTwice(e.name, had.ip, e.ip));
        differ.add(e.name);
      }
      externals.set(e.name, had !== undefined && !last ? had : e);
    }
  }
  const podCidrs = [...new Set(parts.flatMap((p) => p.podCidrs ?? []))].sort(compareStrings);
  // Nodes: the last part's description of a node wins (a node's labels and addresses change over time).
  const nodeMap = new Map<string, NodeModel>();
  for (const part of parts) for (const n of part.nodes ?? []) nodeMap.set(n.name, n);
  const nodes = [...nodeMap.keys()].sort(compareStrings).map((k) => nodeMap.get(k)!);
  const nsOut: Record<string, Labels> = {};
  for (const k of [...namespaces.keys()].sort(compareStrings)) nsOut[k] = namespaces.get(k)!;
  return {
    cluster: {
      namespaces: nsOut,
      pods: [...pods.keys()].sort(compareStrings).map((k) => pods.get(k)!),
      externals: [...externals.keys()].sort(compareStrings).map((k) => externals.get(k)!),
      ...(podCidrs.length ? { podCidrs } : {}),
      ...(nodes.length ? { nodes } : {}),
    },
    differ: [...differ].sort(compareStrings),
  };
}

/** Only the name label: the namespace is known to exist, its labels are not. */
function impliedOnly(name: string, labels: Labels): boolean {
  return Object.keys(labels).length === 1 && labels[NAMESPACE_NAME_LABEL] === name;
}

function mergeNamespace(ns: string, a: Labels, b: Labels, last: boolean, differ: Set<string>): Labels {
  if (impliedOnly(ns, b)) return a;
  if (impliedOnly(ns, a)) return b;
  if (last) {
    if (JSON.stringify(a) !== JSON.stringify(b)) differ.add(`namespace ${ns}`);
    return b;
  }
  for (const k of Object.keys(b)) {
    if (a[k] !== undefined && a[k] !== b[k]) throw new NetproofError('cluster model', MergeMessages.namespaceLabel(ns, k, a[k], b[k]));
  }
  return { ...a, ...b };
}

/** What makes two descriptions of one pod the same pod (everything but where it was read). */
function podKey(p: PodModel): string {
  return JSON.stringify({ labels: p.labels, ports: p.ports, networks: p.networks, ip: p.ip, serviceAccount: p.serviceAccount });
}

function where(p: PodModel): string {
  const s = p.source;
  if (!s) return 'the app';
  return s.constructPath ?? `${s.file ?? ''}${s.index !== undefined ? `#${s.index}` : ''}`;
}

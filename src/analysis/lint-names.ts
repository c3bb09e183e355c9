/**
 * Names nobody declares, and peers that match nothing: a peer or an intent naming a namespace, pod or
 * external that the model does not have (NP015, with the closest known names), and a NetworkPolicy peer
 * that selects no known pod (NP016, with the closest label values). Rules and ids live with the others
 * in `lint.ts`. Pure: reads the policy models, the cluster and the intents.
 */
import { didYouMean } from '../model/closest';
import { ClusterModel, PodModel } from '../model/cluster';
import { isKubeDns, KUBE_DNS_POD } from '../model/gke';
import { objectId } from '../model/ids';
import { describeIntent, EndpointSetModel, IntentModel } from '../model/intent';
import { NAMESPACE_NAME_LABEL, PodPeerModel, PolicyModel } from '../model/policy';
import { compareStrings, describeSelector, LabelSelectorModel, matchesLabels } from '../model/selector';

/** Namespaces every cluster has, known even when the input does not list them. */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export interface NameLintInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  /** @default - none */
  readonly intents?: readonly IntentModel[];
}

export type NameLint = 'unknownName' | 'peerMatchesNothing';

export function nameLints(input: NameLintInput, add: (lint: NameLint, subject: string, message: string) => void): void {
  const known = new Known(input.cluster);

  for (const p of input.policies) {
    if (p.kind !== 'NetworkPolicy') continue;
    const rules = [...p.ingress.map((r, i) => ({ r, at: `ingress[${i}].from` })), ...p.egress.map((r, i) => ({ r, at: `egress[${i}].to` }))];
    for (const { r, at } of rules) {
      if (r.peers === 'all') continue;
      r.peers.forEach((peer, j) => {
        if (peer.kind !== 'pods') return;
        const where = `${at}[${j}]`;
        const unknown = peer.namespaces.kind === 'selector' ? known.unknownNamespaces(peer.namespaces.selector) : [];
        for (const name of unknown) {
          add('unknownName', objectId(p), `${where} names namespace "${name}", which nothing declares${didYouMean(name, known.namespaceNames, 'namespace')}. `
            + 'Fix the name, or declare the namespace (a PolicyChart, an Inventory or the cluster model file)');
        }
        if (unknown.length > 0) return;
        const why = known.whyNothing(peerNamespaces(peer, p.namespace), peer.pods);
        if (why === undefined) return;
        add('peerMatchesNothing', objectId(p), `${where} (pods ${describeSelector(peer.pods)} ${describeNamespaces(peer, p.namespace)}) matches no known pod: ${why}. `
          + 'The rule allows nothing for the workloads netproof knows. Fix the selector, or declare the workload');
      });
    }
  }

  (input.intents ?? []).forEach((intent, i) => {
    // Sources an intent allows (onlyReachableFrom) may rightly match no pod yet: only their names are checked.
    const sets = [intent.subject, ...(intent.target ? [intent.target] : [])];
    const problems = [...new Set([
      ...sets.flatMap((s) => known.unknownIn(s, true)),
      ...(intent.allowedSources ?? []).flatMap((s) => known.unknownIn(s, false)),
    ])];
    for (const problem of problems) {
      add('unknownName', `intents[${i}]`, `intent "${describeIntent(intent)}" ${problem}. Fix the name, or declare what it names`);
    }
  });
}

/** The namespaces a peer selects: its policy's, or a selector over namespace labels. */
type Namespaces = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'selector'; readonly selector: LabelSelectorModel };

function peerNamespaces(peer: PodPeerModel, own: string): Namespaces {
  return peer.namespaces.kind === 'own' ? { kind: 'name', name: own } : { kind: 'selector', selector: peer.namespaces.selector };
}

function describeNamespaces(peer: PodPeerModel, own: string): string {
  if (peer.namespaces.kind === 'own') return `in the policy's namespace ${own}`;
  const name = onlyNamespaceName(peer.namespaces.selector);
  return name !== undefined ? `in ns ${name}` : `in namespaces ${describeSelector(peer.namespaces.selector)}`;
}

/** The namespace a selector names when it is nothing but `kubernetes.io/metadata.name: NAME`. */
function onlyNamespaceName(selector: LabelSelectorModel): string | undefined {
  const name = selector.matchLabels[NAMESPACE_NAME_LABEL];
  return name !== undefined && Object.keys(selector.matchLabels).length === 1 && selector.matchExpressions.length === 0 ? name : undefined;
}

/** What the model declares: namespaces (with the built-in ones), pods (kube-dns included), externals. */
class Known {
  public readonly namespaceNames: readonly string[];
  private readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  private readonly pods: readonly PodModel[];
  private readonly externals: readonly string[];

  constructor(cluster: ClusterModel) {
    const namespaces = new Map<string, Readonly<Record<string, string>>>();
    for (const n of BUILT_IN_NAMESPACES) namespaces.set(n, { [NAMESPACE_NAME_LABEL]: n });
    for (const [n, labels] of Object.entries(cluster.namespaces)) namespaces.set(n, { ...labels, [NAMESPACE_NAME_LABEL]: n });
    for (const pod of cluster.pods) if (!namespaces.has(pod.namespace)) namespaces.set(pod.namespace, { [NAMESPACE_NAME_LABEL]: pod.namespace });
    this.namespaces = namespaces;
    this.namespaceNames = [...namespaces.keys()].sort(compareStrings);
    this.pods = cluster.pods.some(isKubeDns) ? cluster.pods : [...cluster.pods, KUBE_DNS_POD];
    this.externals = cluster.externals.map((e) => e.name);
  }

  /** Namespace names a selector requires (`kubernetes.io/metadata.name` = or in) that are not known. */
  public unknownNamespaces(selector: LabelSelectorModel): string[] {
    const named = [
      ...(selector.matchLabels[NAMESPACE_NAME_LABEL] !== undefined ? [selector.matchLabels[NAMESPACE_NAME_LABEL]] : []),
      ...selector.matchExpressions.filter((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'In').flatMap((e) => e.values),
    ];
    return [...new Set(named)].filter((n) => !this.namespaces.has(n)).sort(compareStrings);
  }

  /** Why no known pod matches (undefined when one does), with the closest label values. */
  public whyNothing(namespaces: Namespaces, pods: LabelSelectorModel): string | undefined {
    const inNamespaces = namespaces.kind === 'name'
      ? this.pods.filter((p) => p.namespace === namespaces.name)
      : this.pods.filter((p) => matchesLabels(namespaces.selector, this.namespaces.get(p.namespace) ?? {}));
    if (inNamespaces.some((p) => matchesLabels(pods, p.labels))) return undefined;
    if (namespaces.kind === 'selector' && ![...this.namespaces.values()].some((labels) => matchesLabels(namespaces.selector, labels))) {
      return `no known namespace has labels ${describeSelector(namespaces.selector)}`;
    }
    const there = namespaces.kind === 'name' ? `in namespace ${namespaces.name}` : 'in those namespaces';
    if (inNamespaces.length === 0) return `no pod is known ${there}`;
    for (const key of Object.keys(pods.matchLabels).sort(compareStrings)) {
      const value = pods.matchLabels[key];
      if (inNamespaces.some((p) => p.labels[key] === value)) continue;
      const values = inNamespaces.flatMap((p) => (p.labels[key] !== undefined ? [`${key}=${p.labels[key]}`] : []));
      if (values.length > 0) return `no pod ${there} has ${key}=${value}${didYouMean(`${key}=${value}`, values, 'label')}`;
      const keys = inNamespaces.flatMap((p) => Object.keys(p.labels));
      return `no pod ${there} has the label key ${key}${didYouMean(key, keys, 'label key')}`;
    }
    return `no pod ${there} has all of ${describeSelector(pods)}`;
  }

  /** What an intent's endpoint set names that the model does not have, in words. */
  public unknownIn(set: EndpointSetModel, matches: boolean): string[] {
    switch (set.kind) {
      case 'pods': {
        const unknown = this.unknownNamespaces(set.namespaces);
        if (unknown.length > 0) {
          return unknown.map((n) => `names namespace "${n}", which nothing declares${didYouMean(n, this.namespaceNames, 'namespace')}`);
        }
        if (set.workload !== undefined || !matches) return [];
        const name = onlyNamespaceName(set.namespaces);
        const why = this.whyNothing(name !== undefined ? { kind: 'name', name } : { kind: 'selector', selector: set.namespaces }, set.pods);
        return why === undefined ? [] : [`selects ${set.text}, which match no known pod: ${why}`];
      }
      case 'pod': {
        const id = `${set.namespace}/${set.name}`;
        if (this.pods.some((p) => p.namespace === set.namespace && (p.name === set.name || p.replicaOf === set.name))) return [];
        return [`names pod ${id}, which is not in the cluster model${didYouMean(id, this.pods.filter((p) => p.replicaOf === undefined).map(objectId), 'pod')}`];
      }
      case 'external':
        if (this.externals.includes(set.name)) return [];
        return [`names external "${set.name}", which is not in the cluster model${didYouMean(set.name, this.externals, 'external')}`];
      default:
        return [];
    }
  }
}

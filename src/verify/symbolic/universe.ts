/**
 * The universe a proof quantifies over, as finite choices: the namespaces a pod could be in (each known
 * one with its labels, each name that selectors mention but no namespace has yet, and any other new
 * name), the value classes of every label key a selector mentions, the address intervals a pod's IP could
 * lie in, and the flows (protocol and port interval). Built once per verification from the policies, the
 * cluster and the intents' own selectors.
 */
import { ipBlockMatchesPods } from '../_match';
import { LABEL_ABSENT, LABEL_OTHER, Key, KeyTable } from './space';
import { ClusterModel, Dataplane } from '../../model/cluster';
import { NAMESPACE_NAME_LABEL, PolicyModel } from '../../model/policy';
import { Protocol, PROTOCOLS } from '../../model/port';
import { compareStrings, LabelSelectorModel, Labels, requirementsOf } from '../../model/selector';
import { AddressSpace, ipBlockCidrs, takenAddresses } from '../addresses';

/** A namespace a pod could be in. */
export interface NamespaceChoice {
  readonly name: string;
  /** Known namespaces: their labels (name label included). New ones: undefined (any labels). */
  readonly labels?: Labels;
  /** A namespace that does not exist yet, named by a selector or not named by any (`fresh`). */
  readonly fresh: boolean;
}

/** One flow class: a protocol and a port interval within which nothing tells ports apart. */
export interface FlowClass {
  readonly protocol: Protocol;
  readonly first: number;
  readonly last: number;
}

export interface UniverseInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly dataplane: Dataplane;
  /** Pod ranges; empty when unknown (a new pod may then have any address). */
  readonly podCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
  /** Per protocol, the port intervals (the verifier's, refined by the intents' own port bounds). */
  readonly flows: readonly FlowClass[];
  /** Selectors of the intents, over pods and over namespaces (they split value classes too). */
  readonly podSelectors: readonly LabelSelectorModel[];
  readonly namespaceSelectors: readonly LabelSelectorModel[];
  /** Label keys of workload templates, so that template labels are representable. */
  readonly templateLabels: readonly Labels[];
  /** Names of namespaces the intents name. */
  readonly namespaceNames: readonly string[];
}

/** Label values of one key: index 0 absent, 1 any other value, then the mentioned values (sorted). */
export interface LabelDomain {
  readonly key: Key;
  readonly values: readonly string[];
  /** A value of this key no selector mentions, for counterexamples. */
  readonly fresh: string;
  index(value: string | undefined): number;
}

export class Universe {
  public readonly keys = new KeyTable();
  public readonly namespaces: readonly NamespaceChoice[];
  public readonly flows: readonly FlowClass[];
  public readonly flowKey: Key;
  public readonly addresses: AddressSpace;
  /** Interval indices a new pod's IP may lie in (with a free address); undefined when IPs never matter. */
  public readonly podIpIntervals?: readonly number[];
  public readonly ipKey?: Key;
  /** Addresses known endpoints have. */
  public readonly taken: ReadonlySet<string>;
  /** Pod label keys some selector mentions (not merely a template's). */
  public readonly selectorKeys: ReadonlySet<string>;
  private readonly podDomains = new Map<string, LabelDomain>();
  private readonly nsDomains = new Map<string, LabelDomain>();
  private readonly portKeys = new Map<string, Key>();

  constructor(public readonly input: UniverseInput) {
    const podValues = new Map<string, Set<string>>();
    const nsValues = new Map<string, Set<string>>();
    const note = (into: Map<string, Set<string>>, sel: LabelSelectorModel) => {
      for (const r of requirementsOf(sel)) {
        let set = into.get(r.key);
        if (set === undefined) { set = new Set(); into.set(r.key, set); }
        for (const v of r.values) set.add(v);
      }
    };
    const names = new Set<string>(input.namespaceNames);
    for (const p of input.policies) {
      if (p.kind === 'ClusterNetworkPolicy') {
        note(nsValues, p.subject.namespaces);
        if (p.subject.pods) note(podValues, p.subject.pods);
        for (const rule of [...p.ingress, ...p.egress]) {
          for (const peer of rule.peers) {
            if (peer.kind !== 'pods') continue;
            note(nsValues, peer.namespaces);
            if (peer.pods) note(podValues, peer.pods);
          }
        }
        continue;
      }
      names.add(p.namespace);
      note(podValues, p.podSelector);
      if (p.kind !== 'NetworkPolicy') continue;
      for (const rule of [...p.ingress, ...p.egress]) {
        if (rule.peers === 'all') continue;
        for (const peer of rule.peers) {
          if (peer.kind !== 'pods') continue;
          note(podValues, peer.pods);
          if (peer.namespaces.kind === 'selector') note(nsValues, peer.namespaces.selector);
        }
      }
    }
    for (const s of input.podSelectors) note(podValues, s);
    for (const s of input.namespaceSelectors) note(nsValues, s);
    this.selectorKeys = new Set(podValues.keys());
    for (const labels of input.templateLabels) {
      for (const [k, v] of Object.entries(labels)) {
        if (!podValues.has(k)) podValues.set(k, new Set());
        podValues.get(k)!.add(v);
      }
    }
    for (const v of nsValues.get(NAMESPACE_NAME_LABEL) ?? []) names.add(v);
    nsValues.delete(NAMESPACE_NAME_LABEL);
    for (const [k, vs] of [...podValues].sort(([a], [b]) => compareStrings(a, b))) this.podDomains.set(k, this.domain(`pod:${k}`, vs));
    for (const [k, vs] of [...nsValues].sort(([a], [b]) => compareStrings(a, b))) this.nsDomains.set(k, this.domain(`ns:${k}`, vs));

    // Namespaces: the known ones (sorted), the named ones that do not exist yet, and one with a fresh name.
    const known = Object.keys(input.cluster.namespaces).sort(compareStrings);
    const choices: NamespaceChoice[] = known.map((name) => ({
      name, labels: { ...input.cluster.namespaces[name], [NAMESPACE_NAME_LABEL]: name }, fresh: false,
    }));
    for (const name of [...names].filter((n) => !input.cluster.namespaces[n]).sort(compareStrings)) choices.push({ name, fresh: false });
    choices.push({ name: freshName('new-namespace', new Set([...known, ...names])), fresh: true });
    this.namespaces = choices;

    this.flows = input.flows;
    this.flowKey = this.keys.key('flow', input.flows.length);

    this.addresses = new AddressSpace(ipBlockCidrs(input.policies), input.podCidrs, input.serviceCidrs);
    this.taken = takenAddresses(input.cluster);
    // Pod IPs matter where ipBlocks match pods, and wherever a ClusterNetworkPolicy has networks peers.
    const cnpNetworks = input.policies.some((p) => p.kind === 'ClusterNetworkPolicy' && p.egress.some((r) => r.peers.some((peer) => peer.kind === 'networks')));
    if (ipBlockMatchesPods(input.dataplane) || cnpNetworks) {
      const usable = this.addresses.intervals.map((_, i) => i).filter((i) => this.addresses.intervals[i].inPods
        && this.addresses.freeAddress(i, this.taken) !== undefined);
      this.podIpIntervals = usable;
      this.ipKey = this.keys.key('ip', this.addresses.intervals.length, usable[0] ?? 0);
    }
  }

  /** The value classes of a pod label key (a key no selector mentions has only absent and other). */
  public podDomain(key: string): LabelDomain {
    let d = this.podDomains.get(key);
    if (d === undefined) {
      d = this.domain(`pod:${key}`, []);
      this.podDomains.set(key, d);
    }
    return d;
  }

  public nsDomain(key: string): LabelDomain {
    let d = this.nsDomains.get(key);
    if (d === undefined) {
      d = this.domain(`ns:${key}`, []);
      this.nsDomains.set(key, d);
    }
    return d;
  }

  /** Pod label keys selectors mention, sorted. */
  public get podLabelKeys(): readonly string[] {
    return [...this.podDomains.keys()];
  }

  public get nsLabelKeys(): readonly string[] {
    return [...this.nsDomains.keys()];
  }

  /** The key of one endpoint's container port named `name`: 1 when that port is the flow's port. */
  public portKey(name: string, flow?: number): Key {
    const id = flow === undefined ? name : `${name}@${flow}`;
    let k = this.portKeys.get(id);
    if (k === undefined) {
      k = this.keys.key(`port:${id}`, 2);
      this.portKeys.set(id, k);
    }
    return k;
  }

  /** Flow classes (indices) of one protocol, or of every protocol. */
  public flowsOf(protocol?: Protocol): number[] {
    const out: number[] = [];
    this.flows.forEach((f, i) => { if (protocol === undefined || f.protocol === protocol) out.push(i); });
    return out;
  }

  private domain(keyName: string, mentioned: Iterable<string>): LabelDomain {
    const values = [...new Set(mentioned)].sort(compareStrings);
    const index = new Map(values.map((v, i) => [v, i + 2]));
    const key = this.keys.key(keyName, values.length + 2, LABEL_ABSENT);
    return {
      key,
      values,
      index: (value) => (value === undefined ? LABEL_ABSENT : index.get(value) ?? LABEL_OTHER),
      fresh: freshName('other', new Set(values)),
    };
  }
}

/** `base`, or `base-2`, `base-3`, ... the first one not in `taken`. */
export function freshName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The flow classes: every protocol's intervals, cut further at `bounds` (first ports of extra intervals). */
export function flowClasses(
  intervals: (protocol: Protocol) => readonly (readonly [number, number])[], bounds: ReadonlyMap<Protocol, ReadonlySet<number>>,
): FlowClass[] {
  const out: FlowClass[] = [];
  for (const protocol of PROTOCOLS) {
    const starts = new Set<number>(intervals(protocol).map(([first]) => first));
    for (const b of bounds.get(protocol) ?? []) if (b >= 1 && b <= 65535) starts.add(b);
    const sorted = [...starts].sort((a, b) => a - b);
    sorted.forEach((first, i) => out.push({ protocol, first, last: i + 1 < sorted.length ? sorted[i + 1] - 1 : 65535 }));
  }
  return out;
}

/**
 * The machinery of cnp-conformance.test.ts: the upstream conformance model of
 * kubernetes-sigs/network-policy-api (conformance/, at UPSTREAM_COMMIT) re-expressed as data, and the
 * CLI runs that answer it.
 *
 * - A `Conformance` is one upstream `suite.ConformanceTest` (ShortName, Go file, Manifests); a `Run` is one
 *   `t.Run`; a `Poke` is one `kubernetes.PokeServer` call, written in the upstream argument order:
 *   client pod, protocol, server pod (whose `Status.PodIP` upstream dials), port, shouldConnect.
 * - Upstream patches objects inside a `t.Run` and never restores them, so a later `t.Run` of the same test
 *   sees the patched objects (every test applies its Manifests afresh and deletes them at its end). A Run
 *   lists the patches its `t.Run` makes; the state a Run pokes is the manifests plus the patches of that Run
 *   and of every Run before it. A `t.Run` that pokes, patches and pokes again is split into Runs with a
 *   `(step)` suffix.
 * - `{{ index .HostNetworkPorts N }}` in the manifests is rendered as the upstream Applier renders it, with
 *   the suite's default port range 34345-34352 (conformance/utils/suite/suite.go).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO, run } from '../cli/_run';

export const UPSTREAM_COMMIT = '0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159';
export const FIXTURES = join(REPO, 'test', 'fixtures', 'cnp-conformance');

/** `suite.HostNetworkPorts`: 8 ports from the default HostNetworkPortRangeStart. */
export const HOST_NETWORK_PORTS = [34345, 34346, 34347, 34348, 34349, 34350, 34351, 34352];

/** The upstream protocol argument of PokeServer. */
export type PokeProtocol = 'tcp' | 'udp' | 'sctp';

export interface Poke {
  readonly client: string;
  readonly protocol: PokeProtocol;
  readonly server: string;
  readonly port: number;
  readonly shouldConnect: boolean;
}

/** `kubernetes.PokeServer(t, ..., clientNamespace, clientPod, protocol, serverPod.Status.PodIP, port, ..., shouldConnect)`. */
export function poke(client: string, protocol: PokeProtocol, server: string, port: number, shouldConnect: boolean): Poke {
  return { client, protocol, server, port, shouldConnect };
}

/** `t.Run(name, ...)`: the patches it makes before it pokes, and its pokes. */
export interface Run {
  readonly name: string;
  readonly patches?: readonly Patch[];
  readonly pokes: readonly Poke[];
}

export interface Conformance {
  readonly shortName: string;
  /** conformance/tests/<goFile> */
  readonly goFile: string;
  /** `Manifests`, relative to conformance/base/ (and to FIXTURES). */
  readonly manifests: readonly string[];
  readonly runs: readonly Run[];
  /**
   * Why the test cannot run yet (it is transcribed, and listed as `test.todo`).
   * @default the test runs
   */
  readonly todo?: string;
  /**
   * The test depends on pod IPs (CIDR peers match them), so it runs only on the cluster models with IPs.
   * @default false
   */
  readonly podIps?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Pods and the three cluster models

/** Upstream StatefulSets (base/manifests.yaml) and their namespaces. */
const STATEFULSETS: Record<string, string> = {
  'harry-potter': 'network-policy-conformance-gryffindor',
  'draco-malfoy': 'network-policy-conformance-slytherin',
  'cedric-diggory': 'network-policy-conformance-hufflepuff',
  'luna-lovegood': 'network-policy-conformance-ravenclaw',
  'centaur': 'network-policy-conformance-forbidden-forrest',
};

/**
 * - `ipv4`, `ipv6`: cluster-ipv4.yaml / cluster-ipv6.yaml, written for these tests: the StatefulSet pods
 *   under their Kubernetes names (`harry-potter-0`, `harry-potter-1`) with an IP each.
 * - `manifests`: the upstream base/manifests.yaml itself. netproof makes one pod per StatefulSet named after
 *   it, plus `name#2` for replicas >= 2: upstream `harry-potter-0` is `harry-potter`, `harry-potter-1` is
 *   `harry-potter#2`. These pods have no IP.
 */
export type ClusterKind = 'ipv4' | 'ipv6' | 'manifests';
export const CLUSTERS: readonly ClusterKind[] = ['ipv4', 'ipv6', 'manifests'];
const CLUSTER_FILES: Record<ClusterKind, string> = { ipv4: 'cluster-ipv4.yaml', ipv6: 'cluster-ipv6.yaml', manifests: 'manifests.yaml' };

export type Dataplane = 'upstream' | 'dataplane-v2';
export const DATAPLANES: readonly Dataplane[] = ['upstream', 'dataplane-v2'];

/** The netproof endpoint id of an upstream StatefulSet pod (`harry-potter-1`) on a cluster model. */
export function endpointId(pod: string, cluster: ClusterKind): string {
  // The host-network centaur pods are their nodes: externals at the nodes' addresses (cluster-ipv4/6.yaml).
  if (/^centaur-\d+$/.test(pod)) {
    if (cluster === 'manifests') throw new Error(`${pod} runs on the host network: manifests.yaml has no node for it`);
    return pod;
  }
  const m = /^(.+)-(\d+)$/.exec(pod);
  const namespace = m ? STATEFULSETS[m[1]] : undefined;
  if (!m || namespace === undefined) throw new Error(`${pod} is not a pod of a base/manifests.yaml StatefulSet`);
  if (cluster !== 'manifests') return `${namespace}/${pod}`;
  if (Number(m[2]) > 1) throw new Error(`${pod}: netproof models two replicas of a StatefulSet`);
  return `${namespace}/${m[1]}${m[2] === '0' ? '' : '#2'}`;
}

// ---------------------------------------------------------------------------------------------------
// Manifests as upstream applies them, and the patches of the tests

/** The text/template data of the upstream Applier: only `{{ index .HostNetworkPorts N }}` is used. */
export function renderTemplate(text: string): string {
  const out = text.replace(/\{\{\s*index \.HostNetworkPorts (\d+)\s*\}\}/g, (_, i: string) => String(HOST_NETWORK_PORTS[Number(i)]));
  if (out.includes('{{')) throw new Error(`unrendered template in ${out.slice(out.indexOf('{{'), out.indexOf('{{') + 60)}`);
  return out;
}

export function fixtureText(relative: string): string {
  return renderTemplate(readFileSync(join(FIXTURES, relative), 'utf8'));
}

type Doc = Record<string, any>;

/**
 * What a Run pokes: the objects of the test's manifests and the cluster model, with every patch so far.
 * netproof reads them as JSON (a Kubernetes `List` per manifest file): the same objects as the YAML, read by
 * JSON.parse, much cheaper than YAML parsing; the fixture tests check that netproof reads both forms alike.
 */
export class State {
  public static initial(c: Conformance, cluster: ClusterKind): State {
    return new State(c.manifests.map((m) => documents(fixtureText(m))), documents(fixtureText(CLUSTER_FILES[cluster])), cluster);
  }

  private constructor(
    /** The objects of each manifest file, in order. */
    public readonly manifests: Doc[][],
    public readonly clusterDocs: Doc[],
    public readonly cluster: ClusterKind,
  ) {}

  /** A copy with the patches applied (the upstream objects after `PatchClusterNetworkPolicy` and friends). */
  public patched(patches: readonly Patch[]): State {
    if (patches.length === 0) return this;
    const next = new State(structuredClone(this.manifests), structuredClone(this.clusterDocs), this.cluster);
    for (const p of patches) p.apply(next);
    return next;
  }

  /** The CLI's in-memory input: `cluster.json` and `policies/`, one file per manifest. */
  public files(): Record<string, string> {
    const files: Record<string, string> = { 'cluster.json': asJson(this.clusterDocs) };
    this.manifests.forEach((docs, i) => { files[`policies/manifest-${i}.json`] = asJson(docs); });
    return files;
  }

  public cnp(name: string): Doc {
    const found = this.manifests.flat().find((o) => o.kind === 'ClusterNetworkPolicy' && o.metadata?.name === name);
    if (!found) throw new Error(`no ClusterNetworkPolicy ${name} in the manifests`);
    return found;
  }

  /** `Status.PodIP` of an upstream pod: only the cluster models with IPs have one. */
  public podIp(pod: string): string {
    const model = this.clusterDocs.find((d) => Array.isArray(d.pods));
    const found = (model?.pods as Doc[] | undefined)?.find((p) => `${p.namespace}/${p.name}` === endpointId(pod, this.cluster));
    if (found?.ip === undefined) throw new Error(`${pod} has no IP on the ${this.cluster} cluster model`);
    return found.ip as string;
  }
}

/** The documents of a YAML text, as plain objects. */
export function documents(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Doc).filter((d) => d !== null);
}

/** One document as itself, several as a Kubernetes `List`. */
export function asJson(docs: readonly Doc[]): string {
  return JSON.stringify(docs.length === 1 ? docs[0] : { apiVersion: 'v1', kind: 'List', items: docs });
}

/** One upstream mutation, named as the Go test does it. */
export interface Patch {
  readonly text: string;
  apply(s: State): void;
}

type Gress = 'ingress' | 'egress';

/** `mutate.Spec.Egress[i], mutate.Spec.Egress[j] = ...[j], ...[i]` */
export function swapRules(cnp: string, gress: Gress, i: number, j: number): Patch {
  return {
    text: `swap ${cnp} ${gress}[${i}] and [${j}]`,
    apply: (s) => {
      const rules = s.cnp(cnp).spec[gress] as Doc[];
      [rules[i], rules[j]] = [rules[j], rules[i]];
    },
  };
}

/** `mutate.Spec.Ingress[i].Action = ...` */
export function setAction(cnp: string, gress: Gress, i: number, action: 'Accept' | 'Deny' | 'Pass'): Patch {
  return { text: `${cnp} ${gress}[${i}] action ${action}`, apply: (s) => { s.cnp(cnp).spec[gress][i].action = action; } };
}

/** `mutate.Spec.Priority = n` */
export function setPriority(cnp: string, priority: number): Patch {
  return { text: `${cnp} priority ${priority}`, apply: (s) => { s.cnp(cnp).spec.priority = priority; } };
}

/** `rule.Protocols = []api.ClusterNetworkPolicyProtocol{{DestinationNamedPort: name}}` */
export function namedPort(cnp: string, gress: Gress, i: number, name: string): Patch {
  return { text: `${cnp} ${gress}[${i}] protocols: destinationNamedPort ${name}`, apply: (s) => { s.cnp(cnp).spec[gress][i].protocols = [{ destinationNamedPort: name }]; } };
}

/** The CIDR tests' new egress rule 0: Accept to `networks` of the pods' IPs, /32 for IPv4 and /128 for IPv6. */
export function prependAllowToPodIps(cnp: string, pods: readonly string[]): Patch {
  return {
    text: `${cnp} egress: insert Accept to networks [${pods.map((p) => `${p}.IP`).join(', ')}] at index 0`,
    apply: (s) => {
      const networks = pods.map((p) => { const ip = s.podIp(p); return `${ip}${ip.includes(':') ? '/128' : '/32'}`; });
      const spec = s.cnp(cnp).spec;
      spec.egress = [{ name: 'allow-egress-to-specific-podIPs', action: 'Accept', to: [{ networks }] }, ...spec.egress];
    },
  };
}

/** `mutateNamespace.SetLabels(labels)` (the API server keeps kubernetes.io/metadata.name). */
export function relabelNamespace(namespace: string, labels: Record<string, string>): Patch {
  return {
    text: `namespace ${namespace} labels ${JSON.stringify(labels)}`,
    apply: (s) => {
      for (const d of s.clusterDocs) {
        if (d.namespaces?.[namespace] !== undefined) d.namespaces[namespace] = { ...labels };
        if (d.kind === 'Namespace' && d.metadata?.name === namespace) d.metadata.labels = { ...labels };
      }
    },
  };
}

/** `s.Client.Delete(ctx, np)` */
export function deleteNetworkPolicy(namespace: string, name: string): Patch {
  const isIt = (o: Doc) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === namespace && o.metadata?.name === name;
  return {
    text: `delete NetworkPolicy ${namespace}/${name}`,
    apply: (s) => {
      const docs = s.manifests.find((m) => m.some(isIt));
      if (!docs) throw new Error(`no NetworkPolicy ${namespace}/${name}`);
      docs.splice(docs.findIndex(isIt), 1);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The CLI runs

export interface Answers {
  /** `reach --format json`: the matrix of one (protocol, port). */
  reach(protocol: PokeProtocol, port: number): Promise<Record<string, Record<string, boolean>>>;
  /** `explain --format json`: the verdict of one poke. */
  explain(p: Poke): Promise<{ allowed: boolean }>;
  /** `verify --format json` of every poke of the Run as an intent. */
  verify(pokes: readonly Poke[]): Promise<{ code: number; intents: { name: string; holds: boolean }[] }>;
}

/** The CLI's answers on one state and dataplane; each command runs once per question and is remembered. */
export function answers(state: State, dataplane: Dataplane): Answers {
  const files = state.files();
  const memo = new Map<string, Promise<any>>();
  const once = <T>(key: string, f: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, f());
    return memo.get(key)!;
  };
  const json = async (argv: string[], extra: Record<string, string> = {}) => {
    const r = await run([...argv, '--cluster', 'cluster.json', '--policies', 'policies', '--dataplane', dataplane, '--format', 'json'], { ...files, ...extra });
    if (r.code !== 0 && !(argv[0] === 'verify' && r.code === 1)) throw new Error(`netproof ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
    return { code: r.code, out: JSON.parse(r.stdout) };
  };
  const id = (pod: string) => endpointId(pod, state.cluster);
  return {
    reach: (protocol, port) => once(`reach ${protocol} ${port}`, async () =>
      (await json(['reach', '--port', String(port), '--protocol', protocol.toUpperCase()])).out.matrix),
    explain: (p) => once(`explain ${JSON.stringify(p)}`, async () =>
      (await json(['explain', '--from', id(p.client), '--to', id(p.server), '--port', `${p.port}/${p.protocol.toUpperCase()}`])).out),
    verify: (pokes) => once(`verify ${JSON.stringify(pokes)}`, async () => {
      const intents = pokes.map((p) => ({
        name: pokeLabel(p),
        from: id(p.client),
        to: id(p.server),
        port: `${p.port}/${p.protocol.toUpperCase()}`,
        expect: p.shouldConnect ? 'allow' : 'deny',
      }));
      const r = await json(['verify', '--intents', 'intents.json'], { 'intents.json': JSON.stringify({ intents }) });
      return { code: r.code, intents: r.out.intents };
    }),
  };
}

export function pokeLabel(p: Poke): string {
  return `${p.client} -> ${p.server} ${p.protocol.toUpperCase()} ${p.port} ${p.shouldConnect ? 'connects' : 'is refused'}`;
}

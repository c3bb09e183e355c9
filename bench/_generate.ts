/**
 * Seeded, deterministic synthetic clusters for benchmarks: namespaces with labels, workloads whose pods
 * carry 1-4 labels from small vocabularies and named container ports, externals, and selector-based
 * policies with numeric, ranged and named ports, namespace selectors, expressions and some ipBlocks.
 */
import { ClusterModel, ContainerPortModel, ExternalModel, PodModel } from '../src/model/cluster';
import { NetworkPolicyModel, PeerModel, PolicyType, RuleModel } from '../src/model/policy';
import { PortModel } from '../src/model/port';
import { LabelRequirementModel, makeSelector } from '../src/model/selector';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = Array.from({ length: 12 }, (_, i) => `app${i}`);
const TIERS = ['web', 'api', 'db', 'cache'];
const ENVS = ['prod', 'dev'];
const VERSIONS = ['v1', 'v2', 'v3'];
const TEAMS = ['t0', 't1', 't2', 't3', 't4'];
const PORT_SETS: ContainerPortModel[][] = [
  [{ name: 'http', port: 8080, protocol: 'TCP' }],
  [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
  [{ name: 'grpc', port: 9090, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
  [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
  [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'grpc', port: 9090, protocol: 'TCP' }],
];

export interface Synthetic {
  readonly cluster: ClusterModel;
  readonly policies: NetworkPolicyModel[];
}

/** `namespaceCount` defaults to one namespace per 200 pods (at least 5). */
export function generate(podCount: number, policyCount: number, seed = 1, maxReplicas = 19, namespaceCount?: number): Synthetic {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const nsCount = namespaceCount ?? Math.max(5, Math.round(podCount / 200));
  const namespaces: Record<string, Record<string, string>> = {};
  const nsNames: string[] = [];
  for (let n = 0; n < nsCount; n++) {
    const name = `ns${n}`;
    nsNames.push(name);
    namespaces[name] = { team: pick(TEAMS), env: pick(ENVS) };
  }
  // Workloads of ~10 replicas each; a workload's pods share labels and ports (as Deployments do).
  const pods: PodModel[] = [];
  let w = 0;
  while (pods.length < podCount) {
    const namespace = nsNames[w % nsCount];
    const labels: Record<string, string> = { app: pick(APPS) };
    const extra = Math.floor(r() * 4); // 0..3 more labels: 1-4 in total
    if (extra >= 1) labels.tier = pick(TIERS);
    if (extra >= 2) labels.env = pick(ENVS);
    if (extra >= 3) labels.version = pick(VERSIONS);
    const ports = pick(PORT_SETS);
    const replicas = 1 + Math.floor(r() * maxReplicas);
    for (let i = 0; i < replicas && pods.length < podCount; i++) {
      const k = pods.length;
      pods.push({
        namespace,
        name: `w${w}-${i}`,
        labels,
        ports,
        networks: ['default'],
        ip: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
      });
    }
    w++;
  }
  const externals: ExternalModel[] = [
    { name: 'metadata', ip: '169.254.169.254' },
    { name: 'gke-metadata', ip: '169.254.169.252' },
    ...Array.from({ length: 18 }, (_, i) => ({ name: `svc${i}`, ip: `203.0.${113 + (i % 3)}.${10 + i}`, hostname: `svc${i}.example.com` })),
  ];

  const selector = () => {
    const ml: Record<string, string> = { app: pick(APPS) };
    if (r() < 0.3) ml.tier = pick(TIERS);
    const exprs: LabelRequirementModel[] = [];
    if (r() < 0.15) exprs.push({ key: 'env', operator: 'NotIn', values: ['dev'] });
    if (r() < 0.1) exprs.push({ key: 'version', operator: 'In', values: [pick(VERSIONS), pick(VERSIONS)] });
    if (r() < 0.05) exprs.push({ key: 'tier', operator: 'Exists', values: [] });
    return makeSelector(ml, exprs);
  };
  const ports = (): RuleModel['ports'] => {
    const x = r();
    if (x < 0.1) return 'all';
    const out: PortModel[] = [];
    if (x < 0.45) out.push({ protocol: 'TCP', port: pick([80, 8080, 9090, 443]) });
    else if (x < 0.75) out.push({ protocol: 'TCP', port: pick(['http', 'grpc', 'metrics']) });
    else if (x < 0.85) out.push({ protocol: 'TCP', port: 8000, endPort: 8100 });
    else out.push({ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 'dns-tcp' });
    return out;
  };
  const peer = (): PeerModel => {
    const x = r();
    if (x < 0.45) return { kind: 'pods', namespaces: { kind: 'own' }, pods: selector() };
    if (x < 0.7) return { kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ team: pick(TEAMS) }) }, pods: selector() };
    if (x < 0.8) return { kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ 'kubernetes.io/metadata.name': pick(nsNames) }) }, pods: makeSelector() };
    if (x < 0.9) return { kind: 'ipBlock', cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] };
    return pick<PeerModel>([
      { kind: 'ipBlock', cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] },
      { kind: 'ipBlock', cidr: '169.254.169.254/32', except: [] },
      { kind: 'ipBlock', cidr: '203.0.113.0/24', except: [] },
    ]);
  };
  const policies: NetworkPolicyModel[] = [];
  for (let i = 0; i < policyCount; i++) {
    const namespace = nsNames[i % nsCount];
    const kind = r();
    let podSelector = selector();
    let policyTypes: PolicyType[] = ['Ingress'];
    let ingress: RuleModel[] = [];
    let egress: RuleModel[] = [];
    if (kind < 0.1) {
      podSelector = makeSelector();
      policyTypes = r() < 0.5 ? ['Ingress'] : ['Ingress', 'Egress'];
    } else if (kind < 0.75) {
      const peers = () => Array.from({ length: 1 + Math.floor(r() * 2) }, peer);
      ingress = Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({ peers: peers(), ports: ports() }));
    } else {
      policyTypes = ['Egress'];
      egress = Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({ peers: r() < 0.05 ? 'all' as const : Array.from({ length: 1 + Math.floor(r() * 2) }, peer), ports: ports() }));
    }
    policies.push({ kind: 'NetworkPolicy', name: `p${i}`, namespace, labels: {}, annotations: {}, podSelector, policyTypes, ingress, egress });
  }
  return { cluster: { namespaces, pods, externals }, policies };
}

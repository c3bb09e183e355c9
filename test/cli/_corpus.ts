/**
 * Test helpers for the malformed-input corpus (corpus.test.ts) and its property test: valid baseline
 * inputs, every command run on an input, and the check that a run ended as documented (an allowed
 * exit code, never an internal error or a stack trace).
 */
import { RunResult } from './_run';

export const POLICY = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api-from-web', namespace: 'shop', labels: { team: 'web' }, annotations: { note: 'x' } },
  spec: {
    podSelector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{
      from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 80 }, { port: 'http' }, { port: 8000, endPort: 8100 }],
    }],
    egress: [{ to: [{ podSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }],
  },
};

export const FQDN_POLICY = {
  apiVersion: 'networking.gke.io/v1alpha1',
  kind: 'FQDNNetworkPolicy',
  metadata: { name: 'web-to-api', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, egress: [{ matches: [{ name: 'api.example.com' }, { pattern: '*.example.org' }], ports: [{ protocol: 'TCP', port: 443 }] }] },
};

export const MODEL = {
  namespaces: { shop: { team: 'web' } },
  pods: [
    { namespace: 'shop', name: 'web', labels: { app: 'web' }, ip: '10.0.0.1', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], networks: ['default'] },
    { namespace: 'shop', name: 'api', labels: { app: 'api', tier: 'back' }, ip: '10.0.0.2', ports: [{ name: 'http', port: 80 }] },
  ],
  externals: [{ name: 'metadata', ip: '169.254.169.252' }, { name: 'api.example.com', ip: '203.0.113.9', hostname: 'api.example.com' }],
};

const TEMPLATE = {
  metadata: { labels: { app: 'api', tier: 'back' }, annotations: { 'networking.gke.io/interfaces': '[{"interfaceName":"eth0","network":"default"}]' } },
  spec: {
    serviceAccountName: 'api',
    initContainers: [{ name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }],
    containers: [{ name: 'api', image: 'api:1', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] }],
  },
};

/** What `kubectl get namespaces,deployments,pods,services -A -o json` prints, in small. */
export const KUBECTL_LIST = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'web' } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', uid: 'd1' }, spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: TEMPLATE } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'r1', controller: true }] },
      spec: { hostNetwork: false, containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 80 }] }] },
      status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { type: 'ClusterIP', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] } },
  ],
};

export const INTENTS = {
  intents: [
    { name: 'web reaches api', from: { namespace: 'shop', pods: { app: 'web' } }, to: 'shop/api', port: '80/TCP', expect: 'allow' },
    { from: 'metadata', to: { namespace: 'shop', podSelector: { matchLabels: { app: 'api' } } }, port: 'http', expect: 'deny', scope: 'existing' },
    { to: { pod: 'shop/api' }, onlyFrom: [{ namespace: 'shop' }], scope: 'existing' },
    { of: { namespace: 'shop', pods: { app: 'api' } }, isolated: 'ingress', network: 'default', scope: 'existing' },
  ],
};

/** Exit codes each command documents: 0 success, 2 bad input; verify 1 = an intent is violated. */
export const ALLOWED_CODES: Readonly<Record<string, readonly number[]>> = {
  reach: [0, 2],
  explain: [0, 2],
  graph: [0, 2],
  diff: [0, 2],
  verify: [0, 1, 2],
  synth: [0, 1, 2],
  check: [0, 1, 2],
  init: [0, 2],
  import: [0, 2],
};

/** The commands that read policy and cluster files, each with argv over `cluster`, `policies` and `intents`. */
export function fileCommands(cluster: string, policies: string, intents: string): [string, string[]][] {
  const inputs = ['--cluster', cluster, '--policies', policies];
  return [
    ['reach', ['reach', ...inputs, '--port', '80']],
    ['explain', ['explain', ...inputs, '--from', 'shop/web', '--to', 'shop/api', '--port', '80/TCP']],
    ['verify', ['verify', ...inputs, '--intents', intents]],
    ['graph', ['graph', ...inputs]],
    ['diff', ['diff', policies, policies, '--cluster', cluster]],
    ['import', ['import', policies]],
  ];
}

/** Why a run did not end as documented, or undefined when it did. */
export function misbehaviour(command: string, r: RunResult): string | undefined {
  if (!ALLOWED_CODES[command].includes(r.code)) return `exit code ${r.code}, documented: ${ALLOWED_CODES[command].join(', ')}`;
  if (/internal error/.test(r.stderr)) return `internal error: ${r.stderr.slice(0, 500)}`;
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(r.stderr)) return `a stack trace: ${r.stderr.slice(0, 500)}`;
  if (r.code === 2 && !/netproof: error: /.test(r.stderr)) return `exit 2 without an error message: ${r.stderr.slice(0, 300)}`;
  return undefined;
}

/** Every path to a value inside `value` (objects and arrays), shortest first. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  const queue: [unknown, (string | number)[]][] = [[value, prefix]];
  while (queue.length > 0) {
    const [v, p] = queue.shift()!;
    if (p.length > 0) out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => queue.push([x, [...p, i]]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) queue.push([x, [...p, k]]);
  }
  return out;
}

/** A deep copy of `value` with the value at `path` replaced (or deleted with `undefined`). */
export function withValue(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value));
  let at = copy;
  for (const seg of path.slice(0, -1)) at = at[seg];
  const last = path[path.length - 1];
  if (replacement === undefined) {
    if (Array.isArray(at)) at.splice(last as number, 1);
    else delete at[last];
  } else {
    at[last] = replacement;
  }
  return copy;
}

export const fieldText = (path: readonly (string | number)[]) => path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');

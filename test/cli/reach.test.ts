import { run } from './_run';
import { NoteMessages } from '../../src/cli/_notes';
import { LARGE_MATRIX_PAIRS, ReachMessages } from '../../src/cli/reach';
import { ParseFix } from '../../src/parse/messages';
import { VerifyMessages } from '../../src/verify/messages';

const FIXTURE = ['--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies'];

/** The README example: `netproof reach --cluster ... --policies ... --port 80 --format json`. */
const JSON_80 = `{
  "port": 80,
  "protocol": "TCP",
  "dataplane": "upstream",
  "network": "default",
  "matrix": {
    "default/db": {"default/db": true, "default/frontend": false, "myproject/client": false, "shop/backend": false, "shop/frontend": false, "metadata": false, "office": false},
    "default/frontend": {"default/db": false, "default/frontend": true, "myproject/client": true, "shop/backend": false, "shop/frontend": false, "metadata": true, "office": true},
    "myproject/client": {"default/db": false, "default/frontend": true, "myproject/client": true, "shop/backend": false, "shop/frontend": false, "metadata": true, "office": true},
    "shop/backend": {"default/db": false, "default/frontend": true, "myproject/client": true, "shop/backend": true, "shop/frontend": false, "metadata": true, "office": true},
    "shop/frontend": {"default/db": false, "default/frontend": true, "myproject/client": true, "shop/backend": true, "shop/frontend": true, "metadata": true, "office": true},
    "metadata": {"default/db": false, "default/frontend": true, "myproject/client": true, "shop/backend": false, "shop/frontend": false},
    "office": {"default/db": false, "default/frontend": true, "myproject/client": true, "shop/backend": false, "shop/frontend": false}
  }
}
`;

describe('netproof reach: formats on the README fixture', () => {
  test('json is exactly the DESIGN.md matrix', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '80', '--format', 'json']);
    expect(r).toEqual({ code: 0, stdout: JSON_80, stderr: '' });
  });

  test('json has every pod pair (self included), pod↔external, and no external→external', async () => {
    const { matrix } = JSON.parse((await run(['reach', ...FIXTURE, '--port', '80', '--format', 'json'])).stdout);
    const pods = ['default/db', 'default/frontend', 'myproject/client', 'shop/backend', 'shop/frontend'];
    const externals = ['metadata', 'office'];
    expect(Object.keys(matrix)).toEqual([...pods, ...externals]);
    for (const p of pods) expect(Object.keys(matrix[p])).toEqual([...pods, ...externals]);
    for (const x of externals) expect(Object.keys(matrix[x])).toEqual(pods);
  });

  test('text is a table with a legend', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '80']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Reachability: TCP port 80 on network "default", dataplane upstream
5 pods, 2 externals: 24 of 45 pairs allowed

from \\ to                1 2 3 4 5 6 7
1  default/db            ✓ · · · · · ·
2  default/frontend      · ✓ ✓ · · ✓ ✓
3  myproject/client      · ✓ ✓ · · ✓ ✓
4  shop/backend          · ✓ ✓ ✓ · ✓ ✓
5  shop/frontend         · ✓ ✓ ✓ ✓ ✓ ✓
6  metadata (external)   · ✓ ✓ · · - -
7  office (external)     · ✓ ✓ · · - -

Legend: rows are sources (from); numbered columns are destinations (to), numbered like the rows.
        ✓ allowed   · denied   - not modelled (external to external)
`);
  });

  test('markdown is a table', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '80', '--format', 'markdown']);
    expect(r.stdout).toBe(`**Reachability**: TCP port 80 on network "default", dataplane upstream

| from \\ to | \`default/db\` | \`default/frontend\` | \`myproject/client\` | \`shop/backend\` | \`shop/frontend\` | \`metadata\` _(external)_ | \`office\` _(external)_ |
| --- | :-: | :-: | :-: | :-: | :-: | :-: | :-: |
| \`default/db\` | ✓ | ✗ | ✗ | ✗ | ✗ | ✗ | ✗ |
| \`default/frontend\` | ✗ | ✓ | ✓ | ✗ | ✗ | ✓ | ✓ |
| \`myproject/client\` | ✗ | ✓ | ✓ | ✗ | ✗ | ✓ | ✓ |
| \`shop/backend\` | ✗ | ✓ | ✓ | ✓ | ✗ | ✓ | ✓ |
| \`shop/frontend\` | ✗ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| \`metadata\` _(external)_ | ✗ | ✓ | ✓ | ✗ | ✗ | — | — |
| \`office\` _(external)_ | ✗ | ✓ | ✓ | ✗ | ✗ | — | — |

Rows are sources (from), columns destinations (to). ✓ allowed, ✗ denied, — not modelled (external to external); _(external)_ marks externals.
`);
  });

  test('csv lists every modelled pair in matrix order, header first', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '80', '--format', 'csv']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['from,to,allowed', 'default/db,default/db,true', 'default/db,default/frontend,false', 'default/db,myproject/client,false']);
    expect(lines).toHaveLength(1 + 5 * 7 + 2 * 5);
    expect(lines).toContain('shop/frontend,shop/backend,true');
    expect(lines).toContain('office,myproject/client,true');
    expect(lines.some((l) => l.startsWith('metadata,office') || l.startsWith('office,metadata'))).toBe(false);
  });

  test('summary counts allowed and denied pairs per namespace pair, most allowed first', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '80', '--format', 'summary']);
    expect(r.stdout).toBe(`Reachability summary: TCP port 80 on network "default", dataplane upstream
5 pods in 3 namespaces, 2 externals: 45 ordered pairs, 24 allowed, 21 denied (a pod reaching itself counts as allowed).

Pairs of source and destination namespace (all 15; externals grouped as "(externals)"):
from         to           allowed  denied
shop         (externals)        4       0
shop         shop               3       1
default      default            2       2
default      (externals)        2       2
myproject    (externals)        2       0
shop         default            2       2
shop         myproject          2       0
(externals)  default            2       2
(externals)  myproject          2       0
default      myproject          1       1
myproject    default            1       1
myproject    myproject          1       0
default      shop               0       4
myproject    shop               0       2
(externals)  shop               0       4
`);
  });

  test('summary --limit lists that many namespace pairs and says how many there are', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '80', '--format', 'summary', '--limit', '2']);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      '5 pods in 3 namespaces, 2 externals: 45 ordered pairs, 24 allowed, 21 denied (a pod reaching itself counts as allowed).',
      '',
      'Pairs of source and destination namespace (the 2 with the most allowed pairs, of 15; externals grouped as "(externals)"):',
      'from  to           allowed  denied',
      'shop  (externals)        4       0',
      'shop  shop               3       1',
      '',
    ]);
  });
});

describe('netproof reach: flow and dataplane', () => {
  test('port 6379: the docs policy admits its ipBlock, namespace and pod peers, not the excepted office', async () => {
    const { matrix } = JSON.parse((await run(['reach', ...FIXTURE, '--port', '6379', '--format', 'json'])).stdout);
    expect(Object.fromEntries(Object.keys(matrix).map((from) => [from, matrix[from]['default/db']]))).toEqual({
      'default/db': true,
      'default/frontend': true,
      'myproject/client': true,
      'shop/backend': true, // 172.17.0.20 is inside the ipBlock: upstream matches pod IPs
      'shop/frontend': false,
      'metadata': false,
      'office': false, // 172.17.1.9 is in the except block
    });
  });

  test('dataplane-v2: ipBlock does not match pod traffic', async () => {
    const r = await run(['reach', ...FIXTURE, '--port', '6379', '--dataplane', 'dataplane-v2', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.dataplane).toBe('dataplane-v2');
    expect(doc.matrix['shop/backend']['default/db']).toBe(false);
    expect(doc.matrix['default/frontend']['default/db']).toBe(true);
  });

  test('UDP: the TCP-only rule does not apply', async () => {
    const doc = JSON.parse((await run(['reach', ...FIXTURE, '--port', '6379', '--protocol', 'UDP', '--format', 'json'])).stdout);
    expect(doc.protocol).toBe('UDP');
    expect(doc.matrix['default/frontend']['default/db']).toBe(false);
  });

  test('--policies may be repeated; a file given twice is read once', async () => {
    const r = await run(['reach', '--cluster', 'test/fixtures/reach/cluster.yaml',
      '--policies', 'test/fixtures/reach/policies/shop.yaml', '--policies', 'test/fixtures/reach/policies/test-network-policy.yaml',
      '--policies', 'test/fixtures/reach/policies', '--port', '80', '--format', 'json']);
    expect(r).toEqual({ code: 0, stdout: JSON_80, stderr: '' });
  });
});

describe('netproof reach: cluster inputs', () => {
  test('a kubectl List (namespaces and pods) works as --cluster', async () => {
    const r = await run(['reach', '--cluster', 'test/fixtures/cluster/kubectl-list.json', '--policies', 'test/fixtures/reach/policies', '--port', '8080', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).matrix)).toEqual(['kube-system/coredns-0', 'shop/frontend-7d9f8b-abcde', 'shop/pending']);
  });

  test('a directory of model files and workload manifests is merged', async () => {
    const files = {
      'cl/model.yaml': 'namespaces: {shop: {team: web}}\nexternals: [{name: metadata, ip: 169.254.169.252}]\n',
      'cl/apps/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c}]}\n',
      'p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Egress]}\n',
    };
    const r = await run(['reach', '--cluster', 'cl', '--policies', 'p.yaml', '--port', '80', '--format', 'csv'], files);
    expect(r).toEqual({ code: 0, stdout: 'from,to,allowed\nshop/web,shop/web,true\nshop/web,metadata,false\nmetadata,shop/web,true\n', stderr: '' });
  });
});

const NETWORK_CLUSTER = `namespaces: {a: {}}
pods:
  - {namespace: a, name: web, labels: {app: web}, networks: [default, blue]}
  - {namespace: a, name: db, labels: {app: db}, networks: [blue]}
  - {namespace: a, name: job, labels: {app: job}}
externals:
  - {name: internet, ip: 8.8.8.8}
`;

const BLUE_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-blue
  namespace: a
  annotations: {networking.gke.io/network: blue}
spec:
  podSelector: {matchLabels: {app: db}}
`;

describe('netproof reach: --network', () => {
  test('only pods attached to the network appear; annotated policies apply on their network only', async () => {
    const files = { 'c.yaml': NETWORK_CLUSTER, 'p/deny.yaml': BLUE_DENY };
    const blue = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--network', 'blue', '--format', 'json'], files);
    expect(blue.code).toBe(0);
    expect(JSON.parse(blue.stdout)).toEqual({
      port: 80,
      protocol: 'TCP',
      dataplane: 'upstream',
      network: 'blue',
      matrix: {
        'a/db': { 'a/db': true, 'a/web': true, 'internet': true },
        'a/web': { 'a/db': false, 'a/web': true, 'internet': true },
        'internet': { 'a/db': false, 'a/web': true },
      },
    });
    const def = JSON.parse((await run(['reach', '--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--format', 'json'], files)).stdout);
    expect(Object.keys(def.matrix)).toEqual(['a/job', 'a/web', 'internet']);
    expect(def.matrix['a/job']['a/web']).toBe(true);
  });

  test('fails when no pod is attached to the network', async () => {
    const files = { 'c.yaml': NETWORK_CLUSTER, 'p/deny.yaml': BLUE_DENY };
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--network', 'green'], files);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'netproof: error: netproof reach --network: no pod of the cluster model is attached to network "green". Use one of: blue, default\n' });
  });
});

describe('netproof reach: bad input exits 2 with a precise message', () => {
  const files = { 'c.yaml': NETWORK_CLUSTER, 'p/deny.yaml': BLUE_DENY };
  test.each([
    ['fails when --cluster is missing', ['--policies', 'p', '--port', '80'],
      'netproof: error: netproof reach --cluster: missing required flag. Give it as --cluster FILE\n'],
    ['fails when --port is missing', ['--cluster', 'c.yaml', '--policies', 'p'],
      'netproof: error: netproof reach --port: missing required flag. Give it as --port N, e.g. --port 80\n'],
    ['fails when port is 0', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '0'],
      'netproof: error: netproof reach --port: "0" is not a port. Use a whole number between 1 and 65535, e.g. 80\n'],
    ['fails on an unknown flag', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--ouput', 'json'],
      'netproof: error: netproof reach: unknown flag --ouput. Flags of netproof reach: --cluster, --policies, --namespace, --port, --protocol, --dataplane, --network, --format, --limit; run "netproof reach --help"\n'],
    ['fails when --limit is not a count', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--format', 'summary', '--limit', '0'],
      'netproof: error: netproof reach --limit: "0" is not a count. Use a whole number of at least 1, e.g. 20\n'],
    ['fails when --limit is given without --format summary', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--limit', '5'],
      `netproof: error: netproof reach --limit: ${ReachMessages.limitWithoutSummary('text')}\n`],
    ['fails on a bad format', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--format', 'yaml'],
      'netproof: error: netproof reach --format: unknown value "yaml". Use one of text, json, markdown, csv, summary\n'],
    ['fails on a bad dataplane', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--dataplane', 'cilium'],
      'netproof: error: netproof reach --dataplane: unknown value "cilium". Use one of upstream, calico, dataplane-v2\n'],
    ['fails on a bad protocol', ['--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--protocol', 'tcp'],
      'netproof: error: netproof reach --protocol: unknown value "tcp". Use one of TCP, UDP, SCTP\n'],
    ['fails when the cluster file is missing', ['--cluster', 'nope.yaml', '--policies', 'p', '--port', '80'],
      'netproof: error: --cluster nope.yaml: no such file or directory. Give the path of a YAML/JSON file or of a directory of them\n'],
    ['fails when a policies path is missing', ['--cluster', 'c.yaml', '--policies', 'p', '--policies', 'q', '--port', '80'],
      'netproof: error: --policies q: no such file or directory. Give the path of a YAML/JSON file or of a directory of them\n'],
  ])('%s', async (_name, argv, stderr) => {
    expect(await run(['reach', ...argv], files)).toEqual({ code: 2, stdout: '', stderr });
  });

  test('fails on a bad policy, naming file, document, line and field', async () => {
    const bad = BLUE_DENY.replace('spec:\n', 'spec:\n  ingress:\n  - ports: [{port: 0}]\n');
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p', '--port', '80'], { 'c.yaml': NETWORK_CLUSTER, 'p/x.yaml': `${BLUE_DENY}---\n${bad}` });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('netproof: error: p/x.yaml[document 1, line 18] spec.ingress[0].ports[0].port: port must be between 1 and 65535, got 0. Use a port between 1 and 65535, e.g. 80\n');
  });

  test('fails with a hint when the cluster file is given as policies', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'c.yaml', '--port', '80'], files);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: c.yaml[document 0, line 1]: this is a cluster model file, not a policy manifest. ${ParseFix.clusterFileAsPolicies}\n` });
  });

  test('fails on a bad cluster file', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p', '--port', '80'], { 'c.yaml': 'pods:\n  - {namespace: a, name: x, ip: 10.0.0}\n', 'p/deny.yaml': BLUE_DENY });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: c.yaml[document 0, line 2] pods[0].ip: invalid IP address "10.0.0": an IPv4 address has 4 dot-separated octets, got 3. ${ParseFix.ip}\n` });
  });

  test('fails when an FQDNNetworkPolicy is verified under a dataplane without FQDN support', async () => {
    const fqdn = 'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: f, namespace: a}\nspec:\n  podSelector: {}\n  egress:\n  - matches: [{name: example.com}]\n';
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'f.yaml', '--port', '443'], { 'c.yaml': NETWORK_CLUSTER, 'f.yaml': fqdn });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(VerifyMessages.fqdnNeedsDataplaneV2('upstream'));
  });
});

describe('netproof reach: objects it does not model are reported', () => {
  test('skipped objects of both inputs are listed on stderr as a note', async () => {
    const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec: {template: {metadata: {labels: {app: web}}}}\n';
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\n';
    const files = {
      'c.yaml': `${deploy}---\n${service}`,
      'p/a.yaml': `${BLUE_DENY}---\n${deploy}---\n${service}`,
    };
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p', '--port', '80', '--format', 'csv'], files);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe([
      'netproof: note: --cluster: skipped 1 object netproof does not model here: c.yaml#1 Service/a/web',
      'netproof: note: --policies: skipped 2 objects netproof does not model here: p/a.yaml#1 Deployment/a/web, p/a.yaml#2 Service/a/web',
      `netproof: note: ${NoteMessages.selectNoPod(['a/deny-blue (app=db)'])}`,
      '',
    ].join('\n'));
    expect(r.stdout).toBe('from,to,allowed\na/web,a/web,true\n');
  });
});

describe('netproof reach: large outputs', () => {
  const cluster = (pods: number) => `pods:\n${Array.from({ length: pods }, (_, i) => `  - {namespace: ns${i % 10}, name: p${i}}\n`).join('')}`;

  test('past LARGE_MATRIX_PAIRS pairs every format but summary warns on stderr, pointing to --format summary', async () => {
    const files = { 'c.yaml': cluster(1001), 'p.yaml': '' };
    const big = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'csv'], files);
    expect(big.code).toBe(0);
    expect(1001 * 1001).toBeGreaterThan(LARGE_MATRIX_PAIRS);
    expect(big.stderr).toContain(`netproof: warning: ${ReachMessages.largeMatrix(1001 * 1001, 1001, 0, 'csv')}\n`);
    expect(ReachMessages.largeMatrix(1001 * 1001, 1001, 0, 'csv')).toBe(
      'the matrix has 1,002,001 pairs (1001 pods, 0 externals), and --format csv lists every one (about 21 MB). Use --format summary for counts per namespace pair, or --network to narrow it');
    expect(big.stdout.split('\n').length).toBe(1001 * 1001 + 2);
    const summary = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'summary'], files);
    expect(summary.stderr).not.toContain('warning');
    const small = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80', '--format', 'csv'], { ...files, 'c.yaml': cluster(1000) });
    expect(small.stderr).not.toContain('warning');
  });
});

import { run } from './_run';
import { ExplainMessages } from '../../src/cli/explain';

const INPUTS = ['--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies'];

describe('netproof explain', () => {
  test('prints the verdict and both sides\' reasons', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'myproject/client', '--to', 'default/db', '--port', '6379/TCP']);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'myproject/client -> default/db on TCP 6379 (network default, dataplane upstream): ALLOWED',
        '  egress of myproject/client: not isolated (no policy selects it for egress), so allowed',
        '  ingress of default/db: isolated by default/test-network-policy; allowed by default/test-network-policy ingress[0] (peer 1: all pods of namespaces project=myproject; TCP 6379)',
        '',
      ].join('\n'),
    });
  });

  test('a denied connection says that no rule matched', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'office', '--to', 'default/db', '--port', '6379']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('office -> default/db on TCP 6379 (network default, dataplane upstream): DENIED');
    expect(r.stdout).toContain('ingress of default/db: isolated by default/test-network-policy; no rule of those policies matches this peer and port, so denied');
  });

  test('a denial lists its near misses: a rule that matches the peer but not the port', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'default/frontend', '--to', 'default/db', '--port', '6380/TCP']);
    expect(r.stdout).toBe([
      'default/frontend -> default/db on TCP 6380 (network default, dataplane upstream): DENIED',
      '  egress of default/frontend: not isolated (no policy selects it for egress), so allowed',
      '  ingress of default/db: isolated by default/test-network-policy; no rule of those policies matches this peer and port, so denied',
      '    near miss: rule 0 of default/test-network-policy allows TCP 6379; asked TCP 6380',
      '',
    ].join('\n'));
  });

  test('json: a denied side gains nearMisses, every other field as the verifier gives it', async () => {
    const args = ['explain', ...INPUTS, '--from', 'default/frontend', '--to', 'default/db', '--port', '6380/UDP', '--format', 'json'];
    const json = JSON.parse((await run(args)).stdout);
    expect(json.ingress.nearMisses).toEqual([{
      policy: { kind: 'NetworkPolicy', namespace: 'default', name: 'test-network-policy' },
      direction: 'ingress',
      ruleIndex: 0,
      miss: 'protocol',
      ports: [{ port: 6379, protocol: 'TCP' }],
      asked: { port: 6380, protocol: 'UDP' },
    }]);
    const { nearMisses: _, ...ingress } = json.ingress;
    expect(Object.keys(json)).toEqual(['from', 'to', 'flow', 'dataplane', 'allowed', 'egress', 'ingress']);
    expect(Object.keys(ingress)).toEqual(['direction', 'isolated', 'isolatedBy', 'allowedBy', 'allowed']);
    expect(json.egress.nearMisses).toBeUndefined();
  });

  test('dataplanes differ on ipBlock for pods', async () => {
    const args = ['explain', ...INPUTS, '--from', 'shop/backend', '--to', 'default/db', '--port', '6379/TCP'];
    expect((await run(args)).stdout).toContain('ALLOWED');
    expect((await run([...args, '--dataplane', 'dataplane-v2'])).stdout).toContain('DENIED');
  });

  test('a named port is resolved on the destination', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', 'http/TCP']);
    expect(r.stdout.split('\n')[0]).toBe('shop/frontend -> shop/backend on TCP 80 (network default, dataplane upstream): ALLOWED');
  });

  test('json output is the verdict', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '80', '--format', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({
      from: 'shop/frontend',
      to: 'shop/backend',
      allowed: true,
      flow: { port: 80, protocol: 'TCP', network: 'default' },
      ingress: { isolated: true, allowed: true, allowedBy: [{ policy: { name: 'allow-frontend-to-backend', namespace: 'shop' }, direction: 'ingress', ruleIndex: 0 }] },
    });
  });

  test.each([
    [['--port', '0/TCP'], 'netproof explain --port: port must be between 1 and 65535, got 0'],
    [['--port', '80/ICMP'], 'netproof explain --port: protocol "ICMP" is not TCP, UDP or SCTP'],
    [['--port', '80-90'], 'netproof explain --port: "80-90" is not one port'],
    [['--port', 'grpc'], 'the destination default/db has no TCP container port named "grpc"'],
  ])('bad port %j', async (extra, message) => {
    const r = await run(['explain', ...INPUTS, '--from', 'office', '--to', 'default/db', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('an unknown endpoint is bad input', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'nowhere/pod', '--to', 'default/db', '--port', '80']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nowhere/pod');
  });

  test.each([
    [['--from', 'shop/zz', '--to', 'default/db'], '--from', 'shop/zz'],
    [['--from', 'office', '--to', 'shop/backnd'], '--to', 'shop/backnd'],
  ])('fails when %j names no endpoint: the flag, the value and the closest ids', async (pair, flag, id) => {
    const r = await run(['explain', ...INPUTS, ...pair, '--port', 'http/TCP']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`netproof explain ${flag}: no pod or external "${id}" in the cluster model.`);
    expect(r.stderr).toMatch(/the closest of its 7: [^\n]+/);
  });

  test('fails when --to names no endpoint, listing the closest ids first', async () => {
    const r = await run(['explain', ...INPUTS, '--from', 'office', '--to', 'shop/backnd', '--port', '80']);
    expect(r.stderr).toContain(ExplainMessages.unknownEndpoint('shop/backnd', ['shop/backend', 'shop/frontend', 'office', 'metadata', 'default/db'], 7));
  });
});

describe('netproof verify', () => {
  const intents = (yaml: string) => ({ 'intents.yaml': yaml });

  test('the README fixture: one intent fails (an ipBlock admits a pod under upstream semantics), exit 1', async () => {
    const r = await run(['verify', ...INPUTS, '--intents', 'test/fixtures/reach/intents.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✓ frontend reaches backend: pods app=frontend in ns shop can reach pods app=backend in ns shop on TCP 80');
    expect(r.stdout).toContain('✗ only frontends and myproject reach redis: pod default/db is reachable on TCP 6379 only from pods role=frontend in ns default or all pods in namespaces project=myproject');
    expect(r.stdout).toContain('shop/backend -> default/db on TCP 6379 (network default, dataplane upstream): ALLOWED');
    expect(r.stdout).toContain('4 of 5 intents hold, 1 violated');
  });

  test('under Dataplane V2 the pod no longer matches the ipBlock, but any host of the range still does, exit 1', async () => {
    const r = await run(['verify', ...INPUTS, '--intents', 'test/fixtures/reach/intents.yaml', '--dataplane', 'dataplane-v2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('    address@172.17.2.0 -> default/db on TCP 6379 (network default, dataplane dataplane-v2): ALLOWED');
    expect(r.stdout).not.toContain('shop/backend -> default/db');
    expect(r.stdout).toContain('4 of 5 intents hold, 1 violated');
  });

  test('intents hold for every address an ipBlock admits, not only declared externals', async () => {
    const files = {
      'c.yaml': 'pods: [{namespace: a, name: db, labels: {app: db}, ip: 10.0.0.5}]\n',
      'p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: a}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/1}}]}]\n  egress: [{to: [{ipBlock: {cidr: "2001:db8::/32"}}]}]\n',
      'i.yaml': 'intents:\n  - {from: internet, to: a/db, expect: deny}\n  - {from: a/db, to: internet, expect: deny}\n  - {from: a/db, to: {external: internet}, expect: allow}\n',
    };
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'i.yaml', '--dataplane', 'dataplane-v2'], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ the internet cannot reach pod a/db on any port');
    expect(r.stdout).toContain('internet@1.0.0.0 -> a/db on TCP 1 (network default, dataplane dataplane-v2): ALLOWED');
    expect(r.stdout).toContain('✗ pod a/db cannot reach the internet on any port');
    expect(r.stdout).toContain('a/db -> internet@2001:db8:: on TCP 1');
    // Reaching "the internet" means every public address: IPv4 is denied here.
    expect(r.stdout).toContain('✗ pod a/db can reach the internet on any port');
  });

  test('json report', async () => {
    const r = await run(['verify', ...INPUTS, '--intents', 'test/fixtures/reach/intents.yaml', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toEqual({ intents: 5, hold: 4, violated: 1 });
    expect(report.intents[4]).toMatchObject({
      name: 'only frontends and myproject reach redis',
      holds: false,
      scope: 'all',
      violations: 3,
      counterexamples: [
        { from: 'shop/backend', to: 'default/db', allowed: true },
        // Hosts of the ipBlock beside the pods that share its interval, and beside the declared office.
        { from: 'address@172.17.0.0', to: 'default/db', allowed: true, fromExternal: { ip: '172.17.0.0' } },
        { from: 'address@172.17.2.0', to: 'default/db', allowed: true, fromExternal: { ip: '172.17.2.0' } },
      ],
    });
    expect(report.intents[0]).toMatchObject({ scope: 'existing', holds: true });
    expect(report.lints.map((l: any) => l.id)).toContain('NP009');
  });

  test.each([
    ['an unknown field', 'intents:\n  - from: a\n    to: b\n    expect: allow\n    colour: red\n', 'intents.yaml[document 0, line 5] intents[0].colour: unknown field "colour"'],
    ['no kind', 'intents:\n  - from: a\n    to: b\n', 'intents[0]: the intent says neither expect, onlyFrom nor isolated'],
    ['a bad expect', 'intents:\n  - {from: a, to: b, expect: maybe}\n', 'intents[0].expect: expect is "maybe". Use expect: allow or expect: deny'],
    ['a missing to', 'intents:\n  - {from: a, expect: allow}\n', 'intents[0]: missing "to"'],
    ['a bad port', 'intents:\n  - {from: a, to: b, expect: allow, port: 70000}\n', 'intents[0].port: port must be between 1 and 65535, got 70000'],
    ['a bad namespace', 'intents:\n  - {from: {namespace: Shop}, to: b, expect: allow}\n', 'intents[0].from.namespace'],
    ['mixed endpoint kinds', 'intents:\n  - {from: {pod: a/b, external: x}, to: b, expect: allow}\n', 'the endpoint mixes pod, external'],
    ['a bad pod id', 'intents:\n  - {from: a/b/c, to: b, expect: allow}\n', 'pod "a/b/c" is not of the form namespace/name'],
    ['isolated with a port', 'intents:\n  - {of: a, isolated: ingress, port: 80}\n', '"port" does not go with "isolated"'],
    ['not a list', 'intents: {a: 1}\n', 'expected a list of intents'],
  ])('bad intents file: %s → exit 2', async (_name, yaml, message) => {
    const files = { ...intents(yaml), 'c.yaml': 'pods: []\n', 'p.yaml': '' };
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'intents.yaml'], files);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('an intent about known workloads whose endpoints match nothing fails (fail closed)', async () => {
    const files = { ...intents('intents:\n  - {from: {namespace: ghost}, to: office, expect: allow}\n'), 'c.yaml': 'externals: [{name: office, ip: 10.0.0.1}]\n', 'p.yaml': '' };
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'intents.yaml'], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('all pods in ns ghost matches no pod or external on network default, so the intent cannot be checked');
  });

  test('a proof about a namespace that does not exist yet holds for the pods it could hold', async () => {
    const files = { ...intents('intents:\n  - {from: {namespace: ghost}, to: office, expect: deny}\n'), 'c.yaml': 'externals: [{name: office, ip: 10.0.0.1}]\n', 'p.yaml': '' };
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'intents.yaml'], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ghost/new-pod is a pod that could exist: in namespace ghost (new, no labels), no labels');
  });

  test('an endpoint set that admits nothing, not even a pod that could exist, fails the proof (fail closed)', async () => {
    const set = '{namespace: shop, podSelector: {matchExpressions: [{key: app, operator: In, values: [a]}, {key: app, operator: NotIn, values: [a]}]}}';
    const files = { ...intents(`intents:\n  - {from: ${set}, to: office, expect: deny}\n`), 'c.yaml': 'externals: [{name: office, ip: 10.0.0.1}]\n', 'p.yaml': '' };
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'intents.yaml'], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('admits no pod or external on network default, not even one that could exist, so the intent cannot be checked');
  });
});

describe('skipped-object notes when one folder is both inputs', () => {
  test('objects the other flag models are not noted; objects neither models are noted once', async () => {
    const r = await run(['reach', '--cluster', 'dist', '--policies', 'dist', '--port', '8080', '--dataplane', 'dataplane-v2', '--format', 'summary']);
    expect(r.code).toBe(0);
    const notes = r.stderr.trim().split('\n');
    expect(notes).toHaveLength(2);
    // dist/ holds the model synth recorded: --cluster dist means it (--dataplane overrides its dataplane).
    expect(notes[1]).toBe('netproof: note: using the model netproof synth recorded in dist/.netproof-model: the cluster (9 pods, 9 externals) (flags override each part)');
    // dist/kustomization.yaml is the folder's index, written by synth: no object worth a note.
    expect(notes[0]).toMatch(/^netproof: note: --cluster and --policies: skipped 4 objects netproof does not model here: dist\/shop.k8s.yaml#2 Service\/shop\/database-service, .*dist\/shop.k8s.yaml#6 Ingress\/shop\/frontend-ingress$/);
    expect(r.stderr).not.toContain('NetworkPolicy/');
    expect(r.stderr).not.toContain('Deployment/');
  });

  test('a policy given only as --cluster is still noted', async () => {
    const r = await run(['reach', '--cluster', 'dist/shop.k8s.yaml', '--policies', 'test/fixtures/reach/policies', '--port', '80', '--format', 'summary', '--verbose']);
    expect(r.stderr).toContain('--cluster: skipped');
    expect(r.stderr).toContain('NetworkPolicy/shop/default-deny');
  });
});

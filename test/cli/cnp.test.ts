/**
 * ClusterNetworkPolicy through the CLI: reach, explain (the deciding tier and rule), verify (proofs over
 * both tiers), diff and graph take ClusterNetworkPolicies wherever they take NetworkPolicies; equal
 * priorities that overlap and invalid objects exit 2 with the usual message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO, run } from './_run';
import { ParseFix } from '../../src/parse/messages';
import { VerifyMessages } from '../../src/verify/messages';

const DIR = 'test/fixtures/cnp';
const CLUSTER = `${DIR}/cluster.yaml`;
const POLICIES = `${DIR}/policies.yaml`;
const policiesText = fs.readFileSync(path.join(REPO, POLICIES), 'utf8');

/** The fixture's files plus `extra` policies, on the in-memory file system. */
function withPolicies(text: string): Record<string, string> {
  return { 'cluster.yaml': fs.readFileSync(path.join(REPO, CLUSTER), 'utf8'), 'policies.yaml': text };
}

const cnp = (name: string, spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;

describe('explain names the deciding tier and rule', () => {
  const explain = (from: string, to: string, port: string) => run(['explain', '--cluster', CLUSTER, '--policies', POLICIES, '--from', from, '--to', to, '--port', port]);

  test('a Pass in the Admin tier, no NetworkPolicy for egress, then a Baseline Deny', async () => {
    const r = await explain('tenant-a-jobs/batch', 'tenant-a/web', '8080');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: `tenant-a-jobs/batch -> tenant-a/web on TCP 8080 (network default, dataplane upstream): DENIED
  egress of tenant-a-jobs/batch: [Admin] cnp/tenant-isolation egress[0] "pass-own-tenant-a" Pass -> [NetworkPolicy] not isolated -> [Baseline] cnp/default-deny egress[0] "deny-all" Deny, so denied
  ingress of tenant-a/web: [NetworkPolicy] isolated by tenant-a/web-from-jobs; allowed by tenant-a/web-from-jobs ingress[0] (peer 0: all pods of namespaces tenant=a; TCP port named http), so allowed
`,
    });
  });

  test('an Admin Deny decides before any NetworkPolicy; an Admin Accept overrides the Baseline', async () => {
    expect((await explain('tenant-a/web', 'tenant-b/api', '8080')).stdout).toContain(
      '  egress of tenant-a/web: [Admin] cnp/tenant-isolation egress[1] "deny-other-tenants" Deny, so denied\n');
    expect((await explain('monitoring/prometheus', 'tenant-b/api', '9090')).stdout).toBe(`monitoring/prometheus -> tenant-b/api on TCP 9090 (network default, dataplane upstream): ALLOWED
  egress of monitoring/prometheus: [NetworkPolicy] not isolated -> no tier decides, so allowed
  ingress of tenant-b/api: [Admin] cnp/always-allow ingress[0] "from-monitoring" Accept, so allowed
`);
  });

  test('JSON: the tiers in order and the tier that decided', async () => {
    const r = await run(['explain', '--cluster', CLUSTER, '--policies', POLICIES, '--from', 'tenant-a-jobs/batch', '--to', 'tenant-a/web', '--port', '8080', '--format', 'json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.egress).toMatchObject({
      allowed: false,
      decidedBy: 'Baseline',
      tiers: [
        { tier: 'Admin', rule: { policy: { kind: 'ClusterNetworkPolicy', name: 'tenant-isolation', tier: 'Admin', priority: 20 }, ruleIndex: 0, ruleName: 'pass-own-tenant-a', action: 'Pass', peerIndex: 0 } },
        { tier: 'NetworkPolicy', isolated: false },
        { tier: 'Baseline', rule: { policy: { name: 'default-deny' }, action: 'Deny', ruleIndex: 0 } },
      ],
    });
    expect(v.ingress).toMatchObject({ allowed: true, decidedBy: 'NetworkPolicy', isolated: true });
  });
});

describe('reach and verify take ClusterNetworkPolicies', () => {
  test('reach: tenants reach only their own tenant, and every pod reaches kube-dns', async () => {
    const r = await run(['reach', '--cluster', CLUSTER, '--policies', POLICIES, '--port', '53', '--protocol', 'UDP', '--format', 'json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout).matrix as Record<string, Record<string, boolean>>;
    for (const from of ['tenant-a/web', 'tenant-a-jobs/batch', 'tenant-b/api']) expect(m[from]['kube-system/kube-dns']).toBe(true);
    expect(m['tenant-a/web']['tenant-b/api']).toBe(false);
    expect(m['tenant-b/api']['tenant-a/web']).toBe(false);
    expect(m['tenant-a/web']['api.example.com']).toBe(false);
    // The Admin tier's Accept for monitoring comes before web's NetworkPolicy (which admits only its http port).
    expect(m['monitoring/prometheus']['tenant-a/web']).toBe(true);
  });

  test('verify proves the guardrails over every pod and namespace that could exist', async () => {
    const r = await run(['verify', '--cluster', CLUSTER, '--policies', POLICIES, '--intents', `${DIR}/intents.yaml`]);
    expect(r.stdout).toContain('4 of 4 intents hold');
    expect(r.code).toBe(0);
  });

  test('a hole is shown as a pod that could exist, with the tier that let it through', async () => {
    // Tenant b's api opens ingress to every namespace: the Baseline no longer denies a new namespace's pods.
    const open = `${policiesText}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-open, namespace: tenant-b}\nspec:
  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n`;
    const intents = 'intents:\n  - to: {namespace: tenant-b}\n    onlyFrom: [{namespaceSelector: {matchLabels: {tenant: b}}}, {namespace: monitoring}, {namespace: kube-system}]\n';
    const r = await run(['verify', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--intents', 'intents.yaml'], { ...withPolicies(open), 'intents.yaml': intents });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a pod that could exist contradicts it:');
    expect(r.stdout).toMatch(/is a pod that could exist: in namespace new-namespace \(new, no labels\)/);
    expect(r.stdout).toContain('[NetworkPolicy] isolated by tenant-b/api-open; allowed by tenant-b/api-open ingress[0]');
  });
});

describe('equal priorities that can match the same traffic have no defined order: exit 2', () => {
  const twin = (name: string, action: string) => cnp(name, `  tier: Admin\n  priority: 5\n  subject: {namespaces: {}}\n  egress: [{action: ${action}, to: [{namespaces: {}}]}]\n`);
  const files = withPolicies(`${twin('a-deny', 'Deny')}---\n${twin('b-accept', 'Accept')}`);

  test.each(['reach', 'explain', 'verify'])('%s names both policies and the traffic they share', async (command) => {
    const args: Record<string, string[]> = {
      reach: ['--port', '80'],
      explain: ['--from', 'tenant-a/web', '--to', 'tenant-b/api', '--port', '80'],
      verify: ['--intents', 'intents.yaml'],
    };
    const r = await run([command, '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', ...args[command]],
      { ...files, 'intents.yaml': 'intents:\n  - {from: tenant-a/web, to: tenant-b/api, expect: deny}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`netproof: error: policies.yaml[document 1] ClusterNetworkPolicy b-accept: ${VerifyMessages.cnpOverlap('Admin', 5, 'cnp/a-deny', 'cnp/b-accept',
      'egress of kube-system/kube-dns to kube-system/kube-dns on TCP 1')}\n`);
  });

  test('verify: equal priorities that only a pod that could exist would meet are refused too', async () => {
    const apart = `${cnp('a', '  tier: Admin\n  priority: 5\n  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: canary}}}}\n'
      + '  egress: [{action: Deny, to: [{namespaces: {}}]}]\n')}---
${cnp('b', '  tier: Admin\n  priority: 5\n  subject: {namespaces: {matchLabels: {tenant: b}}}\n  egress: [{action: Accept, to: [{namespaces: {}}]}]\n')}`;
    // No known pod is a canary, so the answer rests on the pods that could exist: both policies select a canary in tenant-b.
    const canary = { ...withPolicies(apart), 'intents.yaml': 'intents:\n  - {from: {namespace: tenant-b, pods: {app: canary}}, to: {namespace: tenant-a}, expect: deny}\n' };
    const reach = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--port', '80', '--format', 'summary'], canary);
    expect(reach.code).toBe(0); // no known pod is labelled app=canary
    const r = await run(['verify', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--intents', 'intents.yaml'], canary);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`netproof: error: ClusterNetworkPolicy b: ${VerifyMessages.cnpOverlap('Admin', 5, 'cnp/a', 'cnp/b',
      'egress of a pod that could exist in namespace tenant-b to a pod that could exist')}\n`);
  });

  test('equal priorities whose subjects never meet are fine', async () => {
    const apart = `${cnp('a', '  tier: Admin\n  priority: 5\n  subject: {namespaces: {matchLabels: {tenant: a}}}\n  egress: [{action: Deny, to: [{namespaces: {}}]}]\n')}---
${cnp('b', '  tier: Admin\n  priority: 5\n  subject: {namespaces: {matchLabels: {tenant: b}}}\n  egress: [{action: Deny, to: [{namespaces: {}}]}]\n')}`;
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--port', '80', '--format', 'summary'], withPolicies(apart));
    expect(r.code).toBe(0);
  });
});

describe('nodes peers match the externals declared at a node\'s address', () => {
  test('a Baseline Deny to nodes of a pool denies egress to the node, not to other externals', async () => {
    const text = cnp('no-nodes', '  tier: Baseline\n  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{nodes: {matchLabels: {pool: default}}}]}]\n');
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--port', '443', '--format', 'json'], withPolicies(text));
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout).matrix;
    expect(m['tenant-a/web']['node-1']).toBe(false);
    expect(m['tenant-a/web']['api.example.com']).toBe(true);
  });
});

describe('invalid ClusterNetworkPolicies exit 2 with where, what and the fix', () => {
  const at = (line: number) => `policies.yaml[document 0, line ${line}]`;
  test.each<[string, string, string]>([
    ['an unknown tier', '  tier: Developer\n  priority: 1\n  subject: {namespaces: {}}\n', `${at(5)} spec.tier: tier "Developer" is not Admin or Baseline. ${ParseFix.cnpTier}`],
    ['a priority above 1000', '  tier: Admin\n  priority: 1001\n  subject: {namespaces: {}}\n', `${at(6)} spec.priority: priority 1001 is not a whole number from 0 to 1000. ${ParseFix.cnpPriority}`],
    ['a subject with both forms', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}, pods: {podSelector: {}}}\n',
      `${at(7)} spec.subject: subject has both namespaces and pods. ${ParseFix.cnpSubject}`],
    ['an unknown action', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Allow, to: [{namespaces: {}}]}]\n',
      `${at(8)} spec.egress[0].action: action "Allow" is not Accept, Deny or Pass. ${ParseFix.cnpAction}`],
    ['a rule without peers', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Deny}]\n',
      `${at(8)} spec.ingress[0].from: missing from (a rule needs at least one peer). ${ParseFix.cnpPeers('from')}`],
    ['a peer with two fields', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{namespaces: {}, networks: [10.0.0.0/8]}]}]\n',
      `${at(8)} spec.egress[0].to[0]: a peer has 2 fields (namespaces, networks). ${ParseFix.cnpPeerOne('egress')}`],
    ['networks in an ingress rule', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{networks: [10.0.0.0/8]}]}]\n',
      `${at(8)} spec.ingress[0].from[0].networks: an ingress peer has networks. ${ParseFix.cnpIngressPeer}`],
    ['domainNames in a Deny rule', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{domainNames: [example.com]}]}]\n',
      `${at(8)} spec.egress[0].to[0].domainNames: domainNames in a Deny rule. ${ParseFix.cnpDomainAccept}`],
    ['a range whose start is not below its end', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n'
      + '  egress: [{action: Deny, to: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 90, end: 80}}}}]}]\n',
    `${at(8)} spec.egress[0].protocols[0].tcp.destinationPort.range: range start 90 is not less than end 80. ${ParseFix.cnpRange}`],
    ['a named port with a networks peer', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n'
      + '  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}], protocols: [{destinationNamedPort: http}]}]\n',
    `${at(8)} spec.egress[0].protocols: a destinationNamedPort in a rule with networks, nodes or domainNames peers. ${ParseFix.cnpNamedPortPeer}`],
    ['a namespace on a cluster-scoped object', '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n', `policies.yaml[document 0, line 3] metadata.namespace: a ClusterNetworkPolicy has metadata.namespace. ${ParseFix.cnpNamespaced}`],
  ])('%s', async (name, spec, message) => {
    let text = cnp('bad', spec);
    if (name.startsWith('a namespace')) text = text.replace('metadata: {name: bad}', 'metadata: {name: bad, namespace: shop}');
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--port', '80'], withPolicies(text));
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: ${message}\n` });
  });
});

describe('diff and graph take ClusterNetworkPolicies', () => {
  test('diff: removing the always-allow shows what it let through, and which tier decides now', async () => {
    const old = policiesText;
    const nu = policiesText.replace(/apiVersion: policy.networking.k8s.io\/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: \{name: always-allow\}[\s\S]*?---\n/, '');
    expect(nu).not.toBe(old);
    const r = await run(['diff', 'old.yaml', 'new.yaml', '--cluster', 'cluster.yaml'], { 'old.yaml': old, 'new.yaml': nu, 'cluster.yaml': withPolicies('')['cluster.yaml'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`- monitoring/prometheus -> tenant-b/api TCP 1-65535
    ingress: denied ([Baseline] cnp/default-deny ingress[0] "deny-all" Deny); was [Admin] cnp/always-allow ingress[0] "from-monitoring" Accept
`);
    expect(r.stdout).toContain(`- tenant-a/web -> kube-system/kube-dns UDP 53
    egress: denied ([Baseline] cnp/default-deny egress[0] "deny-all" Deny); was [Admin] cnp/always-allow egress[0] "to-kube-dns" Accept
`);
    expect(r.stdout).not.toMatch(/tenant-a\/web -> tenant-b/);
  });

  test('graph draws the tiers\' verdicts', async () => {
    const r = await run(['graph', '--cluster', CLUSTER, '--policies', POLICIES, '--port', '53', '--protocol', 'UDP', '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kube-dns');
  });
});

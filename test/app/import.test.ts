/**
 * `netproof import`: the printed main.ts type-checks and runs, and the app it makes allows exactly what the
 * input allows (the normal-form proof, cross-checked by the reachability diff), on the Kubernetes
 * documentation examples, the upstream e2e policies and random policies; raw fallbacks; CLI errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import * as netproof from '../../src';
import { diffReachability, equivalentPolicies } from '../../src/analysis/diff';
import { planImport, renderImport } from '../../src/app/import';
import { InputMessages } from '../../src/cli/_inputs';
import { ImportMessages } from '../../src/cli/import';
import { renderPolicy } from '../../src/emit/render';
import { NetworkPolicyModel, PeerModel, PolicyModel, policyId, RuleModel } from '../../src/model/policy';
import { PortModel } from '../../src/model/port';
import { compareStrings } from '../../src/model/selector';
import { policiesFromApp } from '../../src/parse/app';
import { parsePolicies, policiesFromManifests } from '../../src/parse/policies';
import { run } from '../cli/_run';
import { cluster as makeCluster, cport, expr, ext, inNs, ipb, np, own, pod, rule, sel } from '../verify/_build';
import { UPSTREAM } from '../verify/_e2e';

const REPO = path.join(__dirname, '..', '..');

/** The examples of the Kubernetes documentation page "Network Policies", as written there. */
const DOCS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - ipBlock:
            cidr: 172.17.0.0/16
            except:
              - 172.17.1.0/24
        - namespaceSelector:
            matchLabels:
              project: myproject
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 6379
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 5978
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all-ingress
  namespace: other
spec:
  podSelector: {}
  ingress:
  - {}
  policyTypes:
  - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: other
spec:
  podSelector: {}
  policyTypes:
  - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all-egress
  namespace: third
spec:
  podSelector: {}
  egress:
  - {}
  policyTypes:
  - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: fourth
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: multi-port-egress
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 32000
          endPort: 32768
`;

/** Runs a printed program: `netproof` is this repository's src, and the App it makes is returned (not synthesized). */
function runProgram(text: string): cdk8s.App {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  let made: cdk8s.App | undefined;
  class CapturedApp extends cdk8s.App {
    constructor(props?: cdk8s.AppProps) {
      super(props);
      made = this;
    }
    public synth(): void { /* the test reads the charts instead */ }
  }
  const modules: Record<string, unknown> = { cdk8s: { ...cdk8s, App: CapturedApp }, netproof };
  const load = (name: string) => {
    if (!(name in modules)) throw new Error(`the program imports ${name}`);
    return modules[name];
  };
  new Function('require', 'module', 'exports', js)(load, { exports: {} }, {});
  if (made === undefined) throw new Error('the program made no App');
  return made;
}

/** The printed program, run: its policies. */
function roundTrip(policies: readonly PolicyModel[]): { text: string; made: readonly PolicyModel[] } {
  const text = renderImport(planImport(policies), ['input.yaml']);
  return { text, made: policiesFromApp(runProgram(text)).policies };
}

/** Policies as the parser reads them from their YAML (what `netproof import` reads). */
function asRead(policies: readonly PolicyModel[]): PolicyModel[] {
  return [...policiesFromManifests(policies.map((p) => renderPolicy(p)), 'input').policies];
}

const ids = (ps: readonly PolicyModel[]) => ps.map(policyId).sort(compareStrings);

describe('netproof import', () => {
  test('the documentation examples: the printed program, run, allows exactly what they allow, under their names where one construct says it', () => {
    const input = parsePolicies(DOCS, 'docs.yaml', { defaultNamespace: 'default' }).policies;
    const { text, made } = roundTrip(input);
    expect(equivalentPolicies(input, made)).toEqual({ equivalent: true, onlyBefore: [], onlyAfter: [] });
    expect(ids(made)).toEqual([
      'default/default-deny-ingress', 'default/multi-port-egress', 'default/test-network-policy-from-0', 'default/test-network-policy-to-0',
      'fourth/default-deny-all', 'other/allow-all-ingress', 'other/default-deny-egress', 'third/allow-all-egress',
    ]);
    expect(text).toContain(`new AllowFrom(defaultNs, 'test-network-policy-from-0', {
  pods: Selector.labels({ role: 'db' }),
  from: [
    Peer.cidr('172.17.0.0/16', { except: ['172.17.1.0/24'] }),
    Peer.namespaces(Selector.labels({ project: 'myproject' })),
    Peer.pods(Selector.labels({ role: 'frontend' })),
  ],
  ports: [Port.tcp(6379)],
});`);
    expect(text).toContain("new DefaultDeny(fourth, 'default-deny-all', {});");
    expect(text).toContain("new AllowFrom(other, 'allow-all-ingress', { from: [Peer.anyone()] });");
    expect(text).toContain("new DefaultDeny(other, 'default-deny-egress', { ingress: false });");
    expect(text).toContain("new AllowTo(defaultNs, 'multi-port-egress', {\n  pods: Selector.labels({ role: 'db' }),\n  to: [Peer.cidr('10.0.0.0/24')],\n  ports: [Port.tcpRange(32000, 32768)],\n});");
  });

  test('the printed program type-checks against netproof (as main.ts of a repository made by netproof init)', () => {
    const input = [...parsePolicies(DOCS, 'docs.yaml', { defaultNamespace: 'default' }).policies, ...asRead(dedupe(UPSTREAM.flatMap((c) => c.policies)).filter((p) => p.kind === 'NetworkPolicy' && p.namespace !== 'default'))];
    // Inside the repository, so that tsconfig.dev.json's paths resolve `netproof` (test-reports/ is git-ignored).
    fs.mkdirSync(path.join(REPO, 'test-reports'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(REPO, 'test-reports', 'import-'));
    try {
      const file = path.join(dir, 'main.ts');
      const text = renderImport(planImport(dedupe(input)), ['input.yaml']);
      fs.writeFileSync(file, text);
      // The check can fail: the same program with one wrong prop does not type-check.
      const broken = path.join(dir, 'broken.ts');
      fs.writeFileSync(broken, text.replace('app.synth();', "new DefaultDeny(defaultNs, 'x', { pods: 7 });\napp.synth();"));
      const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO, 'tsconfig.dev.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
      const program = ts.createProgram([file, broken], { ...config.options, noEmit: true });
      const errorsOf = (f: string) => ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === f)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errorsOf(file)).toEqual([]);
      expect(errorsOf(broken).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('every upstream e2e policy round-trips (each case as its own input)', () => {
    let cases = 0;
    for (const c of UPSTREAM) {
      const input = asRead(c.policies);
      const { made } = roundTrip(input);
      const proof = equivalentPolicies(input, made);
      expect({ name: c.name, proof }).toEqual({ name: c.name, proof: { equivalent: true, onlyBefore: [], onlyAfter: [] } });
      cases++;
    }
    expect(cases).toBeGreaterThanOrEqual(50);
  }, 120_000);

  // Random policies over a small vocabulary: the program's policies are proven equivalent, and the reachability
  // diff over a cluster of pods for every selector finds no change (the proof is sound where it is checked).
  const selector = fc.constantFrom(sel(), sel({ app: 'a' }), sel({ app: 'b', tier: 'f' }), sel({}, [expr('app', 'In', ['a', 'b'])]),
    sel({}, [expr('tier', 'DoesNotExist')]));
  const peer: fc.Arbitrary<PeerModel> = fc.oneof(
    selector.map((s) => own(s)),
    fc.tuple(fc.constantFrom(sel(), sel({ env: 'p' }), sel({ 'kubernetes.io/metadata.name': 'y' })), selector).map(([n, s]) => inNs(n, s)),
    fc.constantFrom(ipb('10.0.0.0/16', ['10.0.0.2/32']), ipb('203.0.113.0/24'), ipb('fd00::/64')),
  );
  const port: fc.Arbitrary<PortModel> = fc.constantFrom<PortModel>(
    { protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'http' }, { protocol: 'UDP', port: 'dns' }, { protocol: 'TCP', port: 81, endPort: 443 },
    { protocol: 'UDP' }, { protocol: 'SCTP', port: 80 }, { protocol: 'SCTP' },
  );
  const ruleArb: fc.Arbitrary<RuleModel> = fc.tuple(
    fc.oneof(fc.constant('all' as const), fc.array(peer, { minLength: 1, maxLength: 3 })),
    fc.oneof(fc.constant('all' as const), fc.array(port, { minLength: 1, maxLength: 2 })),
  ).map(([peers, ports]) => rule(peers, ports));
  const policyArb = (i: number): fc.Arbitrary<NetworkPolicyModel> => fc.record({
    ns: fc.constantFrom('x', 'y'),
    select: selector,
    ingress: fc.array(ruleArb, { maxLength: 2 }),
    egress: fc.array(ruleArb, { maxLength: 2 }),
    types: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  }).map(({ ns, ...opts }) => np(`${ns}/p${i}`, opts));
  const pods = [
    pod('x/a', { app: 'a' }, { ip: '10.0.0.1', ports: [cport(80, 'TCP', 'http')] }),
    pod('x/b', { app: 'b', tier: 'f' }, { ip: '10.0.0.2', ports: [cport(81, 'TCP', 'http'), cport(53, 'UDP', 'dns')] }),
    pod('x/c', {}, { ip: '10.0.1.1', ports: [] }),
    pod('y/a', { app: 'a' }, { ip: '10.1.0.1', ports: [cport(53, 'UDP', 'dns')] }),
    pod('y/b', { tier: 'f' }, { ip: '10.1.0.2', ports: [] }),
  ];
  const cl = makeCluster({ x: { env: 'p' }, y: {} }, pods, [ext('net', '203.0.113.1'), ext('v6', 'fd00::1')]);

  test('random policies: proven equivalent, and the reachability diff agrees that nothing changed', () => {
    const policySets = fc.array(fc.nat(), { minLength: 1, maxLength: 4 }).chain((xs) => fc.tuple(...xs.map((_, i) => policyArb(i))));
    fc.assert(fc.property(policySets, (policies) => {
      const input = asRead(policies);
      const { made } = roundTrip(input);
      expect(equivalentPolicies(input, made).equivalent).toBe(true);
      for (const dataplane of ['upstream', 'dataplane-v2'] as const) {
        const d = diffReachability({ before: input, after: made, cluster: cl, dataplane });
        expect([...d.gained, ...d.lost]).toEqual([]);
      }
    }), { numRuns: 60, seed: 3 });
  }, 240_000);

  test('the proof is not vacuous: a dropped rule, a narrower port or another selector is a difference, and the diff sees the same', () => {
    const base = asRead([np('x/p', { select: sel({ app: 'a' }), types: ['Ingress'], ingress: [rule([own(sel({ app: 'b', tier: 'f' }))], [{ protocol: 'TCP', port: 80 }]), rule('all', [{ protocol: 'UDP' }])] })]);
    const variants: PolicyModel[][] = [
      asRead([np('x/p', { select: sel({ app: 'a' }), types: ['Ingress'], ingress: [rule([own(sel({ app: 'b', tier: 'f' }))], [{ protocol: 'TCP', port: 80 }])] })]),
      asRead([np('x/p', { select: sel({ app: 'a' }), types: ['Ingress'], ingress: [rule([own(sel({ app: 'b', tier: 'f' }))], [{ protocol: 'TCP', port: 81 }]), rule('all', [{ protocol: 'UDP' }])] })]),
      asRead([np('x/p', { select: sel(), types: ['Ingress'], ingress: [rule([own(sel({ app: 'b', tier: 'f' }))], [{ protocol: 'TCP', port: 80 }]), rule('all', [{ protocol: 'UDP' }])] })]),
    ];
    for (const v of variants) {
      const proof = equivalentPolicies(base, v);
      expect(proof.equivalent).toBe(false);
      expect(proof.onlyBefore.length + proof.onlyAfter.length).toBeGreaterThan(0);
      const d = diffReachability({ before: base, after: v, cluster: cl });
      expect(d.gained.length + d.lost.length).toBeGreaterThan(0);
    }
    // Spread over policies and reordered, the same rules are the same statements.
    const split = asRead([
      np('x/q1', { select: sel({ app: 'a' }), types: ['Ingress'], ingress: [rule('all', [{ protocol: 'UDP' }])] }),
      np('x/q2', { select: sel({ app: 'a' }), types: ['Ingress'], ingress: [rule([own(sel({ tier: 'f', app: 'b' }))], [{ protocol: 'TCP', port: 80 }])] }),
    ]);
    expect(equivalentPolicies(base, split).equivalent).toBe(true);
  });

  test('what the constructs cannot say is kept as written, and named', () => {
    const yaml = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: blue-only, namespace: shop, annotations: {networking.gke.io/network: blue}}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.gke.io/v1alpha1
kind: FQDNNetworkPolicy
metadata: {name: to-github, namespace: shop}
spec:
  podSelector: {matchLabels: {app: ci}}
  egress:
  - matches: [{name: github.com}]
    ports: [{protocol: TCP, port: 443}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: tenants}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {}}
  ingress: [{name: no-cross, action: Deny, from: [{namespaces: {matchLabels: {tenant: b}}}]}]
`;
    const input = parsePolicies(yaml, 'p.yaml').policies;
    const plan = planImport(input);
    expect(plan.raw).toEqual(['shop/blue-only: a GKE Pod-network annotation (blue)', 'shop/to-github: an FQDNNetworkPolicy', 'cnp/tenants: a ClusterNetworkPolicy']);
    const { text, made } = roundTrip(input);
    expect(equivalentPolicies(input, made).equivalent).toBe(true);
    expect(ids(made)).toEqual(['cnp/tenants', 'shop/blue-only', 'shop/to-github']);
    expect(text).toContain("const cluster = new Chart(app, 'cluster');");
    expect(text).toContain("new ApiObject(shop, 'blue-only', {\n  apiVersion: 'networking.k8s.io/v1',");
  });

  test('names that a split would take from another policy keep the policy whole, as written', () => {
    const input = asRead([
      np('x/p', { select: sel({ app: 'a' }), types: ['Ingress', 'Egress'], ingress: [rule('all')], egress: [rule('all', [{ protocol: 'UDP', port: 53 }])] }),
      np('x/p-from-0', { select: sel({ app: 'b' }), types: ['Ingress'] }),
    ]);
    expect(planImport(input).raw).toEqual(['x/p: its parts would need the name p-from-0, which another policy has or which is too long']);
    expect(equivalentPolicies(input, roundTrip(input).made).equivalent).toBe(true);
  });

  test('CLI: prints the program, notes defaulted namespaces, and says what it proved', async () => {
    const files = { 'k8s/docs.yaml': DOCS, 'k8s/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n' };
    const r = await run(['import', 'k8s'], files);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(renderImport(planImport(parsePolicies(DOCS, 'k8s/docs.yaml', { defaultNamespace: 'default' }).policies), ['k8s']));
    expect(r.stderr).toContain(`netproof: note: ${InputMessages.defaulted(1, 'k8s/docs.yaml#1 NetworkPolicy/default-deny-ingress', 'default')}\n`);
    // With --namespace (or -n) the namespace-less policy lands there, without a note.
    const placed = await run(['import', 'k8s', '-n', 'shop'], files);
    expect(placed.code).toBe(0);
    expect(placed.stdout).toContain("new DefaultDeny(shop, 'default-deny-ingress', { egress: false });");
    expect(placed.stderr).not.toContain('no metadata.namespace');
    expect(r.stderr).toContain(`netproof: note: ${ImportMessages.proven(7, 8, 0)}\n`);
    expect(r.stderr).toContain('Service/shop/web');
  });

  test('CLI: a program netproof synth would refuse is an error naming the lint (an FQDN policy GKE would reject)', async () => {
    const text = 'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: web, namespace: shop}\n'
      + 'spec: {podSelector: {}, egress: [{matches: [{name: api.example.com}], ports: [{protocol: TCP}]}]}\n';
    const files = { 'f.yaml': text };
    const r = await run(['import', 'f.yaml'], files);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('netproof: error: netproof import: the imported program would not synthesize, for what netproof synth would say of these policies: [shop] NP003');
  });

  test('CLI: no input, no policy, a missing file: exit 2 with the fix', async () => {
    expect(await run(['import'])).toMatchObject({ code: 2, stderr: `netproof: error: netproof import: ${ImportMessages.noPaths}\n` });
    const onlyService = { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n' };
    const r = await run(['import', 'svc.yaml'], onlyService);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(ImportMessages.noPolicies(['svc.yaml']));
    expect((await run(['import', 'missing.yaml'], onlyService)).code).toBe(2);
    expect((await run(['import', '--bogus', 'svc.yaml'], onlyService)).code).toBe(2);
  });
});

function dedupe(policies: readonly PolicyModel[]): PolicyModel[] {
  const seen = new Set<string>();
  return policies.filter((p) => {
    const id = policyId(p);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { captureIo, run, RunResult } from './_run';
import { DiffMessages } from '../../src/cli/diff';
import { main } from '../../src/cli/main';
import { NO_CHANGE } from '../../src/report/diff';

const WORKLOADS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec: {containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: http}]}
`;

const DENY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const ALLOW_API = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: 8080, protocol: TCP}]
    - from: [{namespaceSelector: {matchLabels: {team: ops}}}]
      ports: [{port: 9090}]
`;

/** The same policy: rules, ports and fields reordered, renamed, the port by name. */
const ALLOW_API_REORDERED = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {namespace: shop, name: api-ingress}
spec:
  ingress:
    - ports: [{port: 9090}]
      from: [{namespaceSelector: {matchLabels: {team: ops}}}]
    - ports: [{port: http}]
      from: [{podSelector: {matchLabels: {app: frontend}}}]
  podSelector: {matchLabels: {app: api}}
`;

const ALLOW_DB = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: pg}]}]
`;

const HEADLINE = (old: string, nu: string) =>
  `Reachability diff ${old} -> ${nu} (dataplane upstream; cluster model: the workloads of both sides, one representative pod per workload, no externals)`;

const OPENED_DB = [
  '+ shop/api -> shop/db TCP 5432',
  '    egress: not isolated',
  '    ingress: allowed by shop/allow-db ingress[0] (peer 0: pods app=api of the policy\'s namespace; TCP port named pg); was denied (isolated by shop/default-deny, and no rule matches)',
  'reachability changed: 1 gained, 0 lost',
];

const SERVICE_NOTE = 'skipped 1 object netproof does not model here: ';

function files(side: string, policies: string): Record<string, string> {
  return { [`${side}/workloads.yaml`]: WORKLOADS, [`${side}/policies.yaml`]: policies };
}

const BEFORE = files('old', `${DENY}---${ALLOW_API}`);

describe('netproof diff over folders', () => {
  test('an opened connection is the one gained line, with the rules responsible', async () => {
    const r = await run(['diff', 'old', 'new'], { ...BEFORE, ...files('new', `${DENY}---${ALLOW_API}---${ALLOW_DB}`) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([HEADLINE('old', 'new'), ...OPENED_DB, ''].join('\n'));
  });

  test('reordered and renamed rules are no reachability change', async () => {
    const r = await run(['diff', 'old', 'new'], { ...BEFORE, ...files('new', `${ALLOW_API_REORDERED}---${DENY}`) });
    expect(r).toMatchObject({ code: 0, stdout: `${HEADLINE('old', 'new')}\n${NO_CHANGE}\n` });
  });

  test('objects neither parser models are noted once on stderr', async () => {
    const r = await run(['diff', 'old', 'old'], BEFORE);
    expect(r.stderr).toBe(`netproof: note: OLD old: ${SERVICE_NOTE}old/workloads.yaml#4 Service/shop/api\n`);
  });

  test('a lost connection and --exit-code', async () => {
    const after = files('new', DENY);
    const r = await run(['diff', 'old', 'new', '--exit-code'], { ...BEFORE, ...after });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      '- shop/frontend -> shop/api TCP 8080',
      '    ingress: denied (isolated by shop/default-deny, and no rule matches); was allowed by shop/allow-api ingress[0] (peer 0: pods app=frontend of the policy\'s namespace; TCP 8080)',
      'reachability changed: 0 gained, 1 lost',
      '',
    ]);
    expect((await run(['diff', 'old', 'old', '--exit-code'], BEFORE)).code).toBe(0);
  });

  test('--cluster replaces the workloads of the sides; json output', async () => {
    const cluster = {
      'cluster.yaml': `
namespaces: {shop: {}, ops: {team: ops}}
pods:
  - {namespace: shop, name: api, labels: {app: api}}
  - {namespace: ops, name: prom, labels: {app: prom}}
externals: [{name: office, ip: 203.0.113.9}]
`,
    };
    const r = await run(['diff', 'old', 'new', '--cluster', 'cluster.yaml', '--format', 'json'], { ...BEFORE, ...files('new', DENY), ...cluster });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      old: 'old',
      new: 'new',
      dataplane: 'upstream',
      networks: ['default'],
      cluster: { source: 'file', path: 'cluster.yaml' },
      gained: [],
      lost: [{
        from: 'ops/prom',
        to: 'shop/api',
        protocol: 'TCP',
        network: 'default',
        ports: [[9090, 9090]],
        because: ['ingress: denied (isolated by shop/default-deny, and no rule matches); was allowed by shop/allow-api ingress[1] (peer 0: all pods of namespaces team=ops; TCP 9090)'],
      }],
      summary: { changed: true, gained: 0, lost: 1, pods: 2, externals: 1, classes: 2, intervals: 7 },
    });
    // With --cluster, the workloads in the sides are not read, and so they are noted.
    expect(r.stderr).toContain('OLD old: skipped 5 objects');
  });

  test('markdown for a pull-request comment', async () => {
    const r = await run(['diff', 'old', 'new', '--format', 'markdown'], { ...BEFORE, ...files('new', `${DENY}---${ALLOW_API}---${ALLOW_DB}`) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### netproof: reachability diff');
    expect(r.stdout).toContain('| `shop/api` | `shop/db` | TCP | 5432 |');
    expect(r.stdout).toContain('<details><summary>Policies responsible (gained)</summary>');
  });

  test('a workload defined differently on the two sides takes NEW\'s definition, with a note', async () => {
    const relabelled = WORKLOADS.replace(/app: db/g, 'app: database');
    const r = await run(['diff', 'old', 'new'], { ...BEFORE, 'new/workloads.yaml': relabelled, 'new/policies.yaml': `${DENY}---${ALLOW_API}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(NO_CHANGE);
    expect(r.stderr).toContain(`netproof: note: ${DiffMessages.workloadsDiffer(['shop/db'])}`);
  });

  test.each<[string, string[], Record<string, string>, string]>([
    ['one side', ['diff', 'old'], BEFORE, DiffMessages.sideCount(['old'])],
    ['three sides', ['diff', 'old', 'old', 'old'], BEFORE, DiffMessages.sideCount(['old', 'old', 'old'])],
    ['an unknown flag', ['diff', 'old', 'old', '--port', '80'], BEFORE, 'unknown flag --port. Flags of netproof diff: --cluster, --dataplane, --namespace, --network, --format, --exit-code'],
    ['--exit-code with a value', ['diff', 'old', 'old', '--exit-code=1'], BEFORE, DiffMessages.exitCodeValue],
    ['a bad format', ['diff', 'old', 'old', '--format', 'html'], BEFORE, 'unknown value "html". Use one of text, json, markdown'],
    ['no workloads and no --cluster', ['diff', 'p', 'p'], { 'p/policies.yaml': DENY }, DiffMessages.noWorkloads],
    ['a network no pod is on', ['diff', 'old', 'old', '--network', 'blue'], BEFORE, 'no pod of the cluster model is attached to network "blue". Use one of: default'],
    ['":PATH" without a ref', ['diff', ':dist', 'old'], BEFORE, DiffMessages.emptyRef(':dist')],
    ['two bare refs', ['diff', 'main', 'feature'], BEFORE, DiffMessages.bothBare('main', 'feature')],
  ])('bad input: %s', async (_name, argv, input, message) => {
    const r = await run(argv, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  test('a policy error names the side\'s file', async () => {
    const r = await run(['diff', 'old', 'new'], { ...BEFORE, ...files('new', DENY.replace('podSelector: {}', 'podSelector: {}, egres: []')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('new/policies.yaml');
    expect(r.stderr).toContain('egres');
  });

  test('--help', async () => {
    const r = await run(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: netproof diff OLD NEW [flags]');
    expect(r.stdout).toContain('REF:PATH');
    expect((await run(['--help'])).stdout).toContain('  diff ');
  });
});

describe('netproof diff over git refs', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe', encoding: 'utf8', env: process.env });
  const commit = (message: string, policies: string) => {
    writeFileSync(join(repo, 'dist', 'policies.yaml'), policies);
    git('add', '-A');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', message);
  };
  const runIn = async (cwd: string, argv: string[]): Promise<RunResult> => {
    const io = { ...captureIo(), cwd };
    const code = await main(argv, io);
    return { code, stdout: io.out.join(''), stderr: io.err.join('') };
  };

  // Run under a git hook, GIT_DIR and friends would point every git command at the outer repository.
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const k of Object.keys(process.env).filter((key) => key.startsWith('GIT_'))) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    repo = mkdtempSync(join(tmpdir(), 'netproof-diff-'));
    git('init', '-q');
    mkdirSync(join(repo, 'dist'));
    mkdirSync(join(repo, 'docs'));
    writeFileSync(join(repo, 'dist', 'workloads.yaml'), WORKLOADS);
    writeFileSync(join(repo, 'docs', 'README.md'), 'not a manifest\n');
    commit('deny and allow the api', `${DENY}---${ALLOW_API}`); // HEAD~2
    commit('open the database to the api', `${DENY}---${ALLOW_API}---${ALLOW_DB}`); // HEAD~1
    commit('reorder and rename', `${ALLOW_DB}---${ALLOW_API_REORDERED}---${DENY}`); // HEAD
  });

  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    Object.assign(process.env, saved);
  });

  test('two commits: exactly the connection the changed policy opened', async () => {
    const r = await runIn(repo, ['diff', 'HEAD~2:dist', 'HEAD~1:dist']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([HEADLINE('HEAD~2:dist', 'HEAD~1:dist'), ...OPENED_DB, ''].join('\n'));
    expect(r.stderr).toBe(`netproof: note: OLD HEAD~2:dist: ${SERVICE_NOTE}HEAD~2:dist/workloads.yaml#4 Service/shop/api\n`
      + `netproof: note: NEW HEAD~1:dist: ${SERVICE_NOTE}HEAD~1:dist/workloads.yaml#4 Service/shop/api\n`);
  });

  test('a pure reordering commit: no reachability change', async () => {
    const r = await runIn(repo, ['diff', 'HEAD~1:dist', 'HEAD:dist', '--exit-code']);
    expect(r).toMatchObject({ code: 0, stdout: `${HEADLINE('HEAD~1:dist', 'HEAD:dist')}\n${NO_CHANGE}\n` });
  });

  test('a bare ref takes the path of the other side, read from disk', async () => {
    const r = await runIn(repo, ['diff', 'HEAD~2', 'dist']);
    expect(r.stdout).toBe([HEADLINE('HEAD~2', 'dist'), ...OPENED_DB, ''].join('\n'));
  });

  test('a path is relative to the current directory; a file works too', async () => {
    const r = await runIn(join(repo, 'dist'), ['diff', 'HEAD~2:.', 'HEAD~1:policies.yaml', '--cluster', 'workloads.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([...OPENED_DB, '']);
  });

  test.each<[string, string[], () => string]>([
    ['an unknown ref', ['diff', 'nosuch:dist', 'HEAD:dist'], () => DiffMessages.unknownRef('nosuch:dist', 'nosuch')],
    ['a typo of a folder', ['diff', 'dsit', 'dist'], () => DiffMessages.unknownRef('dsit', 'dsit')],
    ['a path missing at the ref', ['diff', 'HEAD:policies', 'HEAD:dist'], () => DiffMessages.missingAtRef('HEAD', 'policies')],
    ['a folder without manifests', ['diff', 'HEAD:docs', 'HEAD:dist'], () => DiffMessages.noManifestsAtRef('HEAD', 'docs')],
    ['a ref starting with "-"', ['diff', '--', '-x:dist', 'HEAD:dist'], () => DiffMessages.badRef('-x')],
  ])('bad input: %s', async (_name, argv, message) => {
    const r = await runIn(repo, argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message());
  });

  test('outside a git repository, a missing folder says so', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'netproof-nogit-'));
    try {
      const r = await runIn(outside, ['diff', 'HEAD~1:dist', 'HEAD:dist']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`"HEAD~1:dist" is not a file or folder, and ${outside} is not inside a git repository`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a broken manifest at a ref is reported with REF:FILE', async () => {
    writeFileSync(join(repo, 'broken.yaml'), 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\nspec: {}\n');
    git('add', 'broken.yaml');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'broken');
    const r = await runIn(repo, ['diff', 'HEAD:broken.yaml', 'HEAD:dist']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HEAD:broken.yaml');
    expect(r.stderr).toContain('podSelector');
  });
});

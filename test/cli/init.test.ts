import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { appCommand, filesOf, removeTempDirs, runIn, tempDir, useRepoSource } from './_app-fixture';
import { REPO } from './_run';
import { INIT_USAGE, InitMessages, initTemplates, packageName, TEMPLATES_DIR } from '../../src/cli/init';

const ALL_FILES = ['.github/workflows/netproof.yml', '.gitignore', 'README.md', 'cdk8s.yaml', 'main.ts', 'package.json', 'tsconfig.json'];
const repoPackage = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const TEMPLATES = initTemplates();
const MAIN_TS = TEMPLATES['main.ts'];

describe('netproof init', () => {
  afterAll(removeTempDirs);

  test('creates a policy repository in a new folder', async () => {
    const root = tempDir();
    const r = await runIn(root, ['init', 'policies']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`created ${ALL_FILES.join(', ')} in policies\n`);
    expect(r.stdout).toContain('  cd policies\n  npm install\n  npx netproof synth');
    const files = filesOf(path.join(root, 'policies'));
    expect(Object.keys(files).sort()).toEqual(ALL_FILES);
    for (const [file, text] of Object.entries(TEMPLATES)) expect(files[file]).toBe(text);
  });

  test('writes the files of templates/init, .gitignore from the template named gitignore', () => {
    expect(TEMPLATES_DIR).toBe(path.join(REPO, 'templates', 'init'));
    expect(Object.keys(TEMPLATES)).toEqual(ALL_FILES.filter((f) => f !== 'package.json'));
    expect(TEMPLATES['.gitignore']).toBe(fs.readFileSync(path.join(TEMPLATES_DIR, 'gitignore'), 'utf8'));
    expect(TEMPLATES['main.ts']).toBe(fs.readFileSync(path.join(TEMPLATES_DIR, 'main.ts'), 'utf8'));
  });

  test('fails, naming the folder, when the templates cannot be read', () => {
    const missing = path.join(tempDir(), 'templates');
    expect(() => initTemplates(missing)).toThrow(InitMessages.noTemplates(missing));
  });

  test('package.json depends on this version of netproof and on the ranges netproof itself uses', async () => {
    const root = tempDir();
    expect((await runIn(root, ['init', 'My Policies'])).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'My Policies', 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: 'my-policies',
      private: true,
      dependencies: {
        'netproof': `^${repoPackage.version}`,
        'cdk8s': repoPackage.dependencies.cdk8s,
        'cdk8s-plus-28': repoPackage.dependencies['cdk8s-plus-28'],
        'constructs': repoPackage.dependencies.constructs,
      },
      devDependencies: {
        'ts-node': repoPackage.devDependencies['ts-node'],
        'typescript': repoPackage.devDependencies.typescript,
        '@types/node': repoPackage.devDependencies['@types/node'],
      },
    });
    expect(Object.values(pkg.devDependencies).every((v) => typeof v === 'string' && v !== '')).toBe(true);
  });

  test('cdk8s.yaml, workflow and main.ts say what synth and CI need', () => {
    expect(YAML.parse(TEMPLATES['cdk8s.yaml'])).toEqual({ language: 'typescript', app: 'npx ts-node main.ts', output: 'dist' });
    const workflow = YAML.parse(TEMPLATES['.github/workflows/netproof.yml']);
    const runs = workflow.jobs.policies.steps.map((s: { run?: string }) => s.run).filter((s: unknown) => s);
    expect(runs).toEqual([
      'npm ci',
      'npx netproof synth --out "$RUNNER_TEMP/netproof-dist"',
      'npx netproof verify --policies dist',
      'npx netproof check',
      'npx netproof diff "origin/$GITHUB_BASE_REF:dist" dist --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ]);
    expect(workflow.jobs.policies.steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(workflow.jobs.policies.steps.at(-1).if).toBe("github.event_name == 'pull_request'");
    expect(MAIN_TS).toContain("from 'netproof'");
    expect(MAIN_TS.match(/this\.expect\(/g)?.length).toBeGreaterThanOrEqual(2);
    // One line per connection, and the namespace baseline; no label helpers around cdk8s-plus workloads.
    expect(MAIN_TS).toContain('Allow.from(web).to(api, [HTTP]);');
    expect(MAIN_TS).toContain('new NamespaceBaseline(');
    expect(MAIN_TS).not.toMatch(/select: false|function /);
  });

  test('writes into the current folder by default, and accepts a folder holding only .git', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '.git'));
    const r = await runIn(root, ['init']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(' in .\n');
    expect(r.stdout).not.toContain('  cd ');
    expect(fs.readdirSync(root).sort()).toEqual(['.git', '.github', '.gitignore', 'README.md', 'cdk8s.yaml', 'main.ts', 'package.json', 'tsconfig.json']);
  });

  test('fails when the folder is not empty, and writes nothing', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'main.ts'), 'mine');
    const r = await runIn(root, ['init']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof init .: ${InitMessages.notEmpty(['main.ts'])}\n` });
    expect(fs.readdirSync(root)).toEqual(['main.ts']);
    expect(fs.readFileSync(path.join(root, 'main.ts'), 'utf8')).toBe('mine');
  });

  test('fails when DIR is a file', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'x'), '');
    expect(await runIn(root, ['init', 'x'])).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof init x: ${InitMessages.notFolder}\n` });
  });

  test('fails when given two folders or an unknown flag', async () => {
    const root = tempDir();
    expect(await runIn(root, ['init', 'a', 'b'])).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof init: ${InitMessages.tooManyArgs(['a', 'b'])}\n` });
    const r = await runIn(root, ['init', '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown flag --force');
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('--help prints the init usage', async () => {
    expect(await runIn(tempDir(), ['init', '--help'])).toEqual({ code: 0, stdout: INIT_USAGE, stderr: '' });
  });

  test('the new repository synthesizes, its intents hold, check passes, and verify checks the recorded intents', async () => {
    const root = tempDir();
    expect((await runIn(root, ['init'])).code).toBe(0);
    // The installed-package path is covered by test/e2e; here main.ts runs against this repository's source.
    fs.writeFileSync(path.join(root, 'main.ts'), useRepoSource(MAIN_TS));
    const app = appCommand('main.ts');

    const synth = await runIn(root, ['synth', '--app', app]);
    expect(synth.code).toBe(0);
    expect(synth.stdout).toBe('wrote dist: .netproof-model, demo.k8s.yaml, kustomization.yaml\n');
    const held = /(\d+) of \1 intents hold\n/.exec(synth.stderr);
    expect(held).not.toBeNull();
    expect(synth.stderr).not.toContain('✗');
    // policiesOnly: the Deployments of main.ts are verified against and recorded, not written.
    const yaml = fs.readFileSync(path.join(root, 'dist', 'demo.k8s.yaml'), 'utf8');
    expect(yaml).toContain('kind: NetworkPolicy');
    expect(yaml).not.toContain('kind: Deployment');
    expect(fs.readFileSync(path.join(root, 'dist', '.netproof-model'), 'utf8')).toContain('"name": "web"');

    expect(await runIn(root, ['check', '--app', app])).toMatchObject({ code: 0, stdout: 'dist is up to date (3 files)\n' });

    // The workflow's verify step: the intents of main.ts, as synth checked them, against the committed YAML.
    const verify = await runIn(root, ['verify', '--policies', 'dist']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${held![0]}`);
    expect(verify.stderr).toContain('using the model netproof synth recorded in dist/.netproof-model: the cluster (');
    expect(verify.stderr).toContain(`, dataplane upstream, ${held![1]} intents (flags override each part)`);
  });
});

describe('packageName', () => {
  test.each([
    ['/x/policies', 'policies'],
    ['/x/My Policies', 'my-policies'],
    ['/x/.hidden', 'hidden'],
    ['/x/---', 'network-policies'],
  ])('%s -> %s', (dir, name) => {
    expect(packageName(dir)).toBe(name);
  });
});

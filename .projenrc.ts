import { javascript, typescript } from 'projen';

// The single source of build configuration: package.json, tsconfig, jest and the task list are
// generated from this file (`npx projen` regenerates them).
const project = new typescript.TypeScriptProject({
  name: 'netproof',
  description: 'Kubernetes NetworkPolicies as typed cdk8s constructs, proven by a reachability verifier before synth.',
  defaultReleaseBranch: 'main',
  github: false,
  release: false,
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // TypeScript 6 removes options that projen still emits; stay on the 5.x line.
  typescriptVersion: '~5.9.0',
  deps: ['cdk8s@^2.70.0', 'constructs@^10.3.0', 'cdk8s-plus-28@^2.5.6', 'yaml@^2.3.0'],
  devDeps: ['@types/node@^20', 'fast-check@^4', 'kubernetes-models@^4'],
  bin: { netproof: 'bin/netproof' },
  // `dist/` holds the committed, synthesized YAML of the example app; npm packages go elsewhere.
  artifactsDirectory: 'packages',
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testTimeout: 120_000,
      // One worker per core: jest's default (cores - 1) leaves one of two cores idle while the main
      // process waits, and npm test took 4 min 41 s instead of 3 min 5 s here.
      maxWorkers: '100%',
    },
    // A machine-readable report that `.ci/run` turns into its closing `tests: N passed, M failed` line.
    extraCliOptions: ['--json', '--outputFile=test-reports/jest.json'],
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
    },
    // The HTML graph page's browser script (DOM types) ships only bundled; tsconfig.dev.json checks it.
    exclude: ['src/report/graph/page/page.ts'],
  },
  gitignore: ['/packages/', '/bench-results/'],
  eslintOptions: {
    dirs: ['src', 'templates'],
    devdirs: ['test', 'examples', 'bench'],
    // One type-aware project for library, init starter, tests, examples and benchmarks.
    tsconfigPath: './tsconfig.dev.json',
    // CI must report lint errors, never rewrite files behind the drift check.
    commandOptions: { fix: false },
  },
});

// The package root is the user API (constructs, values, intents, verifyApp, the synth helpers); the
// analyzer API (parsers, the verifier, analyses, formatters) is the documented subpath `netproof/analysis`.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './analysis': { types: './lib/analyzer.d.ts', default: './lib/analyzer.js' },
  './package.json': './package.json',
});
// TypeScript's older module resolution (moduleResolution node) reads subpaths from typesVersions.
project.package.addField('typesVersions', { '*': { analysis: ['lib/analyzer.d.ts'] } });

// `dist/` is committed (the example's YAML) and checked for drift, so projen must not ignore it.
project.gitignore.removePatterns('/dist/');
project.npmignore?.addPatterns('/dist/', '/examples/', '/bench/', '/.ci/');
project.npmignore?.removePatterns('/bin/');
// What the published package holds, by allow-list (npm adds package.json, README.md and LICENSE): the
// compiled library with its types, the CLI, and the `netproof init` starter.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', 'bin/', 'templates/']);

// The example app: a realistic GKE shop whose synthesized YAML is committed under dist/.
project.addTask('synth', {
  description: 'Compile, then synthesize the example app into dist/ with netproof synth (intents verified before writing).',
  steps: [
    { spawn: 'compile' },
    { exec: 'node bin/netproof synth' },
  ],
});
project.addTask('bench', {
  env: { TS_NODE_PROJECT: 'tsconfig.dev.json' },
  description: 'Benchmarks: synth of 2,000 policies, verifier scaling, proofs, ClusterNetworkPolicy tiers, and the CLI end to end with floors and peak RSS (prints tables; --quick skips 100k pods).',
  steps: [
    { exec: 'ts-node --transpile-only --project tsconfig.dev.json bench/synth.ts' },
    { exec: 'node --expose-gc -r ts-node/register/transpile-only bench/reach.ts', receiveArgs: true },
    { exec: 'ts-node --transpile-only --project tsconfig.dev.json bench/proofs.ts' },
    { exec: 'ts-node --transpile-only --project tsconfig.dev.json bench/tiers.ts' },
    // The end-to-end rows run the compiled CLI (bin/netproof) as a user does.
    { spawn: 'compile' },
    { exec: 'node -r ts-node/register/transpile-only bench/e2e.ts', receiveArgs: true },
  ],
});

// The edit loop: the unit and in-process CLI tests, without the end-to-end ones (npm pack and install,
// Chromium), the property runs and the tests that run a cdk8s app in a child process (README, Development).
project.addTask('test:fast', {
  description: 'The tests of the edit loop: all but test/e2e, the property tests and the tests that spawn a cdk8s app.',
  exec: 'jest --passWithNoTests --testPathIgnorePatterns /node_modules/ /test/e2e/ "property\\.test\\.ts$" "/test/cli/(synth|check|recorded-model|output|corpus-fs)\\.test\\.ts$"',
  receiveArgs: true,
});

// The HTML graph page's script and style are real files under src/report/graph/page/, bundled into the
// committed src/report/graph/_page.generated.ts before every compile (a test fails when it is stale).
const bundlePage = project.addTask('bundle-page', {
  description: 'Bundle the HTML graph page (src/report/graph/page/) into src/report/graph/_page.generated.ts.',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/bundle-page.ts',
});
project.preCompileTask.spawn(bundlePage);
project.gitattributes.addAttributes('/src/report/graph/_page.generated.ts', 'linguist-generated');

// The example app, the benchmarks and the starter app of `netproof init` (templates/init/main.ts, whose
// `from 'netproof'` is this repository's source here) are type-checked and linted with the rest of the code.
new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.dev.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['./tsconfig.json']),
  compilerOptions: { rootDir: '.', noEmit: true, paths: { netproof: ['./src/index.ts'] } },
  include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'templates/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
  exclude: ['node_modules'],
});
// The project service only sees tsconfig.json (src/); lint tests, examples and benchmarks type-aware too.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', './tsconfig.dev.json');
// CIDR arithmetic and the verifier's bitsets are bitwise by nature.
project.eslint?.addRules({ 'no-bitwise': 'off' });
// Spreading an array into a call's arguments puts every element on the stack: past about 100,000 elements
// (one per pod, per namespace pair, per line of a large file) it throws "Maximum call stack size exceeded".
// In the library and the CLI, loop instead (the README's "Limits" promises no crash on size).
const SPREAD_INTO_CALL = 'Do not spread an array into call arguments (push, unshift, splice, concat, Math.max/min, String.fromCharCode, ...): '
  + 'a large array overflows the stack. Loop, or use reduce';
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  // The proof engine's formula builders are variadic (and(...), or(...)); converting them is left to its owner.
  excludedFiles: ['src/verify/symbolic/**', 'src/analysis/proofs.ts'],
  rules: {
    'no-restricted-syntax': ['error',
      { selector: 'CallExpression > SpreadElement', message: SPREAD_INTO_CALL },
      { selector: 'NewExpression > SpreadElement', message: SPREAD_INTO_CALL }],
  },
});

project.synth();

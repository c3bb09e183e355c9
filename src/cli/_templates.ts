/**
 * The files `netproof init` writes, shipped inside the package as code (so they are compiled into lib/
 * and work offline from the installed package; nothing is downloaded). `package.json` is made by
 * `initPackageJson` from this package's own version and dependency ranges.
 */

/** The namespace of the starter chart; the intents file and the README refer to it. */
export const INIT_NAMESPACE = 'demo';

/** The starter app. It imports netproof by package name; tests swap that import for this repo's source. */
export const MAIN_TS = `/**
 * The policies of this repository: a PolicyChart per namespace, made of netproof constructs, with the
 * intents they must satisfy. \`npx netproof synth\` runs this file; every intent is checked before any
 * YAML is written, and synth fails (writing nothing) with a counterexample when one does not hold.
 */
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AllowDns, AllowFrom, AllowTo, DefaultDeny, Externals, formatIntentResults, Peer, PolicyChart, Port, Selector, verifyApp,
} from 'netproof';

const HTTP = Port.tcp(8080);

/** A Deployment named \`name\` whose pods are labelled and selected by \`app=<name>\` only. */
function deployment(scope: Construct, name: string, image: string): kplus.Deployment {
  const workload = new kplus.Deployment(scope, name, {
    metadata: { name },
    select: false,
    podMetadata: { labels: { app: name } },
    containers: [{ name, image, portNumber: 8080 }],
  });
  workload.select(kplus.LabelSelector.of({ labels: { app: name } }));
  return workload;
}

class DemoPolicies extends PolicyChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: '${INIT_NAMESPACE}' });

    const web = deployment(this, 'web', 'nginxinc/nginx-unprivileged:1.27');
    const api = deployment(this, 'api', 'hashicorp/http-echo:1.0');

    // Nothing moves unless a policy below allows it; every pod may resolve names.
    new DefaultDeny(this, 'default-deny');
    new AllowDns(this, 'allow-dns');

    // web -> api on TCP 8080: the sender needs egress, the receiver ingress.
    new AllowTo(this, 'web-to-api', { pods: web, to: [Peer.workload(api)], ports: [HTTP] });
    new AllowFrom(this, 'api-from-web', { pods: api, from: [Peer.workload(web)], ports: [HTTP] });

    // What the policies must mean. Add one line per promise you make to your security team.
    this.expect(web).canReach(api, HTTP);
    this.expect(api).cannotReach(web);
    this.expect(api).onlyReachableFrom([web]);
    this.expect(Selector.all()).canReach(Externals.KUBE_DNS, Port.DNS_UDP).cannotReach(Externals.INTERNET);
  }
}

const app = new App(); // writes to $CDK8S_OUTDIR, which netproof synth sets
new DemoPolicies(app, '${INIT_NAMESPACE}');
app.synth();
console.log(formatIntentResults(verifyApp(app).results));
`;

/** \`cdk8s synth\` works too; netproof synth reads \`app\` (and \`output\`) from here. */
export const CDK8S_YAML = `language: typescript
app: npx ts-node main.ts
output: dist
`;

export const TSCONFIG_JSON = `${JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'CommonJS',
    lib: ['es2022'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['**/*.ts'],
  exclude: ['node_modules', 'dist'],
}, null, 2)}
`;

export const GITIGNORE = `node_modules/
# temporary folders of an interrupted netproof synth
.netproof-*
`;

/** Intents about the synthesized YAML, for \`netproof verify\` (the cluster model is read from dist/ itself). */
export const INTENTS_YAML = `# Checked by: npx netproof verify --cluster dist --policies dist --intents intents.yaml
# The same promises as main.ts, stated about the YAML that is committed and applied.
intents:
  - name: web reaches api
    from: {namespace: ${INIT_NAMESPACE}, pods: {app: web}}
    to: {namespace: ${INIT_NAMESPACE}, pods: {app: api}}
    port: 8080/TCP
    expect: allow
  - name: api does not call web
    from: {namespace: ${INIT_NAMESPACE}, pods: {app: api}}
    to: {namespace: ${INIT_NAMESPACE}, pods: {app: web}}
    expect: deny
  - name: only web reaches api
    to: {namespace: ${INIT_NAMESPACE}, pods: {app: api}}
    onlyFrom: [{namespace: ${INIT_NAMESPACE}, pods: {app: web}}]
`;

export const WORKFLOW_YML = `# The policies must satisfy their intents, and the committed YAML in dist/ must be exactly what
# main.ts synthesizes (when "check" fails: run "npx netproof synth" and commit dist/).
name: netproof
on:
  pull_request:
  push:
    branches: [main]
jobs:
  policies:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the base branch, for the reachability diff of a pull request
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      # Runs main.ts into a scratch folder: fails here, with a counterexample, when an intent is violated.
      - name: Synth (every intent of main.ts is checked)
        run: npx netproof synth --out "$RUNNER_TEMP/netproof-dist"
      - name: Verify the intents file against the committed YAML
        run: npx netproof verify --cluster dist --policies dist --intents intents.yaml
      # Fails with a diff when the committed dist/ differs from a fresh synth.
      - name: Committed dist/ is up to date
        run: npx netproof check
      # What the pull request changes in who reaches whom, in the job summary.
      - name: Reachability change of this pull request
        if: github.event_name == 'pull_request'
        run: npx netproof diff "origin/$GITHUB_BASE_REF:dist" dist --format markdown >> "$GITHUB_STEP_SUMMARY"
`;

export const README_MD = `# Network policies

Kubernetes NetworkPolicies for namespace \`${INIT_NAMESPACE}\`, written as typed TypeScript with
[netproof](https://www.npmjs.com/package/netproof) and proven by its reachability verifier before any
YAML is written. Argo CD or Flux applies the committed \`dist/\` folder.

| file | what it is |
| --- | --- |
| \`main.ts\` | the policies (PolicyChart, DefaultDeny, AllowDns, AllowTo, AllowFrom) and their intents (\`chart.expect(...)\`) |
| \`intents.yaml\` | the same promises about the synthesized YAML, for \`netproof verify\` |
| \`cdk8s.yaml\` | how to run the app (\`npx ts-node main.ts\`); \`cdk8s synth\` works too |
| \`dist/\` | the synthesized YAML, one file per chart, and a \`kustomization.yaml\` listing them |
| \`.github/workflows/netproof.yml\` | CI: synth (every intent checked), verify the intents file, check that \`dist/\` is up to date |

## The loop

\`\`\`sh
npm install                      # once; commit package-lock.json (CI runs npm ci)
# edit main.ts
npx netproof synth               # checks every intent, then writes dist/ atomically
npx netproof verify --cluster dist --policies dist --intents intents.yaml
npx netproof check               # exit 1 with a diff when dist/ is stale
git add main.ts dist && git commit -m "Allow web to reach api on 8080"
\`\`\`

A violated intent fails synth with a counterexample (source, destination, port) and leaves \`dist/\`
untouched. \`npx netproof synth --layout namespace\` writes one file per namespace instead (cluster-scoped
objects go to \`_cluster.yaml\`).

## Deploying with GitOps

\`dist/kustomization.yaml\` lists every file, so Argo CD, Flux and \`kubectl apply -k dist\` take the folder
as it is. Argo CD:

\`\`\`yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: network-policies, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/ORG/REPO.git, targetRevision: main, path: dist}
  destination: {server: https://kubernetes.default.svc}
  syncPolicy: {automated: {prune: true, selfHeal: true}}
\`\`\`

Flux:

\`\`\`yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: network-policies, namespace: flux-system}
spec:
  interval: 5m
  path: ./dist
  prune: true
  sourceRef: {kind: GitRepository, name: network-policies}
\`\`\`
`;

/** The versions `init` writes into package.json: netproof's own, and the ranges netproof itself uses. */
export interface InitVersions {
  readonly netproof: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** Ranges used when this package's package.json cannot be read (kept in line with .projenrc.ts). */
export const FALLBACK_RANGES: Readonly<Record<string, string>> = {
  'cdk8s': '^2.70.0',
  'cdk8s-plus-28': '^2.5.6',
  'constructs': '^10.3.0',
  'ts-node': '^10.9.2',
  'typescript': '~5.9.0',
  '@types/node': '^20',
};

export const INIT_DEPENDENCIES = ['cdk8s', 'cdk8s-plus-28', 'constructs'] as const;
export const INIT_DEV_DEPENDENCIES = ['@types/node', 'ts-node', 'typescript'] as const;

export function initPackageJson(name: string, versions: InitVersions): string {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    description: 'Kubernetes NetworkPolicies as code, verified by netproof before synth',
    scripts: {
      synth: 'netproof synth',
      check: 'netproof check',
      verify: 'netproof verify --cluster dist --policies dist --intents intents.yaml',
    },
    dependencies: { netproof: `^${versions.netproof}`, ...versions.dependencies },
    devDependencies: { ...versions.devDependencies },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Every file of a new repository except package.json, by path relative to its root (`/` separators). */
export const INIT_FILES: Readonly<Record<string, string>> = {
  'main.ts': MAIN_TS,
  'cdk8s.yaml': CDK8S_YAML,
  'tsconfig.json': TSCONFIG_JSON,
  '.gitignore': GITIGNORE,
  'intents.yaml': INTENTS_YAML,
  '.github/workflows/netproof.yml': WORKFLOW_YML,
  'README.md': README_MD,
};

/**
 * The package.json `netproof init` writes, made from this package's own version and dependency ranges.
 * The other files are real files in templates/init/, shipped in the package (init.ts reads them).
 */

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
      verify: 'netproof verify --policies dist',
    },
    dependencies: { netproof: `^${versions.netproof}`, ...versions.dependencies },
    devDependencies: { ...versions.devDependencies },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

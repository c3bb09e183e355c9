/** `netproof init [DIR]`: a ready policy repository in an empty folder, from templates shipped in the package. */
import * as fs from 'fs';
import * as path from 'path';
import { FileSet, readTree } from './_app';
import { FALLBACK_RANGES, INIT_DEPENDENCIES, INIT_DEV_DEPENDENCIES, initPackageJson, InitVersions } from './_templates';
import { parseFlags } from './args';
import { CliIo, ExitCode } from './io';
import { NetproofError } from '../errors';
import { compareStrings } from '../model/selector';

export const INIT_USAGE = `Usage: netproof init [DIR]

Creates a policy repository in DIR (default: the current folder), which must be empty or missing
(a .git folder is allowed): package.json (netproof, cdk8s, cdk8s-plus-28, constructs, ts-node,
typescript), main.ts (a PolicyChart with default deny, DNS, web -> api, and intents), cdk8s.yaml,
tsconfig.json, .gitignore, a CI workflow (.github/workflows/netproof.yml) and a README.
Nothing is downloaded; run "npm install" in DIR afterwards.

Exit codes: 0 created, 2 DIR is not empty or bad input.
`;

/** The files init writes besides package.json, shipped in the package: the same path from lib/cli and src/cli. */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates', 'init');

/** Templates kept under another name, by that name: npm leaves every `.gitignore` out of a package. */
const RENAMED_TEMPLATES: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** Entries of an otherwise empty folder that init accepts (a fresh clone). */
const ALLOWED_ENTRIES = ['.git'];

export const InitMessages = {
  tooManyArgs: (args: readonly string[]) => `expected at most one folder, got ${args.map((a) => JSON.stringify(a)).join(', ')}. Give one folder, e.g. netproof init policies`,
  notEmpty: (entries: readonly string[]) =>
    `the folder is not empty (it holds ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ` and ${entries.length - 5} more` : ''}); init only writes into an empty folder so that it never overwrites your files. Give a new or empty folder, e.g. netproof init policies`,
  notFolder: 'exists and is not a folder. Give a new or empty folder, e.g. netproof init policies',
  noTemplates: (dir: string) => `cannot read the templates folder ${dir}: this installation of netproof is incomplete. Reinstall netproof`,
} as const;

export function runInit(argv: readonly string[], io: CliIo): number {
  const positional = argv.filter((a) => !a.startsWith('-'));
  const flags = parseFlags('init', argv.filter((a) => a.startsWith('-')), []);
  if (flags.help) {
    io.stdout.write(INIT_USAGE);
    return ExitCode.ok;
  }
  if (positional.length > 1) throw new NetproofError('netproof init', InitMessages.tooManyArgs(positional));
  const dirArg = positional[0] ?? '.';
  const dir = path.resolve(io.cwd, dirArg);
  const where = `netproof init ${dirArg}`;
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new NetproofError(where, InitMessages.notFolder);
    const entries = fs.readdirSync(dir).filter((e) => !ALLOWED_ENTRIES.includes(e)).sort(compareStrings);
    if (entries.length) throw new NetproofError(where, InitMessages.notEmpty(entries));
  }
  const files = initFiles(packageName(dir));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' });
  }
  const shown = path.relative(io.cwd, dir) || '.';
  const cd = shown === '.' ? '' : `  cd ${shown}\n`;
  io.stdout.write(`created ${Object.keys(files).sort(compareStrings).join(', ')} in ${shown}

Next:
${cd}  npm install
  npx netproof synth     # checks the intents of main.ts, then writes dist/
  npx netproof check     # dist/ is up to date (CI runs this)
  git init && git add . && git commit -m "Network policies with netproof"
`);
  return ExitCode.ok;
}

/** Every file of a new repository, by relative path. */
export function initFiles(name: string, versions: InitVersions = initVersions()): Record<string, string> {
  return { 'package.json': initPackageJson(name, versions), ...initTemplates() };
}

/** Every file of a new repository except package.json, from `dir`, by the path init writes (`/` separators), sorted. */
export function initTemplates(dir = TEMPLATES_DIR): Record<string, string> {
  let files: FileSet;
  try {
    files = readTree(dir);
  } catch {
    throw new NetproofError('netproof init', InitMessages.noTemplates(dir));
  }
  const named = [...files].map(([rel, text]): [string, string] => [RENAMED_TEMPLATES[rel] ?? rel, text]);
  return Object.fromEntries(named.sort(([a], [b]) => compareStrings(a, b)));
}

/** This package's version and the dependency ranges it uses itself, from its package.json. */
export function initVersions(): InitVersions {
  let pkg: { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } = {};
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  } catch {
    // Fall back to the ranges this version was built with.
  }
  const range = (name: string) => pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? FALLBACK_RANGES[name];
  const pick = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, range(n)]));
  return { netproof: pkg.version ?? '0.0.0', dependencies: pick(INIT_DEPENDENCIES), devDependencies: pick(INIT_DEV_DEPENDENCIES) };
}

/** An npm package name from the folder name: lower case, [a-z0-9-._], or "network-policies". */
export function packageName(dir: string): string {
  const name = path.basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[-]+$/g, '').slice(0, 214);
  return name === '' ? 'network-policies' : name;
}

/**
 * What `netproof synth` and `netproof check` share: finding and running the user's cdk8s app with
 * `CDK8S_OUTDIR` pointing at a fresh temporary folder, regrouping what it wrote into netproof's output
 * layout (one file per chart or per namespace, plus a `kustomization.yaml`), and swapping a folder into
 * place so that a failure never leaves a half-written or emptied output folder.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { FlagSpec, ParsedFlags } from './args';
import { CliIo } from './io';
import { NetproofError } from '../errors';
import { compareStrings } from '../model/selector';
import { checkDns1123Label } from '../model/validate';

export const LAYOUTS = ['chart', 'namespace'] as const;
export type Layout = typeof LAYOUTS[number];

/** The app configuration file of cdk8s, read for `app` and `output`. */
export const CDK8S_CONFIG = 'cdk8s.yaml';
export const KUSTOMIZATION = 'kustomization.yaml';
/** Cluster-scoped objects (no metadata.namespace) in `--layout namespace`. */
export const CLUSTER_FILE = '_cluster.yaml';
export const DEFAULT_OUT = 'dist';

export const APP_FLAGS: readonly FlagSpec[] = [
  { name: 'app', kind: 'string', metavar: 'CMD', help: `command that runs the cdk8s app (default: "app" of ./${CDK8S_CONFIG})` },
  { name: 'out', kind: 'string', metavar: 'DIR', help: `output folder (default: "output" of ./${CDK8S_CONFIG}, else ${DEFAULT_OUT})` },
  { name: 'layout', kind: 'enum', values: LAYOUTS, default: 'chart', metavar: 'LAYOUT', help: `one file per chart, or one per namespace (cluster-scoped objects in ${CLUSTER_FILE})` },
];

export const AppMessages = {
  noApp: `no app to run. Give --app CMD (e.g. --app "npx ts-node main.ts"), or run in a folder whose ${CDK8S_CONFIG} says "app: <command>" (netproof init creates one)`,
  badConfig: (reason: string) => `${reason}. Write it as a YAML map, e.g. "language: typescript" and "app: npx ts-node main.ts" on two lines`,
  badConfigField: (field: string, value: string) => `"${field}" must be a non-empty string, got ${value}. Write e.g. "${field}: ${field === 'app' ? 'npx ts-node main.ts' : DEFAULT_OUT}"`,
  appFailed: (command: string, status: string, outArg: string) =>
    `the app failed (${status}) running ${JSON.stringify(command)}; its output is above. ${outArg} was left untouched. Fix what it reports (a violated intent shows a counterexample) and run again`,
  noYaml: (command: string) =>
    `the app ${JSON.stringify(command)} succeeded but wrote no YAML into CDK8S_OUTDIR. Create the cdk8s App without an outdir (new App()) so that it writes where netproof tells it, and call app.synth()`,
  appWroteKustomization: (file: string) => `the app wrote ${file}, which netproof writes itself. Remove it from the app's output`,
  outIsAncestor: (outArg: string) =>
    `${JSON.stringify(outArg)} is the working folder or one of its parents, and synth replaces the whole output folder. Give a folder of its own, e.g. --out ${DEFAULT_OUT}`,
  outNotDir: (outArg: string) => `${JSON.stringify(outArg)} exists and is not a folder. Remove it or give another --out`,
  foreignFiles: (files: readonly string[]) =>
    `the output folder holds ${files.length === 1 ? 'a file' : `${files.length} files`} netproof did not write (${shortList(files)}), and synth replaces the whole folder. Move ${files.length === 1 ? 'it' : 'them'} elsewhere, or give another --out`,
  badNamespace: (value: string, reason: string) =>
    `metadata.namespace ${value} ${reason}, so it cannot name a file in --layout namespace. Use a DNS-1123 label such as "shop", or --layout chart`,
  splitMismatch: (found: number, expected: number) =>
    `found ${found} documents at "---" lines but the YAML holds ${expected}. Write each document separator as a line "---" of its own, or use --layout chart`,
} as const;

function shortList(items: readonly string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Where the app is, where the output goes, and how it is laid out. */
export interface AppSettings {
  /** The netproof command being run (`synth`, `check`), for messages. */
  readonly netproofCommand: string;
  /** The shell command that runs the app. */
  readonly command: string;
  /** The output folder, resolved against the working folder. */
  readonly out: string;
  /** The output folder as the user gave it (for messages). */
  readonly outArg: string;
  readonly layout: Layout;
}

/** Reads --app, --out and --layout, falling back to `app` and `output` of ./cdk8s.yaml. */
export function appSettings(command: string, flags: ParsedFlags, io: CliIo): AppSettings {
  const where = `netproof ${command}`;
  let app = flags.strings.get('app');
  let outArg = flags.strings.get('out');
  if (app === undefined || outArg === undefined) {
    const config = readCdk8sConfig(io.cwd);
    app = app ?? config.app;
    outArg = outArg ?? config.output ?? DEFAULT_OUT;
  }
  if (app === undefined) throw new NetproofError(where, AppMessages.noApp, '--app');
  const out = path.resolve(io.cwd, outArg);
  const rel = path.relative(out, io.cwd);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new NetproofError(where, AppMessages.outIsAncestor(outArg), '--out');
  return { netproofCommand: command, command: app, out, outArg, layout: flags.strings.get('layout') as Layout };
}

function readCdk8sConfig(cwd: string): { app?: string; output?: string } {
  const file = path.join(cwd, CDK8S_CONFIG);
  if (!fs.existsSync(file)) return {};
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new NetproofError(CDK8S_CONFIG, AppMessages.badConfig(`cannot parse: ${(e as Error).message.split('\n')[0]}`));
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new NetproofError(CDK8S_CONFIG, AppMessages.badConfig(`expected a map, got ${JSON.stringify(doc)}`));
  const read = (field: string): string | undefined => {
    const value = (doc as Record<string, unknown>)[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw new NetproofError(CDK8S_CONFIG, AppMessages.badConfigField(field, JSON.stringify(value)), field);
    return value;
  };
  return { app: read('app'), output: read('output') };
}

/** Relative path (with `/`) to file content. */
export type FileSet = Map<string, string>;

/**
 * Runs the app with CDK8S_OUTDIR set to a fresh folder inside `tmpParent`, forwarding its stdout and
 * stderr to our stderr, and returns the output files laid out as asked (kustomization.yaml included),
 * or a failure description when the app exits unsuccessfully. Temporary folders are always removed.
 */
export async function synthesizeApp(settings: AppSettings, io: CliIo, tmpParent: string): Promise<{ files: FileSet } | { failure: string }> {
  fs.mkdirSync(tmpParent, { recursive: true });
  const appOut = fs.mkdtempSync(path.join(tmpParent, '.netproof-app-'));
  try {
    const status = await runCommand(settings.command, io, { CDK8S_OUTDIR: appOut });
    if (status !== undefined) return { failure: status };
    const written = readTree(appOut);
    const yamlFiles = new Map([...written].filter(([f]) => /\.ya?ml$/.test(f)));
    const others = [...written.keys()].filter((f) => !yamlFiles.has(f));
    if (others.length) io.stderr.write(`netproof: note: left out ${others.length === 1 ? 'a file' : `${others.length} files`} the app wrote that ${others.length === 1 ? 'is' : 'are'} not YAML: ${shortList(others)}\n`);
    const where = `netproof ${settings.netproofCommand}`;
    if (yamlFiles.size === 0) throw new NetproofError(where, AppMessages.noYaml(settings.command), '--app');
    if (yamlFiles.has(KUSTOMIZATION)) throw new NetproofError(where, AppMessages.appWroteKustomization(KUSTOMIZATION), '--app');
    return { files: layOut(yamlFiles, settings.layout) };
  } finally {
    fs.rmSync(appOut, { recursive: true, force: true });
  }
}

/** Runs `command` in a shell in the working folder; undefined on exit code 0, else what happened. */
function runCommand(command: string, io: CliIo, env: Record<string, string>): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: io.cwd, env: { ...process.env, ...env }, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => io.stderr.write(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => io.stderr.write(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(undefined);
      else resolve(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
}

/** Every file under `dir`, by relative path with `/` separators. */
export function readTree(dir: string): FileSet {
  const files: FileSet = new Map();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** The app's YAML files in the chosen layout, plus kustomization.yaml listing them. */
export function layOut(yamlFiles: ReadonlyMap<string, string>, layout: Layout): FileSet {
  const out: FileSet = new Map();
  const names = [...yamlFiles.keys()].sort(compareStrings);
  if (layout === 'chart') {
    for (const f of names) out.set(f, yamlFiles.get(f)!);
  } else {
    const groups = new Map<string, string[]>();
    for (const f of names) {
      for (const doc of splitDocuments(yamlFiles.get(f)!, f)) {
        const file = doc.namespace === undefined ? CLUSTER_FILE : `${doc.namespace}.yaml`;
        groups.set(file, [...(groups.get(file) ?? []), doc.text]);
      }
    }
    for (const [file, docs] of groups) out.set(file, docs.join('---\n'));
  }
  out.set(KUSTOMIZATION, kustomization([...out.keys()]));
  return sortedFileSet(out);
}

export function kustomization(files: readonly string[]): string {
  const body = YAML.stringify(
    { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...files].sort(compareStrings) },
    { version: '1.1', lineWidth: 0 },
  );
  return `# Generated by netproof synth. Do not edit: run "netproof synth" instead.\n${body}`;
}

function sortedFileSet(files: FileSet): FileSet {
  return new Map([...files.keys()].sort(compareStrings).map((k) => [k, files.get(k)!]));
}

interface SplitDocument {
  /** The document's bytes as written, ending with a newline. */
  readonly text: string;
  readonly namespace?: string;
}

/**
 * Splits a multi-document YAML file at its `---` lines, keeping each document's bytes (no re-serialization,
 * so quoting that YAML 1.1 readers such as kubectl need is preserved), and reads each one's namespace.
 * Cross-checked against a real YAML parse; empty documents are dropped.
 */
function splitDocuments(text: string, file: string): SplitDocument[] {
  const chunks: string[][] = [[]];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (/^---(\s|$)/.test(line)) {
      chunks.push([]);
      const rest = line.slice(3).trim();
      if (rest !== '') chunks[chunks.length - 1].push(rest);
    } else {
      chunks[chunks.length - 1].push(line);
    }
  }
  const docs: SplitDocument[] = [];
  chunks.forEach((chunkLines) => {
    const chunk = chunkLines.length ? `${chunkLines.join('\n')}\n` : '';
    const value: unknown = YAML.parse(chunk, { version: '1.1' });
    if (value === null || value === undefined) return;
    const where = `${file}[document ${docs.length}]`;
    const ns = (value as { metadata?: { namespace?: unknown } }).metadata?.namespace;
    if (ns === undefined || ns === null || ns === '') {
      docs.push({ text: chunk });
      return;
    }
    const bad = typeof ns === 'string' ? checkDns1123Label(ns) : 'is not a string';
    if (bad !== undefined) throw new NetproofError(where, AppMessages.badNamespace(JSON.stringify(ns), bad), 'metadata.namespace');
    docs.push({ text: chunk, namespace: ns as string });
  });
  const expected = YAML.parseAllDocuments(text, { version: '1.1' }).filter((d) => d.contents !== null && d.toJS() !== null).length;
  if (expected !== docs.length) throw new NetproofError(file, AppMessages.splitMismatch(docs.length, expected));
  return docs;
}

/**
 * Writes `files` into a fresh folder beside `target`, then puts it in place of `target` by renames (same
 * file system): the old folder moves aside, the new one moves in, the old one is deleted. When anything
 * fails, `target` keeps its previous contents. Refuses a target holding files netproof did not write.
 */
export function replaceFolder(target: string, outArg: string, files: FileSet): void {
  checkOutputFolder(target, outArg);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, '.netproof-out-'));
  fs.chmodSync(staging, 0o755); // mkdtemp makes it private; the output folder is an ordinary one
  const old = `${staging}-old`;
  try {
    writeTree(staging, files);
    if (!fs.existsSync(target)) {
      fs.renameSync(staging, target);
      return;
    }
    fs.renameSync(target, old);
    try {
      fs.renameSync(staging, target);
    } catch (e) {
      fs.renameSync(old, target);
      throw e;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}

/** Refuses an output folder that is a file or holds files other than YAML (synth replaces the whole folder). */
export function checkOutputFolder(target: string, outArg: string): void {
  if (!fs.existsSync(target)) return;
  const where = `netproof synth --out ${outArg}`;
  if (!fs.statSync(target).isDirectory()) throw new NetproofError(where, AppMessages.outNotDir(outArg));
  const foreign = [...readTree(target).keys()].filter((f) => !/\.ya?ml$/.test(f)).sort(compareStrings);
  if (foreign.length) throw new NetproofError(where, AppMessages.foreignFiles(foreign));
}

export function writeTree(dir: string, files: FileSet): void {
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

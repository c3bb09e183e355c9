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
import { FileSet, KUSTOMIZATION, KUSTOMIZATION_HEADER, listTree, OutputMessages, readTree } from './_output';
import { APP_OUTPUT, checkWrittenYaml } from './_written';
import { FlagSpec, ParsedFlags } from './args';
import { CliIo, describeFileType, describeFsError, onInterrupt, runInterruptCleanups } from './io';
import { STRICT_ENV } from '../emit/synth';
import { NetproofError } from '../errors';
import { compareStrings } from '../model/selector';
import { checkDns1123Label } from '../model/validate';
import { parseRecordedModel, RECORD_MODEL_ENV, RECORDED_MODEL_FILE } from '../parse/recorded-model';

export const LAYOUTS = ['chart', 'namespace'] as const;
export type Layout = typeof LAYOUTS[number];

/** The app configuration file of cdk8s, read for `app` and `output`. */
export const CDK8S_CONFIG = 'cdk8s.yaml';
export { FileSet, KUSTOMIZATION, readTree };
/** Cluster-scoped objects (no metadata.namespace) in `--layout namespace`. */
export const CLUSTER_FILE = '_cluster.yaml';
export const DEFAULT_OUT = 'dist';
/** Seconds the app may run before synth or check stops it (`--timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 600;
/** Seconds between asking the app's processes to stop (SIGTERM) and killing them (SIGKILL). */
const KILL_GRACE_SECONDS = 5;

export const APP_FLAGS: readonly FlagSpec[] = [
  { name: 'app', kind: 'string', metavar: 'CMD', help: `command that runs the cdk8s app (default: "app" of ./${CDK8S_CONFIG})` },
  { name: 'out', kind: 'string', metavar: 'DIR', help: `output folder (default: "output" of ./${CDK8S_CONFIG}, else ${DEFAULT_OUT})` },
  { name: 'layout', kind: 'enum', values: LAYOUTS, default: 'chart', metavar: 'LAYOUT', help: `one file per chart, or one per namespace (cluster-scoped objects in ${CLUSTER_FILE})` },
  { name: 'timeout', kind: 'seconds', default: String(DEFAULT_TIMEOUT_SECONDS), metavar: 'SECONDS', help: 'stop the app (and every process it started) when it runs longer' },
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
  foreignFiles: OutputMessages.foreignFiles,
  timedOut: (seconds: number) =>
    `timed out after ${seconds} s; netproof stopped it and every process it started. Give a longer --timeout SECONDS if the app needs more time, or find what keeps it running`,
  appEntry: (file: string, what: string) => OutputMessages.badEntry(file, what),
  cannotRunApp: (reason: string) => `cannot run the app: ${reason}. Check --app and the working folder`,
  badNamespace: (value: string, reason: string) =>
    `metadata.namespace ${value} ${reason}, so it cannot name a file in --layout namespace. Use a DNS-1123 label such as "shop", or --layout chart`,
  badAppYaml: (reason: string) => `the app wrote invalid YAML: ${reason}. Fix the app, or use --layout chart`,
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
  /** Seconds the app may run. */
  readonly timeoutSeconds: number;
  /** Whether the app runs with NETPROOF_STRICT=1 (lint warnings fail it). @default false */
  readonly strict?: boolean;
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
  checkNotAncestor(command, out, outArg, io.cwd);
  const timeoutSeconds = flags.seconds.get('timeout') ?? DEFAULT_TIMEOUT_SECONDS;
  const strict = flags.switches.has('strict') ? { strict: true } : {};
  return { netproofCommand: command, command: app, out, outArg, layout: flags.strings.get('layout') as Layout, timeoutSeconds, ...strict };
}

/** Fails when `out` is the working folder or one of its parents (synth replaces the whole output folder). */
export function checkNotAncestor(command: string, out: string, outArg: string, cwd: string): void {
  let real = cwd;
  try {
    real = fs.realpathSync(cwd);
  } catch { /* keep cwd */ }
  for (const here of new Set([cwd, real])) {
    const rel = path.relative(out, here);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new NetproofError(`netproof ${command}`, AppMessages.outIsAncestor(outArg), '--out');
  }
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

/**
 * Runs the app with CDK8S_OUTDIR set to a fresh folder inside `tmpParent`, forwarding its stdout and
 * stderr to our stderr, and returns the output files laid out as asked (kustomization.yaml included),
 * or a failure description when the app exits unsuccessfully or runs past --timeout. Only regular YAML
 * files of the app's output are read: a link (to /etc/passwd, say) or a FIFO there is an error naming
 * it. Temporary folders are always removed.
 */
export async function synthesizeApp(settings: AppSettings, io: CliIo, tmpParent: string): Promise<{ files: FileSet } | { failure: string }> {
  const where = `netproof ${settings.netproofCommand}`;
  let appOut: string;
  try {
    fs.mkdirSync(tmpParent, { recursive: true });
    appOut = fs.mkdtempSync(path.join(tmpParent, '.netproof-app-'));
  } catch (e) {
    throw new NetproofError(where, AppMessages.cannotRunApp(`cannot create a temporary folder in ${tmpParent}: ${describeFsError(e)}`));
  }
  const removeAppOut = () => fs.rmSync(appOut, { recursive: true, force: true });
  const unregister = onInterrupt(removeAppOut);
  try {
    // The app's validation writes what it was verified against here (src/app/record.ts).
    const recordFile = path.join(appOut, RECORDED_MODEL_FILE);
    const env: Record<string, string> = { CDK8S_OUTDIR: appOut, [RECORD_MODEL_ENV]: recordFile, ...(settings.strict ? { [STRICT_ENV]: '1' } : {}) };
    const status = await runCommand(settings.command, io, env, settings.timeoutSeconds);
    if (status !== undefined) return { failure: status };
    const entries = listTree(appOut).filter((e) => e.rel !== RECORDED_MODEL_FILE);
    const isYaml = (f: string) => /\.ya?ml$/.test(f);
    const others = entries.filter((e) => !isYaml(e.rel)).map((e) => e.rel);
    if (others.length) io.stderr.write(`netproof: note: left out ${others.length === 1 ? 'a file' : `${others.length} files`} the app wrote that ${others.length === 1 ? 'is' : 'are'} not YAML: ${shortList(others)}\n`);
    const yamlFiles = new Map<string, string>();
    for (const entry of entries.filter((e) => isYaml(e.rel))) {
      if (entry.kind !== 'file') throw new NetproofError(where, AppMessages.appEntry(entry.rel, entry.kind), '--app');
      yamlFiles.set(entry.rel, fs.readFileSync(path.join(appOut, entry.rel), 'utf8'));
    }
    if (yamlFiles.size === 0) throw new NetproofError(where, AppMessages.noYaml(settings.command), '--app');
    if (yamlFiles.has(KUSTOMIZATION)) throw new NetproofError(where, AppMessages.appWroteKustomization(KUSTOMIZATION), '--app');
    checkWrittenYaml(yamlFiles);
    const files = layOut(yamlFiles, settings.layout);
    const record = readRecord(recordFile, where);
    return { files: record === undefined ? files : sortedFileSet(new Map([...files, [RECORDED_MODEL_FILE, record]])) };
  } finally {
    unregister();
    removeAppOut();
  }
}

/**
 * The recorded model the app wrote (a regular file, checked as netproof reads it back), or undefined
 * when the app wrote none (no PolicyChart, or a netproof library older than the record).
 */
function readRecord(file: string, where: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new NetproofError(where, AppMessages.appEntry(RECORDED_MODEL_FILE, describeFileType(st)), '--app');
  const text = fs.readFileSync(file, 'utf8');
  parseRecordedModel(text, `${APP_OUTPUT} ${RECORDED_MODEL_FILE}`);
  return text;
}

/** Signals that end netproof; while the app runs, they end the app's processes first. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `command` in a shell in the working folder, as the leader of a process group of its own;
 * undefined on exit code 0, else what happened. The whole group is ended (SIGTERM, then SIGKILL after
 * KILL_GRACE_SECONDS) when the shell exits (so a process it left behind cannot hold its output open),
 * when `timeoutSeconds` pass, and when netproof gets SIGINT, SIGTERM or SIGHUP (netproof then ends with
 * that signal). A SIGKILL of netproof itself cannot be caught: the app then runs on.
 */
function runCommand(command: string, io: CliIo, env: Record<string, string>, timeoutSeconds: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: io.cwd, env: { ...process.env, ...env }, shell: true, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timers: NodeJS.Timeout[] = [];
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch { /* the group is gone */ }
    };
    let ending = false;
    const endGroup = () => {
      if (ending) return;
      ending = true;
      signalGroup('SIGTERM');
      const kill = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_SECONDS * 1000);
      kill.unref();
      timers.push(kill);
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      endGroup();
    }, timeoutSeconds * 1000);
    timers.push(timer);
    const onSignal = (signal: NodeJS.Signals) => {
      signalGroup('SIGTERM');
      signalGroup('SIGCONT');
      cleanup();
      runInterruptCleanups(); // the lock and the temporary folders: no finally runs after this
      process.kill(process.pid, signal);
    };
    const cleanup = () => {
      timers.forEach(clearTimeout);
      for (const s of FORWARDED_SIGNALS) process.removeListener(s, onSignal);
    };
    for (const s of FORWARDED_SIGNALS) process.on(s, onSignal);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => io.stderr.write(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => io.stderr.write(chunk));
    child.on('error', (e) => {
      cleanup();
      reject(new NetproofError('netproof', AppMessages.cannotRunApp(describeFsError(e)), '--app'));
    });
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      endGroup(); // what the app left running
    });
    child.on('close', (code, signal) => {
      cleanup();
      signalGroup('SIGKILL');
      const status = exit ?? { code, signal };
      if (timedOut) resolve(AppMessages.timedOut(timeoutSeconds));
      else if (status.code === 0) resolve(undefined);
      else resolve(status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`);
    });
  });
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
        const group = groups.get(file);
        if (group) group.push(doc.text);
        else groups.set(file, [doc.text]);
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
  return `${KUSTOMIZATION_HEADER}${body}`;
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
 * so quoting that YAML 1.1 readers such as kubectl need is preserved), and reads each one's namespace
 * from one parse of the whole file: each parsed document belongs to the chunk its contents start in.
 * Empty documents are dropped. Linear in the size of the file.
 */
function splitDocuments(text: string, file: string): SplitDocument[] {
  const chunks: string[][] = [[]];
  /** Offset in `text` where each chunk starts (its `---` line). */
  const starts = [0];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let offset = 0;
  for (const line of lines) {
    if (/^---(\s|$)/.test(line)) {
      chunks.push([]);
      starts.push(offset);
      const rest = line.slice(3).trim();
      if (rest !== '') chunks[chunks.length - 1].push(rest);
    } else {
      chunks[chunks.length - 1].push(line);
    }
    offset += line.length + 1;
  }
  const docs: SplitDocument[] = [];
  let chunk = 0;
  let last = -1;
  let expected = 0;
  for (const doc of YAML.parseAllDocuments(text, { version: '1.1' })) {
    if (doc.errors.length > 0) throw new NetproofError(`${file}[document ${docs.length}]`, AppMessages.badAppYaml(doc.errors[0].message.split('\n')[0]));
    const value: unknown = doc.toJS();
    if (doc.contents === null || value === null || value === undefined) continue;
    expected++;
    const at = doc.contents.range?.[0] ?? 0;
    while (chunk + 1 < starts.length && starts[chunk + 1] <= at) chunk++;
    const end = doc.contents.range?.[1] ?? at;
    // Two documents in one chunk, or one across a "---" line: reported below.
    if (chunk === last || (chunk + 1 < starts.length && end > starts[chunk + 1])) continue;
    last = chunk;
    const chunkLines = chunks[chunk];
    const chunkText = chunkLines.length ? `${chunkLines.join('\n')}\n` : '';
    const where = `${file}[document ${docs.length}]`;
    const ns = (value as { metadata?: { namespace?: unknown } }).metadata?.namespace;
    if (ns === undefined || ns === null || ns === '') {
      docs.push({ text: chunkText });
      continue;
    }
    const bad = typeof ns === 'string' ? checkDns1123Label(ns) : 'is not a string';
    if (bad !== undefined) throw new NetproofError(where, AppMessages.badNamespace(JSON.stringify(ns), bad), 'metadata.namespace');
    docs.push({ text: chunkText, namespace: ns as string });
  }
  if (expected !== docs.length) throw new NetproofError(file, AppMessages.splitMismatch(docs.length, expected));
  return docs;
}

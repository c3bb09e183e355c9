/**
 * `netproof diff OLD NEW`: the reachability change between two versions of the policies, each read
 * from a folder or file on disk or from a commit of the git repository in the current directory.
 * Reading git objects (through the `git` command) happens here; the diff itself is `report/diff.ts`.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { commonSwitches, DefaultedObject, isNetproofKustomization, namespaceFlag, netproofKustomizations, noteDefaulted, verboseUsage, withNamespace } from './_inputs';
import { checkNetwork, NAMESPACE_FLAG } from './_load';
import { note, NoteMessages, notePodsWithoutIp, noteSkipped } from './_notes';
import { recordIn } from './_recorded-model';
import { ArgMessages, flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode, nodeFileSystem } from './io';
import { diffReachability } from '../analysis/diff';
import { NetproofError } from '../errors';
import { ClusterModel, Dataplane, DATAPLANES } from '../model/cluster';
import { compareStrings } from '../model/selector';
import { parseManifestText } from '../parse/_documents';
import { clusterFromDocuments, clusterFromFiles, ClusterInput } from '../parse/cluster';
import { collectFiles, FileSystemReader, FileText, MANIFEST_EXTENSIONS } from '../parse/files';
import { mergeClusters } from '../parse/merge';
import { policiesFromDocuments, PolicyInput } from '../parse/policies';
import { parseRecordedModel, RECORDED_MODEL_FILE, RecordedModel } from '../parse/recorded-model';
import { describeSkipped, SkippedObject } from '../parse/skipped';
import { DIFF_FORMATS, DiffClusterSource, DiffFormat, formatDiff } from '../report/diff';
import { podsWithoutIp } from '../verify/verifier';

export const DIFF_FLAGS: readonly FlagSpec[] = [
  { name: 'cluster', kind: 'string', metavar: 'FILE', help: 'cluster model: model file, kubectl List, or workload manifests (a directory reads every manifest in it); default: the workloads and Namespaces found in OLD and NEW' },
  { name: 'dataplane', kind: 'enum', values: DATAPLANES, metavar: 'DATAPLANE', help: 'dataplane profile (default: the recorded models\', else upstream)' },
  NAMESPACE_FLAG,
  { name: 'network', kind: 'string', metavar: 'NAME', help: 'compare on this GKE Pod-network only; default: every network some pod is attached to' },
  { name: 'format', kind: 'enum', values: DIFF_FORMATS, default: 'text', metavar: 'FORMAT', help: 'output format' },
];

/** The boolean flag parseFlags does not model. */
const EXIT_CODE_FLAG = 'exit-code';

/** Exit code with `--exit-code` when reachability changed. */
export const REACHABILITY_CHANGED = 1;

export const DIFF_USAGE = `Usage: netproof diff OLD NEW [flags]

Prints the reachability change from OLD to NEW: every connection (source, destination, protocol,
ports, Pod-network) that one side allows and the other does not, with the policies responsible.
Changes that alter the YAML but not who reaches whom (reordered or renamed rules, a policy split in
two equivalent ones) print "no reachability change".

OLD and NEW are each one of:
  PATH       a folder (every *.yaml, *.yml, *.json below it) or one file, read from disk
  REF:PATH   PATH (relative to the current directory) as committed at REF in the git repository of
             the current directory, e.g. origin/main:dist, HEAD~1:dist, 3f2a1c9:policies/prod.yaml
  REF        the other side's path at REF: "netproof diff origin/main dist" compares origin/main:dist
             with dist on disk
  A path that exists on disk wins over a ref of the same name.

Both sides are evaluated against one cluster model: --cluster FILE; or else, when a side is a folder
netproof synth wrote, the model it recorded there (${RECORDED_MODEL_FILE}: workloads, declared workloads,
externals, and the dataplane, which --dataplane overrides), merged over both sides; or else the
workload manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) and Namespaces
found in OLD and NEW together: one representative pod per workload, no externals. A workload defined
differently on the two sides takes NEW's definition (a note says so). Two recorded models with
different dataplanes need --dataplane (one diff, one dataplane).

Flags:
${flagUsage(DIFF_FLAGS)}
${`  --${EXIT_CODE_FLAG}`.padEnd(flagUsage(DIFF_FLAGS).indexOf(DIFF_FLAGS[0].help))}exit ${REACHABILITY_CHANGED} when reachability changed (like git diff --exit-code)
${verboseUsage(DIFF_FLAGS)}

Formats:
  text      "+ FROM -> TO PROTOCOL PORTS" per gained and "- ..." per lost connection, the reasons
            indented below, then a count line or "no reachability change"
  json      {"old","new","dataplane","networks","cluster",
             "gained":[{"from","to","protocol","network","ports":[[first,last]],"because":[...]}],
             "lost":[...],"summary":{"changed","gained","lost","pods","externals","classes","intervals"}}
  markdown  a pull-request comment: heading, a table per section, the reasons in collapsed details

Example:
  netproof diff origin/main:dist dist --format markdown

Exit codes: 0 success, changed or not (with --${EXIT_CODE_FLAG}: 0 unchanged, ${REACHABILITY_CHANGED} changed), 2 bad input
(sides, git refs, files, manifests, cluster model).
`;

/** Messages of `netproof diff`, in one place so tests import them. */
export const DiffMessages = {
  sideCount: (sides: readonly string[]) =>
    `expected two sides, OLD and NEW, got ${sides.length}${sides.length ? `: ${sides.map((s) => JSON.stringify(s)).join(' ')}` : ''}. Give e.g. netproof diff origin/main:dist dist; run "netproof diff --help"`,
  exitCodeValue: `--${EXIT_CODE_FLAG} takes no value. Write --${EXIT_CODE_FLAG} alone`,
  emptyRef: (arg: string) =>
    `"${arg}" has no git ref before ":". Write REF:PATH, e.g. HEAD:${arg.slice(1) || 'dist'}`,
  bothBare: (old: string, nu: string) =>
    `neither "${old}" nor "${nu}" names a path, so there is nothing to read at those refs. Give the path at least once, e.g. ${old}:dist ${nu}:dist, or ${old} dist`,
  noGit: (reason: string) =>
    `cannot run git (${reason}). Install git, or give OLD and NEW as folders on disk`,
  notRepo: (arg: string, cwd: string, gitSays: string) =>
    `"${arg}" is not a file or folder, and ${cwd} is not inside a git repository to read it as a ref (git: ${gitSays}). Give an existing folder or file, or run netproof diff inside the repository`,
  unknownRef: (arg: string, ref: string) =>
    `"${arg}" is not a file or folder, and "${ref}" is not a commit of this git repository. Check the path, or the ref with: git rev-parse --verify "${ref}^{commit}"; refs look like origin/main, HEAD~1, v1.2.0 or a commit hash`,
  badRef: (ref: string) =>
    `"${ref}" is not a git ref (it starts with "-"). Give a ref such as origin/main or HEAD~1`,
  gitFailed: (command: string, gitSays: string) =>
    `${command} failed: ${gitSays}. Give a path inside the repository, relative to the current directory`,
  dataplanesDiffer: (old: string, nu: string) =>
    `the recorded models of OLD and NEW name different dataplanes (${old} and ${nu}), and a diff compares both sides under one. Give --dataplane ${nu} (or ${old}), or compare each side with netproof verify`,
  missingAtRef: (ref: string, p: string) =>
    `no file or folder "${p}" at ${ref}. Check the path (relative to the current directory) with: git ls-tree -r --name-only ${ref} -- ${p}`,
  noManifestsAtRef: (ref: string, p: string) =>
    `"${p}" at ${ref} holds no ${MANIFEST_EXTENSIONS.join(', ')} files. Give a folder or file of manifests`,
  noWorkloads: 'OLD and NEW hold no workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod), so there are no pods to compare. Give the cluster with --cluster FILE: a cluster model file, a kubectl List, or workload manifests',
  workloadsDiffer: (ids: readonly string[]) =>
    `the cluster model is built from the workloads of both sides; ${ids.join(', ')} ${ids.length === 1 ? 'is' : 'are'} defined differently in OLD and NEW, and NEW's definition is used for both sides. Give --cluster FILE to choose the model`,
} as const;

type Side =
  | { readonly kind: 'disk'; readonly path: string }
  | { readonly kind: 'git'; readonly ref: string; readonly path: string | undefined };

interface LoadedSide {
  readonly label: string;
  readonly policies: PolicyInput;
  readonly cluster?: ClusterInput;
  /** The model netproof synth recorded in the side's folder. */
  readonly record?: RecordedModel;
  /** The kustomization.yaml files netproof synth wrote on this side (not worth a note). */
  readonly ownIndex: ReadonlySet<string>;
}

export function runDiff(argv: readonly string[], io: CliIo): number {
  const switches = commonSwitches(argv, 'diff');
  const { sides, flagArgs, exitCode } = splitArgs(switches.argv);
  const flags = parseFlags('diff', flagArgs, DIFF_FLAGS);
  if (flags.help) {
    io.stdout.write(DIFF_USAGE);
    return ExitCode.ok;
  }
  if (sides.length !== 2) throw new NetproofError('netproof diff', DiffMessages.sideCount(sides));
  const fs = io.fs ?? nodeFileSystem(io.cwd);
  const specs = resolveSides(sides[0], sides[1], fs);
  const clusterFile = flags.strings.get('cluster');
  const namespace = namespaceFlag(flags.strings.get('namespace'), 'diff');
  const defaulted: DefaultedObject[] = [];
  const old = loadSide('OLD', sides[0], specs[0], fs, io, clusterFile === undefined, namespace, defaulted);
  const nu = loadSide('NEW', sides[1], specs[1], fs, io, clusterFile === undefined, namespace, defaulted);
  if (namespace === undefined) noteDefaulted(io, defaulted, 'default');

  let cluster: ClusterModel;
  let source: DiffClusterSource;
  if (clusterFile !== undefined) {
    const input = clusterFromFiles(collectFiles(clusterFile, fs, '--cluster'));
    noteSkipped(io, '--cluster', input.skipped, switches.verbose);
    if (input.dualStack.length > 0) note(io, NoteMessages.dualStack(input.dualStack));
    cluster = input.cluster;
    source = { kind: 'file', path: clusterFile };
  } else if (old.record !== undefined || nu.record !== undefined) {
    // Each side as synth verified it: its recorded model, or (without one) its workloads.
    const sideCluster = (s: LoadedSide) => s.record?.cluster.cluster ?? s.cluster!.cluster;
    const merged = mergeClusters([sideCluster(old), sideCluster(nu)], { conflicts: 'last' });
    if (merged.differ.length > 0) io.stderr.write(`netproof: note: ${DiffMessages.workloadsDiffer(merged.differ)}\n`);
    cluster = merged.cluster;
    if (cluster.pods.length === 0) throw new NetproofError('netproof diff', DiffMessages.noWorkloads, '--cluster');
    source = { kind: 'recorded', files: [old.record?.file, nu.record?.file].filter((f): f is string => f !== undefined) };
  } else {
    const dualStack = [...new Map([...old.cluster!.dualStack, ...nu.cluster!.dualStack].map((p) => [p.id, p])).values()];
    if (dualStack.length > 0) note(io, NoteMessages.dualStack(dualStack));
    const merged = mergeClusters([old.cluster!.cluster, nu.cluster!.cluster], { conflicts: 'last' });
    if (merged.differ.length > 0) io.stderr.write(`netproof: note: ${DiffMessages.workloadsDiffer(merged.differ)}\n`);
    cluster = merged.cluster;
    if (cluster.pods.length === 0) throw new NetproofError('netproof diff', DiffMessages.noWorkloads, '--cluster');
    source = { kind: 'workloads' };
  }
  const noted = new Set<string>();
  for (const side of [old, nu]) {
    // The same folder on both sides is noted once.
    const fresh = sideSkipped(side).filter((s) => !noted.has(describeSkipped(s)) && !isNetproofKustomization(s, side.ownIndex));
    fresh.forEach((s) => noted.add(describeSkipped(s)));
    noteSkipped(io, side.label, fresh, switches.verbose);
  }

  const network = flags.strings.get('network');
  if (network !== undefined) checkNetwork('diff', cluster, network, true);
  const dataplane = diffDataplane(flags.strings.get('dataplane') as Dataplane | undefined, old.record, nu.record);
  // Either side's ipBlocks may match a pod without an IP.
  notePodsWithoutIp(io, podsWithoutIp({ policies: [...old.policies.policies, ...nu.policies.policies], cluster, dataplane }), dataplane);
  const diff = diffReachability({
    before: old.policies.policies,
    after: nu.policies.policies,
    cluster,
    dataplane,
    ...(network !== undefined ? { network } : {}),
  });
  io.stdout.write(formatDiff({ diff, context: { old: sides[0], new: sides[1], cluster: source } }, flags.strings.get('format') as DiffFormat));
  const changed = diff.gained.length + diff.lost.length > 0;
  return exitCode && changed ? REACHABILITY_CHANGED : ExitCode.ok;
}

/** Positional sides, the flags for parseFlags, and the boolean --exit-code. */
function splitArgs(argv: readonly string[]): { sides: string[]; flagArgs: string[]; exitCode: boolean } {
  const valued = new Set(DIFF_FLAGS.map((f) => f.name));
  const sides: string[] = [];
  const flagArgs: string[] = [];
  let exitCode = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      for (const side of argv.slice(i + 1)) sides.push(side);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      sides.push(arg);
      continue;
    }
    const name = arg.replace(/^--?/, '').split('=')[0];
    if (name === EXIT_CODE_FLAG && arg.startsWith('--')) {
      if (arg.includes('=')) throw new NetproofError('netproof diff', DiffMessages.exitCodeValue, `--${EXIT_CODE_FLAG}`);
      exitCode = true;
      continue;
    }
    if (arg !== '--help' && arg !== '-h' && !(arg.startsWith('--') && valued.has(name))) {
      throw new NetproofError('netproof diff', ArgMessages.unknownFlag(arg.split('=')[0], 'diff', [...valued, EXIT_CODE_FLAG]));
    }
    flagArgs.push(arg);
    if (!arg.includes('=') && valued.has(name) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) flagArgs.push(argv[++i]);
  }
  return { sides, flagArgs, exitCode };
}

/** Disk path, `REF:PATH`, or bare `REF` (which takes the other side's path). */
function resolveSides(oldArg: string, newArg: string, fs: FileSystemReader): [Side, Side] {
  const a = classify(oldArg, fs);
  const b = classify(newArg, fs);
  if (a.kind === 'git' && a.path === undefined && b.kind === 'git' && b.path === undefined) {
    throw new NetproofError('netproof diff', DiffMessages.bothBare(oldArg, newArg));
  }
  const fill = (s: Side, other: Side): Side => (s.kind === 'git' && s.path === undefined ? { ...s, path: other.path } : s);
  return [fill(a, b), fill(b, a)];
}

function classify(arg: string, fs: FileSystemReader): Side {
  if (fs.kind(arg) !== 'missing') return { kind: 'disk', path: arg };
  const colon = arg.indexOf(':');
  if (colon === 0) throw new NetproofError('netproof diff', DiffMessages.emptyRef(arg));
  if (colon > 0) return { kind: 'git', ref: arg.slice(0, colon), path: arg.slice(colon + 1) || '.' };
  return { kind: 'git', ref: arg, path: undefined };
}

function loadSide(
  label: 'OLD' | 'NEW', arg: string, side: Side, fs: FileSystemReader, io: CliIo, withCluster: boolean,
  namespace: string | undefined, defaulted: DefaultedObject[],
): LoadedSide {
  const read = side.kind === 'disk'
    ? { files: collectFiles(side.path, fs, label), record: recordIn(side.path, fs)?.model }
    : gitFiles(label, arg, side.ref, side.path!, io.cwd);
  const where = `${label} ${arg}`;
  const docs = read.files.flatMap((f) => withNamespace(parseManifestText(f.text, f.path), namespace ?? 'default', defaulted));
  return {
    label: where,
    ownIndex: netproofKustomizations(read.files),
    policies: policiesFromDocuments(docs),
    ...(withCluster ? { cluster: clusterFromDocuments(docs) } : {}),
    ...(read.record !== undefined ? { record: read.record } : {}),
  };
}

/** --dataplane, else the recorded models' (which must agree), else upstream. */
function diffDataplane(flag: Dataplane | undefined, old: RecordedModel | undefined, nu: RecordedModel | undefined): Dataplane {
  if (flag !== undefined) return flag;
  const a = old?.profile.dataplane;
  const b = nu?.profile.dataplane;
  if (a !== undefined && b !== undefined && a !== b) throw new NetproofError('netproof diff', DiffMessages.dataplanesDiffer(a, b), '--dataplane');
  return b ?? a ?? 'upstream';
}

interface GitResult {
  readonly status: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function git(args: readonly string[], cwd: string, input?: string): GitResult {
  const r = spawnSync('git', args, {
    cwd,
    maxBuffer: 1 << 30,
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) throw new NetproofError('netproof diff', DiffMessages.noGit(r.error.message));
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim().split('\n')[0] ?? '' };
}

/**
 * The manifests at `ref` under `p` (relative to `cwd`), named `REF:PATH` in messages, and the model
 * netproof synth recorded there when `p` is such a folder.
 */
function gitFiles(label: string, arg: string, ref: string, p: string, cwd: string): { files: FileText[]; record?: RecordedModel } {
  const where = `netproof diff ${label}`;
  if (ref.startsWith('-')) throw new NetproofError(where, DiffMessages.badRef(ref));
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (top.status !== 0) throw new NetproofError(where, DiffMessages.notRepo(arg, cwd, top.stderr));
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd);
  if (commit.status !== 0) throw new NetproofError(where, DiffMessages.unknownRef(arg, ref));
  const sha = commit.stdout.toString('utf8').trim();
  const tree = git(['ls-tree', '-r', '-z', sha, '--', p], cwd);
  if (tree.status !== 0) throw new NetproofError(where, DiffMessages.gitFailed(`git ls-tree ${ref} -- ${p}`, tree.stderr));
  const entries = tree.stdout.toString('utf8').split('\0').filter((e) => e !== '').map((e) => {
    const tab = e.indexOf('\t');
    const [, type, object] = e.slice(0, tab).split(' ');
    return { type, object, file: e.slice(tab + 1) };
  });
  if (entries.length === 0) throw new NetproofError(where, DiffMessages.missingAtRef(ref, p));
  const depth = path.posix.normalize(p).split('/').filter((s) => s !== '' && s !== '.').length;
  const manifests = entries
    .filter((e) => e.type === 'blob' && MANIFEST_EXTENSIONS.some((ext) => e.file.toLowerCase().endsWith(ext)))
    .filter((e) => !e.file.split('/').slice(depth).some((s) => s.startsWith('.')))
    .sort((x, y) => compareStrings(x.file, y.file));
  if (manifests.length === 0) throw new NetproofError(where, DiffMessages.noManifestsAtRef(ref, p));
  const recordAt = path.posix.join(path.posix.normalize(p), RECORDED_MODEL_FILE);
  const recordEntry = entries.find((e) => e.type === 'blob' && e.file === recordAt);
  const texts = readBlobs([...manifests.map((m) => m.object), ...(recordEntry ? [recordEntry.object] : [])], cwd, where);
  const files = manifests.map((m, i) => ({ path: `${ref}:${m.file}`, text: texts[i] }));
  return recordEntry ? { files, record: parseRecordedModel(texts[manifests.length], `${ref}:${recordAt}`) } : { files };
}

/** Blob contents through one `git cat-file --batch`. */
function readBlobs(objects: readonly string[], cwd: string, where: string): string[] {
  const r = git(['cat-file', '--batch'], cwd, `${objects.join('\n')}\n`);
  if (r.status !== 0) throw new NetproofError(where, DiffMessages.gitFailed('git cat-file --batch', r.stderr));
  const out: string[] = [];
  let at = 0;
  for (const object of objects) {
    const eol = r.stdout.indexOf(0x0a, at);
    const header = r.stdout.subarray(at, eol).toString('utf8').split(' ');
    if (header[0] !== object || header[1] !== 'blob') throw new NetproofError(where, DiffMessages.gitFailed('git cat-file --batch', `unexpected reply "${header.join(' ')}" for ${object}`));
    const size = Number(header[2]);
    out.push(r.stdout.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return out;
}

/** Objects of a side that neither the policy parser nor (when it reads the side) the cluster parser modelled. */
function sideSkipped(side: LoadedSide): SkippedObject[] {
  if (side.cluster === undefined) return [...side.policies.skipped];
  const key = (s: SkippedObject) => `${s.file}\u0000${s.index}\u0000${s.item ?? ''}`;
  const notInCluster = new Map(side.cluster.skipped.map((s) => [key(s), s]));
  return side.policies.skipped.filter((s) => notInCluster.has(key(s))).map((s) => notInCluster.get(key(s))!);
}


/** Reading the cluster model, policies and manifest facts that `reach`, `explain`, `verify` and `graph` share. */
import { NetproofError } from '../errors';
import { collectInput, DefaultedObject, isNetproofKustomization, namespaceFlag, netproofKustomizations, noteDefaulted, withNamespace } from './_inputs';
import { note, NoteMessages, noteSkipped } from './_notes';
import { dataplaneOf, findRecord, FoundRecord, noteRecord, RecordParts } from './_recorded-model';
import { ArgMessages, FlagSpec, ParsedFlags } from './args';
import { CliIo, nodeFileSystem } from './io';
import { ClusterModel, Dataplane, DATAPLANES, DEFAULT_NETWORK, ManifestFacts, NO_MANIFEST_FACTS } from '../model/cluster';
import { isNamespaced, PolicyModel } from '../model/policy';
import { compareStrings, describeSelector, Labels, LabelSelectorModel, matchesLabels } from '../model/selector';
import { ManifestDocument, parseManifestText } from '../parse/_documents';
import { clusterFromDocuments } from '../parse/cluster';
import { FileSystemReader, FileText } from '../parse/files';
import { isManifestFactKind, manifestFactsFromDocuments } from '../parse/manifests';
import { policiesFromDocuments } from '../parse/policies';
import { RECORDED_MODEL_FILE, RecordedModel } from '../parse/recorded-model';
import { SkippedObject } from '../parse/skipped';

export const CLUSTER_FLAG: FlagSpec = {
  name: 'cluster',
  kind: 'string',
  metavar: 'FILE',
  help: 'cluster model: model file, kubectl List, or workload manifests (YAML/JSON; a directory reads every manifest in it, a kustomization is rendered; '
    + `- reads standard input); a folder netproof synth wrote means the cluster it recorded (${RECORDED_MODEL_FILE}); default: the recorded model of the --policies folder`,
};
/** --namespace (kubectl's -n): where objects that name no namespace are. */
export const NAMESPACE_FLAG: FlagSpec = {
  name: 'namespace', kind: 'string', metavar: 'NS', help: 'namespace of the objects that name none, as kubectl -n (default: "default", with a note); also -n NS',
};
/** --dataplane of reach, explain, verify and graph: the recorded model's unless given. */
export const DATAPLANE_FLAG: FlagSpec = {
  name: 'dataplane', kind: 'enum', values: DATAPLANES, metavar: 'DATAPLANE', help: 'dataplane profile (default: the recorded model\'s, else upstream)',
};
export const POLICIES_FLAG: FlagSpec = {
  name: 'policies',
  kind: 'repeated',
  required: true,
  metavar: 'PATH',
  help: 'NetworkPolicy / FQDNNetworkPolicy YAML or JSON file, or a directory of them (a kustomization is rendered through kubectl kustomize or kustomize build); - reads standard input',
};

export interface LoadedInputs {
  readonly cluster: ClusterModel;
  readonly policies: readonly PolicyModel[];
  /** Services, Ingresses and ServiceAccounts found in either input (with `manifests: true`). */
  readonly manifests: ManifestFacts;
  /** Every file read, as named in messages (relative paths are relative to the working folder). */
  readonly files: readonly string[];
  /** --dataplane, else the recorded model's, else upstream. */
  readonly dataplane: Dataplane;
  /** The model netproof synth recorded in the --cluster or a --policies folder, when there is one. */
  readonly record?: FoundRecord;
  /** Whether the cluster is the recorded one. */
  readonly recordedCluster: boolean;
}

export interface LoadOptions {
  /**
   * Read the manifest facts (Services, Ingresses, ServiceAccounts) for the lints; they are then not noted
   * as skipped.
   * @default false
   */
  readonly manifests?: boolean;
  /**
   * Read the Services (and the other manifest facts) for Service endpoints, without the lints: they are not
   * noted as skipped, and the other notes stay.
   * @default false
   */
  readonly services?: boolean;
  /** The command, for messages. */
  readonly command: string;
  /**
   * Name every skipped object (else they are counted per kind).
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * The command takes the recorded intents (verify without --intents): the note about the record says so.
   * @default false
   */
  readonly recordedIntents?: boolean;
}

/**
 * Reads --cluster and every --policies (each file parsed once, also when both flags name it); notes
 * skipped objects on stderr (never drops them silently).
 */
export function loadInputs(flags: ParsedFlags, io: CliIo, options: LoadOptions): LoadedInputs {
  const fs = io.fs ?? nodeFileSystem(io.cwd);
  const clusterFlag = flags.strings.get('cluster');
  const record = findRecord(options.command, [...(clusterFlag !== undefined ? [clusterFlag] : []), ...flags.lists.get('policies')!], fs);
  // Without --cluster, the synthesized folder is the cluster input: its recorded model, and its manifests
  // for the notes. --cluster naming a synthesized folder means its recorded model too.
  const clusterArg = clusterFlag ?? record?.folder;
  if (clusterArg === undefined) throw new NetproofError(`netproof ${options.command}`, ArgMessages.required(CLUSTER_FLAG), '--cluster');
  const recorded = record !== undefined && record.folder === clusterArg ? record.model : undefined;
  const loaded = loadFiles(flags, io, fs, clusterArg, options, recorded);
  const dataplane = dataplaneOf(flags.strings.get('dataplane'), record);
  noteRecord(io, record, [
    recorded ? RecordParts.cluster(recorded) : undefined,
    record && flags.strings.get('dataplane') === undefined ? RecordParts.dataplane(record.model) : undefined,
    record && options.recordedIntents ? RecordParts.intents(record.model) : undefined,
  ]);
  return { ...loaded, dataplane, ...(record ? { record } : {}), recordedCluster: recorded !== undefined };
}

function loadFiles(
  flags: ParsedFlags, io: CliIo, fs: FileSystemReader, clusterArg: string, options: LoadOptions, recorded: RecordedModel | undefined,
): Omit<LoadedInputs, 'dataplane' | 'record' | 'recordedCluster'> {
  const parsed = new Map<string, ManifestDocument[]>();
  const namespace = namespaceFlag(flags.strings.get('namespace'), options.command);
  const defaulted: DefaultedObject[] = [];
  const docsOf = (files: readonly FileText[]): ManifestDocument[] => files.flatMap((f) => {
    let docs = parsed.get(f.path);
    if (docs === undefined) {
      docs = withNamespace(parseManifestText(f.text, f.path), namespace ?? DEFAULT_NAMESPACE, defaulted);
      parsed.set(f.path, docs);
    }
    return docs;
  });
  const clusterFiles = collectInput(clusterArg, fs, '--cluster', io, options.command);
  const clusterDocs = docsOf(clusterFiles);
  const policyFiles: FileText[] = [];
  for (const p of flags.lists.get('policies')!) for (const f of collectInput(p, fs, '--policies', io, options.command)) policyFiles.push(f);
  const policyFilesRead = dedupeFiles(policyFiles);
  const policyDocs = docsOf(policyFilesRead);
  const clusterInput = recorded?.cluster ?? clusterFromDocuments(clusterDocs);
  // Objects of the synthesized folder that the cluster parser models are not worth a note either.
  const folderInput = recorded ? clusterFromDocuments(clusterDocs) : clusterInput;
  const policyInput = policiesFromDocuments(policyDocs);
  const manifests = !options.manifests && !options.services ? NO_MANIFEST_FACTS
    : recorded ? recorded.manifests
      : manifestFactsFromDocuments(dedupeDocuments([...clusterDocs, ...policyDocs]));
  const ownIndex = netproofKustomizations([...clusterFiles, ...policyFilesRead]);
  const isFact = (o: SkippedObject) => isNetproofKustomization(o, ownIndex)
    || ((options.manifests === true || options.services === true) && o.reason === undefined && isManifestFactKind(o.apiVersion, o.kind));
  // One folder is often both inputs (`--cluster dist --policies dist`): an object the other flag's parser
  // modelled from the same file is not worth a note; nor are the manifest facts, which both inputs feed.
  const inPolicies = new Set(policyFilesRead.map((f) => f.path));
  const inCluster = new Set(clusterFiles.map((f) => f.path));
  const clusterSkipped = new Set(folderInput.skipped.map(skippedKey));
  const fromCluster = folderInput.skipped.filter((o) => !isFact(o) && !(POLICY_KINDS.has(o.kind) && inPolicies.has(o.file)));
  const modelledByCluster = (o: SkippedObject) => inCluster.has(o.file) && !clusterSkipped.has(skippedKey(o)) && o.reason === undefined;
  const fromPolicies = policyInput.skipped.filter((o) => !isFact(o) && !modelledByCluster(o));
  const policySkipped = new Set(fromPolicies.map(skippedKey));
  const both = fromCluster.filter((o) => policySkipped.has(skippedKey(o)));
  const bothKeys = new Set(both.map(skippedKey));
  const verbose = options.verbose ?? false;
  if (namespace === undefined) noteDefaulted(io, defaulted, DEFAULT_NAMESPACE);
  noteSkipped(io, '--cluster', fromCluster.filter((o) => !bothKeys.has(skippedKey(o))), verbose);
  noteSkipped(io, '--policies', fromPolicies.filter((o) => !bothKeys.has(skippedKey(o))), verbose);
  noteSkipped(io, '--cluster and --policies', both, verbose);
  // Say when an input holds nothing: an empty file, a List without items, no policy, no pod.
  const clusterEmpty = recorded ? [] : emptyFiles(clusterFiles, parsed);
  const policiesEmpty = emptyFiles(policyFilesRead, parsed).filter((f) => !clusterEmpty.includes(f));
  if (clusterEmpty.length > 0) note(io, NoteMessages.emptyFiles('--cluster', clusterEmpty));
  if (policiesEmpty.length > 0) note(io, NoteMessages.emptyFiles('--policies', policiesEmpty));
  if (policyInput.policies.length === 0) note(io, NoteMessages.noPolicies('--policies'));
  if (clusterInput.cluster.pods.length === 0) {note(io, NoteMessages.noPods);} else if (!options.manifests) {
    // verify says it as lint NP008.
    // Per namespace, its pods' distinct label sets (replicas share one): a policy is matched against those.
    const labelSets = new Map<string, Set<Labels>>();
    for (const pod of clusterInput.cluster.pods) {
      let sets = labelSets.get(pod.namespace);
      if (sets === undefined) labelSets.set(pod.namespace, sets = new Set());
      sets.add(pod.labels);
    }
    const selectsSome = (p: { namespace: string; podSelector: LabelSelectorModel }) => {
      for (const labels of labelSets.get(p.namespace) ?? []) if (matchesLabels(p.podSelector, labels)) return true;
      return false;
    };
    const idle = policyInput.policies.filter(isNamespaced)
      .filter((p) => !selectsSome(p))
      .map((p) => `${p.namespace}/${p.name} (${describeSelector(p.podSelector)})`);
    if (idle.length > 0) note(io, NoteMessages.selectNoPod(idle));
  }
  if (clusterInput.dualStack.length > 0) note(io, NoteMessages.dualStack(clusterInput.dualStack));
  return { cluster: clusterInput.cluster, policies: policyInput.policies, manifests, files: [...parsed.keys()] };
}

/**
 * Fails when --network names a network no pod is attached to (the answer would be empty); with `strict`,
 * also for the default network.
 */
export function checkNetwork(command: string, cluster: ClusterModel, network: string, strict = false): void {
  if ((network === DEFAULT_NETWORK && !strict) || cluster.pods.length === 0 || cluster.pods.some((p) => p.networks.includes(network))) return;
  const known = [...new Set(cluster.pods.flatMap((p) => p.networks))].sort(compareStrings);
  throw new NetproofError(`netproof ${command}`, `no pod of the cluster model is attached to network ${JSON.stringify(network)}. Use one of: ${known.join(', ')}`, '--network');
}

/** Kinds the policies parser reads (NetworkLogging: GKE's logging configuration, which allows and denies nothing). */
const POLICY_KINDS = new Set(['NetworkPolicy', 'FQDNNetworkPolicy', 'ClusterNetworkPolicy', 'NetworkLogging']);
/** Where Kubernetes puts an object that names no namespace. */
const DEFAULT_NAMESPACE = 'default';

/** Files whose documents hold no object: none at all, or only Lists without items. */
function emptyFiles(files: readonly FileText[], parsed: ReadonlyMap<string, readonly ManifestDocument[]>): string[] {
  return files.filter((f) => (parsed.get(f.path) ?? []).every((d) => {
    const v = d.value as { kind?: unknown; items?: unknown } | null;
    const isList = v !== null && typeof v === 'object' && typeof v.kind === 'string' && (v.kind === 'List' || (v.kind.endsWith('List') && 'items' in v));
    return isList && (v.items === undefined || v.items === null || (Array.isArray(v.items) && v.items.length === 0));
  })).map((f) => f.path);
}

function skippedKey(o: SkippedObject): string {
  return `${o.file}#${o.index}#${o.item ?? ''}`;
}

/** The same file given twice (e.g. a file and its directory) is read once. */
function dedupeFiles(files: readonly FileText[]): FileText[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = f.path.replace(/^\.\//, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeDocuments(docs: readonly ManifestDocument[]): ManifestDocument[] {
  const seen = new Set<ManifestDocument>();
  return docs.filter((d) => (seen.has(d) ? false : (seen.add(d), true)));
}

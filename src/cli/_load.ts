/** Reading the cluster model and policies that `reach`, `explain` and `verify` share. */
import { NetproofError } from '../errors';
import { FlagSpec, ParsedFlags } from './args';
import { CliIo, nodeFileSystem } from './io';
import { ClusterModel, DEFAULT_NETWORK } from '../model/cluster';
import { PolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';
import { clusterFromFiles } from '../parse/cluster';
import { collectFiles, FileText } from '../parse/files';
import { policiesFromFiles } from '../parse/policies';
import { describeSkipped, SkippedObject } from '../parse/skipped';

export const CLUSTER_FLAG: FlagSpec = { name: 'cluster', kind: 'string', required: true, metavar: 'FILE', help: 'cluster model: model file, kubectl List, or workload manifests (YAML/JSON; a directory reads every manifest in it)' };
export const POLICIES_FLAG: FlagSpec = { name: 'policies', kind: 'repeated', required: true, metavar: 'PATH', help: 'NetworkPolicy / FQDNNetworkPolicy YAML or JSON file, or a directory of them' };

export interface LoadedInputs {
  readonly cluster: ClusterModel;
  readonly policies: readonly PolicyModel[];
}

/** Reads --cluster and every --policies; notes skipped objects on stderr (never drops them silently). */
export function loadInputs(flags: ParsedFlags, io: CliIo): LoadedInputs {
  const fs = io.fs ?? nodeFileSystem(io.cwd);
  const clusterFiles = collectFiles(flags.strings.get('cluster')!, fs, '--cluster');
  const clusterInput = clusterFromFiles(clusterFiles);
  const policyFiles: FileText[] = [];
  for (const p of flags.lists.get('policies')!) policyFiles.push(...collectFiles(p, fs, '--policies'));
  const policyFilesRead = dedupeFiles(policyFiles);
  const policyInput = policiesFromFiles(policyFilesRead);
  // One folder is often both inputs (`--cluster dist --policies dist`): an object the other flag's parser
  // modelled from the same file is not worth a note.
  const inPolicies = new Set(policyFilesRead.map((f) => f.path));
  const inCluster = new Set(clusterFiles.map((f) => f.path));
  const clusterSkipped = new Set(clusterInput.skipped.map(skippedKey));
  const fromCluster = clusterInput.skipped.filter((o) => !(POLICY_KINDS.has(o.kind) && inPolicies.has(o.file)));
  const fromPolicies = policyInput.skipped.filter((o) => !(inCluster.has(o.file) && !clusterSkipped.has(skippedKey(o)) && o.reason === undefined));
  const policySkipped = new Set(fromPolicies.map(skippedKey));
  const both = fromCluster.filter((o) => policySkipped.has(skippedKey(o)));
  const bothKeys = new Set(both.map(skippedKey));
  noteSkipped(io, '--cluster', fromCluster.filter((o) => !bothKeys.has(skippedKey(o))));
  noteSkipped(io, '--policies', fromPolicies.filter((o) => !bothKeys.has(skippedKey(o))));
  noteSkipped(io, '--cluster and --policies', both);
  return { cluster: clusterInput.cluster, policies: policyInput.policies };
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

const POLICY_KINDS = new Set(['NetworkPolicy', 'FQDNNetworkPolicy']);

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

function noteSkipped(io: CliIo, flag: string, skipped: readonly SkippedObject[]): void {
  if (skipped.length === 0) return;
  const noun = skipped.length === 1 ? 'object' : 'objects';
  io.stderr.write(`netproof: note: ${flag}: skipped ${skipped.length} ${noun} netproof does not model here: ${skipped.map(describeSkipped).join(', ')}\n`);
}

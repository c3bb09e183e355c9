/**
 * `netproof reach`: all-pairs reachability for one port and protocol, on one Pod-network, under one
 * dataplane profile, printed in one of the formats.
 */
import { NetproofError } from '../errors';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { REACH_FORMATS, REACH_FORMATTERS, ReachFormat } from './formats';
import { CliIo, ExitCode, nodeFileSystem } from './io';
import { Dataplane, DATAPLANES, DEFAULT_NETWORK } from '../model/cluster';
import { PolicyModel } from '../model/policy';
import { Protocol, PROTOCOLS } from '../model/port';
import { compareStrings } from '../model/selector';
import { clusterFromFiles } from '../parse/cluster';
import { collectFiles, FileText } from '../parse/files';
import { policiesFromFiles } from '../parse/policies';
import { describeSkipped, SkippedObject } from '../parse/skipped';
import { IVerifier, VerifierInput } from '../verify/api';
import { Verifier } from '../verify/verifier';

export const REACH_FLAGS: readonly FlagSpec[] = [
  { name: 'cluster', kind: 'string', required: true, metavar: 'FILE', help: 'cluster model: model file, kubectl List, or workload manifests (YAML/JSON; a directory reads every manifest in it)' },
  { name: 'policies', kind: 'repeated', required: true, metavar: 'PATH', help: 'NetworkPolicy / FQDNNetworkPolicy YAML or JSON file, or a directory of them' },
  { name: 'port', kind: 'port', required: true, metavar: 'N', help: 'destination port, 1-65535' },
  { name: 'protocol', kind: 'enum', values: PROTOCOLS, default: 'TCP', metavar: 'PROTOCOL', help: 'protocol' },
  { name: 'dataplane', kind: 'enum', values: DATAPLANES, default: 'upstream', metavar: 'DATAPLANE', help: 'dataplane profile' },
  { name: 'network', kind: 'string', default: DEFAULT_NETWORK, metavar: 'NAME', help: 'GKE Pod-network; only pods attached to it appear' },
  { name: 'format', kind: 'enum', values: REACH_FORMATS, default: 'text', metavar: 'FORMAT', help: 'output format' },
];

export const REACH_USAGE = `Usage: netproof reach --cluster FILE --policies PATH [--policies PATH ...] --port N [flags]

Who can reach whom on one port and protocol: every ordered pod-to-pod pair (a pod reaching itself
included), pod-to-external and external-to-pod.

Flags:
${flagUsage(REACH_FLAGS)}

Formats:
  text      table, rows = from, numbered columns = to, with a legend
  json      {"port","protocol","dataplane","network","matrix": {from: {to: true|false}}}
  markdown  the table in markdown
  csv       from,to,allowed
  summary   allowed and denied pairs per namespace pair (no per-pod listing; for large clusters)

Example:
  netproof reach --cluster test/fixtures/reach/cluster.yaml --policies test/fixtures/reach/policies --port 80 --format json

Exit codes: 0 success, 2 bad input (flags, files, manifests, cluster model), 1 internal error.
`;

/** How the command builds a verifier; tests may inject another implementation. */
export type VerifierFactory = (input: VerifierInput) => IVerifier;

export const defaultVerifierFactory: VerifierFactory = (input) => new Verifier(input);

export function runReach(argv: readonly string[], io: CliIo, makeVerifier: VerifierFactory = defaultVerifierFactory): number {
  const flags = parseFlags('reach', argv, REACH_FLAGS);
  if (flags.help) {
    io.stdout.write(REACH_USAGE);
    return ExitCode.ok;
  }
  const fs = io.fs ?? nodeFileSystem(io.cwd);
  const clusterPath = flags.strings.get('cluster')!;
  const clusterInput = clusterFromFiles(collectFiles(clusterPath, fs, '--cluster'));
  const policyFiles: FileText[] = [];
  for (const p of flags.lists.get('policies')!) policyFiles.push(...collectFiles(p, fs, '--policies'));
  const policyInput = policiesFromFiles(dedupeFiles(policyFiles));

  noteSkipped(io, '--cluster', clusterInput.skipped);
  noteSkipped(io, '--policies', policyInput.skipped);

  const network = flags.strings.get('network')!;
  const cluster = clusterInput.cluster;
  if (cluster.pods.length > 0 && !cluster.pods.some((p) => p.networks.includes(network))) {
    const known = [...new Set(cluster.pods.flatMap((p) => p.networks))].sort(compareStrings);
    throw new NetproofError('netproof reach', `no pod of the cluster model is attached to network ${JSON.stringify(network)}. Use one of: ${known.join(', ')}`, '--network');
  }
  const policies: readonly PolicyModel[] = policyInput.policies;
  const verifier = makeVerifier({ policies, cluster, dataplane: flags.strings.get('dataplane') as Dataplane });
  const matrix = verifier.reach({ port: flags.ports.get('port')!, protocol: flags.strings.get('protocol') as Protocol, network });
  REACH_FORMATTERS[flags.strings.get('format') as ReachFormat].write(matrix, (chunk) => io.stdout.write(chunk));
  return ExitCode.ok;
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

/** Objects the input held but the model does not use are reported, never dropped silently. */
function noteSkipped(io: CliIo, flag: string, skipped: readonly SkippedObject[]): void {
  if (skipped.length === 0) return;
  const noun = skipped.length === 1 ? 'object' : 'objects';
  io.stderr.write(`netproof: note: ${flag}: skipped ${skipped.length} ${noun} netproof does not model here: ${skipped.map(describeSkipped).join(', ')}\n`);
}

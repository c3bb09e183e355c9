/**
 * `netproof reach`: all-pairs reachability for one port and protocol, on one Pod-network, under one
 * dataplane profile, printed in one of the formats.
 */
import { NetproofError } from '../errors';
import { commonSwitches, verboseUsage } from './_inputs';
import { checkNetwork, CLUSTER_FLAG, DATAPLANE_FLAG, loadInputs, NAMESPACE_FLAG, POLICIES_FLAG } from './_load';
import { notePodsWithoutIp } from './_notes';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode } from './io';
import { DEFAULT_NETWORK } from '../model/cluster';
import { Protocol, PROTOCOLS } from '../model/port';
import { REACH_FORMATS, REACH_FORMATTERS, ReachFormat } from '../report/reach';
import { DEFAULT_SUMMARY_LIMIT, summaryFormatterWith } from '../report/reach/summary';
import { IVerifier, VerifierInput } from '../verify/api';
import { podsWithoutIp, Verifier } from '../verify/verifier';

/** Past this many pairs, reach warns that every pair will be listed (about 20 bytes each in json and csv). */
export const LARGE_MATRIX_PAIRS = 1_000_000;

export const REACH_FLAGS: readonly FlagSpec[] = [
  CLUSTER_FLAG,
  POLICIES_FLAG,
  NAMESPACE_FLAG,
  { name: 'port', kind: 'port', required: true, metavar: 'N', help: 'destination port, 1-65535' },
  { name: 'protocol', kind: 'enum', values: PROTOCOLS, default: 'TCP', metavar: 'PROTOCOL', help: 'protocol' },
  DATAPLANE_FLAG,
  { name: 'network', kind: 'string', default: DEFAULT_NETWORK, metavar: 'NAME', help: 'GKE Pod-network; only pods attached to it appear' },
  { name: 'format', kind: 'enum', values: REACH_FORMATS, default: 'text', metavar: 'FORMAT', help: 'output format' },
  { name: 'limit', kind: 'count', metavar: 'N', help: `with --format summary: how many namespace pairs to list, most allowed pairs first (default ${DEFAULT_SUMMARY_LIMIT})` },
];

/** Messages of `netproof reach`, in one place so tests import them. */
export const ReachMessages = {
  limitWithoutSummary: (format: string) => `--limit applies to --format summary, not to --format ${format}. Remove --limit, or add --format summary`,
  largeMatrix: (pairs: number, pods: number, externals: number, format: string) =>
    `the matrix has ${pairs.toLocaleString('en-US')} pairs (${pods} pods, ${externals} externals), and --format ${format} lists every one `
    + `(about ${Math.ceil((pairs * 20) / 1e6).toLocaleString('en-US')} MB). Use --format summary for counts per namespace pair, or --network to narrow it`,
} as const;

export const REACH_USAGE = `Usage: netproof reach --cluster FILE --policies PATH [--policies PATH ...] --port N [flags]

Who can reach whom on one port and protocol: every ordered pod-to-pod pair (a pod reaching itself
included), pod-to-external and external-to-pod.

Flags:
${flagUsage(REACH_FLAGS)}
${verboseUsage(REACH_FLAGS)}

Formats:
  text      table, rows = from, numbered columns = to, with a legend
  json      {"port","protocol","dataplane","network","matrix": {from: {to: true|false}}} (outer keys are sources)
  markdown  the table in markdown
  csv       from,to,allowed
  summary   totals, then the namespace pairs with the most allowed pairs (--limit of them), with
            allowed and denied pair counts; no per-pod listing, for large clusters

Output is written as fast as its reader takes it, never held whole in memory. Past
${LARGE_MATRIX_PAIRS.toLocaleString('en-US')} pairs every format but summary prints a warning on stderr first.

Example:
  netproof reach --cluster test/fixtures/reach/cluster.yaml --policies test/fixtures/reach/policies --port 80 --format json

Exit codes: 0 success, 2 bad input (flags, files, manifests, cluster model), 1 internal error.
`;

/** How the command builds a verifier; tests may inject another implementation. */
export type VerifierFactory = (input: VerifierInput) => IVerifier;

export const defaultVerifierFactory: VerifierFactory = (input) => new Verifier(input);

export function runReach(argv: readonly string[], io: CliIo, makeVerifier: VerifierFactory = defaultVerifierFactory): number {
  const switches = commonSwitches(argv, 'reach');
  const flags = parseFlags('reach', switches.argv, REACH_FLAGS);
  if (flags.help) {
    io.stdout.write(REACH_USAGE);
    return ExitCode.ok;
  }
  const format = flags.strings.get('format') as ReachFormat;
  const limit = flags.counts.get('limit');
  if (limit !== undefined && format !== 'summary') throw new NetproofError('netproof reach', ReachMessages.limitWithoutSummary(format), '--limit');
  const { cluster, policies, dataplane } = loadInputs(flags, io, { command: 'reach', verbose: switches.verbose });
  const network = flags.strings.get('network')!;
  checkNetwork('reach', cluster, network, true);
  const input: VerifierInput = { policies, cluster, dataplane };
  notePodsWithoutIp(io, podsWithoutIp(input), input.dataplane!);
  const verifier = makeVerifier(input);
  const matrix = verifier.reach({ port: flags.ports.get('port')!, protocol: flags.strings.get('protocol') as Protocol, network });
  const pods = matrix.endpoints.filter((e) => e.kind === 'pod').length;
  const pairs = pods * matrix.endpoints.length + (matrix.endpoints.length - pods) * pods;
  if (format !== 'summary' && pairs > LARGE_MATRIX_PAIRS) io.stderr.write(`netproof: warning: ${ReachMessages.largeMatrix(pairs, pods, matrix.endpoints.length - pods, format)}\n`);
  const formatter = format === 'summary' ? summaryFormatterWith({ limit }) : REACH_FORMATTERS[format];
  formatter.write(matrix, (chunk) => io.stdout.write(chunk));
  return ExitCode.ok;
}

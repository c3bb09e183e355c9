/** `netproof explain`: one connection's verdict with every reason (which policies isolate, which rule allowed). */
import { withNearMisses } from '../analysis/near-miss';
import { NetproofError } from '../errors';
import { commonSwitches, verboseUsage } from './_inputs';
import { checkNetwork, CLUSTER_FLAG, DATAPLANE_FLAG, loadInputs, NAMESPACE_FLAG, POLICIES_FLAG } from './_load';
import { notePodsWithoutIp } from './_notes';
import { isServiceEndpoint, podOfService, serviceOfFlag, servicePortOfFlag } from './_service-endpoints';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode } from './io';
import { DEFAULT_NETWORK } from '../model/cluster';
import { objectId } from '../model/ids';
import { compareStrings } from '../model/selector';
import { parsePortText } from '../parse/intents';
import { EXPLAIN_FORMATS, EXPLAIN_FORMATTERS, ExplainFormat } from '../report/explain';
import { Verifier } from '../verify/verifier';

export const EXPLAIN_FLAGS: readonly FlagSpec[] = [
  CLUSTER_FLAG,
  POLICIES_FLAG,
  NAMESPACE_FLAG,
  { name: 'from', kind: 'string', required: true, metavar: 'ENDPOINT', help: 'source: a pod as namespace/name, an external\'s name, or service:namespace/name (a pod of that Service)' },
  { name: 'to', kind: 'string', required: true, metavar: 'ENDPOINT', help: 'destination: a pod as namespace/name, an external\'s name, or service:namespace/name (a pod of that Service)' },
  { name: 'port', kind: 'string', required: true, metavar: 'PORT', help: 'destination port and protocol: 80/TCP, 53/UDP, 80 (TCP), or a container port name of the destination such as http/TCP; with --to service:..., a port of the Service (http, 80, 53/UDP), checked as its targetPort' },
  DATAPLANE_FLAG,
  { name: 'network', kind: 'string', default: DEFAULT_NETWORK, metavar: 'NAME', help: 'GKE Pod-network' },
  { name: 'format', kind: 'enum', values: EXPLAIN_FORMATS, default: 'text', metavar: 'FORMAT', help: 'output format' },
];

export const EXPLAIN_USAGE = `Usage: netproof explain --cluster FILE --policies PATH --from ENDPOINT --to ENDPOINT --port PORT [flags]

Whether one connection is allowed, and why: which policies isolate the source (egress) and the
destination (ingress), and which rule (policy, rule index, peer, port) allowed each side, or that none did.
A denied side lists its near misses: rules of its policies that would allow but for the port, the
protocol, the peer or the Pod-network, and ClusterNetworkPolicy Accept/Pass rules (either tier) that would
decide it allowed but for their protocols or peers, with what each would need (JSON: "nearMisses").

Flags:
${flagUsage(EXPLAIN_FLAGS)}
${verboseUsage(EXPLAIN_FLAGS)}

A Service of the inputs (service:namespace/name) stands for the first pod its selector matches (a note
names it when there are more); with --to service:..., --port names a port of the Service and the verdict
is about the targetPort it sends to, since NetworkPolicies see pod ports.

Example:
  netproof explain --cluster test/fixtures/reach/cluster.yaml --policies test/fixtures/reach/policies --from default/client --to default/db --port 6379/TCP

Exit codes: 0 the verdict was printed (allowed or denied), 2 bad input, 1 internal error.
`;

export function runExplain(argv: readonly string[], io: CliIo): number {
  const switches = commonSwitches(argv, 'explain');
  const flags = parseFlags('explain', switches.argv, EXPLAIN_FLAGS);
  if (flags.help) {
    io.stdout.write(EXPLAIN_USAGE);
    return ExitCode.ok;
  }
  const [fromFlag, toFlag] = [flags.strings.get('from')!, flags.strings.get('to')!];
  const services = isServiceEndpoint(fromFlag) || isServiceEndpoint(toFlag);
  const { cluster, policies, dataplane, manifests } = loadInputs(flags, io, { command: 'explain', verbose: switches.verbose, services });
  const network = flags.strings.get('network')!;
  checkNetwork('explain', cluster, network, true);
  const serviceOf = (flag: string, value: string) => (isServiceEndpoint(value) ? serviceOfFlag(flag, value, manifests.services, 'explain') : undefined);
  const [fromService, toService] = [serviceOf('--from', fromFlag), serviceOf('--to', toFlag)];
  const from = fromService ? podOfService('--from', fromService, cluster, io, 'explain') : fromFlag;
  const to = toService ? podOfService('--to', toService, cluster, io, 'explain') : toFlag;
  const ids = [...cluster.pods.map(objectId), ...cluster.externals.map((e) => e.name)];
  checkEndpoint('from', from, ids);
  checkEndpoint('to', to, ids);
  const portText = flags.strings.get('port')!;
  const port = toService ? servicePortOfFlag(toService, portText, 'explain') : parsePortText(portText);
  if (port === undefined || typeof port === 'string' || port.port === undefined || port.endPort !== undefined) {
    const reason = typeof port === 'string' ? port : `"${portText}" is not one port`;
    throw new NetproofError('netproof explain', `${reason}. Give one port and protocol, e.g. --port 80/TCP or --port http/TCP`, '--port');
  }
  let number: number;
  if (typeof port.port === 'string') {
    const dst = cluster.pods.find((p) => objectId(p) === to);
    const cp = dst?.ports.find((p) => p.name === port.port && p.protocol === port.protocol);
    if (!cp) throw new NetproofError('netproof explain', `the destination ${to} has no ${port.protocol} container port named "${port.port}". Use a port number, or a name from the destination pod's ports`, '--port');
    number = cp.port;
  } else {
    number = port.port;
  }
  const verifier = new Verifier({ policies, cluster, dataplane });
  notePodsWithoutIp(io, verifier.podsWithoutIp(), verifier.dataplane);
  const verdict = withNearMisses({ policies, cluster, dataplane }, verifier.explain(from, to, { port: number, protocol: port.protocol, network }));
  EXPLAIN_FORMATTERS[flags.strings.get('format') as ExplainFormat].write(verdict, (chunk) => io.stdout.write(chunk));
  return ExitCode.ok;
}

export const ExplainMessages = {
  unknownEndpoint: (id: string, suggestions: readonly string[], total: number) =>
    `no pod or external ${JSON.stringify(id)} in the cluster model. Give a pod as namespace/name or an external's name${
      suggestions.length === 0 ? ' (the cluster model has no endpoints)'
        : `; the closest of its ${total}: ${suggestions.join(', ')}`}`,
} as const;

/** How many existing ids an unknown --from/--to lists. */
const SUGGESTIONS = 5;

/** Fails with the flag, the value and the closest existing ids when `id` names no endpoint. */
function checkEndpoint(flag: 'from' | 'to', id: string, ids: readonly string[]): void {
  if (ids.includes(id)) return;
  const ranked = ids.map((candidate) => ({ candidate, d: editDistance(id, candidate) }))
    .sort((a, b) => a.d - b.d || compareStrings(a.candidate, b.candidate))
    .slice(0, SUGGESTIONS)
    .map((r) => r.candidate);
  throw new NetproofError('netproof explain', ExplainMessages.unknownEndpoint(id, ranked, ids.length), `--${flag}`);
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

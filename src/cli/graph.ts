/**
 * `netproof graph`: the allowed connectivity as a picture (DOT, Mermaid, or one self-contained HTML
 * page), grouped by namespace with externals as their own group, each arrow labelled with its ports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NetproofError } from '../errors';
import { checkNetwork, CLUSTER_FLAG, loadInputs, POLICIES_FLAG } from './_load';
import { notePodsWithoutIp } from './_notes';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode } from './io';
import { buildGraph } from '../analysis/graph';
import { DATAPLANES, Dataplane, DEFAULT_NETWORK } from '../model/cluster';
import { Protocol, PROTOCOLS } from '../model/port';
import { render } from '../report/formatter';
import { GRAPH_FORMATS, GRAPH_FORMATTERS, GraphFormat } from '../report/graph';
import { podsWithoutIp } from '../verify/verifier';

export const GRAPH_FLAGS: readonly FlagSpec[] = [
  CLUSTER_FLAG,
  POLICIES_FLAG,
  { name: 'port', kind: 'port', metavar: 'N', help: 'only this destination port (default: every port, arrows labelled with the ports they are allowed on)' },
  { name: 'protocol', kind: 'enum', values: PROTOCOLS, metavar: 'PROTOCOL', help: 'only this protocol (default: TCP with --port; TCP, UDP and SCTP without)' },
  { name: 'dataplane', kind: 'enum', values: DATAPLANES, default: 'upstream', metavar: 'DATAPLANE', help: 'dataplane profile' },
  { name: 'network', kind: 'string', default: DEFAULT_NETWORK, metavar: 'NAME', help: 'GKE Pod-network; only pods attached to it appear' },
  { name: 'nodes', kind: 'enum', values: ['workloads', 'pods'], default: 'workloads', metavar: 'NODES', help: 'workloads: one node for the replicas of a workload that behave identically; pods: one node per pod' },
  { name: 'format', kind: 'enum', values: GRAPH_FORMATS, default: 'dot', metavar: 'FORMAT', help: 'output format' },
  { name: 'out', kind: 'string', metavar: 'FILE', help: 'write to FILE instead of stdout (replaced atomically)' },
];

export const GRAPH_USAGE = `Usage: netproof graph --cluster FILE --policies PATH [--policies PATH ...] [flags]

Draws who can reach whom: namespaces as groups of pods, externals as their own group, one arrow per
allowed connection labelled with its destination ports ("TCP 8080, UDP 53"; "all" for every port of
every protocol). A pod reaching itself is always allowed and not drawn.

Flags:
${flagUsage(GRAPH_FLAGS)}

Formats:
  dot      Graphviz (render with: dot -Tsvg graph.dot > graph.svg)
  mermaid  a Mermaid flowchart (paste into Markdown between \`\`\`mermaid fences)
  html     one self-contained page: graph in SVG and a matrix, hover for ports; no network access needed

Example:
  netproof graph --cluster test/fixtures/reach/cluster.yaml --policies test/fixtures/reach/policies --format html --out graph.html

Exit codes: 0 success, 2 bad input (flags, files, manifests, cluster model), 1 internal error.
`;

export function runGraph(argv: readonly string[], io: CliIo): number {
  const flags = parseFlags('graph', argv, GRAPH_FLAGS);
  if (flags.help) {
    io.stdout.write(GRAPH_USAGE);
    return ExitCode.ok;
  }
  const { cluster, policies } = loadInputs(flags, io);
  const network = flags.strings.get('network')!;
  checkNetwork('graph', cluster, network, true);
  const port = flags.ports.get('port');
  const protocol = flags.strings.get('protocol') as Protocol | undefined;
  const dataplane = flags.strings.get('dataplane') as Dataplane;
  notePodsWithoutIp(io, podsWithoutIp({ policies, cluster, dataplane }), dataplane);
  const graph = buildGraph({
    policies,
    cluster,
    dataplane,
    network,
    ...(port !== undefined ? { flow: { port, protocol: protocol ?? 'TCP' } } : {}),
    ...(port === undefined && protocol !== undefined ? { protocols: [protocol] } : {}),
    aggregate: flags.strings.get('nodes') === 'workloads',
  });
  const format = flags.strings.get('format') as GraphFormat;
  const text = render(GRAPH_FORMATTERS[format], graph);
  const out = flags.strings.get('out');
  if (out === undefined) {
    io.stdout.write(text);
  } else {
    writeAtomically(path.resolve(io.cwd, out), text, out);
    io.stderr.write(`netproof: wrote ${format} graph (${graph.nodes.length} nodes, ${graph.edges.length} arrows) to ${out}\n`);
  }
  return ExitCode.ok;
}

/** Writes next to the target, then renames, so a reader never sees a half-written file. */
function writeAtomically(target: string, text: string, shown: string): void {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text, 'utf8');
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
    throw new NetproofError('netproof graph', `cannot write ${shown}: ${(e as Error).message}. Check that the folder exists and is writable`, '--out');
  }
}

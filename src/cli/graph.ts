/**
 * `netproof graph`: the allowed connectivity as a picture (DOT, Mermaid, or one self-contained HTML
 * page), grouped by namespace with externals as their own group, each arrow labelled with its ports.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { NetproofError } from '../errors';
import { commonSwitches, verboseUsage } from './_inputs';
import { checkNetwork, CLUSTER_FLAG, DATAPLANE_FLAG, loadInputs, NAMESPACE_FLAG, POLICIES_FLAG } from './_load';
import { notePodsWithoutIp } from './_notes';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, describeFileType, describeFsError, ExitCode } from './io';
import { buildGraph } from '../analysis/graph';
import { DEFAULT_NETWORK } from '../model/cluster';
import { Protocol, PROTOCOLS } from '../model/port';
import { MANIFEST_EXTENSIONS } from '../parse/files';
import { render } from '../report/formatter';
import { GRAPH_FORMATS, GRAPH_FORMATTERS, GraphFormat } from '../report/graph';
import { podsWithoutIp } from '../verify/verifier';

export const GRAPH_FLAGS: readonly FlagSpec[] = [
  CLUSTER_FLAG,
  POLICIES_FLAG,
  NAMESPACE_FLAG,
  { name: 'port', kind: 'port', metavar: 'N', help: 'only this destination port (default: every port, arrows labelled with the ports they are allowed on)' },
  { name: 'protocol', kind: 'enum', values: PROTOCOLS, metavar: 'PROTOCOL', help: 'only this protocol (default: TCP with --port; TCP, UDP and SCTP without)' },
  DATAPLANE_FLAG,
  { name: 'network', kind: 'string', default: DEFAULT_NETWORK, metavar: 'NAME', help: 'GKE Pod-network; only pods attached to it appear' },
  { name: 'nodes', kind: 'enum', values: ['workloads', 'pods'], default: 'workloads', metavar: 'NODES', help: 'workloads: one node for the replicas of a workload that behave identically; pods: one node per pod' },
  { name: 'fold-open', kind: 'switch', metavar: '', help: 'fold the arrows of pods no policy isolates: a node marked "egress open" reaches every node marked "ingress open" on every port, and those arrows are not drawn (default: every arrow drawn)' },
  { name: 'format', kind: 'enum', values: GRAPH_FORMATS, default: 'dot', metavar: 'FORMAT', help: 'output format' },
  { name: 'out', kind: 'string', metavar: 'FILE', help: 'write to FILE instead of stdout (replaced atomically; never an input, a folder or a special file)' },
];

export const GRAPH_USAGE = `Usage: netproof graph --cluster FILE --policies PATH [--policies PATH ...] [flags]

Draws who can reach whom: namespaces as groups of pods, externals as their own group, one arrow per
allowed connection labelled with its destination ports ("TCP 8080, UDP 53"; "all" for every port of
every protocol). A pod reaching itself is always allowed and not drawn.

Flags:
${flagUsage(GRAPH_FLAGS)}
${verboseUsage(GRAPH_FLAGS)}

Formats:
  dot      Graphviz (render with: dot -Tsvg graph.dot > graph.svg)
  mermaid  a Mermaid flowchart (paste into Markdown between \`\`\`mermaid fences)
  html     one self-contained page: graph in SVG and a matrix, hover for ports; no network access needed

Example:
  netproof graph --cluster test/fixtures/reach/cluster.yaml --policies test/fixtures/reach/policies --format html --out graph.html

Exit codes: 0 success, 2 bad input (flags, files, manifests, cluster model), 1 internal error.
`;

export function runGraph(argv: readonly string[], io: CliIo): number {
  const switches = commonSwitches(argv, 'graph');
  const flags = parseFlags('graph', switches.argv, GRAPH_FLAGS);
  if (flags.help) {
    io.stdout.write(GRAPH_USAGE);
    return ExitCode.ok;
  }
  const out = flags.strings.get('out');
  const target = out === undefined ? undefined : graphTarget(path.resolve(io.cwd, out), out); // before the work
  const { cluster, policies, files, dataplane } = loadInputs(flags, io, { command: 'graph', verbose: switches.verbose });
  if (target !== undefined) checkNotInput(target, out!, io.cwd, files, [flags.strings.get('cluster')!, ...flags.lists.get('policies')!]);
  const network = flags.strings.get('network')!;
  checkNetwork('graph', cluster, network, true);
  const port = flags.ports.get('port');
  const protocol = flags.strings.get('protocol') as Protocol | undefined;
  notePodsWithoutIp(io, podsWithoutIp({ policies, cluster, dataplane }), dataplane);
  const graph = buildGraph({
    policies,
    cluster,
    dataplane,
    network,
    ...(port !== undefined ? { flow: { port, protocol: protocol ?? 'TCP' } } : {}),
    ...(port === undefined && protocol !== undefined ? { protocols: [protocol] } : {}),
    aggregate: flags.strings.get('nodes') === 'workloads',
    foldOpen: flags.switches.has('fold-open'),
  });
  const format = flags.strings.get('format') as GraphFormat;
  const text = render(GRAPH_FORMATTERS[format], graph);
  if (target === undefined) {
    io.stdout.write(text);
  } else {
    writeAtomically(target, text, out!);
    io.stderr.write(`netproof: wrote ${format} graph (${graph.nodes.length} nodes, ${graph.edges.length} arrows) to ${out}\n`);
  }
  return ExitCode.ok;
}

export const GraphMessages = {
  notRegular: (file: string, what: string) =>
    `${file} is ${what}; graph writes only a regular file, through a temporary file renamed over it (a device or FIFO would be replaced). Give a file name, e.g. --out graph.html`,
  isInput: (file: string) => `${file} is an input of this command (or would be read as one next time); the graph would overwrite it. Give another file, e.g. --out graph.html`,
  cannotWrite: (file: string, reason: string) => `cannot write ${file}: ${reason}. Check that the folder exists and is writable`,
} as const;

/** The file --out names, following a symbolic link (it stays a link); refuses a folder or a special file. */
function graphTarget(file: string, shown: string): string {
  if (/[/\\]$/.test(shown)) throw new NetproofError('netproof graph', GraphMessages.notRegular(shown, 'a folder name (it ends with "/")'), '--out');
  let real = file;
  try {
    real = fs.realpathSync(file);
  } catch {
    return file; // nothing there yet (or a link to nothing: the rename replaces the link)
  }
  const st = fs.statSync(real);
  if (!st.isFile()) throw new NetproofError('netproof graph', GraphMessages.notRegular(shown, describeFileType(st)), '--out');
  return real;
}

/** Refuses a target that is a file the command read, or a manifest file inside an input folder (read next time). */
function checkNotInput(target: string, shown: string, cwd: string, files: readonly string[], inputs: readonly string[]): void {
  const real = (p: string) => {
    const abs = path.resolve(cwd, p);
    try {
      return fs.realpathSync(abs);
    } catch {
      return abs;
    }
  };
  const t = real(target);
  const inFolder = inputs.map(real).some((dir) => {
    const rel = path.relative(dir, t);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && MANIFEST_EXTENSIONS.some((ext) => t.toLowerCase().endsWith(ext));
  });
  if (inFolder || files.some((f) => real(f) === t) || inputs.some((i) => real(i) === t)) {
    throw new NetproofError('netproof graph', GraphMessages.isInput(shown), '--out');
  }
}

/** Writes a hidden temporary file beside the target, then renames it over the target: a reader never sees half a file. */
function writeAtomically(target: string, text: string, shown: string): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.netproof-${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
    throw new NetproofError('netproof graph', GraphMessages.cannotWrite(shown, describeFsError(e)), '--out');
  }
}

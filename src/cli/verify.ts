/** `netproof verify`: checks an intents file against policies and a cluster model, through the one pipeline. */
import { commonSwitches, verboseUsage } from './_inputs';
import { CLUSTER_FLAG, DATAPLANE_FLAG, loadInputs, NAMESPACE_FLAG, POLICIES_FLAG } from './_load';
import { notePodsWithoutIp } from './_notes';
import { RECORDED_MODEL_FILE } from './_recorded-model';
import { ArgMessages, flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode, nodeFileSystem } from './io';
import { runPipeline } from '../analysis/pipeline';
import { NetproofError } from '../errors';
import { Dataplane, ProfileModel } from '../model/cluster';
import { METADATA_SERVER } from '../model/gke';
import { IntentScope, scopeOf } from '../model/intent';
import { parseIntents } from '../parse/intents';
import { VERIFY_FORMATS, VERIFY_FORMATTERS, VerifyFormat } from '../report/verify';
import { podsWithoutIp } from '../verify/verifier';

export const VERIFY_FLAGS: readonly FlagSpec[] = [
  CLUSTER_FLAG,
  POLICIES_FLAG,
  NAMESPACE_FLAG,
  { name: 'intents', kind: 'string', metavar: 'FILE', help: 'intents file (YAML or JSON; format in the README); default: the intents netproof synth recorded in the --policies folder' },
  DATAPLANE_FLAG,
  { name: 'format', kind: 'enum', values: VERIFY_FORMATS, default: 'text', metavar: 'FORMAT', help: 'output format (sarif: SARIF 2.1.0 for code scanning; junit: JUnit XML for CI test tabs)' },
];

export const VERIFY_USAGE = `Usage: netproof verify --cluster FILE --policies PATH --intents FILE [flags]
       netproof verify --policies DIR        (DIR written by netproof synth)

Checks every intent of the intents file; each violated intent is shown with counterexamples (source,
destination, port, protocol, network) and the reasons. Lint findings follow as notes.

On a folder netproof synth wrote, the model it recorded there (${RECORDED_MODEL_FILE}) supplies what is
not given: the cluster (--cluster), the cluster profile (--dataplane, Pod and Service ranges) and the
intents (--intents), so verify checks exactly what synth proved. A note says which parts it used.

Flags:
${flagUsage(VERIFY_FLAGS)}
${verboseUsage(VERIFY_FLAGS)}

Formats:
  text   ✓/✗ per intent with counterexamples, then lint findings
  json   {"intents": [...], "lints": [...], "summary": {...}}
  sarif  SARIF 2.1.0: lint findings and violated intents with file and line, for code scanning
  junit  JUnit XML: suite "intents" (a test case per intent) and suite "lints", for CI test tabs

Exit codes: 0 every intent holds, 1 an intent is violated, 2 bad input.
`;

export const VerifyCliMessages = {
  unknownPortName: (intent: string, port: string, known: readonly string[], scope: IntentScope) =>
    `intent "${intent}": port ${port} names no container port of the cluster model (${known.length ? `named ports: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}` : 'no pod has a named port'}), `
    + `so no existing pod serves it${scope === 'existing' ? ' and the intent is decided about nothing' : '; the intent is decided only for pods that could be created with it'}. Check the spelling`,
} as const;

/** Exit code when an intent does not hold. */
export const INTENT_VIOLATED = 1;

export function runVerify(argv: readonly string[], io: CliIo): number {
  const switches = commonSwitches(argv, 'verify');
  const flags = parseFlags('verify', switches.argv, VERIFY_FLAGS);
  if (flags.help) {
    io.stdout.write(VERIFY_USAGE);
    return ExitCode.ok;
  }
  const intentsFlag = flags.strings.get('intents');
  const { cluster, policies, manifests, dataplane, record } = loadInputs(flags, io, { manifests: true, command: 'verify', verbose: switches.verbose, recordedIntents: intentsFlag === undefined });
  if (intentsFlag === undefined && record === undefined) throw new NetproofError('netproof verify', ArgMessages.required(VERIFY_FLAGS.find((f) => f.name === 'intents')!), '--intents');
  const intentsFile = intentsFlag ?? record!.model.file;
  const intents = intentsFlag !== undefined
    ? parseIntents((io.fs ?? nodeFileSystem(io.cwd)).readText(intentsFlag), intentsFlag, { pods: cluster.pods, services: manifests.services })
    : record!.model.intents;
  notePodsWithoutIp(io, podsWithoutIp({ policies, cluster, dataplane }), dataplane);
  const named = new Set(cluster.pods.flatMap((p) => p.ports.filter((cp) => cp.name !== undefined).map((cp) => `${cp.name}/${cp.protocol}`)));
  for (const { name, intent } of intents) {
    const port = intent.port;
    if (typeof port?.port !== 'string' || named.has(`${port.port}/${port.protocol}`)) continue;
    io.stderr.write(`netproof: note: ${VerifyCliMessages.unknownPortName(name, `${port.port}/${port.protocol}`, [...named].sort(), scopeOf(intent))}\n`);
  }
  // The recorded profile (ranges, metadata server, GKE version) unless --dataplane chooses another dataplane.
  const recorded = record?.model.profile;
  const profile = recorded !== undefined && recorded.dataplane === dataplane
    ? recorded
    : { ...cliProfile(dataplane), podCidrs: cluster.podCidrs ?? recorded?.podCidrs ?? [], serviceCidrs: recorded?.serviceCidrs ?? [] };
  const { results, findings } = runPipeline({ policies, cluster, profile, intents: intents.map((i) => i.intent), manifests });
  const format = flags.strings.get('format') as VerifyFormat;
  VERIFY_FORMATTERS[format].write({
    intents: results.map((result, i) => ({ name: intents[i].name, result })),
    findings,
    policies,
    cluster,
    fallbackFile: intentsFile,
  }, (chunk) => io.stdout.write(chunk));
  return results.some((r) => !r.holds) ? INTENT_VIOLATED : ExitCode.ok;
}

/**
 * The cluster facts the command line knows: the dataplane; on Dataplane V2 also where pods reach the
 * metadata server (which on other dataplanes depends on the GKE version).
 */
export function cliProfile(dataplane: Dataplane): ProfileModel {
  const metadata = dataplane === 'dataplane-v2' ? METADATA_SERVER.dataplaneV2 : undefined;
  return {
    dataplane,
    podCidrs: [],
    serviceCidrs: [],
    ...(metadata ? { metadataServer: { ip: metadata.cidr.replace(/\/\d+$/, ''), port: metadata.port } } : {}),
  };
}

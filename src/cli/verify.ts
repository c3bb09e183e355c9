/** `netproof verify`: checks an intents file against policies and a cluster model. */
import { CLUSTER_FLAG, loadInputs, POLICIES_FLAG } from './_load';
import { notePodsWithoutIp } from './_notes';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode, nodeFileSystem } from './io';
import { withAddressRepresentatives } from '../intents/addresses';
import { checkIntents } from '../intents/check';
import { parseIntents } from '../intents/parse';
import { withWitnessPods } from '../intents/witnesses';
import { lint } from '../lint/lint';
import { DATAPLANES, Dataplane } from '../model/cluster';
import { formatFindings, formatIntentResults } from '../report/explain';
import { renderJunit } from '../report/junit';
import { lineLocator, renderSarif } from '../report/sarif';
import { Verifier } from '../verify/verifier';

export const VERIFY_FLAGS: readonly FlagSpec[] = [
  CLUSTER_FLAG,
  POLICIES_FLAG,
  { name: 'intents', kind: 'string', required: true, metavar: 'FILE', help: 'intents file (YAML or JSON; format in the README)' },
  { name: 'dataplane', kind: 'enum', values: DATAPLANES, default: 'upstream', metavar: 'DATAPLANE', help: 'dataplane profile' },
  { name: 'format', kind: 'enum', values: ['text', 'json', 'sarif', 'junit'], default: 'text', metavar: 'FORMAT', help: 'output format (sarif: SARIF 2.1.0 for code scanning; junit: JUnit XML for CI test tabs)' },
];

export const VERIFY_USAGE = `Usage: netproof verify --cluster FILE --policies PATH --intents FILE [flags]

Checks every intent of the intents file; each violated intent is shown with counterexamples (source,
destination, port, protocol, network) and the reasons. Lint findings follow as notes.

Flags:
${flagUsage(VERIFY_FLAGS)}

Formats:
  text   ✓/✗ per intent with counterexamples, then lint findings
  json   {"intents": [...], "lints": [...], "summary": {...}}
  sarif  SARIF 2.1.0: lint findings and violated intents with file and line, for code scanning
  junit  JUnit XML: suite "intents" (a test case per intent) and suite "lints", for CI test tabs

Exit codes: 0 every intent holds, 1 an intent is violated, 2 bad input.
`;

/** Exit code when an intent does not hold. */
export const INTENT_VIOLATED = 1;

export function runVerify(argv: readonly string[], io: CliIo): number {
  const flags = parseFlags('verify', argv, VERIFY_FLAGS);
  if (flags.help) {
    io.stdout.write(VERIFY_USAGE);
    return ExitCode.ok;
  }
  const { cluster, policies } = loadInputs(flags, io);
  const intentsFile = flags.strings.get('intents')!;
  const intents = parseIntents((io.fs ?? nodeFileSystem(io.cwd)).readText(intentsFile), intentsFile);
  const dataplane = flags.strings.get('dataplane') as Dataplane;
  // Intents also hold for every address an ipBlock could admit and for pods that could exist (witnesses
  // of every peer selector), not only for the endpoints of the file.
  const { cluster: withAddresses, witnesses } = withWitnessPods(withAddressRepresentatives(cluster, policies), policies);
  const verifier = new Verifier({ policies, cluster: withAddresses, dataplane });
  // Witness pods have no IP by design; the note is about the pods of the cluster model.
  notePodsWithoutIp(io, verifier.podsWithoutIp().filter((id) => !witnesses.has(id)), dataplane);
  const results = checkIntents({ verifier, cluster: withAddresses, policies, witnesses }, intents.map((i) => i.intent));
  const findings = lint({ policies, cluster, dataplane });
  const failed = results.filter((r) => !r.holds).length;

  const format = flags.strings.get('format');
  if (format === 'sarif' || format === 'junit') {
    const named = results.map((result, i) => ({ name: intents[i].name, result }));
    const files = io.fs ?? nodeFileSystem(io.cwd);
    const lineOf = lineLocator((f) => files.readText(f));
    io.stdout.write(format === 'junit'
      ? renderJunit({ intents: named, findings })
      : `${JSON.stringify(renderSarif({ findings, intents: named, policies, cluster, lineOf, fallbackFile: intentsFile }), null, 2)}\n`);
  } else if (format === 'json') {
    const report = {
      intents: results.map((r, i) => ({
        name: intents[i].name,
        text: r.text,
        holds: r.holds,
        checked: r.checked,
        violations: r.violations,
        ...(r.problem ? { problem: r.problem } : {}),
        counterexamples: r.counterexamples,
      })),
      lints: findings,
      summary: { intents: results.length, hold: results.length - failed, violated: failed },
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const lines = [formatIntentResults(results, intents.map((i) => i.name))];
    if (findings.length) lines.push('', 'Lint findings:', formatFindings(findings));
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return failed > 0 ? INTENT_VIOLATED : ExitCode.ok;
}

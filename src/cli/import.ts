/**
 * `netproof import PATH...`: existing NetworkPolicy YAML as a netproof app. Prints a `main.ts` for a repository
 * made by `netproof init` on stdout, runs the same program against the constructs, and proves that the
 * policies it synthesizes allow exactly what the input allows (for every pod and namespace) before printing.
 * The one command that builds constructs in the CLI process (the architecture test allows it `app/import`).
 */
import { NetproofError } from '../errors';
import { commonSwitches, collectInput, DefaultedObject, namespaceFlag, noteDefaulted, withNamespace } from './_inputs';
import { NAMESPACE_FLAG } from './_load';
import { note, noteSkipped } from './_notes';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode, nodeFileSystem } from './io';
import { equivalentPolicies } from '../analysis/diff';
import { buildImport, planImport, renderImport } from '../app/import';
import { policyId, PolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';
import { ManifestDocument, parseManifestText } from '../parse/_documents';
import { policiesFromApp } from '../parse/app';
import { policiesFromDocuments } from '../parse/policies';

export const IMPORT_FLAGS: readonly FlagSpec[] = [NAMESPACE_FLAG];


export const IMPORT_USAGE = `Usage: netproof import PATH [PATH ...] [--namespace NS]

Reads existing NetworkPolicy, FQDNNetworkPolicy and ClusterNetworkPolicy YAML or JSON (files, or folders
of them) and prints on stdout a main.ts for a repository made by netproof init: a cdk8s App with one
PolicyChart per namespace, written with netproof's constructs (DefaultDeny, AllowFrom, AllowTo). Before
printing, it runs that program and proves that the policies it synthesizes allow exactly what the input
allows, for every pod and namespace that exists or could exist, and says so on stderr. What the
constructs cannot say (a GKE Pod-network annotation, FQDN policies, ClusterNetworkPolicies) is kept as
written, in an ApiObject, and named on stderr. Objects without metadata.namespace land in --namespace, or in
"default" with a note, as kubectl would place them. A PATH of - reads standard input; a kustomization folder
is rendered as for the other commands.

Example:
  netproof import k8s/policies > main.ts

Exit codes: 0 printed and proven, 2 bad input, 1 internal error (including a program that could not be
proven equivalent: nothing is printed then).
${flagUsage(IMPORT_FLAGS)}`;

export const ImportMessages = {
  noPaths: 'no input. Name the policy files or folders to import, e.g. netproof import k8s/policies',
  noPolicies: (paths: readonly string[]) => `${paths.join(', ')} holds no NetworkPolicy, FQDNNetworkPolicy or ClusterNetworkPolicy. Name the files or folders that hold the policies`,
  raw: (lines: readonly string[]) => `kept as written (ApiObject), which the constructs cannot say: ${lines.join('; ')}`,
  notProven: (onlyBefore: readonly string[], onlyAfter: readonly string[]) =>
    `the imported program could not be proven to allow what the input allows, so nothing was printed (please report it). Only the input says: ${onlyBefore.join(' ')}. Only the program says: ${onlyAfter.join(' ')}`,
  wouldNotSynth: (message: string) => `the imported program would not synthesize, for what netproof synth would say of these policies: ${message}`,
  namesChanged: (planned: readonly string[], made: readonly string[]) =>
    `the imported program names its policies ${made.join(', ')} instead of ${planned.join(', ')}, so nothing was printed (please report it)`,
  proven: (input: number, output: number, raw: number) =>
    `proven: the program's ${output} polic${output === 1 ? 'y allows' : 'ies allow'} exactly what the ${input} input polic${input === 1 ? 'y allows' : 'ies allow'}, for every pod and namespace that exists or could exist`
    + `${raw > 0 ? ` (${raw} kept as written)` : ''}`,
} as const;

/** Where Kubernetes puts an object that names no namespace. */
const DEFAULT_NAMESPACE = 'default';

export function runImport(argv: readonly string[], io: CliIo): number {
  // PATHs are the arguments that are neither a flag nor a flag's value (`-` is standard input).
  const paths: string[] = [];
  const flagArgs: string[] = [];
  const args = commonSwitches(argv, 'import').argv;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--namespace') {
      flagArgs.push(args[i]);
      if (i + 1 < args.length) flagArgs.push(args[++i]);
    } else if (args[i].startsWith('-') && args[i] !== '-') {
      flagArgs.push(args[i]);
    } else {
      paths.push(args[i]);
    }
  }
  const flags = parseFlags('import', flagArgs, IMPORT_FLAGS);
  if (flags.help) {
    io.stdout.write(IMPORT_USAGE);
    return ExitCode.ok;
  }
  if (paths.length === 0) throw new NetproofError('netproof import', ImportMessages.noPaths);
  const fs = io.fs ?? nodeFileSystem(io.cwd);
  const namespace = namespaceFlag(flags.strings.get('namespace'), 'import');
  // Objects without metadata.namespace are placed as kubectl places them, and noted (as the other commands do).
  const defaulted: DefaultedObject[] = [];
  const docs: ManifestDocument[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    for (const f of collectInput(p, fs, 'import', io, 'import')) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      for (const d of withNamespace(parseManifestText(f.text, f.path), namespace ?? DEFAULT_NAMESPACE, defaulted)) docs.push(d);
    }
  }
  const input = policiesFromDocuments(docs);
  noteSkipped(io, 'import', input.skipped);
  if (input.policies.length === 0) throw new NetproofError('netproof import', ImportMessages.noPolicies(paths));
  if (namespace === undefined) noteDefaulted(io, defaulted, DEFAULT_NAMESPACE);

  const plan = planImport(input.policies);
  let written: readonly PolicyModel[];
  try {
    written = policiesFromApp(buildImport(plan)).policies;
  } catch (e) {
    // The program would fail synth the same way (a lint error GKE would refuse, a verifier that refuses the input).
    // cdk8s reports the charts' validations (netproof's lint errors) as one Error naming each.
    const validation = e instanceof Error && e.message.startsWith('Validation failed with the following errors:');
    if (e instanceof NetproofError || validation) {
      const message = validation ? (e as Error).message.replace(/^Validation failed with the following errors:\s*/, '').replace(/\n\s*/g, '; ') : (e as Error).message;
      throw new NetproofError('netproof import', ImportMessages.wouldNotSynth(message));
    }
    throw e;
  }
  const proof = equivalentPolicies(input.policies, written);
  const names = written.map(policyId).sort(compareStrings);
  if (names.join('\n') !== plan.ids.join('\n')) {
    io.stderr.write(`netproof: error: ${ImportMessages.namesChanged(plan.ids, names)}\n`);
    return ExitCode.internal;
  }
  if (!proof.equivalent) {
    io.stderr.write(`netproof: error: ${ImportMessages.notProven(proof.onlyBefore, proof.onlyAfter)}\n`);
    return ExitCode.internal;
  }
  if (plan.raw.length > 0) note(io, ImportMessages.raw(plan.raw));
  io.stdout.write(renderImport(plan, paths));
  note(io, ImportMessages.proven(input.policies.length, written.length, plan.raw.length));
  return ExitCode.ok;
}

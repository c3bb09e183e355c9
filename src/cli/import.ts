/**
 * `netproof import PATH...`: existing NetworkPolicy YAML as a netproof app. Prints a `main.ts` for a repository
 * made by `netproof init` on stdout, runs the same program against the constructs, and proves that the
 * policies it synthesizes allow exactly what the input allows (for every pod and namespace) before printing.
 * The one command that builds constructs in the CLI process (the architecture test allows it `app/import`).
 */
import { NetproofError } from '../errors';
import { note, noteSkipped } from './_notes';
import { flagUsage, FlagSpec, parseFlags } from './args';
import { CliIo, ExitCode, nodeFileSystem } from './io';
import { equivalentPolicies } from '../analysis/diff';
import { buildImport, planImport, renderImport } from '../app/import';
import { policyId, PolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';
import { ManifestDocument, parseManifestText } from '../parse/_documents';
import { policiesFromApp } from '../parse/app';
import { collectFiles } from '../parse/files';
import { policiesFromDocuments } from '../parse/policies';

export const IMPORT_FLAGS: readonly FlagSpec[] = [];

/** How many policies a note names before it counts the rest. */
const NAMED = 20;

export const IMPORT_USAGE = `Usage: netproof import PATH [PATH ...]

Reads existing NetworkPolicy, FQDNNetworkPolicy and ClusterNetworkPolicy YAML or JSON (files, or folders
of them) and prints on stdout a main.ts for a repository made by netproof init: a cdk8s App with one
PolicyChart per namespace, written with netproof's constructs (DefaultDeny, AllowFrom, AllowTo). Before
printing, it runs that program and proves that the policies it synthesizes allow exactly what the input
allows, for every pod and namespace that exists or could exist, and says so on stderr. What the
constructs cannot say (a GKE Pod-network annotation, FQDN policies, ClusterNetworkPolicies) is kept as
written, in an ApiObject, and named on stderr. Objects without metadata.namespace land in "default", as
kubectl would place them, with a note.

Example:
  netproof import k8s/policies > main.ts

Exit codes: 0 printed and proven, 2 bad input, 1 internal error (including a program that could not be
proven equivalent: nothing is printed then).
${flagUsage(IMPORT_FLAGS)}`;

export const ImportMessages = {
  noPaths: 'no input. Name the policy files or folders to import, e.g. netproof import k8s/policies',
  noPolicies: (paths: readonly string[]) => `${paths.join(', ')} holds no NetworkPolicy, FQDNNetworkPolicy or ClusterNetworkPolicy. Name the files or folders that hold the policies`,
  defaulted: (ids: readonly string[]) => `${ids.length} polic${ids.length === 1 ? 'y has no metadata.namespace and lands' : 'ies have no metadata.namespace and land'} in "default", as kubectl would place them: `
    + `${ids.slice(0, NAMED).join(', ')}${ids.length > NAMED ? ` and ${ids.length - NAMED} more` : ''}. Give them metadata.namespace if another namespace is meant`,
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

/** A probe namespace no input names: a policy parsed into it had no metadata.namespace. */
const PROBE_NAMESPACE = 'netproof-import-probe';

export function runImport(argv: readonly string[], io: CliIo): number {
  const paths = argv.filter((a) => !a.startsWith('-') || a === '-');
  const flags = parseFlags('import', argv.filter((a) => a.startsWith('-') && a !== '-'), IMPORT_FLAGS);
  if (flags.help) {
    io.stdout.write(IMPORT_USAGE);
    return ExitCode.ok;
  }
  if (paths.length === 0) throw new NetproofError('netproof import', ImportMessages.noPaths);
  const fs = io.fs ?? nodeFileSystem(io.cwd);
  const docs: ManifestDocument[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    for (const f of collectFiles(p, fs, 'import')) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      for (const d of parseManifestText(f.text, f.path)) docs.push(d);
    }
  }
  const input = policiesFromDocuments(docs, { defaultNamespace: 'default' });
  noteSkipped(io, 'import', input.skipped);
  if (input.policies.length === 0) throw new NetproofError('netproof import', ImportMessages.noPolicies(paths));
  // The same documents read with another default namespace: what moved had none.
  const probe = policiesFromDocuments(docs, { defaultNamespace: PROBE_NAMESPACE }).policies;
  const defaulted = input.policies.filter((p, i) => p.kind !== 'ClusterNetworkPolicy' && probe[i].kind !== 'ClusterNetworkPolicy' && probe[i].namespace === PROBE_NAMESPACE)
    .map(policyId);
  if (defaulted.length > 0) note(io, ImportMessages.defaulted(defaulted));

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

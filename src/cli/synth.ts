/** `netproof synth`: runs the user's cdk8s app (which checks its intents) and writes the output folder atomically. */
import * as path from 'path';
import { APP_FLAGS, AppMessages, appSettings, checkOutputFolder, CLUSTER_FILE, KUSTOMIZATION, replaceFolder, synthesizeApp } from './_app';
import { flagUsage, parseFlags } from './args';
import { CliIo, ExitCode } from './io';

export const SYNTH_USAGE = `Usage: netproof synth [--app CMD] [--out DIR] [--layout chart|namespace]

Runs the cdk8s app with CDK8S_OUTDIR set to a temporary folder (its output goes to stderr). The app
checks its intents as part of synth, so a violated intent makes it fail: then nothing is written and
DIR is left as it was. On success, DIR is replaced as a whole by the new YAML (one file per chart, or
one per namespace with cluster-scoped objects in ${CLUSTER_FILE}) and a ${KUSTOMIZATION} listing the
files, so Argo CD, Flux and "kubectl apply -k DIR" take it as is. Output is byte-identical between runs.

Flags:
${flagUsage(APP_FLAGS)}

Exit codes: 0 written, 1 the app failed (e.g. an intent is violated), 2 bad input.
`;

/** Exit code when the app fails (its own validation, e.g. a violated intent). */
export const SYNTH_FAILED = 1;

export async function runSynth(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags('synth', argv, APP_FLAGS);
  if (flags.help) {
    io.stdout.write(SYNTH_USAGE);
    return ExitCode.ok;
  }
  const settings = appSettings('synth', flags, io);
  checkOutputFolder(settings.out, settings.outArg); // before spending time on the app
  const result = await synthesizeApp(settings, io, path.dirname(settings.out));
  if ('failure' in result) {
    io.stderr.write(`netproof synth: ${AppMessages.appFailed(settings.command, result.failure, settings.outArg)}\n`);
    return SYNTH_FAILED;
  }
  replaceFolder(settings.out, settings.outArg, result.files);
  io.stdout.write(`wrote ${settings.outArg}: ${[...result.files.keys()].join(', ')}\n`);
  return ExitCode.ok;
}

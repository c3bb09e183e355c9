/** `netproof synth`: runs the user's cdk8s app (which checks its intents) and writes the output folder atomically. */
import * as os from 'os';
import { APP_FLAGS, AppMessages, appSettings, checkNotAncestor, CLUSTER_FILE, DEFAULT_TIMEOUT_SECONDS, KUSTOMIZATION, synthesizeApp } from './_app';
import { checkOutputFolder, lockOutput, NODE_OUTPUT_FS, outputTarget, recoverOutput, replaceFolder } from './_output';
import { FlagSpec, flagUsage, parseFlags } from './args';
import { CliIo, ExitCode } from './io';
import { STRICT_ENV } from '../emit/synth';

/** synth's flags: the app flags and --strict. */
export const SYNTH_FLAGS: readonly FlagSpec[] = [
  ...APP_FLAGS,
  { name: 'strict', kind: 'switch', metavar: '', help: `fail on lint warnings too (the app runs with ${STRICT_ENV}=1); nothing is written` },
];

export const SYNTH_USAGE = `Usage: netproof synth [--app CMD] [--out DIR] [--layout chart|namespace] [--timeout SECONDS] [--strict]

Runs the cdk8s app with CDK8S_OUTDIR set to a temporary folder (its output goes to stderr). The app
checks its intents as part of synth, so a violated intent makes it fail: then nothing is written and
DIR is left as it was. On success, DIR is replaced as a whole by the new YAML (one file per chart, or
one per namespace with cluster-scoped objects in ${CLUSTER_FILE}) and a ${KUSTOMIZATION} listing the
files, so Argo CD, Flux and "kubectl apply -k DIR" take it as is. Output is byte-identical between runs.

DIR must be new, empty, or a folder netproof wrote (its ${KUSTOMIZATION} lists every file in it):
synth refuses to replace anything else. A symbolic link as DIR stays a link; the folder it points to
is replaced. One synth or check works on DIR at a time (a lock beside it). If a synth was killed
while swapping folders, the next synth or check restores DIR and says so. The app may run for
--timeout seconds (default ${DEFAULT_TIMEOUT_SECONDS}); then it and every process it started are stopped, as they are
when synth itself gets SIGINT, SIGTERM or SIGHUP.

The app prints lint warnings on stderr (id, subject, construct path, message with the fix); they do
not stop synth unless --strict is given (or a PolicyChart has strict: true): then a warning fails the
app like a violated intent, and nothing is written.

Flags:
${flagUsage(SYNTH_FLAGS)}

Exit codes: 0 written, 1 the app failed (e.g. an intent is violated, or a warning under --strict) or timed out, 2 bad input
(flags, DIR not netproof's, a folder that cannot be written, a full disk).
`;

/** Exit code when the app fails (its own validation, e.g. a violated intent). */
export const SYNTH_FAILED = 1;

export async function runSynth(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags('synth', argv, SYNTH_FLAGS);
  if (flags.help) {
    io.stdout.write(SYNTH_USAGE);
    return ExitCode.ok;
  }
  const settings = appSettings('synth', flags, io);
  const target = outputTarget(settings.out, settings.outArg);
  checkNotAncestor('synth', target.dir, settings.outArg, io.cwd);
  checkOutputFolder(target); // before spending time on the app
  const ofs = io.output ?? NODE_OUTPUT_FS;
  const lock = lockOutput(target, io, ofs);
  try {
    recoverOutput(target, io, ofs);
    checkOutputFolder(target);
    const result = await synthesizeApp(settings, io, os.tmpdir());
    if ('failure' in result) {
      io.stderr.write(`netproof synth: ${AppMessages.appFailed(settings.command, result.failure, settings.outArg)}\n`);
      return SYNTH_FAILED;
    }
    replaceFolder(target, result.files, ofs);
    io.stdout.write(`wrote ${settings.outArg}: ${[...result.files.keys()].join(', ')}\n`);
    return ExitCode.ok;
  } finally {
    lock.release();
  }
}

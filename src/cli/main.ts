/**
 * The `netproof` command line. The only code that touches files, stdout, stderr and exit codes; every
 * command returns its exit code (0 success, 2 bad input, 1 internal error) instead of exiting.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCheck } from './check';
import { runDiff } from './diff';
import { runExplain } from './explain';
import { runGraph } from './graph';
import { runInit } from './init';
import { CliIo, ExitCode, processIo, reportError } from './io';
import { runReach } from './reach';
import { runSynth } from './synth';
import { runVerify } from './verify';

/** Every command, in the order the usage lists them. */
export const COMMANDS = ['init', 'synth', 'check', 'reach', 'explain', 'verify', 'diff', 'graph'] as const;

export const USAGE = `Usage: netproof <command> [flags]

Kubernetes NetworkPolicies as typed cdk8s constructs, proven by a reachability verifier.

Commands:
  init       create a policy repository (package.json, main.ts, cdk8s.yaml, CI workflow) in an empty folder
  synth      run the cdk8s app (intents checked), write the YAML and a kustomization.yaml atomically
  check      exit 1 with a diff when the committed YAML differs from a fresh synth
  reach      who can reach whom on one port and protocol (text, json, markdown, csv, summary)
  explain    whether one connection is allowed, and which policies and rules decide it
  verify     check an intents file; exit 1 when an intent is violated
  diff       reachability change between two folders or git refs of policies (text, json, markdown)
  graph      picture of who reaches whom with ports: dot, mermaid, or a self-contained html page

Flags:
  --help     show this help (also: netproof <command> --help)
  --version  print the version

Exit codes: 0 success, 2 bad input (flags, files, manifests) or an environment that cannot serve it
(an unreadable file, a folder that cannot be written, a full disk), 1 internal error; verify, synth
and check also exit 1 for a violated intent, a failed app and drift.
`;

/** The package version, read from package.json next to the compiled (lib/) or source (src/) tree. */
export function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number;
  try {
    code = await dispatch(argv, io);
    io.stdout.flush?.();
  } catch (e) {
    code = reportError(e, io);
  }
  return code;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.stderr.write(USAGE);
      return ExitCode.badInput;
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(USAGE);
      return ExitCode.ok;
    case '--version':
    case 'version':
      io.stdout.write(`${version()}\n`);
      return ExitCode.ok;
    case 'init':
      return runInit(rest, io);
    case 'synth':
      return runSynth(rest, io);
    case 'check':
      return runCheck(rest, io);
    case 'reach':
      return runReach(rest, io);
    case 'explain':
      return runExplain(rest, io);
    case 'verify':
      return runVerify(rest, io);
    case 'diff':
      return runDiff(rest, io);
    case 'graph':
      return runGraph(rest, io);
    default:
      io.stderr.write(`netproof: error: unknown command ${JSON.stringify(command)}. Commands: ${COMMANDS.join(', ')}; run "netproof --help"\n`);
      return ExitCode.badInput;
  }
}

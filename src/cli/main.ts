/**
 * The `netproof` command line. The only code that touches files, stdout, stderr and exit codes; every
 * command returns its exit code (0 success, 2 bad input, 1 internal error) instead of exiting.
 *
 * Each command's module is loaded when the command runs, so a command loads only what it uses: `--version`
 * loads nothing, and the commands that read files (reach, explain, verify, diff, graph) never load cdk8s
 * or cdk8s-plus, which only synth, check and init need.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliIo, ExitCode, processIo, reportError } from './io';

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
      return (await import('./init')).runInit(rest, io);
    case 'synth':
      return (await import('./synth')).runSynth(rest, io);
    case 'check':
      return (await import('./check')).runCheck(rest, io);
    case 'reach':
      return (await import('./reach')).runReach(rest, io);
    case 'explain':
      return (await import('./explain')).runExplain(rest, io);
    case 'verify':
      return (await import('./verify')).runVerify(rest, io);
    case 'diff':
      return (await import('./diff')).runDiff(rest, io);
    case 'graph':
      return (await import('./graph')).runGraph(rest, io);
    default:
      io.stderr.write(`netproof: error: unknown command ${JSON.stringify(command)}. Commands: ${COMMANDS.join(', ')}; run "netproof --help"\n`);
      return ExitCode.badInput;
  }
}

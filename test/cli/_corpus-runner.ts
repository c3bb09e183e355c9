/**
 * Runs corpus cases that touch the real file system (FIFOs, devices, links, output folders, apps) in a
 * process of its own, so that a case that hangs is caught by the caller's timeout instead of freezing
 * the test runner:
 *
 *   node -r ts-node/register/transpile-only test/cli/_corpus-runner.ts CASES.json RESULTS.json
 *
 * CASES.json: [{name, cwd, argv}]. Each case runs in-process here (main with captured output); stderr
 * gets "start NAME" before each, so a hang can be named. RESULTS.json: {name: {code, stdout, stderr, ms}}.
 */
import * as fs from 'fs';
import { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

interface Case {
  readonly name: string;
  readonly cwd: string;
  readonly argv: string[];
}

async function runAll(casesFile: string, resultsFile: string): Promise<void> {
  const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8')) as Case[];
  const results: Record<string, unknown> = {};
  for (const c of cases) {
    process.stderr.write(`start ${c.name}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: c.cwd };
    const started = Date.now();
    const code = await main(c.argv, io);
    results[c.name] = { code, stdout: out.join('').slice(0, 2000), stderr: err.join('').slice(0, 4000), ms: Date.now() - started };
  }
  fs.writeFileSync(resultsFile, JSON.stringify(results));
}

const [casesFile, resultsFile] = process.argv.slice(2);
runAll(casesFile, resultsFile).catch((e) => {
  process.stderr.write(`runner failed: ${(e as Error).stack}\n`);
  process.exitCode = 3;
});

/**
 * Runs `netproof synth ARGV...` in a process of its own (for tests that kill it), in the folder CWD, with an
 * output file system that kills this process with SIGKILL at the step STEP of synth's folder swap:
 *
 *   node -r ts-node/register/transpile-only test/cli/_synth-runner.ts STEP CWD ARGV...
 *
 * Only synth's own modules are loaded (not the whole CLI), so the process starts fast.
 *
 * STEP: `between-renames` (the old folder moved aside, the new one not yet in place), `while-writing`
 * (the second file of the new folder), or `none`.
 */
import { NODE_OUTPUT_FS } from '../../src/cli/_output';
import { OutputFileSystem, processIo, reportError } from '../../src/cli/io';
import { runSynth } from '../../src/cli/synth';

const [step, cwd, ...argv] = process.argv.slice(2);
let renames = 0;
let writes = 0;
const die = () => process.kill(process.pid, 'SIGKILL');
const output: OutputFileSystem = {
  ...NODE_OUTPUT_FS,
  rename: (from, to) => {
    // Renames of a swap: .partial -> .new, the output folder -> .old, .new -> the output folder.
    if (++renames === 3 && step === 'between-renames') die();
    NODE_OUTPUT_FS.rename(from, to);
  },
  writeFile: (file, text) => {
    if (++writes === 2 && step === 'while-writing') die();
    NODE_OUTPUT_FS.writeFile(file, text);
  },
};

const io = { ...processIo(), cwd, output };
runSynth(argv, io).then((code) => {
  process.exitCode = code;
}, (e) => {
  process.exitCode = reportError(e, io);
}).finally(() => io.stdout.flush?.());

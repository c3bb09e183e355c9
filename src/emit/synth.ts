/**
 * Writing synthesized YAML without ever leaving a half-written output directory. This is file I/O, used
 * by entry points (the example app's script, the CLI); the model and the constructs never call it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

/**
 * The environment variable that makes a synth strict (every lint warning fails it): `netproof synth
 * --strict` sets it to `1` for the app it runs; the app layer reads it.
 */
export const STRICT_ENV = 'NETPROOF_STRICT';

export interface SynthesizeResult {
  /** The target directory, resolved. */
  readonly outdir: string;
  /** The YAML files now in the target directory, sorted. */
  readonly files: readonly string[];
}

/**
 * Synthesizes `app` into a fresh temporary directory next to `dir` (`.synth-XXXXXX`), and only when that
 * succeeded replaces the `*.yaml` files of `dir` with the new ones (other files are left alone). When
 * synthesis throws (a validation error, a construct error), `dir` is untouched and the error propagates.
 */
export function synthesizeAtomically(app: App, dir: string): SynthesizeResult {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, '.synth-'));
  const mutableApp = app as { outdir: string };
  const originalOutdir = app.outdir;
  try {
    mutableApp.outdir = tmp;
    app.synth();
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    mutableApp.outdir = originalOutdir;
  }
  try {
    const fresh = fs.readdirSync(tmp).filter((f) => f.endsWith('.yaml')).sort();
    fs.mkdirSync(target, { recursive: true });
    for (const old of fs.readdirSync(target).filter((f) => f.endsWith('.yaml'))) {
      if (!fresh.includes(old)) fs.rmSync(path.join(target, old));
    }
    // Same filesystem (the temp dir is a sibling), so each rename replaces its file atomically.
    for (const f of fresh) fs.renameSync(path.join(tmp, f), path.join(target, f));
    return { outdir: target, files: fresh };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

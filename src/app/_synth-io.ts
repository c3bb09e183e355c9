/**
 * The one place of the app layer that touches the process (a documented synth entry point, like
 * emit/synth.ts): `app.synth()` prints lint warnings on stderr, and `netproof synth --strict` asks the
 * app, through the environment, to fail on them instead.
 */
import { STRICT_ENV } from '../emit/synth';

/** Does the environment ask for strict synth (NETPROOF_STRICT=1 or true, as `netproof synth --strict` sets)? */
export function strictFromEnvironment(): boolean {
  const v = process.env[STRICT_ENV];
  return v === '1' || v === 'true';
}

/** Writes synth-time warnings (whole lines) to stderr, where `netproof synth` forwards the app's output. */
export function writeWarnings(text: string): void {
  process.stderr.write(text);
}

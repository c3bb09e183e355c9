/** The NetproofError that `fn` throws; fails the test when it throws nothing or something else. */
import { NetproofError } from '../src/errors';

export function errorOf(fn: () => unknown): NetproofError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NetproofError) return e;
    throw new Error(`expected a NetproofError, got ${String(e)}`);
  }
  throw new Error('expected a NetproofError, nothing was thrown');
}

/** "Did you mean": the known names closest to a name that nothing declares, by edit distance. */
import { compareStrings } from './selector';

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** How many suggestions a message lists at most. */
export const MAX_SUGGESTIONS = 3;

/**
 * The known names a typo of `name` most likely meant: those within a third of its length (at least 2
 * edits), closest first, then by name; at most MAX_SUGGESTIONS. Empty when none is that close.
 */
export function closestNames(name: string, known: Iterable<string>): string[] {
  const max = Math.max(2, Math.floor(name.length / 3));
  return [...new Set(known)]
    .filter((k) => k !== name)
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .filter(({ d }) => d <= max)
    .sort((a, b) => a.d - b.d || compareStrings(a.k, b.k))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ k }) => k);
}

/** ` (did you mean shop?)`, ` (did you mean shop or shops?)`, or what is known when nothing is close. */
export function didYouMean(name: string, known: readonly string[], what: string): string {
  const close = closestNames(name, known);
  if (close.length > 0) return ` (did you mean ${close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close[close.length - 1]}`}?)`;
  if (known.length === 0) return ` (no ${what} is known)`;
  const sorted = [...new Set(known)].sort(compareStrings);
  const shown = sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more`;
  return ` (known ${what}s: ${shown})`;
}

/**
 * The one interface every output format implements (as netpol-analyzer's `conns_formatter_*.go` do):
 * a formatter turns one analysis result into text, written in chunks so that a large result is never
 * one giant string. Analyses return data; only formatters make text.
 */

/** Writes one chunk of output. */
export type Sink = (chunk: string) => void;

export interface Formatter<T, F extends string = string> {
  /** The format name as the CLI's `--format` takes it. */
  readonly format: F;
  /** Writes the whole report through `out`, ending with a newline. */
  write(data: T, out: Sink): void;
}

/** The formats of one analysis, by name. */
export type Formatters<T, F extends string> = { readonly [K in F]: Formatter<T, K> };

/** Renders to one string (tests, small results, synth messages). */
export function render<T>(formatter: Formatter<T>, data: T): string {
  const chunks: string[] = [];
  formatter.write(data, (c) => chunks.push(c));
  return chunks.join('');
}
